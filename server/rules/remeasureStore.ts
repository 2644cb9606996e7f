// The database edge of re-measuring and reminders: pending requests to measure again, claimed
// so that several hubs settle or expire each once, and reminders sent once per due time.
import type { ReadingType } from '../../devices/contract.js';
import type { Queryable } from '../store/db.js';
import { perTurn } from '../store/perTurn.js';
import { unresolvedRulesOf } from '../alerts/views.js';
import { newId } from '../store/ids.js';
import { devicesOfPatient } from '../registry/index.js';
import type { EvaluatedFinding } from './evaluate.js';
import type { PendingRemeasure } from './remeasure.js';
import type { Finding } from './types.js';

interface RequestRow {
  id: string;
  rule: string;
  reading_type: ReadingType;
  device_id: string;
  message_id: string;
  measured_at: Date | string;
}

const toPending = (r: RequestRow): PendingRemeasure => ({
  id: r.id,
  rule: r.rule,
  type: r.reading_type,
  deviceId: r.device_id,
  messageId: r.message_id,
  measuredAt: new Date(r.measured_at),
});

/** A pending request whose time ran out, with what it asked about. */
export interface ExpiredRemeasure {
  id: string;
  patientId: string;
  finding: Finding;
  minutes: number;
}

/** How long a claimed expiry waits before another hub may take it again (crash safety). */
const LEASE_MS = 5 * 60_000;

export function createRemeasureStore(db: Queryable) {
  // the patients evaluated in one turn of the event loop are looked up together: under load a
  // commit's patients with borderline values asked two queries each
  const states = perTurn<string, { pending: PendingRemeasure[]; alerted: Set<string> }>(
    async (patientIds) => {
      // the waiting requests, and the rules with an unresolved alert (the alerts' own read),
      // asked together; a commit's patients are looked up in one round each
      const [{ rows }, alerted] = await Promise.all([
        db.query<RequestRow & { patient_id: string }>(
          `SELECT patient_id, id, rule, reading_type, device_id, message_id, measured_at
           FROM remeasure_requests WHERE patient_id = ANY($1::text[]) AND status = 'pending'`,
          [patientIds],
          { prepare: 'remeasure_pending' },
        ),
        unresolvedRulesOf(db, patientIds),
      ]);
      const of = new Map(
        patientIds.map((id) => [
          id,
          { pending: [] as PendingRemeasure[], alerted: alerted.get(id) ?? new Set<string>() },
        ]),
      );
      for (const r of rows) of.get(r.patient_id)!.pending.push(toPending(r));
      return patientIds.map((id) => of.get(id)!);
    },
  );
  return {
    /** The patient's waiting requests and the rules that have an unresolved alert. */
    stateOf: (patientId: string) => states.load(patientId),

    /** Opens a request; false when one for the rule already waits (another hub asked). */
    async ask(
      patientId: string,
      f: EvaluatedFinding,
      type: ReadingType,
      measuredAt: Date,
      now: Date,
      waitMinutes: number,
    ): Promise<boolean> {
      const { rows } = await db.query(
        `INSERT INTO remeasure_requests (id, patient_id, rule, reading_type, device_id, message_id,
           measured_at, finding, requested_at, wait_minutes, due_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, 'pending')
         ON CONFLICT (patient_id, rule) WHERE status = 'pending' DO NOTHING RETURNING id`,
        [
          newId('remeasure'),
          patientId,
          f.rule,
          type,
          f.trigger.deviceId,
          f.trigger.messageId,
          measuredAt.toISOString(),
          JSON.stringify(f),
          now.toISOString(),
          waitMinutes,
          new Date(now.getTime() + waitMinutes * 60_000).toISOString(),
        ],
      );
      return rows.length > 0;
    },

    /** Settles a request; false when another hub settled it first. */
    async settle(id: string, outcome: 'confirmed' | 'cleared' | 'expired', now: Date) {
      const { rows } = await db.query(
        `UPDATE remeasure_requests SET status = $2, settled_at = $3
         WHERE id = $1 AND status = 'pending' RETURNING id`,
        [id, outcome, now.toISOString()],
      );
      return rows.length > 0;
    },

    /**
     * Claims requests whose repeat never came, for a lease: the caller alerts the care team and
     * then settles them as expired; a hub that dies in between leaves them to the next claim.
     */
    async claimExpired(now: Date, batch = 100): Promise<ExpiredRemeasure[]> {
      const { rows } = await db.query<{
        id: string;
        patient_id: string;
        finding: Finding;
        wait_minutes: number;
      }>(
        `UPDATE remeasure_requests SET due_at = $2
         WHERE id IN (SELECT id FROM remeasure_requests
                      WHERE status = 'pending' AND due_at <= $1
                      ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id, patient_id, finding, wait_minutes`,
        [now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString(), batch],
      );
      return rows.map((r) => ({
        id: r.id,
        patientId: r.patient_id,
        finding: r.finding,
        minutes: r.wait_minutes,
      }));
    },

    /** Records a reminder; false when this due time was already reminded (by any hub). */
    async remind(patientId: string, type: ReadingType, dueAt: Date, now: Date) {
      const { rows } = await db.query(
        `INSERT INTO patient_reminders (patient_id, reading_type, due_at, sent_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING patient_id`,
        [patientId, type, dueAt.toISOString(), now.toISOString()],
      );
      return rows.length > 0;
    },

    /** Patients with a request waiting (few at any time). */
    async patientsWithPending(): Promise<Set<string>> {
      const { rows } = await db.query<{ patient_id: string }>(
        "SELECT DISTINCT patient_id FROM remeasure_requests WHERE status = 'pending'",
      );
      return new Set(rows.map((r) => r.patient_id));
    },

    /** The patient's devices that can still be reached. */
    devicesOf: (patientId: string): Promise<string[]> => devicesOfPatient(db, patientId),
  };
}
export type RemeasureStore = ReturnType<typeof createRemeasureStore>;
