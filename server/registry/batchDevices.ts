// Which devices of an ingest batch may publish, as the subquery the store's one batch statement
// embeds (server/store/readings.ts). The registry writes this SQL, as it writes every other on
// `devices`; the store composes it so that a batch still costs one round trip, and reading the
// status in that statement (never a cache) refuses a device revoked a moment ago from the next
// batch on, whichever hub holds its messages. Imports nothing: the store depends on this alone.

/**
 * Rows `(id, patient_id, revoked)` of the devices named in the statement's `input` CTE (which
 * has a `device_id` column); a device the registry does not know has no row.
 */
export const BATCH_DEVICES_SQL = `SELECT id, patient_id, revoked_at IS NOT NULL AS revoked
       FROM devices WHERE id IN (SELECT device_id FROM input)`;
