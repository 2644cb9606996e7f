// Seeds the dashboard benchmark's world inside the hub process (the only process that may open an
// embedded database): care units, staff, patients with a year of home readings each, and the
// alerts a year leaves behind. Set-based: each step is one INSERT ... SELECT generate_series run
// by the database itself (readings in chunks of patients, so progress shows), not rows sent one
// by one; seeding through MQTT would take hours and measure the ingest, which has a benchmark
// of its own.
//
// The world: H health centres (region) and H home-care units (municipality). Patient i belongs
// to health centre i % H; every other one of them (by i / H) is also followed by the home-care
// unit of the same number, as when the municipality's home care visits. The realtime nurses
// sit in health centre 0 (the first half) and home-care unit 0 (the second half), so every one
// of their dashboards sees the patients both follow; the HTTP nurse is the first of them.
import { hashSecret, generateSecret } from '../../server/auth/secrets.js';
import type { Queryable } from '../../server/store/db.js';

export interface SeedOptions {
  patients: number;
  /** Health centres; as many home-care units again. */
  healthCentres: number;
  days: number;
  /** Nurses signed in for the realtime phase (the HTTP nurse is the first). */
  nurses: number;
  password: string;
  /** Patients per statement while seeding readings. */
  chunk: number;
}

export interface SeedResult {
  nurses: string[];
  /** Patients followed by both units of the nurses, without an unresolved SpO2 alert. */
  sharedPatients: string[];
  /** Patients the HTTP nurse sees (health centre 0). */
  visiblePatients: string[];
  readings: number;
  alerts: Record<string, number>;
  ms: Record<string, number>;
  rowsPerSecond: number;
}

const pad = (n: number) => String(n).padStart(5, '0');
export const patientId = (i: number) => `pat_bench_${pad(i)}`;

/**
 * A home day: weight on waking, blood pressure (with pulse) morning and evening, SpO2, a pulse
 * at midday, and a temperature one day in four: 5.25 readings a day.
 */
const SLOTS = `(VALUES
  ('body_weight',      interval '7 hours 10 minutes', 1),
  ('blood_pressure',   interval '7 hours 40 minutes', 1),
  ('spo2',             interval '7 hours 45 minutes', 1),
  ('heart_rate',       interval '13 hours 30 minutes', 1),
  ('blood_pressure',   interval '19 hours 30 minutes', 1),
  ('body_temperature', interval '19 hours 40 minutes', 4)
) AS s(type, at, every)`;

export async function seedDashboard(
  db: Queryable,
  o: SeedOptions,
  log: (line: string) => void,
): Promise<SeedResult> {
  const ms: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>) => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      ms[name] = performance.now() - t;
    }
  };
  const H = o.healthCentres;

  await timed('people', async () => {
    await db.query(
      `INSERT INTO organisations (id, name, kind) VALUES
         ('org_bench_region', 'Region Bench', 'region'),
         ('org_bench_kommun', 'Bench kommun', 'municipality')`,
    );
    await db.query(
      `INSERT INTO care_units (id, organisation_id, name)
       SELECT 'cu_bench_hc' || u, 'org_bench_region', 'Vårdcentral ' || u FROM generate_series(0, $1 - 1) u
       UNION ALL
       SELECT 'cu_bench_hm' || u, 'org_bench_kommun', 'Hemsjukvård ' || u FROM generate_series(0, $1 - 1) u`,
      [H],
    );
    // One scrypt for everyone: the hash is what sign-in checks, its cost per sign-in is the same.
    const hash = await hashSecret(o.password);
    await db.query(
      `INSERT INTO staff (id, username, display_name, password_hash)
       SELECT 'stf_bench_' || n, 'bench_nurse_' || n, 'Sjuksköterska ' || n, $2
       FROM generate_series(0, $1 - 1) n`,
      [o.nurses, hash],
    );
    await db.query(
      `INSERT INTO staff_units (staff_id, care_unit_id, role)
       SELECT 'stf_bench_' || n, CASE WHEN n < greatest(1, $1 / 2) THEN 'cu_bench_hc0' ELSE 'cu_bench_hm0' END, 'nurse'
       FROM generate_series(0, $1 - 1) n`,
      [o.nurses],
    );
    // Each unit's own fixed care contacts (four per unit; health centre 0 has the bench nurses).
    await db.query(
      `INSERT INTO staff (id, username, display_name)
       SELECT 'stf_bench_hc' || u || '_' || k, 'bench_hc' || u || '_' || k, 'Kontakt ' || u || '-' || k
       FROM generate_series(1, $1 - 1) u, generate_series(0, 3) k`,
      [H],
    );
    await db.query(
      `INSERT INTO staff_units (staff_id, care_unit_id, role)
       SELECT 'stf_bench_hc' || u || '_' || k, 'cu_bench_hc' || u, 'nurse'
       FROM generate_series(1, $1 - 1) u, generate_series(0, 3) k`,
      [H],
    );
    // A third of the patients have no fixed care contact: their alerts stay unowned.
    await db.query(
      `INSERT INTO patients (id, display_name, frailty_level, fixed_contact_id)
       SELECT 'pat_bench_' || lpad(i::text, 5, '0'), 'Patient ' || i, 3 + (i * 7) % 5,
         CASE WHEN i % 3 = 2 THEN NULL
              WHEN i % $2 = 0 THEN 'stf_bench_' || ((i / $2) % greatest(1, $3 / 2))
              ELSE 'stf_bench_hc' || (i % $2) || '_' || (i % 4) END
       FROM generate_series(0, $1 - 1) i`,
      [o.patients, H, o.nurses],
    );
    await db.query(
      `INSERT INTO care_relationships (patient_id, care_unit_id)
       SELECT 'pat_bench_' || lpad(i::text, 5, '0'), 'cu_bench_hc' || (i % $2) FROM generate_series(0, $1 - 1) i
       UNION ALL
       SELECT 'pat_bench_' || lpad(i::text, 5, '0'), 'cu_bench_hm' || (i % $2)
       FROM generate_series(0, $1 - 1) i WHERE (i / $2) % 2 = 0`,
      [o.patients, H],
    );
    // One device per patient, all with the hash of one random secret nobody keeps: the seeded
    // history needs a device; the devices that publish in the realtime phase are added properly.
    await db.query(
      `INSERT INTO devices (id, patient_id, secret_hash, label)
       SELECT 'dev_bench_' || lpad(i::text, 5, '0'), 'pat_bench_' || lpad(i::text, 5, '0'), $2, 'seeded'
       FROM generate_series(0, $1 - 1) i`,
      [o.patients, await hashSecret(generateSecret())],
    );
  });

  // A year of readings, chunk by chunk. Values: a baseline per patient from its number, and
  // noise from random() (rough Gaussian: the sum of three uniforms), inside normal bands so that
  // the history itself is unremarkable. The reading_keys of the ingest's duplicate check are not
  // seeded: no measured query reads them.
  let readings = 0;
  await timed('readings', async () => {
    for (let first = 0; first < o.patients; first += o.chunk) {
      const last = Math.min(o.patients, first + o.chunk) - 1;
      const t = performance.now();
      const { rows } = await db.query<{ n: number }>(
        `WITH ins AS (
           INSERT INTO readings (device_id, message_id, patient_id, type, measured_at, received_at,
             value, systolic, diastolic, pulse, code, unit)
           SELECT 'dev_bench_' || lpad(i::text, 5, '0'), 'seed-' || d || '-' || s.type || '-' || extract(hour FROM s.at),
             'pat_bench_' || lpad(i::text, 5, '0'), s.type, m.at, m.at + interval '20 seconds',
             CASE s.type
               WHEN 'body_weight' THEN round((58 + (i * 37) % 52 + 0.25 * (random() + random() + random() - 1.5))::numeric, 1)::float8
               WHEN 'spo2' THEN round(least(100, 95 + i % 4 + (random() + random() + random() - 1.5)))::float8
               WHEN 'heart_rate' THEN round(60 + (i * 11) % 18 + 6 * (random() + random() + random() - 1.5))::float8
               WHEN 'body_temperature' THEN round((36.5 + (i % 5) * 0.08 + 0.2 * (random() - 0.5))::numeric, 1)::float8
             END,
             CASE WHEN s.type = 'blood_pressure' THEN round(112 + (i * 13) % 18 + 10 * (random() + random() + random() - 1.5))::float8 END,
             CASE WHEN s.type = 'blood_pressure' THEN round(68 + (i * 7) % 12 + 6 * (random() + random() + random() - 1.5))::float8 END,
             CASE WHEN s.type = 'blood_pressure' THEN round(60 + (i * 11) % 18 + 6 * (random() + random() + random() - 1.5))::float8 END,
             NULL,
             CASE s.type WHEN 'body_weight' THEN 'kg' WHEN 'blood_pressure' THEN 'mm[Hg]'
               WHEN 'spo2' THEN '%' WHEN 'heart_rate' THEN '/min' ELSE 'Cel' END
           FROM generate_series($1::int, $2::int) i
           CROSS JOIN generate_series(1, $3::int) d
           CROSS JOIN ${SLOTS}
           CROSS JOIN LATERAL (SELECT date_trunc('day', now()) - d * interval '1 day' + s.at
             + ((i * 17 + d * 7) % 25) * interval '1 minute' AS at) m
           WHERE (d + i) % s.every = 0
           ORDER BY 3, 4, 5
           RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [first, last, o.days],
      );
      readings += rows[0]!.n;
      log(
        `  readings: patients ${first}-${last} (${rows[0]!.n} rows, ${Math.round(performance.now() - t)} ms; ${readings} in all)`,
      );
    }
  });

  // What the ingest keeps beside the readings it stores (migration 008), as that migration
  // fills it for readings stored before it.
  await timed('latest', () =>
    db.query(
      `INSERT INTO latest_readings (patient_id, type, measured_at, value, systolic, diastolic, pulse, code, unit)
       SELECT DISTINCT ON (patient_id, type) patient_id, type, measured_at, value, systolic, diastolic,
         pulse, code, unit
       FROM readings ORDER BY patient_id, type, measured_at DESC`,
    ),
  );

  // The alerts a year leaves: about four resolved per patient, and on the day measured 8 % of
  // the patients with an open alert and 4 % with an acknowledged one, of several rules and
  // severities. None of them is an SpO2 alert, so that the realtime phase's SpO2 readings open
  // new alerts. Each alert has the event of its current state (the sequence number the
  // dashboards resume from).
  const alerts: Record<string, number> = {};
  await timed('alerts', async () => {
    const RULES = `(ARRAY['weight.gain_3d','bp.high_average','personal.pulse_up','missing.body_weight','bp.very_high','temperature.high_fever'])`;
    const SEV = `(ARRAY['high','medium','low','medium','critical','high'])`;
    // each rule's problem (server/alerts/problems.ts): one unresolved alert per patient and problem
    const PROBLEMS = `(ARRAY['weight','blood_pressure','pulse','missing.body_weight','blood_pressure','temperature'])`;
    await db.query(
      `INSERT INTO alerts (id, patient_id, rule, problem, severity, status, owner_id,
         escalation_level, escalate_at, opened_at, updated_at, resolved_at, finding, seq)
       SELECT 'alert_bench_' || i || '_' || k, 'pat_bench_' || lpad(i::text, 5, '0'),
         ${RULES}[1 + (i + k) % 6], ${PROBLEMS}[1 + (i + k) % 6], ${SEV}[1 + (i + k) % 6],
         st.status,
         CASE WHEN st.status = 'acknowledged' OR (st.status = 'open' AND i % 3 <> 2)
              THEN p.fixed_contact_id END,
         CASE WHEN st.status = 'open' THEN (i / 25) % 2 ELSE 0 END,
         CASE WHEN st.status = 'open' THEN now() + interval '1 day' END,
         st.opened, st.opened + interval '10 minutes',
         CASE WHEN st.status = 'resolved' THEN st.opened + interval '3 hours' END,
         jsonb_build_object('rule', ${RULES}[1 + (i + k) % 6], 'severity', ${SEV}[1 + (i + k) % 6],
           'reason', jsonb_build_object('sv', 'Avvikande värde (seedat)', 'en', 'Abnormal value (seeded)')),
         nextval('alert_seq')
       FROM generate_series(0, $1 - 1) i
       JOIN patients p ON p.id = 'pat_bench_' || lpad(i::text, 5, '0')
       CROSS JOIN generate_series(0, 4) k
       CROSS JOIN LATERAL (SELECT
         CASE WHEN k < 4 THEN 'resolved'
              WHEN i % 25 IN (0, 1) THEN 'open'
              WHEN i % 25 = 2 THEN 'acknowledged' END AS status,
         now() - ((4 - k) * 80 + i % 60) * interval '1 day' - interval '1 hour' * (i % 20) AS opened) st
       WHERE st.status IS NOT NULL
       ORDER BY 2, 10`,
      [o.patients],
    );
    await db.query(
      `INSERT INTO alert_events (seq, alert_id, patient_id, kind, actor_id, note, at, data)
       SELECT seq, id, patient_id, CASE status WHEN 'open' THEN 'opened' ELSE status END,
         CASE WHEN status = 'open' THEN NULL ELSE owner_id END,
         CASE WHEN status = 'resolved' THEN 'Kontaktad per telefon' END,
         updated_at, jsonb_build_object('rule', rule, 'severity', severity)
       FROM alerts WHERE id LIKE 'alert_bench_%'`,
    );
    const { rows } = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM alerts GROUP BY status`,
    );
    for (const r of rows) alerts[r.status] = r.n;
  });
  await timed('analyze', () => db.query('ANALYZE'));

  const { rows: shared } = await db.query<{ id: string }>(
    `SELECT cr.patient_id AS id FROM care_relationships cr
     JOIN care_relationships hm ON hm.patient_id = cr.patient_id AND hm.care_unit_id = 'cu_bench_hm0'
     WHERE cr.care_unit_id = 'cu_bench_hc0' ORDER BY 1`,
  );
  const { rows: visible } = await db.query<{ id: string }>(
    `SELECT patient_id AS id FROM care_relationships WHERE care_unit_id = 'cu_bench_hc0' ORDER BY 1`,
  );
  return {
    nurses: Array.from({ length: o.nurses }, (_, n) => `bench_nurse_${n}`),
    sharedPatients: shared.map((r) => r.id),
    visiblePatients: visible.map((r) => r.id),
    readings,
    alerts,
    ms,
    rowsPerSecond: (readings * 1000) / ms.readings!,
  };
}
