-- Staff sign-in (server/auth/): server-side sessions, so that signing out or a password reset
-- ends them at once. Only a SHA-256 of the cookie's token is stored: a copy of this table does
-- not sign anyone in.
CREATE TABLE staff_sessions (
  token_hash    text PRIMARY KEY,
  staff_id      text NOT NULL REFERENCES staff (id),
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  ip            text
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Failed sign-ins, per username and per address ('user:NAME', 'ip:ADDR'), kept in the database
-- so that every hub behind a load balancer counts the same failures.
CREATE TABLE login_failures (
  key  text NOT NULL,
  at   timestamptz NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at DESC);

-- Who read or changed which patient's data, what, when and from where (server/audit/). Append
-- only: the API has no way to change it, and the database refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL,
  staff_id    text NOT NULL REFERENCES staff (id),
  patient_id  text NOT NULL REFERENCES patients (id),
  action      text NOT NULL,
  ip          text,
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_patient ON audit_log (patient_id, id DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
