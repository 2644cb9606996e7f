// One alert: severity (colour and text), patient, reason, owner, fixed care contact, escalation
// level and the time left before it escalates, when its value was measured (and arrived, when
// that was later) before when the alert opened, a late reading's age, the actions, and "Visa
// varför": why it came (AlertWhy), loaded when opened.
import { useState } from 'preact/hooks';
import { formatTime } from '../format.js';
import { frailtyLabel, ruleName, type Key } from '../i18n.js';
import { useLang } from '../lang.js';
import { hrefPatient } from '../route.js';
import { arrivedLate, formatAge, formatTimeLeft } from '../triage.js';
import type { Alert } from '../types.js';
import { AlertActions } from './AlertActions.js';
import { AlertWhy } from './AlertWhy.js';
import { SeverityBadge, Time } from './bits.js';

export function AlertCard(props: {
  alert: Alert;
  now: number;
  onChanged(a: Alert): void;
  showPatient?: boolean;
  /** The alert a link named: marked, and focusable so that the link can bring it into focus. */
  linked?: boolean;
}) {
  const { lang, t } = useLang();
  const a = props.alert;
  const left = formatTimeLeft(a, props.now, lang);
  const arrived = arrivedLate(a);
  const [why, setWhy] = useState(false);
  const whyId = `alert-${a.id}-why`;
  return (
    <article
      id={`alert-${a.id}`}
      tabIndex={props.linked ? -1 : undefined}
      class={`alert-card sev-edge-${a.severity} ${a.owner ? 'owned' : 'unowned'}${props.linked ? ' linked' : ''}`}
      data-testid="alert-card"
      data-alert-id={a.id}
      data-status={a.status}
      aria-labelledby={`alert-${a.id}-title`}
    >
      <header class="alert-head">
        <SeverityBadge severity={a.severity} />
        <span class="status">{t(`status_${a.status}` as Key)}</span>
        <h2 id={`alert-${a.id}-title`} class="alert-title">
          {props.showPatient ? (
            <a
              href={hrefPatient(a.patientId)}
              aria-label={t('openPatient', { name: a.patientName })}
            >
              {a.patientName}
            </a>
          ) : (
            a.reason[lang]
          )}
        </h2>
        {props.showPatient && <span class="frailty-chip">{frailtyLabel(lang, a.frailty)}</span>}
      </header>
      {props.showPatient && <p class="reason">{a.reason[lang]}</p>}
      {a.rules.length > 1 && (
        <p class="agreeing" data-testid="agreeing-rules">
          {t('agreeingRules', { rules: a.rules.map((r) => ruleName(lang, r)).join(', ') })}
        </p>
      )}
      {a.late && (
        <p class="late-reading" data-testid="late-reading">
          {a.ageHours === null
            ? t('lateReadingNoAge')
            : t('lateReading', { age: formatAge(a.ageHours, lang) })}
        </p>
      )}
      <dl class="facts">
        <div>
          <dt>{t('owner')}</dt>
          <dd class={a.owner ? '' : 'no-owner'}>{a.owner?.displayName ?? t('noOwner')}</dd>
        </div>
        <div>
          <dt>{t('fixedContact')}</dt>
          <dd>{a.fixedContact?.displayName ?? t('none')}</dd>
        </div>
        <div>
          <dt>{t('escalation')}</dt>
          <dd>
            {t(`escalation${a.escalationLevel}` as Key)}
            {' · '}
            {left ? (
              <span class={left.overdue ? 'overdue' : ''} data-testid="time-left">
                {left.text}
              </span>
            ) : (
              t('escalationStopped')
            )}
          </dd>
        </div>
        {a.measuredAt && (
          <div data-testid="measured-at">
            <dt>{t('measured')}</dt>
            <dd>
              <Time iso={a.measuredAt} now={props.now} />
            </dd>
          </div>
        )}
        {arrived && (
          <div data-testid="arrived-at">
            <dt>{t('arrived')}</dt>
            <dd>
              <Time iso={arrived} now={props.now} />
            </dd>
          </div>
        )}
        <div>
          <dt>{t('opened')}</dt>
          <dd>
            <Time iso={a.openedAt} now={props.now} />
          </dd>
        </div>
      </dl>
      {a.snoozedUntil && Date.parse(a.snoozedUntil) > props.now && (
        <p class="muted">{t('snoozedUntil', { time: formatTime(lang, a.snoozedUntil) })}</p>
      )}
      <button
        type="button"
        class="secondary explain-toggle"
        aria-expanded={why}
        aria-controls={whyId}
        onClick={() => setWhy((open) => !open)}
      >
        <span class="chevron" aria-hidden="true">
          {why ? '▾' : '▸'}
        </span>{' '}
        {t('explainShow')}
      </button>
      <div id={whyId} hidden={!why}>
        {why && <AlertWhy alertId={a.id} />}
      </div>
      <AlertActions alert={a} onChanged={props.onChanged} />
    </article>
  );
}
