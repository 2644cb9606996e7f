-- Organisations share the work of following patients at home: a region runs health centres,
-- a municipality runs home care. Ids are opaque text so that they never carry personal data.
CREATE TABLE organisations (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('region', 'municipality')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE care_units (
  id               text PRIMARY KEY,
  organisation_id  text NOT NULL REFERENCES organisations (id),
  name             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
  id             text PRIMARY KEY,
  username       text NOT NULL UNIQUE,
  display_name   text NOT NULL,
  password_hash  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  disabled_at    timestamptz
);

-- A person may work in several units, with a role in each.
CREATE TABLE staff_units (
  staff_id      text NOT NULL REFERENCES staff (id),
  care_unit_id  text NOT NULL REFERENCES care_units (id),
  role          text NOT NULL CHECK (role IN ('nurse', 'physician', 'admin')),
  PRIMARY KEY (staff_id, care_unit_id)
);

-- Patients are pseudonymous here: the personal identity number lives in the care record,
-- never in this hub.
CREATE TABLE patients (
  id                text PRIMARY KEY,
  display_name      text NOT NULL,
  time_zone         text NOT NULL DEFAULT 'Europe/Stockholm',
  frailty_level     smallint CHECK (frailty_level BETWEEN 1 AND 9),
  fixed_contact_id  text REFERENCES staff (id),
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- Which care units follow a patient (a health centre and a home-care team may both).
CREATE TABLE care_relationships (
  patient_id    text NOT NULL REFERENCES patients (id),
  care_unit_id  text NOT NULL REFERENCES care_units (id),
  since         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (patient_id, care_unit_id)
);
CREATE INDEX care_relationships_unit ON care_relationships (care_unit_id);

CREATE TABLE devices (
  id           text PRIMARY KEY,
  patient_id   text NOT NULL REFERENCES patients (id),
  secret_hash  text NOT NULL,
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX devices_patient ON devices (patient_id);

-- The idempotency ledger: (device, messageId) is stored once. It is a plain table so that the
-- key holds also when `readings` is a TimescaleDB hypertable (whose unique keys must include
-- the time column).
CREATE TABLE reading_keys (
  device_id   text NOT NULL,
  message_id  text NOT NULL,
  PRIMARY KEY (device_id, message_id)
);

-- Readings in canonical units. Never deleted by a retention policy: they are part of the
-- patient record.
CREATE TABLE readings (
  device_id    text NOT NULL,
  message_id   text NOT NULL,
  patient_id   text NOT NULL,
  type         text NOT NULL,
  measured_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL,
  value        double precision,
  systolic     double precision,
  diastolic    double precision,
  pulse        double precision,
  code         text,
  unit         text,
  details      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX readings_patient_type_time ON readings (patient_id, type, measured_at DESC);
CREATE INDEX readings_device_time ON readings (device_id, measured_at DESC);

-- What devices sent that the hub refused, and why: for staff to see and for device support.
CREATE TABLE rejected_messages (
  id            bigserial PRIMARY KEY,
  device_id     text NOT NULL,
  message_id    text,
  batch_index   integer,
  received_at   timestamptz NOT NULL,
  reason        text NOT NULL,
  errors        jsonb NOT NULL,
  payload       bytea,
  payload_size  integer NOT NULL
);
CREATE INDEX rejected_messages_device_time ON rejected_messages (device_id, received_at DESC);
