-- Re-measure before alarming (server/rules/remeasure.ts): a borderline reading asks the patient
-- to measure again; the request waits here until a repeat confirms or clears it, or its time
-- runs out (then the care team is alerted). One pending request per patient and rule.
CREATE TABLE remeasure_requests (
  id            text PRIMARY KEY,
  patient_id    text NOT NULL REFERENCES patients (id),
  rule          text NOT NULL,
  reading_type  text NOT NULL,
  -- the reading that asked, and the device the patient measured with
  device_id     text NOT NULL,
  message_id    text NOT NULL,
  measured_at   timestamptz NOT NULL,
  finding       jsonb NOT NULL,
  requested_at  timestamptz NOT NULL,
  -- how long the patient was given, and until when (moved on while a hub handles its expiry)
  wait_minutes  integer NOT NULL,
  due_at        timestamptz NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'confirmed', 'cleared', 'expired')),
  settled_at    timestamptz
);
CREATE UNIQUE INDEX remeasure_one_pending ON remeasure_requests (patient_id, rule) WHERE status = 'pending';
CREATE INDEX remeasure_due ON remeasure_requests (due_at) WHERE status = 'pending';

-- Reminders sent to patients for a planned measurement, one per due time, so that each hub's
-- timer reminds once.
CREATE TABLE patient_reminders (
  patient_id    text NOT NULL REFERENCES patients (id),
  reading_type  text NOT NULL,
  due_at        timestamptz NOT NULL,
  sent_at       timestamptz NOT NULL,
  PRIMARY KEY (patient_id, reading_type, due_at)
);
