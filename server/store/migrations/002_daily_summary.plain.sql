-- Daily summaries per patient and type. Without TimescaleDB this is a plain view over the
-- same index; with it, 002_daily_summary.timescale.sql makes a continuous aggregate instead.
-- Days are local days in Sweden, where the care team works.
CREATE VIEW readings_daily AS
SELECT
  patient_id,
  type,
  (date_trunc('day', measured_at AT TIME ZONE 'Europe/Stockholm') AT TIME ZONE 'Europe/Stockholm') AS day,
  count(*)        AS n,
  min(value)      AS min_value,
  max(value)      AS max_value,
  avg(value)      AS avg_value,
  min(systolic)   AS min_systolic,
  max(systolic)   AS max_systolic,
  avg(systolic)   AS avg_systolic,
  avg(diastolic)  AS avg_diastolic,
  avg(pulse)      AS avg_pulse
FROM readings
GROUP BY 1, 2, 3;
