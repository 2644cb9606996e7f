// The triage list: open and acknowledged alerts, unowned first, then severity and time; sortable
// and filterable by frailty. Kept current by the live feed in App. Opened at an alert (the link
// of a notification), it brings that alert's card into view and focus.
import { useEffect, useState } from 'preact/hooks';
import { useLang, useNow } from '../lang.js';
import { groupByPatient, viewAlerts, type FrailtyFilter, type SortKey } from '../triage.js';
import type { Alert } from '../types.js';
import { AlertCard } from './AlertCard.js';
import { FrailtyFilterSelect } from './bits.js';

export function TriageList(props: {
  alerts: Alert[] | null;
  error: string | null;
  onRetry(): void;
  onChanged(a: Alert): void;
  /** The alert a link named: brought into view once it is listed. */
  alertId?: string | undefined;
}) {
  const { t } = useLang();
  const now = useNow();
  const [sort, setSort] = useState<SortKey>('triage');
  const [filter, setFilter] = useState<FrailtyFilter>('all');
  const shown = props.alerts ? viewAlerts(props.alerts, sort, filter) : [];
  const listed = !!props.alertId && shown.some((a) => a.id === props.alertId);

  useEffect(() => {
    if (!listed) return;
    const card = document.getElementById(`alert-${props.alertId}`);
    card?.scrollIntoView({ block: 'center' });
    card?.focus();
  }, [listed, props.alertId]);

  return (
    <section aria-labelledby="triage-title">
      <div class="section-head">
        <h1 id="triage-title">{t('triageTitle')}</h1>
        <div class="controls">
          <label>
            {t('sortBy')}
            <select
              value={sort}
              onChange={(e) => setSort(e.currentTarget.value as SortKey)}
              name="sort"
            >
              <option value="triage">{t('sortTriage')}</option>
              <option value="frailty">{t('sortFrailty')}</option>
              <option value="time">{t('sortTime')}</option>
            </select>
          </label>
          <FrailtyFilterSelect value={filter} onChange={setFilter} />
        </div>
      </div>
      {props.error && (
        <p class="error" role="alert">
          {t('loadFailed', { message: props.error })}{' '}
          <button type="button" class="secondary" onClick={props.onRetry}>
            {t('retry')}
          </button>
        </p>
      )}
      {props.alerts === null && !props.error && <p role="status">{t('loading')}</p>}
      {props.alerts && (
        <p class="muted" aria-live="polite">
          {t('shownCount', { shown: shown.length, n: props.alerts.length })}
        </p>
      )}
      {props.alerts && shown.length === 0 && <p>{t('noAlerts')}</p>}
      {props.alerts && props.alertId && !listed && (
        <p class="muted" role="status">
          {t('linkedAlertNotListed')}
        </p>
      )}
      {/* one group per patient, ordered by the patient's worst open problem (one card each) */}
      <ol class="alert-list" data-testid="triage-list">
        {groupByPatient(shown).map((g) => (
          <li
            key={g.patientId}
            class={g.alerts.length > 1 ? 'patient-group' : undefined}
            data-testid="patient-group"
            data-patient-id={g.patientId}
            aria-label={
              g.alerts.length > 1
                ? t('patientProblems', { name: g.alerts[0]!.patientName, n: g.alerts.length })
                : undefined
            }
          >
            <ol class="alert-list">
              {g.alerts.map((a) => (
                <li key={a.id}>
                  <AlertCard
                    alert={a}
                    now={now}
                    onChanged={props.onChanged}
                    showPatient
                    linked={a.id === props.alertId}
                  />
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </section>
  );
}
