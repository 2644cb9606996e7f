-- The latest reading of each type per patient, for the patient list's "latest values". Reading
-- it from `readings` meant walking every reading of every listed patient (DISTINCT ON over a
-- year of ~5 readings a day: 250 patients took 170-350 ms, docs/benchmarks.md "Dashboard");
-- here it is one row per patient and type. The ingest keeps it in the same statement that
-- stores a batch (server/store/readings.ts), so it is never behind the readings it summarises.
CREATE TABLE latest_readings (
  patient_id   text NOT NULL,
  type         text NOT NULL,
  measured_at  timestamptz NOT NULL,
  value        double precision,
  systolic     double precision,
  diastolic    double precision,
  pulse        double precision,
  code         text,
  unit         text,
  PRIMARY KEY (patient_id, type)
);

-- Readings stored before this migration.
INSERT INTO latest_readings (patient_id, type, measured_at, value, systolic, diastolic, pulse, code, unit)
SELECT DISTINCT ON (patient_id, type) patient_id, type, measured_at, value, systolic, diastolic,
  pulse, code, unit
FROM readings
ORDER BY patient_id, type, measured_at DESC;
