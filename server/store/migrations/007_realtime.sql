-- Large socket.io broadcasts between hubs travel through this table (the PostgreSQL adapter
-- sends only their id over NOTIFY, whose payload is limited to 8000 bytes).
CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id          bigserial UNIQUE,
  created_at  timestamptz DEFAULT now(),
  payload     bytea
);
