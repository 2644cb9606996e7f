// Why an alert came, under its card's "Visa varför": per agreeing rule its name, its threshold
// with where it came from (standard, or personal with who set it and when), the guideline, the
// readings it rests on (measured, and arrived when that was much later), then a small chart of
// each reading type over the 14 days around them with the thresholds. Loaded when opened (an
// audited read of the patient's record), with a retry when that fails.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { arrivedLater, formatThreshold, thresholdSource } from '../explain.js';
import { canonicalUnits, formatDateTime, formatReading } from '../format.js';
import { ruleName } from '../i18n.js';
import { useLang } from '../lang.js';
import type { AlertExplanation, ExplainedFinding, ExplainedReading } from '../types.js';
import { ExplainChart } from './ExplainChart.js';

function When(props: { iso: string; timeZone: string }) {
  const { lang } = useLang();
  return <time dateTime={props.iso}>{formatDateTime(lang, props.iso, props.timeZone)}</time>;
}

function Reading(props: { r: ExplainedReading; timeZone: string }) {
  const { lang, t } = useLang();
  const { r } = props;
  const arrived = arrivedLater(r);
  return (
    <li data-testid="explain-reading">
      <strong>{formatReading(lang, r.type, r)}</strong>
      {' · '}
      {t('explainMeasured')} <When iso={r.measuredAt} timeZone={props.timeZone} />
      {arrived && (
        <>
          {' · '}
          {t('explainArrived')} <When iso={arrived} timeZone={props.timeZone} />
        </>
      )}
    </li>
  );
}

function Rule(props: { f: ExplainedFinding; timeZone: string }) {
  const { lang, t } = useLang();
  const { f } = props;
  return (
    <section class="explain-rule" data-testid="explain-rule" data-rule={f.rule}>
      <h4>{ruleName(lang, f.rule)}</h4>
      <dl class="facts">
        <div>
          <dt>{t('explainThreshold')}</dt>
          <dd data-testid="explain-threshold">
            {formatThreshold(lang, f.threshold, f.readings[0]?.type ?? f.lines[0]?.type)}
          </dd>
        </div>
        <div>
          <dt>{t('explainSource')}</dt>
          <dd data-testid="explain-source" data-source={f.threshold.source}>
            {thresholdSource(lang, f.threshold, props.timeZone)}
          </dd>
        </div>
        {f.threshold.reference && (
          <div class="wide">
            <dt>{t('explainGuideline')}</dt>
            <dd data-testid="explain-guideline">{f.threshold.reference}</dd>
          </div>
        )}
      </dl>
      {f.readings.length ? (
        <>
          <h5>{t('explainReadings')}</h5>
          <ul class="explain-readings">
            {f.readings.map((r) => (
              <Reading r={r} timeZone={props.timeZone} />
            ))}
          </ul>
        </>
      ) : (
        <p class="muted">{t('explainNoReadings')}</p>
      )}
    </section>
  );
}

export function AlertWhy(props: { alertId: string }) {
  const { t } = useLang();
  const [explanation, setExplanation] = useState<AlertExplanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    api.explanation(props.alertId).then(
      (e) => !cancelled && setExplanation(e),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [props.alertId, attempt]);

  if (error) {
    return (
      <div class="explain" data-testid="explain">
        <p class="error" role="alert">
          {t('loadFailed', { message: error })}{' '}
          <button type="button" class="secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('retry')}
          </button>
        </p>
      </div>
    );
  }
  if (!explanation) {
    return (
      <div class="explain" data-testid="explain">
        <p role="status">{t('loading')}</p>
      </div>
    );
  }
  const e = explanation;
  // each reading once, though several agreeing rules rest on it
  const all = [
    ...new Map(
      e.findings.flatMap((f) => f.readings).map((r) => [`${r.deviceId}\n${r.messageId}`, r]),
    ).values(),
  ];
  return (
    <div class="explain" data-testid="explain">
      <h3>{t('explainTitle')}</h3>
      {e.findings.map((f) => (
        <Rule f={f} timeZone={e.timeZone} />
      ))}
      {e.series.map((s) => {
        const lines = e.findings.flatMap((f) => f.lines.filter((l) => l.type === s.type));
        const marks = all.filter((r) => r.type === s.type);
        const unit = canonicalUnits[s.type as keyof typeof canonicalUnits] ?? null;
        return s.points.length ? (
          <ExplainChart
            type={s.type}
            unit={unit}
            points={s.points}
            marks={marks}
            lines={lines}
            from={e.from}
            to={e.to}
            timeZone={e.timeZone}
          />
        ) : (
          <p class="muted">{t('explainNoSeries')}</p>
        );
      })}
    </div>
  );
}
