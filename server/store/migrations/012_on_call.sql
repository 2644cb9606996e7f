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

-- Who may see one alert beyond the care units that follow its patient, and why: written by the
-- alert's escalation to the on-call level (server/alerts/lifecycle.ts), read by the alert views
-- and the access gate. A grant names a care unit (its nurses and physicians) or a person, or
-- both. It lasts while the alert is unresolved and a day after it was resolved (views.ts).
CREATE TABLE alert_access (
  alert_id      text NOT NULL REFERENCES alerts (id),
  care_unit_id  text REFERENCES care_units (id),
  staff_id      text REFERENCES staff (id),
  reason        text NOT NULL CHECK (reason IN ('escalation')),
  granted_at    timestamptz NOT NULL,
  CHECK (care_unit_id IS NOT NULL OR staff_id IS NOT NULL)
);
CREATE INDEX alert_access_alert ON alert_access (alert_id);
CREATE INDEX alert_access_unit ON alert_access (care_unit_id) WHERE care_unit_id IS NOT NULL;
CREATE INDEX alert_access_staff ON alert_access (staff_id) WHERE staff_id IS NOT NULL;

-- How the reader reached the patient's data: 'care' (a unit of theirs follows the patient) or
-- 'escalation' (an alert escalated to their on-call unit or to them), so that the patient's
-- record shows access by escalation as such.
ALTER TABLE audit_log ADD COLUMN via text NOT NULL DEFAULT 'care'
  CHECK (via IN ('care', 'escalation'));

-- Where a staff member is told of what needs them (server/notify/: an alert escalated to them
-- while they are on call, or nobody on call in a unit they administer); null: nowhere.
ALTER TABLE staff ADD COLUMN email text;

-- The browsers a staff member allowed to show notifications (Web Push, server/notify/): each
-- one's push service endpoint and keys. A subscription the push service says is gone (404,
-- 410) is deleted; signing in from another person's browser moves its endpoint to them.
CREATE TABLE push_subscriptions (
  endpoint    text PRIMARY KEY,
  staff_id    text NOT NULL REFERENCES staff (id),
  p256dh      text NOT NULL,
  auth        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_staff ON push_subscriptions (staff_id);
