-- With TimescaleDB: readings become a hypertable (weekly chunks), chunks older than 30 days are
-- compressed (segmented so a patient's trend query reads few segments), and daily summaries are
-- a continuous aggregate. There is deliberately no retention policy: readings are part of the
-- patient record and are kept for years.
SELECT create_hypertable('readings', 'measured_at',
  chunk_time_interval => INTERVAL '7 days', migrate_data => true, if_not_exists => true);

ALTER TABLE readings SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'patient_id, type',
  timescaledb.compress_orderby = 'measured_at DESC'
);
SELECT add_compression_policy('readings', INTERVAL '30 days', if_not_exists => true);

CREATE MATERIALIZED VIEW readings_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
  patient_id,
  type,
  time_bucket(INTERVAL '1 day', measured_at, 'Europe/Stockholm') AS day,
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
GROUP BY 1, 2, 3
WITH NO DATA;

SELECT add_continuous_aggregate_policy('readings_daily',
  start_offset => INTERVAL '35 days', end_offset => INTERVAL '1 hour',
  schedule_interval => INTERVAL '1 hour', if_not_exists => true);
