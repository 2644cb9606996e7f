// Small shared pieces: the severity badge (colour with a text label), a time shown both
// relative and absolute, and the frailty filter of the triage and patient lists.
import { severityKey } from '../i18n.js';
import { useLang } from '../lang.js';
import { formatDateTime, formatRelative } from '../format.js';
import { frailtyFilters, type FrailtyFilter } from '../triage.js';
import type { Severity } from '../types.js';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useLang();
  return (
    <span class={`badge sev-${severity}`} data-severity={severity}>
      {t(severityKey(severity))}
    </span>
  );
}

export function Time({ iso, now, timeZone }: { iso: string; now: number; timeZone?: string }) {
  const { lang } = useLang();
  const abs = formatDateTime(lang, iso, timeZone);
  return (
    <time dateTime={iso} title={abs}>
      {formatRelative(iso, now, lang)} <span class="abs">({abs})</span>
    </time>
  );
}

/** Frailty: all, a CFS band, or not assessed. */
export function FrailtyFilterSelect(props: {
  value: FrailtyFilter;
  onChange(f: FrailtyFilter): void;
}) {
  const { t } = useLang();
  return (
    <label>
      {t('filterFrailty')}
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value as FrailtyFilter)}
        name="frailty"
      >
        {frailtyFilters.map((f) => (
          <option value={f}>
            {f === 'all' ? t('filterAll') : f === 'unknown' ? t('filterUnknown') : `CFS ${f}`}
          </option>
        ))}
      </select>
    </label>
  );
}
