-- No query reads readings by device (a device's traffic is found through its patient, and
-- duplicates through reading_keys), yet every stored reading paid for this index: one B-tree
-- insert of three that the ingest makes per reading, ~10 % of the database's work in the
-- spine benchmark (docs/benchmarks.md).
DROP INDEX IF EXISTS readings_device_time;
