-- Every frailty assessment of a patient (Clinical Frailty Scale 1-9): the level, the day it was
-- assessed, who assessed it and when it was entered (server/registry/frailty.ts). The newest by
-- assessment day stays in patients.frailty_level, which the alert list and the triage sort read
-- in their one query; this table is the history behind it (issue 18). assessed_by is null only
-- for a level the admin CLI set without --by.
CREATE TABLE frailty_assessments (
  id           bigserial PRIMARY KEY,
  patient_id   text NOT NULL REFERENCES patients (id),
  level        smallint NOT NULL CHECK (level BETWEEN 1 AND 9),
  assessed_on  date NOT NULL,
  assessed_by  text REFERENCES staff (id),
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX frailty_assessments_patient ON frailty_assessments (patient_id, assessed_on DESC, id DESC);
