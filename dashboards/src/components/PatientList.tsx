// The patient list: every patient the person's units follow, alerts or not, searched by name
// and filtered by care unit, fixed contact, frailty and measurement plan (patientList.ts), with
// their latest values and open alerts; each links to the patient. The search and filters live in
// the address, so that going back from a patient finds the list as it was left.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { frailtyLabel, maybe } from '../i18n.js';
import { useLang, useNow } from '../lang.js';
import {
  filterChoices,
  filterOf,
  filterPatients,
  PAGE,
  queryOf,
  type PatientFilter,
  type PlanFilter,
} from '../patientList.js';
import { formatReading, formatRelative } from '../format.js';
import { hrefPatient, hrefPatients } from '../route.js';
import { severityRank } from '../triage.js';
import type { PatientSummary } from '../types.js';
import { FrailtyFilterSelect, SeverityBadge } from './bits.js';

export function PatientList(props: { query: string }) {
  const { lang, t } = useLang();
  const now = useNow(60_000);
  const [patients, setPatients] = useState<PatientSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<PatientFilter>(() => filterOf(props.query));
  const [limit, setLimit] = useState(PAGE);

  const load = () => {
    setError(null);
    api
      .patients()
      .then(setPatients, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(load, []);

  // the filter into the address without a new history entry per keystroke
  const change = (next: Partial<PatientFilter>) => {
    const f = { ...filter, ...next };
    setFilter(f);
    setLimit(PAGE);
    history.replaceState(null, '', hrefPatients(queryOf(f)));
  };

  const shown = useMemo(
    () => (patients ? filterPatients(patients, filter, lang) : []),
    [patients, filter, lang],
  );
  const choices = useMemo(() => filterChoices(patients ?? [], lang), [patients, lang]);

  return (
    <section aria-labelledby="patients-title" data-testid="patient-list">
      <h1 id="patients-title">{t('patients')}</h1>
      <form class="controls patient-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label class="grow">
          {t('searchPatient')}
          <input
            type="search"
            name="q"
            value={filter.q}
            autoComplete="off"
            aria-describedby="search-hint"
            onInput={(e) => change({ q: e.currentTarget.value })}
          />
          <span id="search-hint" class="hint">
            {t('searchHint')}
          </span>
        </label>
        <label>
          {t('careUnit')}
          <select
            name="unit"
            value={filter.unit}
            onChange={(e) => change({ unit: e.currentTarget.value })}
          >
            <option value="all">{t('filterAll')}</option>
            {choices.units.map((u) => (
              <option value={u.id}>{u.displayName}</option>
            ))}
          </select>
        </label>
        <label>
          {t('fixedContact')}
          <select
            name="contact"
            value={filter.contact}
            onChange={(e) => change({ contact: e.currentTarget.value })}
          >
            <option value="all">{t('filterAll')}</option>
            <option value="none">{t('noContact')}</option>
            {choices.contacts.map((c) => (
              <option value={c.id}>{c.displayName}</option>
            ))}
          </select>
        </label>
        <FrailtyFilterSelect value={filter.frailty} onChange={(frailty) => change({ frailty })} />
        <label>
          {t('measurementPlan')}
          <select
            name="plan"
            value={filter.plan}
            onChange={(e) => change({ plan: e.currentTarget.value as PlanFilter })}
          >
            <option value="all">{t('filterAll')}</option>
            <option value="planned">{t('planned')}</option>
            <option value="unplanned">{t('unplanned')}</option>
          </select>
        </label>
      </form>

      {error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}{' '}
          <button type="button" class="secondary" onClick={load}>
            {t('retry')}
          </button>
        </p>
      )}
      {!patients && !error && <p role="status">{t('loading')}</p>}
      {patients && (
        <p class="muted" aria-live="polite" data-testid="patients-shown">
          {t('patientsShown', { shown: shown.length, total: patients.length })}
        </p>
      )}
      {patients && shown.length === 0 && <p>{t('noPatients')}</p>}
      {shown.length > 0 && (
        <table class="patient-table">
          <thead>
            <tr>
              <th scope="col">{t('patient')}</th>
              <th scope="col">{t('frailty')}</th>
              <th scope="col">{t('openAlertsCol')}</th>
              <th scope="col">{t('latestValues')}</th>
              <th scope="col">{t('fixedContact')}</th>
              <th scope="col">{t('careUnit')}</th>
              <th scope="col">{t('measurementPlan')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, limit).map((p) => (
              <PatientRow key={p.id} patient={p} now={now} />
            ))}
          </tbody>
        </table>
      )}
      {shown.length > limit && (
        <button type="button" class="secondary" onClick={() => setLimit((l) => l + PAGE)}>
          {t('showMore', { n: Math.min(PAGE, shown.length - limit) })}
        </button>
      )}
    </section>
  );
}

function PatientRow({ patient: p, now }: { patient: PatientSummary; now: number }) {
  const { lang, t } = useLang();
  const typeName = (type: string) => maybe(lang, `type_${type}`) ?? type;
  const worst = p.openAlerts.reduce<PatientSummary['openAlerts'][number] | null>(
    (w, a) => (!w || severityRank[a.severity] > severityRank[w.severity] ? a : w),
    null,
  );
  const latest = Object.entries(p.latest);
  return (
    <tr data-patient={p.id}>
      <th scope="row" data-label={t('patient')}>
        <a href={hrefPatient(p.id)}>{p.displayName}</a>
      </th>
      <td data-label={t('frailty')}>{frailtyLabel(lang, p.frailty)}</td>
      <td data-label={t('openAlertsCol')} data-testid="open-alerts">
        {p.openAlerts.length}
        {worst && (
          <>
            {' '}
            <SeverityBadge severity={worst.severity} />
          </>
        )}
      </td>
      <td data-label={t('latestValues')}>
        {latest.length === 0 ? (
          <span class="muted">{t('noValues')}</span>
        ) : (
          <ul class="latest-list">
            {latest.map(([type, r]) => (
              <li key={type}>
                {typeName(type)} <strong>{formatReading(lang, type, r)}</strong>{' '}
                <time class="muted" dateTime={r.measuredAt}>
                  {formatRelative(r.measuredAt, now, lang)}
                </time>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td data-label={t('fixedContact')}>{p.fixedContact?.displayName ?? t('none')}</td>
      <td data-label={t('careUnit')}>{p.units.map((u) => u.name).join(', ')}</td>
      <td data-label={t('measurementPlan')}>
        {p.plannedMeasurements.length ? p.plannedMeasurements.map(typeName).join(', ') : t('none')}
      </td>
    </tr>
  );
}
