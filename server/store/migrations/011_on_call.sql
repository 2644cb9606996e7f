-- The on-call roster (server/registry/roster.ts): who in a care unit is on call from when to
-- when, so that an alert escalated to the on-call unit (escalation level 2) reaches a person.
-- A shift is [starts_at, ends_at); the registry refuses two shifts of one unit that overlap
-- (checked with the unit's row locked, as PGlite has no btree_gist for an exclusion constraint)
-- and a person who holds no clinical role in the unit.
CREATE TABLE on_call_shifts (
  id            text PRIMARY KEY,
  care_unit_id  text NOT NULL REFERENCES care_units (id),
  staff_id      text NOT NULL REFERENCES staff (id),
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL,
  -- who set it; null when set through the admin CLI
  created_by    text REFERENCES staff (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX on_call_shifts_unit_time ON on_call_shifts (care_unit_id, starts_at);
