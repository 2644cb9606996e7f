// Absolute thresholds for single vital signs. Each default names its source; a care team can
// override any of them per patient (the plan), and a finding says which one it used. The
// thresholds and their defaults: server/plans/settings.ts.
// Severity words: "urgent" -> critical, "contact the same day" -> high, "contact" -> medium.
import type { VitalThresholds } from '../../contract/plan.js';
import type { ReadingType } from '../../devices/contract.js';
import { keysSet, refOf, type Finding, type RuleReading, type Severity } from './types.js';

/**
 * SpO2 for a patient with a prescribed target of 88-92 % (hypercapnic respiratory failure,
 * NEWS2 scale 2, set by a clinician): below 88 leaves the target (NEWS2 scores 1-2), 83 or
 * less scores 3. These two edges are a design proposal, not guideline text [U]: configurable.
 */
export const SPO2_SCALE_TWO = { urgentBelow: 84, contactBelow: 88 };

const REF = {
  news2: 'Royal College of Physicians, NEWS2 (2017), chart 1',
  spo2: 'clinical references: SpO2 under 92 % on air same day, under 88 % urgent',
  glucose: 'clinical references: hypoglycaemia < 4.0, severe < 3.0, high > 15 mmol/L',
  pulse: 'NEWS2 (RCP 2017) pulse bands; ESC HF guidance on bradycardia',
};

export interface ThresholdContext {
  vitals: VitalThresholds;
  /** Paths such as `pulse.contactHigh` that the care team set for this patient. */
  personal: ReadonlySet<string>;
  spo2Scale: 1 | 2;
}

const fmt = (v: number, decimals = 0, lang: 'sv' | 'en' = 'en') => {
  const s = v.toFixed(decimals);
  return lang === 'sv' ? s.replace('.', ',') : s;
};

function finding(
  r: RuleReading,
  rule: string,
  severity: Severity,
  reason: Finding['reason'],
  value: number,
  threshold: { key: string; value: number },
  ctx: ThresholdContext,
  reference: string,
  remeasure: boolean,
): Finding {
  return {
    rule,
    severity,
    reason,
    values: { [r.type]: value },
    threshold: {
      value: threshold.value,
      source: ctx.personal.has(threshold.key) ? 'personal' : 'default',
      reference,
      ...keysSet(ctx.personal, [threshold.key], 'vitals.'),
    },
    readings: [refOf(r)],
    ...(remeasure ? { remeasure: true } : {}),
  };
}

type Judge = (r: RuleReading, ctx: ThresholdContext) => Finding[];

const pulse: Judge = (r, ctx) => {
  const v = r.value;
  if (v === null) return [];
  const t = ctx.vitals.pulse;
  const f = (
    rule: string,
    sev: Severity,
    key: keyof typeof t,
    sv: string,
    en: string,
    remeasure: boolean,
  ) => [
    finding(
      r,
      rule,
      sev,
      { sv, en },
      v,
      { key: `pulse.${key}`, value: t[key] },
      ctx,
      REF.pulse,
      remeasure,
    ),
  ];
  if (v <= t.urgentLow)
    return f(
      'pulse.very_low',
      'critical',
      'urgentLow',
      `Puls ${fmt(v)}/min: mycket låg (gräns ${t.urgentLow})`,
      `Pulse ${fmt(v)}/min: very low (threshold ${t.urgentLow})`,
      false,
    );
  if (v > t.urgentHigh)
    return f(
      'pulse.very_high',
      'critical',
      'urgentHigh',
      `Puls ${fmt(v)}/min: mycket hög (över ${t.urgentHigh})`,
      `Pulse ${fmt(v)}/min: very high (over ${t.urgentHigh})`,
      false,
    );
  if (v <= t.contactLow)
    return f(
      'pulse.low',
      'medium',
      'contactLow',
      `Puls ${fmt(v)}/min: låg (gräns ${t.contactLow})`,
      `Pulse ${fmt(v)}/min: low (threshold ${t.contactLow})`,
      true,
    );
  if (v > t.contactHigh)
    return f(
      'pulse.high',
      'medium',
      'contactHigh',
      `Puls ${fmt(v)}/min: hög (över ${t.contactHigh})`,
      `Pulse ${fmt(v)}/min: high (over ${t.contactHigh})`,
      true,
    );
  return [];
};

const spo2: Judge = (r, ctx) => {
  const v = r.value;
  if (v === null) return [];
  const scale2 = ctx.spo2Scale === 2;
  const t =
    scale2 && !ctx.personal.has('spo2.contactBelow')
      ? { ...ctx.vitals.spo2, ...SPO2_SCALE_TWO }
      : ctx.vitals.spo2;
  const air = r.supplementalOxygen ? { sv: ' med syrgas', en: ' on oxygen' } : { sv: '', en: '' };
  const ref = scale2 ? `${REF.news2}, SpO2 scale 2 (target 88-92 %)` : REF.spo2;
  if (v < t.urgentBelow)
    return [
      finding(
        r,
        'spo2.very_low',
        'critical',
        {
          sv: `Syremättnad ${fmt(v)} %${air.sv}: mycket låg (under ${t.urgentBelow} %)`,
          en: `SpO2 ${fmt(v)} %${air.en}: very low (under ${t.urgentBelow} %)`,
        },
        v,
        { key: 'spo2.urgentBelow', value: t.urgentBelow },
        ctx,
        ref,
        false,
      ),
    ];
  if (v < t.contactBelow)
    return [
      finding(
        r,
        'spo2.low',
        'high',
        {
          sv: `Syremättnad ${fmt(v)} %${air.sv}: låg (under ${t.contactBelow} %); kontakt samma dag`,
          en: `SpO2 ${fmt(v)} %${air.en}: low (under ${t.contactBelow} %); contact the same day`,
        },
        v,
        { key: 'spo2.contactBelow', value: t.contactBelow },
        ctx,
        ref,
        true,
      ),
    ];
  return [];
};

const temperature: Judge = (r, ctx) => {
  const v = r.value;
  if (v === null) return [];
  const t = ctx.vitals.temperature;
  const c = (lang: 'sv' | 'en') => `${fmt(v, 1, lang)} °C`;
  if (v >= t.highFever)
    return [
      finding(
        r,
        'temperature.high_fever',
        'high',
        { sv: `Temperatur ${c('sv')}: hög feber`, en: `Temperature ${c('en')}: high fever` },
        v,
        { key: 'temperature.highFever', value: t.highFever },
        ctx,
        REF.news2,
        false,
      ),
    ];
  if (v >= t.fever)
    return [
      finding(
        r,
        'temperature.fever',
        'medium',
        { sv: `Temperatur ${c('sv')}: feber`, en: `Temperature ${c('en')}: fever` },
        v,
        { key: 'temperature.fever', value: t.fever },
        ctx,
        REF.news2,
        true,
      ),
    ];
  if (v <= t.hypothermia)
    return [
      finding(
        r,
        'temperature.low',
        'high',
        { sv: `Temperatur ${c('sv')}: nedkylning`, en: `Temperature ${c('en')}: hypothermia` },
        v,
        { key: 'temperature.hypothermia', value: t.hypothermia },
        ctx,
        REF.news2,
        true,
      ),
    ];
  return [];
};

const glucose: Judge = (r, ctx) => {
  const v = r.value;
  if (v === null) return [];
  const t = ctx.vitals.glucose;
  const m = (lang: 'sv' | 'en') => `${fmt(v, 1, lang)} mmol/L`;
  if (v < t.severeLow)
    return [
      finding(
        r,
        'glucose.very_low',
        'critical',
        {
          sv: `Blodsocker ${m('sv')}: svår hypoglykemi`,
          en: `Blood glucose ${m('en')}: severe hypoglycaemia`,
        },
        v,
        { key: 'glucose.severeLow', value: t.severeLow },
        ctx,
        REF.glucose,
        false,
      ),
    ];
  if (v < t.low)
    return [
      finding(
        r,
        'glucose.low',
        'high',
        { sv: `Blodsocker ${m('sv')}: hypoglykemi`, en: `Blood glucose ${m('en')}: hypoglycaemia` },
        v,
        { key: 'glucose.low', value: t.low },
        ctx,
        REF.glucose,
        true,
      ),
    ];
  if (v > t.high)
    return [
      finding(
        r,
        'glucose.high',
        'medium',
        { sv: `Blodsocker ${m('sv')}: högt`, en: `Blood glucose ${m('en')}: high` },
        v,
        { key: 'glucose.high', value: t.high },
        ctx,
        REF.glucose,
        true,
      ),
    ];
  return [];
};

const respiratoryRate: Judge = (r, ctx) => {
  const v = r.value;
  if (v === null) return [];
  const t = ctx.vitals.respiratoryRate;
  if (v <= t.urgentLow || v >= t.urgentHigh) {
    const key = v <= t.urgentLow ? 'urgentLow' : 'urgentHigh';
    return [
      finding(
        r,
        'respiratory_rate.urgent',
        'critical',
        { sv: `Andningsfrekvens ${fmt(v)}/min`, en: `Respiratory rate ${fmt(v)}/min` },
        v,
        { key: `respiratoryRate.${key}`, value: t[key] },
        ctx,
        REF.news2,
        false,
      ),
    ];
  }
  if (v >= t.contactHigh)
    return [
      finding(
        r,
        'respiratory_rate.high',
        'medium',
        {
          sv: `Andningsfrekvens ${fmt(v)}/min: förhöjd`,
          en: `Respiratory rate ${fmt(v)}/min: raised`,
        },
        v,
        { key: 'respiratoryRate.contactHigh', value: t.contactHigh },
        ctx,
        REF.news2,
        true,
      ),
    ];
  return [];
};

const consciousness: Judge = (r) => {
  if (!r.code || r.code === 'A') return [];
  return [
    {
      rule: 'consciousness.not_alert',
      severity: 'critical',
      reason: {
        sv: `Medvetandegrad ${r.code} (ACVPU): inte vaken och klar`,
        en: `Consciousness ${r.code} (ACVPU): not alert`,
      },
      values: { consciousness: r.code },
      threshold: { value: 'A', source: 'default', reference: REF.news2 },
      readings: [refOf(r)],
    },
  ];
};

const judges: Partial<Record<ReadingType, Judge>> = {
  heart_rate: pulse,
  spo2,
  body_temperature: temperature,
  blood_glucose: glucose,
  respiratory_rate: respiratoryRate,
  consciousness,
};

/** Findings about one reading on its own (blood pressure and weight have rules of their own). */
export function judgeVitalSign(r: RuleReading, ctx: ThresholdContext): Finding[] {
  return judges[r.type]?.(r, ctx) ?? [];
}
