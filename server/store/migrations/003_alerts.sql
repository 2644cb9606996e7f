-- Who covers nights and weekends for a care unit: escalation goes there last.
ALTER TABLE care_units ADD COLUMN on_call_unit_id text REFERENCES care_units (id);

-- A patient's measurement plan and personal thresholds (server/rules/plan.ts), and every
-- change to it with who made it and when.
CREATE TABLE patient_plans (
  patient_id  text PRIMARY KEY REFERENCES patients (id),
  plan        jsonb NOT NULL DEFAULT '{}',
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);
CREATE TABLE patient_plan_changes (
  id          bigserial PRIMARY KEY,
  patient_id  text NOT NULL REFERENCES patients (id),
  plan        jsonb NOT NULL,
  changed_by  text,
  changed_at  timestamptz NOT NULL DEFAULT now()
);

-- Every change to any alert takes the next number, so a listener resumes from the last one
-- it saw.
CREATE SEQUENCE alert_seq;

CREATE TABLE alerts (
  id                text PRIMARY KEY,
  patient_id        text NOT NULL REFERENCES patients (id),
  rule              text NOT NULL,
  severity          text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  status            text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  -- who said "I am on it"; until then the patient's fixed care contact owns it
  owner_id          text REFERENCES staff (id),
  -- 0: the fixed care contact, 1: the care unit, 2: the on-call unit
  escalation_level  smallint NOT NULL DEFAULT 0,
  escalate_at       timestamptz,
  opened_at         timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  resolved_at       timestamptz,
  finding           jsonb NOT NULL,
  seq               bigint NOT NULL
);
-- one unresolved alert per patient and rule: a new finding updates it
CREATE UNIQUE INDEX alerts_one_unresolved ON alerts (patient_id, rule) WHERE status <> 'resolved';
CREATE INDEX alerts_due ON alerts (escalate_at) WHERE status = 'open';
CREATE INDEX alerts_patient ON alerts (patient_id, opened_at DESC);

CREATE TABLE alert_events (
  seq         bigint PRIMARY KEY,
  alert_id    text NOT NULL REFERENCES alerts (id),
  patient_id  text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('opened', 'updated', 'acknowledged', 'escalated', 'resolved')),
  actor_id    text,
  note        text,
  at          timestamptz NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, seq);
