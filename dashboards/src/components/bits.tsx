// Small shared pieces: the severity badge (colour with a text label) and a time shown both
// relative and absolute.
import { severityKey } from '../i18n.js';
import { useLang } from '../lang.js';
import { formatDateTime, formatRelative } from '../format.js';
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
