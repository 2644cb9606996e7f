// A patient: frailty (CFS with its name, when and by whom it was assessed, and a form to assess
// it), fixed care contact, latest values, a trend chart per measurement, the alerts (open ones
// with their actions) with their history, the plan, the devices and the audit log.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { applyLatest, liveReadings } from '../liveReadings.js';
import { formatCalendarDay, formatReading } from '../format.js';
import { frailtyLabel, typeName } from '../i18n.js';
import { useLang, useNow } from '../lang.js';
import { measuredTypes } from '../plan.js';
import { hrefTriage } from '../route.js';
import { sortAlerts } from '../triage.js';
import type { Alert, FrailtyAssessment, PatientDetail } from '../types.js';
import { AlertCard } from './AlertCard.js';
import { AlertHistory } from './AlertHistory.js';
import { AuditTrail } from './AuditTrail.js';
import { DeviceList } from './DeviceList.js';
import { FrailtyForm } from './FrailtyForm.js';
import { Time } from './bits.js';
import { PlanEditor } from './PlanEditor.js';
import { TrendChart } from './TrendChart.js';

const periods = [7, 14, 30, 90];

export function PatientView(props: {
  patientId: string;
  liveAlerts: Alert[];
  onChanged(a: Alert): void;
  /** A new frailty level was recorded: the patient's alert cards show it. */
  onFrailty(patientId: string, level: number): void;
}) {
  const { lang, t } = useLang();
  const now = useNow();
  const [patient, setPatient] = useState<PatientDetail | null>(null);
  const [resolved, setResolved] = useState<Alert[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [days, setDays] = useState(14);
  const [auditVersion, setAuditVersion] = useState(0);

  useEffect(() => {
    api.patient(props.patientId).then(setPatient, (e: unknown) => {
      setNotFound(e instanceof ApiError && e.status === 404);
      setError(e instanceof Error ? e.message : String(e));
    });
    api.alerts('resolved').then(
      (list) => setResolved(list.filter((a) => a.patientId === props.patientId)),
      () => setResolved([]),
    );
  }, [props.patientId]);

  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [props.patientId]);

  // the latest values (and a chart for a measurement not seen before) follow live readings
  useEffect(
    () =>
      liveReadings.subscribe((items) =>
        setPatient((p) => (p ? { ...p, latest: applyLatest(p.latest, p.id, items) } : p)),
      ),
    [props.patientId],
  );

  // an alert resolved here moves to the closed ones (the live list lets it go)
  const changed = (a: Alert) => {
    if (a.status === 'resolved') setResolved((r) => [a, ...r.filter((x) => x.id !== a.id)]);
    props.onChanged(a);
  };

  const frailtySaved = (a: FrailtyAssessment) => {
    setPatient((p) => (p ? { ...p, frailty: a.level, frailtyAssessment: a } : p));
    props.onFrailty(props.patientId, a.level);
    setAuditVersion((v) => v + 1);
  };

  // an alert escalated to the person's on-call unit shows them that alert, not the patient's
  // record, which the patient's own care units keep
  const escalated = notFound ? props.liveAlerts.filter((a) => a.patientId === props.patientId) : [];
  if (escalated.length)
    return (
      <section class="patient" aria-labelledby="escalated-title">
        <p>
          <a href={hrefTriage}>← {t('backToTriage')}</a>
        </p>
        <h1 id="escalated-title">{escalated[0]!.patientName}</h1>
        <p class="muted" data-testid="escalated-only">
          {t('escalatedOnly')}
        </p>
        <ol class="alert-list">
          {sortAlerts(escalated).map((a) => (
            <li key={a.id}>
              <AlertCard alert={a} now={now} onChanged={props.onChanged} />
            </li>
          ))}
        </ol>
      </section>
    );
  if (error)
    return (
      <p class="error" role="alert">
        {t('loadFailed', { message: error })} <a href={hrefTriage}>{t('backToTriage')}</a>
      </p>
    );
  if (!patient) return <p role="status">{t('loading')}</p>;

  const open = sortAlerts(props.liveAlerts.filter((a) => a.patientId === props.patientId));
  const closed = resolved
    .filter((r) => !open.some((o) => o.id === r.id))
    .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  // the measurements the patient has (scheduled or sent): a patient without a scale has no
  // weight chart and no weight settings
  const latestTypes = Object.keys(patient.latest);
  const types = measuredTypes(patient.plan, latestTypes).filter((ty) => ty !== 'consciousness');

  return (
    <article class="patient" data-testid="patient-view">
      <p>
        <a href={hrefTriage}>← {t('backToTriage')}</a>
      </p>
      <header class="patient-head card">
        <h1>{patient.displayName}</h1>
        <dl class="facts">
          <div>
            <dt>{t('frailty')}</dt>
            <dd data-testid="frailty">
              {frailtyLabel(lang, patient.frailty)}
              {patient.frailtyAssessment && (
                <span class="muted frailty-assessed" data-testid="frailty-assessed">
                  {patient.frailtyAssessment.assessedBy
                    ? t('frailtyAssessedBy', {
                        date: formatCalendarDay(lang, patient.frailtyAssessment.assessedAt),
                        who: patient.frailtyAssessment.assessedBy.displayName,
                      })
                    : t('frailtyAssessedOn', {
                        date: formatCalendarDay(lang, patient.frailtyAssessment.assessedAt),
                      })}
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('fixedContact')}</dt>
            <dd>{patient.fixedContact?.displayName ?? t('none')}</dd>
          </div>
          <div>
            <dt>{t('careUnit')}</dt>
            <dd>{patient.units.map((u) => u.name).join(', ')}</dd>
          </div>
        </dl>
        {Object.keys(patient.latest).length > 0 && (
          <dl class="facts latest">
            {Object.entries(patient.latest).map(([type, r]) => (
              <div key={type} data-testid={`latest-${type}`}>
                <dt>
                  {t('latest')}: {typeName(lang, type)}
                </dt>
                <dd>
                  <strong>{formatReading(lang, type, r)}</strong>{' '}
                  <Time iso={r.measuredAt} now={now} timeZone={patient.timeZone} />
                </dd>
              </div>
            ))}
          </dl>
        )}
      </header>

      <section aria-labelledby="frailty-title">
        <h2 id="frailty-title">{t('assessFrailty')}</h2>
        <FrailtyForm
          patientId={patient.id}
          current={patient.frailty}
          timeZone={patient.timeZone}
          onSaved={frailtySaved}
        />
      </section>

      <section aria-labelledby="alerts-title">
        <h2 id="alerts-title">{t('alertHistory')}</h2>
        {open.length === 0 && closed.length === 0 && <p>{t('noHistory')}</p>}
        <ol class="alert-list">
          {open.map((a) => (
            <li key={a.id}>
              <AlertCard alert={a} now={now} onChanged={changed} />
              <AlertHistory alertId={a.id} version={a.seq} />
            </li>
          ))}
          {closed.map((a) => (
            <li key={a.id}>
              <AlertCard alert={a} now={now} onChanged={changed} />
              <AlertHistory alertId={a.id} version={a.seq} />
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="trends-title">
        <div class="section-head">
          <h2 id="trends-title">{t('trends')}</h2>
          <label>
            {t('period')}
            <select value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
              {periods.map((d) => (
                <option value={String(d)}>{t('days', { n: d })}</option>
              ))}
            </select>
          </label>
        </div>
        <div class="charts">
          {types.map((ty) => (
            <TrendChart
              key={ty}
              patientId={patient.id}
              type={ty}
              days={days}
              timeZone={patient.timeZone}
            />
          ))}
        </div>
      </section>

      <section aria-labelledby="plan-title">
        <h2 id="plan-title">{t('plan')}</h2>
        <PlanEditor patientId={patient.id} latest={latestTypes} />
      </section>

      <section aria-labelledby="devices-title">
        <h2 id="devices-title">{t('devices')}</h2>
        <DeviceList
          patientId={patient.id}
          timeZone={patient.timeZone}
          onChanged={() => setAuditVersion((v) => v + 1)}
        />
      </section>

      <section aria-labelledby="audit-title">
        <h2 id="audit-title">{t('auditTrail')}</h2>
        <AuditTrail patientId={patient.id} timeZone={patient.timeZone} version={auditVersion} />
      </section>
    </article>
  );
}
