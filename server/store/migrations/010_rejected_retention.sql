-- Rejected messages are deleted after REJECTED_RETENTION_DAYS (server/store/readings.ts,
-- pruneRejected): the hourly delete finds them by time instead of reading the whole table.
CREATE INDEX rejected_messages_received ON rejected_messages (received_at);
