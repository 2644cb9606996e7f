// What every admin command is made of (its context, its shape) and the argument shapes several
// nouns share, so that each noun's file holds only its own commands.
import { z } from 'zod';
import type { Alerts } from '../../alerts/lifecycle.js';
import type { Db } from '../../store/db.js';

export interface AdminContext {
  db: Db;
  /**
   * The running hub's alerts, so that a change made here reaches its listeners; without a hub
   * the commands use their own over `db`.
   */
  alerts?: Alerts;
  /** Told after a device is revoked, so that a running hub drops its connection at once. */
  onDeviceRevoked?: (deviceId: string) => void;
  /** Told after a patient's plan changed, so that a running hub stops using its cached copy. */
  onPlanChanged?: (patientId: string) => void;
}

export interface Command<S extends z.ZodType> {
  summary: string;
  /** Names given to positional words after the command, in order. */
  positional?: string[];
  args: S;
  run(ctx: AdminContext, args: z.infer<S>): Promise<unknown>;
  /** One line for people; --json prints the result itself. */
  describe(result: never): string;
}

/** Types `describe` by what `run` returns, then forgets the result type so commands fit one table. */
export const define = <S extends z.ZodType, R>(c: {
  summary: string;
  positional?: string[];
  args: S;
  run(ctx: AdminContext, args: z.infer<S>): Promise<R>;
  describe(result: R): string;
}) => c as unknown as Command<S>;

export const id = z.string().min(1).max(100);
export const name = z.string().trim().min(1).max(200);
