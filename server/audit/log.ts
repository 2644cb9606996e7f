// The audit trail: every read or change of a patient's data by a person, appended to audit_log
// (who, which patient, what, when, from where). Nothing here updates or deletes; the database
// refuses that too (migration 006).
import type { AuditEntry, AuditVia } from '../../contract/patients.js';
import type { Queryable } from '../store/db.js';

export type { AuditEntry, AuditVia };

export interface AuditRecord {
  staffId: string;
  /** One patient, or several when one request read several (the patient list). */
  patientIds: string[];
  /** What was done, e.g. `patient.read`, `plan.change`, `alert.acknowledge`. */
  action: string;
  ip: string | null;
  at: Date;
  detail?: Record<string, unknown>;
  /** Through what the person reached the patient; 'care' unless said. */
  via?: AuditVia;
}

export async function appendAudit(db: Queryable, r: AuditRecord): Promise<void> {
  if (!r.patientIds.length) return;
  await db.query(
    `INSERT INTO audit_log (at, staff_id, patient_id, action, ip, detail, via)
     SELECT $1, $2, p, $4, $5, $6::jsonb, $7 FROM unnest($3::text[]) AS p`,
    [
      r.at.toISOString(),
      r.staffId,
      [...new Set(r.patientIds)],
      r.action,
      r.ip,
      JSON.stringify(r.detail ?? {}),
      r.via ?? 'care',
    ],
  );
}

/** A patient's audit entries, newest first. */
export async function auditOf(
  db: Queryable,
  patientId: string,
  limit = 500,
): Promise<AuditEntry[]> {
  const { rows } = await db.query<{
    at: Date;
    staff_id: string;
    staff_name: string;
    action: string;
    ip: string | null;
    via: AuditVia;
  }>(
    `SELECT a.at, a.staff_id, s.display_name AS staff_name, a.action, a.ip, a.via
     FROM audit_log a JOIN staff s ON s.id = a.staff_id
     WHERE a.patient_id = $1 ORDER BY a.id DESC LIMIT $2`,
    [patientId, limit],
  );
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    staffId: r.staff_id,
    staffName: r.staff_name,
    action: r.action,
    ip: r.ip,
    via: r.via,
  }));
}
