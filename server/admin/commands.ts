// The admin commands, as plain functions over the database. The CLI runs them in-process when
// no hub is running, or sends them to the running hub (which owns an embedded database).
import { z } from 'zod';
import { generateSecret, hashSecret } from '../auth/secrets.js';
import type { Db } from '../store/db.js';
import { newId } from '../store/ids.js';
import { latestReadings } from '../store/readings.js';

export interface AdminContext {
  db: Db;
  /** Told after a device is revoked, so that a running hub drops its connection at once. */
  onDeviceRevoked?: (deviceId: string) => void;
}

export class AdminError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid' | 'conflict',
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

interface Command<S extends z.ZodType> {
  summary: string;
  /** Names given to positional words after the command, in order. */
  positional?: string[];
  args: S;
  run(ctx: AdminContext, args: z.infer<S>): Promise<unknown>;
  /** One line for people; --json prints the result itself. */
  describe(result: never): string;
}

const id = z.string().min(1).max(100);
const name = z.string().trim().min(1).max(200);

const define = <S extends z.ZodType, R>(c: {
  summary: string;
  positional?: string[];
  args: S;
  run(ctx: AdminContext, args: z.infer<S>): Promise<R>;
  describe(result: R): string;
}) => c as unknown as Command<S>;

async function mustExist(db: Db, table: string, key: string, what: string, path: string) {
  const { rows } = await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [key]);
  if (!rows.length) throw new AdminError('not_found', `${what} ${key} does not exist`, path);
}

export const commands = {
  'org add': define({
    summary: 'add an organisation (a region or a municipality)',
    args: z.object({ name, kind: z.enum(['region', 'municipality']) }),
    async run({ db }, a) {
      const orgId = newId('org');
      await db.query('INSERT INTO organisations (id, name, kind) VALUES ($1, $2, $3)', [
        orgId,
        a.name,
        a.kind,
      ]);
      return { id: orgId };
    },
    describe: (r) => `organisation ${r.id}`,
  }),

  'unit add': define({
    summary: 'add a care unit (a health centre, a home-care team) to an organisation',
    args: z.object({ org: id, name }),
    async run({ db }, a) {
      await mustExist(db, 'organisations', a.org, 'organisation', 'org');
      const unitId = newId('unit');
      await db.query('INSERT INTO care_units (id, organisation_id, name) VALUES ($1, $2, $3)', [
        unitId,
        a.org,
        a.name,
      ]);
      return { id: unitId };
    },
    describe: (r) => `care unit ${r.id}`,
  }),

  'patient add': define({
    summary: 'add a patient followed by a care unit',
    args: z.object({ unit: id, name }),
    async run({ db }, a) {
      await mustExist(db, 'care_units', a.unit, 'care unit', 'unit');
      const patientId = newId('pat');
      await db.transaction(async (tx) => {
        await tx.query('INSERT INTO patients (id, display_name) VALUES ($1, $2)', [
          patientId,
          a.name,
        ]);
        await tx.query(
          'INSERT INTO care_relationships (patient_id, care_unit_id) VALUES ($1, $2)',
          [patientId, a.unit],
        );
      });
      return { id: patientId };
    },
    describe: (r) => `patient ${r.id}`,
  }),

  'device add': define({
    summary: 'register a device to a patient; prints its secret once',
    args: z.object({ patient: id, label: z.string().max(100).optional() }),
    async run({ db }, a) {
      await mustExist(db, 'patients', a.patient, 'patient', 'patient');
      const deviceId = newId('dev');
      const secret = generateSecret();
      await db.query(
        'INSERT INTO devices (id, patient_id, secret_hash, label) VALUES ($1, $2, $3, $4)',
        [deviceId, a.patient, await hashSecret(secret), a.label ?? null],
      );
      return { deviceId, secret };
    },
    describe: (r) =>
      `device ${r.deviceId}\nsecret ${r.secret}\n(the secret is shown only this once: give it to the device as its MQTT password)`,
  }),

  'device revoke': define({
    summary: 'revoke a device: it can no longer connect or deliver readings',
    positional: ['deviceId'],
    args: z.object({ deviceId: id }),
    async run(ctx, a) {
      const { rows } = await ctx.db.query<{ revoked_at: string }>(
        `UPDATE devices SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1
         RETURNING to_json(revoked_at)#>>'{}' AS revoked_at`,
        [a.deviceId],
      );
      if (!rows[0])
        throw new AdminError('not_found', `device ${a.deviceId} does not exist`, 'deviceId');
      ctx.onDeviceRevoked?.(a.deviceId);
      return { deviceId: a.deviceId, revokedAt: rows[0].revoked_at };
    },
    describe: (r) => `device ${r.deviceId} revoked at ${r.revokedAt}`,
  }),

  readings: define({
    summary: "a patient's latest readings, newest first, in canonical units",
    args: z.object({ patient: id, limit: z.coerce.number().int().min(1).max(1000).default(50) }),
    async run({ db }, a) {
      await mustExist(db, 'patients', a.patient, 'patient', 'patient');
      return latestReadings(db, a.patient, a.limit);
    },
    describe: (rows) =>
      rows.length
        ? rows
            .map(
              (r) =>
                `${r.measuredAt}  ${r.type.padEnd(16)} ${
                  r.type === 'blood_pressure'
                    ? `${r.systolic}/${r.diastolic}${r.pulse ? ` pulse ${r.pulse}` : ''}`
                    : (r.value ?? r.code)
                } ${r.unit ?? ''}`,
            )
            .join('\n')
        : 'no readings yet',
  }),
};

export type CommandName = keyof typeof commands;
export const commandNames = Object.keys(commands) as CommandName[];

/** Validates the arguments and runs one command; the single entry point for CLI and hub. */
export async function runCommand(ctx: AdminContext, name: string, rawArgs: unknown) {
  const command = (commands as Record<string, Command<z.ZodType>>)[name];
  if (!command) {
    throw new AdminError('invalid', `unknown command "${name}"; try: ${commandNames.join(', ')}`);
  }
  const parsed = command.args.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    throw new AdminError('invalid', `--${path}: ${issue.message}`, path);
  }
  return command.run(ctx, parsed.data);
}

export function describeResult(name: string, result: unknown): string {
  const command = (commands as Record<string, Command<z.ZodType>>)[name];
  return command ? command.describe(result as never) : JSON.stringify(result);
}
