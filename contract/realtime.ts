// The socket.io events between the hub and the dashboards (docs/api.md, Realtime), typed both
// ways: the server's `Server<ClientToServerEvents, ServerToClientEvents, ...>` and the
// dashboard's `Socket<ServerToClientEvents, ClientToServerEvents>` are built from these, so an
// event or a payload renamed on one side fails the other's type check.
import { z } from 'zod';
import type { Alert, AlertChange } from './alerts.js';
import type { ReadingValues } from './readings.js';

/** A change, with the alert as the API shows it (null: the dashboard fetches it itself). */
export interface AlertEvent {
  change: AlertChange;
  alert: Alert | null;
}

/** A reading's values as a patient's `latest` shows them, and its type. */
export type LiveReadingValues = ReadingValues & { type: string };

/** The newest reading of one patient and type since the last push, and how many came. */
export interface LiveReadingItem {
  patientId: string;
  reading: LiveReadingValues;
  count: number;
}

export const resumeSchema = z.object({ sinceSeq: z.number().int().min(0) });
export type Resume = z.infer<typeof resumeSchema>;

export interface RealtimeError {
  code: string;
  message: string;
  field?: string;
}

export interface ServerToClientEvents {
  alert: (event: AlertEvent) => void;
  readings: (message: { items: LiveReadingItem[] }) => void;
  /** Every change since `sinceSeq` has been sent; `seq` is the last. */
  resumed: (message: { seq: number }) => void;
  error: (error: RealtimeError) => void;
}

export interface ClientToServerEvents {
  /** Send me every change after this sequence number I may see. */
  resume: (message: Resume) => void;
}
