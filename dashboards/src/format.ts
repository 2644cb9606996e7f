// Dates, numbers, plurals and units as the reader writes them, through Intl (sv-SE: "24 nov.",
// "80,4 kg", "92 %"; en-GB: "24 Nov", "80.4 kg", "92%"). The API speaks UCUM ("mm[Hg]", "/min",
// "Cel"); only what is shown is translated. Pure (no DOM), so the unit tests import it under Node.
import type { Lang, ReadingType } from './types.js';

export const locales: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };

// Intl formatters are costly to build and a chart formats every tick: one per options.
const cache = new Map<string, unknown>();
function memo<T>(key: string, make: () => T): T {
  let v = cache.get(key) as T | undefined;
  if (v === undefined) cache.set(key, (v = make()));
  return v;
}

const numberFormat = (lang: Lang, o: Intl.NumberFormatOptions) =>
  memo(`n|${lang}|${JSON.stringify(o)}`, () => new Intl.NumberFormat(locales[lang], o));

const dateFormat = (lang: Lang, o: Intl.DateTimeFormatOptions) =>
  memo(`d|${lang}|${JSON.stringify(o)}`, () => new Intl.DateTimeFormat(locales[lang], o));

/** "1 234,5" / "1,234.5": at most `maxDecimals` decimals (3 unless told), at least `minDecimals`. */
export function formatNumber(
  lang: Lang,
  n: number,
  o: { maxDecimals?: number; minDecimals?: number; grouping?: boolean } = {},
): string {
  return numberFormat(lang, {
    minimumFractionDigits: o.minDecimals ?? 0,
    maximumFractionDigits: Math.max(o.maxDecimals ?? 3, o.minDecimals ?? 0),
    useGrouping: o.grouping ?? true,
  }).format(n);
}

/** The reader's decimal separator: "," in Swedish, "." in English. */
export const decimalSeparator = (lang: Lang): string =>
  numberFormat(lang, {})
    .formatToParts(1.5)
    .find((p) => p.type === 'decimal')!.value;

/**
 * A number as typed: the reader's decimal separator or a point ("1,5" and "1.5" in Swedish;
 * "1.5" in English, where a comma groups thousands and so is refused here rather than guessed).
 * Null when it is not a plain number; an empty field is null too.
 */
export function parseNumber(lang: Lang, raw: string): number | null {
  const sep = decimalSeparator(lang);
  const s = raw
    .trim()
    .replace(/^[\u2212-]/, '-')
    .replace(sep, '.');
  return /^-?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : null;
}

/** The plural category of `n` ("one", "other") for a message's forms. */
export const pluralCategory = (lang: Lang, n: number): Intl.LDMLPluralRule =>
  memo(`p|${lang}`, () => new Intl.PluralRules(locales[lang])).select(n);

type When = string | number | Date;
const asDate = (w: When) => (w instanceof Date ? w : new Date(w));

/** A day on a chart axis: "24 nov." / "24 Nov". */
export const formatDay = (lang: Lang, when: When, timeZone?: string): string =>
  dateFormat(lang, { timeZone, day: 'numeric', month: 'short' }).format(asDate(when));

/** A calendar day 'YYYY-MM-DD' (a frailty assessment) as people write it: "2 juni 2025". */
export const formatCalendarDay = (lang: Lang, day: string): string =>
  dateFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** Today where the patient lives, 'YYYY-MM-DD' (Swedish writes dates that way). */
export const todayIn = (now: number, timeZone: string): string =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short' }).format(now);

/** "07:02", the reader's 24-hour clock. */
export const formatTime = (lang: Lang, when: When, timeZone?: string): string =>
  dateFormat(lang, { timeZone, hour: '2-digit', minute: '2-digit' }).format(asDate(when));

/** "2026-11-24 07:02" / "24/11/2026, 07:02" in the zone given (Europe/Stockholm unless told). */
export const formatDateTime = (lang: Lang, when: When, timeZone = 'Europe/Stockholm'): string =>
  dateFormat(lang, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(asDate(when));

/** "för 5 minuter sedan" / "5 minutes ago"; "nu" / "now" within 45 s. */
export function formatRelative(iso: string, now: number, lang: Lang): string {
  const diff = Date.parse(iso) - now;
  const abs = Math.abs(diff);
  const rtf = memo(
    `r|${lang}`,
    () => new Intl.RelativeTimeFormat(locales[lang], { numeric: 'auto' }),
  );
  if (abs < 45_000) return rtf.format(0, 'second');
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute');
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour');
  return rtf.format(Math.round(diff / 86_400_000), 'day');
}

// ---- units ----

/** The canonical UCUM unit of each measurement (devices/contract.ts; a unit test compares). */
export const canonicalUnits: Record<Exclude<ReadingType, 'consciousness'>, string> = {
  body_weight: 'kg',
  blood_pressure: 'mm[Hg]',
  heart_rate: '/min',
  spo2: '%',
  body_temperature: 'Cel',
  respiratory_rate: '/min',
  blood_glucose: 'mmol/L',
};

/** UCUM units Intl knows (it then words them and places the number itself). */
const intlUnits: Record<string, { unit: string; display: 'short' | 'long' }> = {
  kg: { unit: 'kilogram', display: 'short' },
  '%': { unit: 'percent', display: 'short' },
  Cel: { unit: 'celsius', display: 'short' },
  d: { unit: 'day', display: 'long' },
  h: { unit: 'hour', display: 'short' },
  min: { unit: 'minute', display: 'short' },
};

/** The others, as people write them; `/min` is named after what it counts. */
const unitNames: Record<string, Record<Lang, string>> = {
  'mm[Hg]': { sv: 'mmHg', en: 'mmHg' },
  'mmol/L': { sv: 'mmol/l', en: 'mmol/L' },
  '/min': { sv: '/min', en: '/min' },
  '/min heart_rate': { sv: 'slag/min', en: 'beats/min' },
  '/min respiratory_rate': { sv: 'andetag/min', en: 'breaths/min' },
  '{SD}': { sv: 'SD', en: 'SD' },
};

/** Decimals shown per unit: a weight to 0.1 kg, a pulse to the beat. */
const unitDecimals: Record<string, number> = { kg: 1, Cel: 1, 'mmol/L': 1, '{SD}': 1 };

const intlUnitFormat = (lang: Lang, ucum: string, maxDecimals: number) => {
  const u = intlUnits[ucum];
  return u
    ? numberFormat(lang, {
        style: 'unit',
        unit: u.unit,
        unitDisplay: u.display,
        maximumFractionDigits: maxDecimals,
      })
    : null;
};

/** A UCUM unit as the reader writes it: "mmHg", "slag/min", "°C", "dygn"; unknown ones as sent. */
export function unitName(lang: Lang, ucum: string, type?: string): string {
  const intl = intlUnitFormat(lang, ucum, 0);
  if (intl) return intl.formatToParts(2).find((p) => p.type === 'unit')?.value ?? ucum;
  return (unitNames[`${ucum} ${type}`] ?? unitNames[ucum])?.[lang] ?? ucum;
}

/** "80,4 kg", "92 %", "38,1 °C", "72 slag/min": a value with its unit, in the reader's way. */
export function formatValue(
  lang: Lang,
  value: number,
  ucum: string,
  o: { type?: string; maxDecimals?: number } = {},
): string {
  const maxDecimals = o.maxDecimals ?? unitDecimals[ucum] ?? 0;
  const intl = intlUnitFormat(lang, ucum, maxDecimals);
  if (intl) return intl.format(value);
  return `${formatNumber(lang, value, { maxDecimals })} ${unitName(lang, ucum, o.type)}`;
}

/** A reading's values, as the patient header shows them: "142/88 mmHg", "80,4 kg", "A". */
export function formatReading(
  lang: Lang,
  type: string,
  r: {
    value: number | null;
    systolic: number | null;
    diastolic: number | null;
    code: string | null;
    unit: string | null;
  },
): string {
  if (r.systolic !== null && r.diastolic !== null) {
    const bp = `${formatNumber(lang, r.systolic, { maxDecimals: 0 })}/${formatNumber(lang, r.diastolic, { maxDecimals: 0 })}`;
    return r.unit ? `${bp} ${unitName(lang, r.unit, type)}` : bp;
  }
  if (r.code) return r.code;
  if (r.value === null) return '–';
  return r.unit ? formatValue(lang, r.value, r.unit, { type }) : formatNumber(lang, r.value);
}
