-- Snoozing is personal: a person says "do not remind me of this alert until then, because ...".
-- It changes neither the alert's status nor its owner nor its escalation, so a snooze never
-- hides an alert from everyone; each person has at most one snooze per alert (a new one
-- replaces it), and every snooze is also an alert event, for everyone to see.
CREATE TABLE alert_snoozes (
  alert_id  text NOT NULL REFERENCES alerts (id),
  staff_id  text NOT NULL REFERENCES staff (id),
  until     timestamptz NOT NULL,
  reason    text NOT NULL CHECK (reason <> ''),
  at        timestamptz NOT NULL,
  PRIMARY KEY (alert_id, staff_id)
);
-- the dashboard asks "what has this person snoozed that is still snoozed"
CREATE INDEX alert_snoozes_staff ON alert_snoozes (staff_id, until);

-- The kind check was written inline in 003 and so carries PostgreSQL's generated name.
ALTER TABLE alert_events DROP CONSTRAINT alert_events_kind_check;
ALTER TABLE alert_events ADD CONSTRAINT alert_events_kind_check
  CHECK (kind IN ('opened', 'updated', 'acknowledged', 'escalated', 'resolved', 'snoozed'));
