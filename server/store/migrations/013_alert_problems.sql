-- One alert per patient and problem (issue 18, item 2; server/alerts/problems.ts): the rules of
-- one problem (the five weight rules; the blood-pressure rules; ...) that fire add themselves to
-- the problem's unresolved alert instead of opening one each. `problem` is the key,
-- `findings` the agreeing findings (rule -> finding, all of the current direction), and
-- `finding` stays the worst of them, the card's headline.
ALTER TABLE alerts ADD COLUMN problem text;
ALTER TABLE alerts ADD COLUMN findings jsonb NOT NULL DEFAULT '{}';

-- problemOf() in SQL, for the alerts stored before; new ones get theirs from the lifecycle
UPDATE alerts SET
  problem = CASE
    WHEN rule LIKE 'weight.%' OR rule LIKE 'personal.weight\_%' THEN 'weight'
    WHEN rule LIKE 'bp.%' OR rule LIKE 'personal.systolic\_%' THEN 'blood_pressure'
    WHEN rule LIKE 'personal.pulse\_%' THEN 'pulse'
    WHEN split_part(rule, '.', 1) IN
      ('pulse', 'spo2', 'temperature', 'glucose', 'respiratory_rate', 'consciousness')
      THEN split_part(rule, '.', 1)
    ELSE rule END,
  findings = jsonb_build_object(rule, finding);
ALTER TABLE alerts ALTER COLUMN problem SET NOT NULL;

-- Where one patient had several unresolved alerts of one problem, the worst (then the newest)
-- stays and the others are resolved, each saying which alert it was merged into, so that the
-- one-per-problem index below can hold. Nothing is deleted: their history stays.
WITH ranked AS (
  SELECT id, patient_id,
    row_number() OVER w AS n,
    first_value(id) OVER w AS keeper
  FROM alerts WHERE status <> 'resolved'
  WINDOW w AS (PARTITION BY patient_id, problem ORDER BY
    CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
      WHEN 'low' THEN 1 ELSE 0 END DESC, updated_at DESC, id)
), gone AS (
  UPDATE alerts a SET status = 'resolved', resolved_at = now(), updated_at = now(),
    escalate_at = NULL, seq = nextval('alert_seq')
  FROM ranked r WHERE a.id = r.id AND r.n > 1
  RETURNING a.id, a.patient_id, a.seq, r.keeper
)
INSERT INTO alert_events (seq, alert_id, patient_id, kind, note, at, data)
SELECT seq, id, patient_id, 'resolved',
  'merged into alert ' || keeper || ': one alert per patient and problem', now(),
  jsonb_build_object('mergedInto', keeper)
FROM gone;

DROP INDEX alerts_one_unresolved;
CREATE UNIQUE INDEX alerts_one_unresolved ON alerts (patient_id, problem) WHERE status <> 'resolved';
