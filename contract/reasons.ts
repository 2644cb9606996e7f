// Why an alert was raised, as a code with parameters (what the hub stores with a finding), and
// the catalogue that says it in the reader's language. A stored reason holds no finished
// sentence, so a third language is one more catalogue (`Catalogue` below), not a data migration;
// numbers, plurals and times go through Intl (decimal comma in Swedish, "1 dag"/"2 dagar", the
// patient's time zone). Imports no zod, so that the dashboard may import it as a value too.
import type { ReadingType } from '../devices/contract.js';

/** What a parameter may hold: what JSON keeps exactly (stored in alerts.finding, jsonb). */
export type ReasonParamValue = number | string | boolean | null;
export type ReasonParam = ReasonParamValue | readonly ReasonParamValue[];

type Direction = 'up' | 'down';
export type PersonalSignalName = 'weight' | 'pulse' | 'systolic';
/** The heart-failure score's signals: the personal ones and SpO2. */
export type ScoreSignalName = PersonalSignalName | 'spo2';
export type News2BandName = 'low' | 'low-medium' | 'medium' | 'high';
export type News2PartName =
  'respiratoryRate' | 'spo2' | 'air' | 'systolic' | 'pulse' | 'consciousness' | 'temperature';
export type MissingCauseName = 'not_measured' | 'device_offline' | 'backlog_arriving';
type SeverityName = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** Below a limit ("at or under"/"under") or above it ("over"): as each rule judges. */
type Vital<K extends string> = { [P in K]: number } & { limit: number };

/**
 * Every reason code and its parameters: the compiler holds each rule to the parameters its
 * code needs, and each catalogue to a text for every code. Kilograms, mmHg, /min, %, °C and
 * mmol/L are the canonical units of the readings; times are ISO 8601 instants, said in
 * `timeZone` (the patient's).
 */
export type ReasonParams = {
  /** weight.gain_3d, weight.loss_3d, weight.gain_1d, weight.loss_1d. */
  'weight.change': {
    direction: Direction;
    fromKg: number;
    toKg: number;
    /** Unsigned. */
    changeKg: number;
    /** Local days between the two weighings. */
    days: number;
    limitKg: number;
    limitDays: number;
  };
  /** weight.macd, weight.macd_loss: the short EMA against the long one. */
  'weight.trend': {
    direction: Direction;
    shortDays: number;
    longDays: number;
    shortKg: number;
    longKg: number;
    /** Unsigned. */
    differenceKg: number;
    limitKg: number;
  };
  /** weight.above_dry_weight ('up'), weight.below_dry_weight ('down'). */
  'weight.dry_weight': {
    direction: Direction;
    weightKg: number;
    /** Unsigned. */
    differenceKg: number;
    dryKg: number;
    toleranceKg: number;
  };
  /** personal.weight_up and the other single signals: values in the signal's unit. */
  'personal.single': {
    signal: PersonalSignalName;
    direction: Direction;
    /** The tested daily values, oldest first. */
    values: readonly number[];
    mean: number;
    /** The SD the limit is built on, and whether that was the floor (the sample SD was less). */
    sd: number;
    sdFloored: boolean;
    baselineDays: number;
    limit: number;
    k: number;
  };
  /** personal.combined: one entry per signal in each array, in the same order. */
  'personal.combined': {
    signals: readonly PersonalSignalName[];
    directions: readonly Direction[];
    values: readonly number[];
    limits: readonly number[];
  };
  /**
   * personal.score: the signals that raised the heart-failure score, most first, each with its
   * latest value and own baseline mean (same order); the CUSUM and its limit; the days it rose.
   */
  'personal.score': {
    signals: readonly ScoreSignalName[];
    values: readonly number[];
    means: readonly number[];
    score: number;
    limit: number;
    days: number;
  };
  'bp.very_high': {
    systolic: number;
    diastolic: number;
    limitSystolic: number;
    limitDiastolic: number;
  };
  'bp.low': { systolic: number; diastolic: number; limitSystolic: number };
  'bp.high_average': {
    systolic: number;
    diastolic: number;
    readings: number;
    days: number;
    limitSystolic: number;
    limitDiastolic: number;
  };
  /** At or under the limit. */
  'pulse.very_low': Vital<'pulse'>;
  /** Over the limit. */
  'pulse.very_high': Vital<'pulse'>;
  'pulse.low': Vital<'pulse'>;
  'pulse.high': Vital<'pulse'>;
  'spo2.very_low': Vital<'spo2'> & { oxygen: boolean };
  'spo2.low': Vital<'spo2'> & { oxygen: boolean };
  'temperature.high_fever': { celsius: number };
  'temperature.fever': { celsius: number };
  'temperature.low': { celsius: number };
  'glucose.very_low': { mmolL: number };
  'glucose.low': { mmolL: number };
  'glucose.high': { mmolL: number };
  'respiratory_rate.urgent': { perMinute: number };
  'respiratory_rate.high': { perMinute: number };
  'consciousness.not_alert': { acvpu: string };
  news2: {
    total: number;
    band: News2BandName;
    /** The parameters scoring 3 on their own (named in the 'low-medium' band). */
    scoresThree: readonly News2PartName[];
    spo2Scale: 1 | 2;
  };
  missing: {
    type: ReadingType;
    /** Null: none since the plan began. */
    lastMeasuredAt: string | null;
    dueAt: string;
    timeZone: string;
    cause: MissingCauseName;
  };
  'rules.failed': { readings: number };
  'oncall.nobody': { unit: string; at: string; timeZone: string; severity: SeverityName };
  /** Notes: sentences that follow a reason (`Reason.notes`). */
  'remeasure.confirmed': Record<string, never>;
  'remeasure.no_repeat': { minutes: number };
};

export type ReasonCode = keyof ReasonParams;

// every code's parameters are what JSON keeps: a code whose are not fails to compile here
type NotJson = {
  [C in ReasonCode]: ReasonParams[C] extends Record<string, ReasonParam> ? never : C;
}[ReasonCode];
const paramsAreJson: [NotJson] extends [never] ? true : NotJson = true;
void paramsAreJson;

/** One reason: a code and its parameters. */
export type ReasonOf<C extends ReasonCode> = { code: C; params: ReasonParams[C] };
export type ReasonNote = ReasonOf<'remeasure.confirmed'> | ReasonOf<'remeasure.no_repeat'>;

/**
 * A finding's reason: a code with its parameters, and notes said after it (a repeat confirmed
 * the value, or none came).
 */
export type Reason = { [C in ReasonCode]: ReasonOf<C> & { notes?: ReasonNote[] } }[ReasonCode];

/** A reason made with its parameters checked against its code. */
export const reason = <C extends ReasonCode>(code: C, params: ReasonParams[C]): ReasonOf<C> => ({
  code,
  params,
});

/** A reason as read back from storage or the wire: nothing about it is trusted. */
export interface StoredReason {
  code: string;
  params?: Record<string, unknown> | null;
  notes?: readonly { code: string; params?: Record<string, unknown> | null }[] | null;
}

// ---- formatting ----

/** How many decimals each kind of number is said with (the same in every language). */
const DECIMALS = {
  /** Weights and their changes: 2.0, 2.4, 1.36. */
  kg: [1, 2],
  /** A reading in mmHg, /min or %: whole numbers, as the devices show them. */
  whole: [0, 0],
  /** A personal baseline or limit of pulse or pressure (a mean): 74, 74.5. */
  mean: [0, 1],
  /** A personal baseline's SD: 0.30. */
  sd: [2, 2],
  /** k of mean + k SD: 2.0. */
  k: [1, 1],
  /** Temperature and glucose: 37.5, 3.8. */
  tenth: [1, 1],
  /** A limit as the plan holds it: 130, 37.5. */
  limit: [0, 1],
} as const satisfies Record<string, readonly [number, number]>;
export type NumberKind = keyof typeof DECIMALS;

/** Thrown inside a text when a parameter is missing or of the wrong kind; never leaves here. */
class BadParam extends Error {}

/** What a catalogue's texts say numbers, counts, times and lists with, in its locale. */
export interface Formats {
  /** A number with the decimals of its kind; throws (caught: the fallback) when not a number. */
  num(v: unknown, kind: NumberKind): string;
  /** Numbers joined as a sequence: 80,1 → 80,9 → 81,4 (as the alert history writes a change). */
  nums(v: unknown, kind: NumberKind): string;
  /** A count with its noun in the right plural form: `{ one: '# dag', other: '# dagar' }`. */
  count(
    n: unknown,
    forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string },
  ): string;
  /**
   * An instant as a date and time where the patient lives: 'short' as a timetable writes it
   * (2026-11-23 10:00; 23/11/2026, 10:00), 'medium' with the month's name (24 nov. 2025 03:10).
   */
  dateTime(iso: unknown, timeZone: unknown, style: 'short' | 'medium'): string;
  /** Words joined as a list: "a, b och c". */
  list(items: readonly string[]): string;
  /** `table[key]`, for a key the parameters hold; throws (caught) for any other. */
  pick<T>(table: Readonly<Record<string, T>>, key: unknown): T;
  /** `pick` of each key of a list the parameters hold; throws (caught) for anything else. */
  picks<T>(table: Readonly<Record<string, T>>, keys: unknown): T[];
  /** A text parameter as it is (a unit's name, an ACVPU letter). */
  text(v: unknown): string;
}

type Text<C extends ReasonCode> = (p: ReasonParams[C], f: Formats) => string;

/** One language: the locale its numbers and times use, and a text per code. */
export interface Catalogue {
  /** BCP 47, for Intl: 'sv-SE', 'en-GB'. */
  locale: string;
  texts: { [C in ReasonCode]?: Text<C> };
}
/** A catalogue the hub ships: a text for every code (the compiler says which one is missing). */
interface FullCatalogue extends Catalogue {
  texts: { [C in ReasonCode]: Text<C> };
}

const cache = new Map<string, Formats>();

function formatsOf(locale: string): Formats {
  const known = cache.get(locale);
  if (known) return known;
  const numbers = Object.fromEntries(
    Object.entries(DECIMALS).map(([kind, [min, max]]) => [
      kind,
      new Intl.NumberFormat(locale, { minimumFractionDigits: min, maximumFractionDigits: max }),
    ]),
  ) as Record<NumberKind, Intl.NumberFormat>;
  const plurals = new Intl.PluralRules(locale);
  const lists = new Intl.ListFormat(locale, { type: 'conjunction' });
  const dates = new Map<string, Intl.DateTimeFormat>(); // by style and time zone
  const num = (v: unknown, kind: NumberKind) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadParam();
    return numbers[kind].format(v);
  };
  const f: Formats = {
    num,
    nums: (v, kind) => {
      if (!Array.isArray(v) || !v.length) throw new BadParam();
      return v.map((x) => num(x, kind)).join(' → ');
    },
    count: (n, forms) => {
      if (typeof n !== 'number' || !Number.isFinite(n)) throw new BadParam();
      const form = forms[plurals.select(n)] ?? forms.other;
      return form.replace('#', numbers.limit.format(n));
    },
    dateTime: (iso, timeZone, style) => {
      const at = typeof iso === 'string' ? Date.parse(iso) : NaN;
      if (!Number.isFinite(at) || typeof timeZone !== 'string') throw new BadParam();
      const key = `${style} ${timeZone}`;
      let format = dates.get(key);
      if (!format) {
        // an unknown time zone throws a RangeError: the fallback says the parameters instead
        format = new Intl.DateTimeFormat(locale, {
          dateStyle: style,
          timeStyle: 'short',
          timeZone,
        });
        if (dates.size < 100) dates.set(key, format);
      }
      return format.format(at);
    },
    list: (items) => lists.format(items),
    pick: (table, key) => {
      if (typeof key !== 'string' || !Object.hasOwn(table, key)) throw new BadParam();
      return table[key]!;
    },
    picks: (table, keys) => {
      if (!Array.isArray(keys)) throw new BadParam();
      return keys.map((k) => f.pick(table, k));
    },
    text: (v) => {
      if (typeof v !== 'string') throw new BadParam();
      return v;
    },
  };
  cache.set(locale, f);
  return f;
}

// ---- the hub's two languages ----

const SV_SIGNAL: Record<ScoreSignalName, { unit: string; name: string; short: string }> = {
  weight: { unit: 'kg', name: 'Vikten', short: 'vikt' },
  spo2: { unit: '%', name: 'Syremättnaden', short: 'syremättnad' },
  pulse: { unit: 'slag/min', name: 'Vilopulsen', short: 'puls' },
  systolic: { unit: 'mmHg', name: 'Det systoliska trycket', short: 'systoliskt tryck' },
};
const EN_SIGNAL: Record<ScoreSignalName, { unit: string; name: string; short: string }> = {
  weight: { unit: 'kg', name: 'Weight', short: 'weight' },
  spo2: { unit: '%', name: 'SpO2', short: 'SpO2' },
  pulse: { unit: 'beats/min', name: 'Resting pulse', short: 'pulse' },
  systolic: { unit: 'mmHg', name: 'Systolic pressure', short: 'systolic pressure' },
};
/** A personal signal's value: weights with 1-2 decimals, pulse and pressure with at most 1. */
const signalKind = (signal: unknown): NumberKind => (signal === 'weight' ? 'kg' : 'mean');

const SV_BAND: Record<News2BandName, [risk: string, act: string]> = {
  low: ['låg risk', 'sjuksköterska bedömer'],
  'low-medium': ['låg–medelhög risk', 'skyndsam bedömning, informera läkare'],
  medium: ['medelhög risk', 'brådskande bedömning'],
  high: ['hög risk', 'akut bedömning'],
};
const EN_BAND: Record<News2BandName, [risk: string, act: string]> = {
  low: ['low risk', 'assessment by a registered nurse'],
  'low-medium': ['low-medium risk', 'urgent review, inform the medical team'],
  medium: ['medium risk', 'urgent assessment'],
  high: ['high risk', 'emergency assessment'],
};
const SV_PART: Record<News2PartName, string> = {
  respiratoryRate: 'andningsfrekvens',
  spo2: 'syremättnad',
  air: 'syrgas',
  systolic: 'systoliskt blodtryck',
  pulse: 'puls',
  consciousness: 'medvetandegrad',
  temperature: 'temperatur',
};
const EN_PART: Record<News2PartName, string> = {
  respiratoryRate: 'respiration rate',
  spo2: 'SpO2',
  air: 'oxygen',
  systolic: 'systolic blood pressure',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

/** What each measurement is called (as devices/measurementNames.ts, which patients' notices use). */
const SV_MEASUREMENT: Record<ReadingType, string> = {
  body_weight: 'vikt',
  blood_pressure: 'blodtryck',
  heart_rate: 'puls',
  spo2: 'syremättnad',
  body_temperature: 'temperatur',
  respiratory_rate: 'andningsfrekvens',
  blood_glucose: 'blodsocker',
  consciousness: 'vakenhet',
};
const EN_MEASUREMENT: Record<ReadingType, string> = {
  body_weight: 'weight',
  blood_pressure: 'blood pressure',
  heart_rate: 'pulse',
  spo2: 'oxygen saturation',
  body_temperature: 'temperature',
  respiratory_rate: 'breathing rate',
  blood_glucose: 'blood sugar',
  consciousness: 'alertness',
};
const SV_CAUSE: Record<MissingCauseName, string> = {
  not_measured: 'patienten har inte mätt (enheten har skickat annat)',
  device_offline:
    'ingen trafik alls från patientens enheter: enhet eller gateway är troligen frånkopplad',
  backlog_arriving: 'äldre mätningar håller på att komma in',
};
const EN_CAUSE: Record<MissingCauseName, string> = {
  not_measured: 'the patient has not measured (the device has sent other data)',
  device_offline:
    "no traffic at all from the patient's devices: a device or gateway is probably offline",
  backlog_arriving: 'older readings are still arriving',
};
const SV_SEVERITY: Record<SeverityName, string> = {
  critical: 'kritiskt',
  high: 'högt',
  medium: 'medel',
  low: 'lågt',
  info: 'information',
};
const EN_SEVERITY: Record<SeverityName, string> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'information',
};

const svDays = { one: '# dag', other: '# dagar' };
const enDays = { one: '# day', other: '# days' };

export const sv: FullCatalogue = {
  locale: 'sv-SE',
  texts: {
    'weight.change': (p, f) =>
      `Vikten har ${p.direction === 'up' ? 'ökat' : 'minskat'} ${f.num(p.changeKg, 'kg')} kg på ${f.count(p.days, svDays)} (${f.num(p.fromKg, 'kg')} → ${f.num(p.toKg, 'kg')} kg); gräns mer än ${f.num(p.limitKg, 'kg')} kg på ${f.count(p.limitDays, svDays)}`,
    'weight.trend': (p, f) => {
      const up = p.direction === 'up';
      return `Viktkurvan ${up ? 'stiger' : 'sjunker'}: kort medelvärde (${f.count(p.shortDays, svDays)}) ${f.num(p.shortKg, 'kg')} kg ligger ${f.num(p.differenceKg, 'kg')} kg ${up ? 'över' : 'under'} långt medelvärde (${f.count(p.longDays, svDays)}) ${f.num(p.longKg, 'kg')} kg; gräns mer än ${f.num(p.limitKg, 'kg')} kg`;
    },
    'weight.dry_weight': (p, f) =>
      `Vikten ${f.num(p.weightKg, 'kg')} kg är ${f.num(p.differenceKg, 'kg')} kg ${p.direction === 'up' ? 'över' : 'under'} torrvikten ${f.num(p.dryKg, 'kg')} kg; gräns mer än ${f.num(p.toleranceKg, 'kg')} kg`,
    'personal.single': (p, f) => {
      const { unit, name } = f.pick(SV_SIGNAL, p.signal);
      const kind = signalKind(p.signal);
      const up = p.direction === 'up';
      const n = Array.isArray(p.values) ? p.values.length : 0;
      const when = f.count(n, {
        one: 'den senaste mätdagen',
        other: 'de # senaste mätdagarna',
      });
      return `${name} ${up ? 'över' : 'under'} patientens egen baslinje ${when} (${f.nums(p.values, kind)} ${unit}); baslinje ${f.num(p.mean, kind)} ${unit}, SD ${f.num(p.sd, 'sd')}${p.sdFloored ? ' (lägsta tillåtna)' : ''} under ${f.count(p.baselineDays, svDays)}; gräns ${up ? 'mer' : 'mindre'} än ${f.num(p.limit, kind)} ${unit} (medel ${up ? '+' : '-'} ${f.num(p.k, 'k')} SD)`;
    },
    'personal.combined': (p, f) => {
      const parts = p.signals.map((signal, i) => {
        const { unit, short } = f.pick(SV_SIGNAL, signal);
        const kind = signalKind(signal);
        const dir = p.directions[i] === 'up' ? 'upp' : 'ned';
        return `${short} ${dir} (${f.num(p.values[i], kind)} ${unit}, gräns ${f.num(p.limits[i], kind)})`;
      });
      return `Flera mätvärden avviker samtidigt från patientens egen baslinje: ${parts.join('; ')}; möjlig försämring av hjärtsvikten`;
    },
    'personal.score': (p, f) => {
      const parts = p.signals.map((signal, i) => {
        const { unit, short } = f.pick(SV_SIGNAL, signal);
        const kind = signalKind(signal);
        return `${short} ${f.num(p.values[i], kind)} ${unit} (egen nivå ${f.num(p.means[i], kind)})`;
      });
      return `Hjärtsviktspoängen ${f.num(p.score, 'k')} är över gränsen ${f.num(p.limit, 'k')}: patientens egna värden har försämrats tillsammans ${f.count(p.days, { one: 'den senaste mätdagen', other: 'de # senaste mätdagarna' })}${parts.length ? `: ${parts.join(', ')}` : ''}; möjlig försämring (vid hjärtsvikt: tecken på dekompensation)`;
    },
    'bp.very_high': (p, f) =>
      `Blodtryck ${f.num(p.systolic, 'whole')}/${f.num(p.diastolic, 'whole')} mmHg: mycket högt (gräns ${f.num(p.limitSystolic, 'limit')}/${f.num(p.limitDiastolic, 'limit')}); kontakt samma dag`,
    'bp.low': (p, f) =>
      `Blodtryck ${f.num(p.systolic, 'whole')}/${f.num(p.diastolic, 'whole')} mmHg: lågt (systoliskt under ${f.num(p.limitSystolic, 'limit')})`,
    'bp.high_average': (p, f) =>
      `Medelblodtryck ${f.num(p.systolic, 'whole')}/${f.num(p.diastolic, 'whole')} mmHg över ${f.count(p.readings, { one: '# mätning', other: '# mätningar' })} på ${f.count(p.days, svDays)} (gräns ${f.num(p.limitSystolic, 'limit')}/${f.num(p.limitDiastolic, 'limit')})`,
    'pulse.very_low': (p, f) =>
      `Puls ${f.num(p.pulse, 'whole')} slag/min: mycket låg (gräns ${f.num(p.limit, 'limit')})`,
    'pulse.very_high': (p, f) =>
      `Puls ${f.num(p.pulse, 'whole')} slag/min: mycket hög (över ${f.num(p.limit, 'limit')})`,
    'pulse.low': (p, f) =>
      `Puls ${f.num(p.pulse, 'whole')} slag/min: låg (gräns ${f.num(p.limit, 'limit')})`,
    'pulse.high': (p, f) =>
      `Puls ${f.num(p.pulse, 'whole')} slag/min: hög (över ${f.num(p.limit, 'limit')})`,
    'spo2.very_low': (p, f) =>
      `Syremättnad ${f.num(p.spo2, 'whole')} %${p.oxygen ? ' med syrgas' : ''}: mycket låg (under ${f.num(p.limit, 'limit')} %)`,
    'spo2.low': (p, f) =>
      `Syremättnad ${f.num(p.spo2, 'whole')} %${p.oxygen ? ' med syrgas' : ''}: låg (under ${f.num(p.limit, 'limit')} %); kontakt samma dag`,
    'temperature.high_fever': (p, f) => `Temperatur ${f.num(p.celsius, 'tenth')} °C: hög feber`,
    'temperature.fever': (p, f) => `Temperatur ${f.num(p.celsius, 'tenth')} °C: feber`,
    'temperature.low': (p, f) => `Temperatur ${f.num(p.celsius, 'tenth')} °C: nedkylning`,
    'glucose.very_low': (p, f) => `Blodsocker ${f.num(p.mmolL, 'tenth')} mmol/L: svår hypoglykemi`,
    'glucose.low': (p, f) => `Blodsocker ${f.num(p.mmolL, 'tenth')} mmol/L: hypoglykemi`,
    'glucose.high': (p, f) => `Blodsocker ${f.num(p.mmolL, 'tenth')} mmol/L: högt`,
    'respiratory_rate.urgent': (p, f) =>
      `Andningsfrekvens ${f.num(p.perMinute, 'whole')} andetag/min`,
    'respiratory_rate.high': (p, f) =>
      `Andningsfrekvens ${f.num(p.perMinute, 'whole')} andetag/min: förhöjd`,
    'consciousness.not_alert': (p, f) =>
      `Medvetandegrad ${f.text(p.acvpu)} (ACVPU): inte vaken och klar`,
    news2: (p, f) => {
      const [risk, act] = f.pick(SV_BAND, p.band);
      const parts = f.picks(SV_PART, p.scoresThree);
      const reds = p.band === 'low-medium' && parts.length ? `; 3 poäng för ${f.list(parts)}` : '';
      const scale = p.spo2Scale === 2 ? ' SpO2-skala 2 (mål 88–92 %).' : '';
      return (
        `NEWS2 ${f.num(p.total, 'whole')} (${risk}${reds}): ${act}.${scale}` +
        ' Beslutsstöd: NEWS2 är inte validerat för egenmätning i hemmet utan vårdpersonal.'
      );
    },
    missing: (p, f) =>
      `Ingen mätning av ${f.pick(SV_MEASUREMENT, p.type)} sedan ${p.lastMeasuredAt === null ? 'planens start' : f.dateTime(p.lastMeasuredAt, p.timeZone, 'short')}; väntades senast ${f.dateTime(p.dueAt, p.timeZone, 'short')}: ${f.pick(SV_CAUSE, p.cause)}`,
    'rules.failed': (p, f) =>
      `Reglerna kunde inte bedöma patientens ${f.count(p.readings, { one: '# nytt mätvärde', other: '# nya mätvärden' })}. Granska värdena själv; felet är loggat för support.`,
    'oncall.nobody': (p, f) =>
      `Ingen hade jour i ${f.text(p.unit)} ${f.dateTime(p.at, p.timeZone, 'medium')} när ett larm (${f.pick(SV_SEVERITY, p.severity)}) för patienten gick vidare till jouren. Ta hand om larmet och fyll luckan i jourschemat.`,
    'remeasure.confirmed': () => 'Bekräftat av en ny mätning.',
    'remeasure.no_repeat': (p, f) =>
      `Ingen ny mätning inom ${f.count(p.minutes, { one: '# minut', other: '# minuter' })}.`,
  },
};

export const en: FullCatalogue = {
  locale: 'en-GB',
  texts: {
    'weight.change': (p, f) =>
      `Weight ${p.direction === 'up' ? 'up' : 'down'} ${f.num(p.changeKg, 'kg')} kg in ${f.count(p.days, enDays)} (${f.num(p.fromKg, 'kg')} → ${f.num(p.toKg, 'kg')} kg); threshold more than ${f.num(p.limitKg, 'kg')} kg in ${f.count(p.limitDays, enDays)}`,
    'weight.trend': (p, f) => {
      const up = p.direction === 'up';
      return `Weight trending ${up ? 'up' : 'down'}: short average (${f.count(p.shortDays, enDays)}) ${f.num(p.shortKg, 'kg')} kg is ${f.num(p.differenceKg, 'kg')} kg ${up ? 'above' : 'below'} the long average (${f.count(p.longDays, enDays)}) ${f.num(p.longKg, 'kg')} kg; threshold more than ${f.num(p.limitKg, 'kg')} kg`;
    },
    'weight.dry_weight': (p, f) =>
      `Weight ${f.num(p.weightKg, 'kg')} kg is ${f.num(p.differenceKg, 'kg')} kg ${p.direction === 'up' ? 'above' : 'below'} dry weight ${f.num(p.dryKg, 'kg')} kg; threshold more than ${f.num(p.toleranceKg, 'kg')} kg`,
    'personal.single': (p, f) => {
      const { unit, name } = f.pick(EN_SIGNAL, p.signal);
      const kind = signalKind(p.signal);
      const up = p.direction === 'up';
      const n = Array.isArray(p.values) ? p.values.length : 0;
      const when = f.count(n, { one: 'the last day measured', other: 'the last # days measured' });
      return `${name} ${up ? 'above' : 'below'} own baseline on ${when} (${f.nums(p.values, kind)} ${unit}); baseline ${f.num(p.mean, kind)} ${unit}, SD ${f.num(p.sd, 'sd')}${p.sdFloored ? ' (floor)' : ''} over ${f.count(p.baselineDays, enDays)}; threshold ${up ? 'more' : 'less'} than ${f.num(p.limit, kind)} ${unit} (mean ${up ? '+' : '-'} ${f.num(p.k, 'k')} SD)`;
    },
    'personal.combined': (p, f) => {
      const parts = p.signals.map((signal, i) => {
        const { unit, short } = f.pick(EN_SIGNAL, signal);
        const kind = signalKind(signal);
        const dir = p.directions[i] === 'up' ? 'up' : 'down';
        return `${short} ${dir} (${f.num(p.values[i], kind)} ${unit}, limit ${f.num(p.limits[i], kind)})`;
      });
      return `Several signals off the patient's own baseline together: ${parts.join('; ')}; possible heart-failure decompensation`;
    },
    'personal.score': (p, f) => {
      const parts = p.signals.map((signal, i) => {
        const { unit, short } = f.pick(EN_SIGNAL, signal);
        const kind = signalKind(signal);
        return `${short} ${f.num(p.values[i], kind)} ${unit} (own level ${f.num(p.means[i], kind)})`;
      });
      return `Heart-failure score ${f.num(p.score, 'k')} is over its limit ${f.num(p.limit, 'k')}: the patient's own values have worsened together over ${f.count(p.days, { one: 'the last day measured', other: 'the last # days measured' })}${parts.length ? `: ${parts.join(', ')}` : ''}; possible deterioration (in heart failure: signs of decompensation)`;
    },
    'bp.very_high': (p, f) =>
      `Blood pressure ${f.num(p.systolic, 'whole')}/${f.num(p.diastolic, 'whole')} mmHg: very high (threshold ${f.num(p.limitSystolic, 'limit')}/${f.num(p.limitDiastolic, 'limit')}); contact the same day`,
    'bp.low': (p, f) =>
      `Blood pressure ${f.num(p.systolic, 'whole')}/${f.num(p.diastolic, 'whole')} mmHg: low (systolic under ${f.num(p.limitSystolic, 'limit')})`,
    'bp.high_average': (p, f) =>
      `Average blood pressure ${f.num(p.systolic, 'whole')}/${f.num(p.diastolic, 'whole')} mmHg over ${f.count(p.readings, { one: '# reading', other: '# readings' })} in ${f.count(p.days, enDays)} (threshold ${f.num(p.limitSystolic, 'limit')}/${f.num(p.limitDiastolic, 'limit')})`,
    'pulse.very_low': (p, f) =>
      `Pulse ${f.num(p.pulse, 'whole')} beats/min: very low (threshold ${f.num(p.limit, 'limit')})`,
    'pulse.very_high': (p, f) =>
      `Pulse ${f.num(p.pulse, 'whole')} beats/min: very high (over ${f.num(p.limit, 'limit')})`,
    'pulse.low': (p, f) =>
      `Pulse ${f.num(p.pulse, 'whole')} beats/min: low (threshold ${f.num(p.limit, 'limit')})`,
    'pulse.high': (p, f) =>
      `Pulse ${f.num(p.pulse, 'whole')} beats/min: high (over ${f.num(p.limit, 'limit')})`,
    'spo2.very_low': (p, f) =>
      `SpO2 ${f.num(p.spo2, 'whole')} %${p.oxygen ? ' on oxygen' : ''}: very low (under ${f.num(p.limit, 'limit')} %)`,
    'spo2.low': (p, f) =>
      `SpO2 ${f.num(p.spo2, 'whole')} %${p.oxygen ? ' on oxygen' : ''}: low (under ${f.num(p.limit, 'limit')} %); contact the same day`,
    'temperature.high_fever': (p, f) => `Temperature ${f.num(p.celsius, 'tenth')} °C: high fever`,
    'temperature.fever': (p, f) => `Temperature ${f.num(p.celsius, 'tenth')} °C: fever`,
    'temperature.low': (p, f) => `Temperature ${f.num(p.celsius, 'tenth')} °C: hypothermia`,
    'glucose.very_low': (p, f) =>
      `Blood glucose ${f.num(p.mmolL, 'tenth')} mmol/L: severe hypoglycaemia`,
    'glucose.low': (p, f) => `Blood glucose ${f.num(p.mmolL, 'tenth')} mmol/L: hypoglycaemia`,
    'glucose.high': (p, f) => `Blood glucose ${f.num(p.mmolL, 'tenth')} mmol/L: high`,
    'respiratory_rate.urgent': (p, f) =>
      `Respiratory rate ${f.num(p.perMinute, 'whole')} breaths/min`,
    'respiratory_rate.high': (p, f) =>
      `Respiratory rate ${f.num(p.perMinute, 'whole')} breaths/min: raised`,
    'consciousness.not_alert': (p, f) => `Consciousness ${f.text(p.acvpu)} (ACVPU): not alert`,
    news2: (p, f) => {
      const [risk, act] = f.pick(EN_BAND, p.band);
      const parts = f.picks(EN_PART, p.scoresThree);
      const reds =
        p.band === 'low-medium' && parts.length
          ? `; ${f.list(parts)} ${parts.length === 1 ? 'scores' : 'score'} 3`
          : '';
      const scale = p.spo2Scale === 2 ? ' SpO2 scale 2 (target 88–92 %).' : '';
      return (
        `NEWS2 ${f.num(p.total, 'whole')} (${risk}${reds}): ${act}.${scale}` +
        ' Decision aid: NEWS2 is not validated for unsupervised home use.'
      );
    },
    missing: (p, f) =>
      `No ${f.pick(EN_MEASUREMENT, p.type)} measurement since ${p.lastMeasuredAt === null ? 'the plan began' : f.dateTime(p.lastMeasuredAt, p.timeZone, 'short')}; due by ${f.dateTime(p.dueAt, p.timeZone, 'short')}: ${f.pick(EN_CAUSE, p.cause)}`,
    'rules.failed': (p, f) =>
      `The rules could not judge this patient's ${f.count(p.readings, { one: '# new reading', other: '# new readings' })}. Look at the values yourself; the failure is logged for support.`,
    'oncall.nobody': (p, f) =>
      `Nobody was on call in ${f.text(p.unit)} at ${f.dateTime(p.at, p.timeZone, 'medium')} when an alert (${f.pick(EN_SEVERITY, p.severity)}) for this patient escalated to on call. See to the alert and fill the gap in the roster.`,
    'remeasure.confirmed': () => 'Confirmed by a repeat measurement.',
    'remeasure.no_repeat': (p, f) =>
      `No repeat measurement within ${f.count(p.minutes, { one: '# minute', other: '# minutes' })}.`,
  },
};

/** The languages the hub ships, by the dashboard's language codes. */
export const catalogues: Readonly<Record<string, Catalogue>> = { sv, en };

// ---- rendering ----

/**
 * The code and its parameters as they are, when no text can be made: an unknown code, a
 * missing or malformed parameter, an unknown time zone. Never empty, never throws.
 */
function fallback(code: unknown, params: unknown, locale: string): string {
  const name = typeof code === 'string' && code ? code : '?';
  if (!params || typeof params !== 'object') return name;
  const shown = Object.entries(params)
    .map(([k, v]) => {
      let s: string;
      try {
        s =
          typeof v === 'number'
            ? v.toLocaleString(locale)
            : typeof v === 'string'
              ? v
              : (JSON.stringify(v) ?? String(v));
      } catch {
        s = String(v);
      }
      return `${k}: ${s}`;
    })
    .join(', ');
  return shown ? `${name} (${shown})` : name;
}

function textOf(code: unknown, params: unknown, catalogue: Catalogue, backup: Catalogue): string {
  const p = params && typeof params === 'object' ? params : {};
  for (const c of [catalogue, backup]) {
    const text =
      typeof code === 'string' && Object.hasOwn(c.texts, code)
        ? (c.texts[code as ReasonCode] as ((p: unknown, f: Formats) => string) | undefined)
        : undefined;
    if (!text) continue;
    try {
      const s = text(p, formatsOf(c.locale));
      // a parameter of the wrong kind where a text takes it as it is
      if (!/\b(undefined|NaN)\b|\[object /.test(s)) return s;
    } catch {
      // a missing or malformed parameter: said as it is, below
    }
    break;
  }
  return fallback(code, params, catalogue.locale);
}

/**
 * A reason in language `lang`: its text, then its notes. A language without a catalogue, or a
 * code its catalogue lacks, is said in English; what no catalogue can say is said as its code
 * and parameters. Never throws, whatever was stored.
 */
export function renderReason(
  r: StoredReason,
  lang: string,
  from: Readonly<Record<string, Catalogue>> = catalogues,
): string {
  const backup = (Object.hasOwn(from, 'en') && from.en) || en;
  const catalogue = (Object.hasOwn(from, lang) && from[lang]) || backup;
  let out = textOf(r.code, r.params, catalogue, backup);
  for (const note of Array.isArray(r.notes) ? r.notes : []) {
    if (!note || typeof note !== 'object') continue;
    const text = textOf(note.code, note.params, catalogue, backup);
    out = /[.!?]$/.test(out) ? `${out} ${text}` : `${out}. ${text}`;
  }
  return out;
}

/** A reason in both of the dashboard's languages (what the staff API's `reason` holds). */
export const renderBoth = (r: StoredReason): { sv: string; en: string } => ({
  sv: renderReason(r, 'sv'),
  en: renderReason(r, 'en'),
});
