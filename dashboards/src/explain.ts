// An alert's explanation as the card words it: a threshold in the reader's numbers and units
// ("1,5 kg", "180/110 mmHg", "80 kg ± 2 kg"), where it came from ("personlig (satt av Karin
// Sjöberg, 3 dec.)" / "standard"), and whether a reading arrived late enough to say so. Pure (no
// DOM), so the unit tests import it under Node.
import { formatDateTime, formatDay, formatNumber, formatValue, unitName } from './format.js';
import { ruleName, translate } from './i18n.js';
import type { ExplainedFinding, ExplainedReading, Lang } from './types.js';

type Threshold = ExplainedFinding['threshold'];

/** A threshold keeps more decimals than a reading (1.36 kg): up to two. */
const value = (lang: Lang, v: number, unit: string | null, type?: string) =>
  unit
    ? formatValue(lang, v, unit, { maxDecimals: 2, ...(type ? { type } : {}) })
    : formatNumber(lang, v, { maxDecimals: 2 });

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/** The threshold's value as the reader writes it, with its unit (`type`: "slag/min"). */
export function formatThreshold(
  lang: Lang,
  th: Pick<Threshold, 'value' | 'unit'>,
  type?: string,
): string {
  const v = th.value;
  if (typeof v === 'number') return value(lang, v, th.unit, type);
  // a missed measurement's due time; a level (ACVPU)
  if (typeof v === 'string') return ISO_TIME.test(v) ? formatDateTime(lang, v) : v;
  const { systolic, diastolic, limit, dryWeightKg, toleranceKg } = v;
  if (systolic !== undefined && diastolic !== undefined) {
    const n = (x: number) => formatNumber(lang, x, { maxDecimals: 0 });
    return `${n(systolic)}/${n(diastolic)} ${unitName(lang, th.unit ?? 'mm[Hg]')}`;
  }
  if (limit !== undefined) return value(lang, limit, th.unit, type);
  if (dryWeightKg !== undefined && toleranceKg !== undefined) {
    return `${value(lang, dryWeightKg, 'kg')} ± ${value(lang, toleranceKg, 'kg')}`;
  }
  // several rules' limits (personal.combined), or what an older rule kept
  return Object.entries(v)
    .map(([k, x]) => `${ruleName(lang, k)}: ${formatNumber(lang, x, { maxDecimals: 2 })}`)
    .join('; ');
}

/**
 * Where the threshold came from: "standard", or "personlig (satt av Karin Sjöberg, 3 dec.)"
 * naming each plan change that set it (the patient's zone decides the day).
 */
export function thresholdSource(lang: Lang, th: Threshold, timeZone?: string): string {
  if (th.source === 'default') return translate(lang, 'explainDefault');
  if (!th.setBy.length) return translate(lang, 'explainPersonal');
  const seen = new Set<string>();
  const who = th.setBy.flatMap((o) => {
    const date = formatDay(lang, o.changedAt, timeZone);
    const name = o.changedBy?.displayName;
    const text = name
      ? translate(lang, 'explainSetBy', { name, date })
      : translate(lang, 'explainSetOn', { date });
    if (seen.has(text)) return [];
    seen.add(text);
    return [text];
  });
  return translate(lang, 'explainPersonalSet', { who: who.join('; ') });
}

/** When the reading arrived, if over an hour after it was measured (as the card says it). */
export function arrivedLater(
  r: Pick<ExplainedReading, 'measuredAt' | 'receivedAt'>,
): string | null {
  return Date.parse(r.receivedAt) - Date.parse(r.measuredAt) > 3_600_000 ? r.receivedAt : null;
}
