// Absolute thresholds for single vital signs. Each default names its source (citations:
// docs/clinical-evidence.md section 4); a care team can override any of them per patient (the
// plan), and a finding says which one it used. The thresholds and their defaults:
// contract/plan.ts.
// Severity words: "urgent" -> critical, "contact the same day" -> high, "contact" -> medium.
import type { VitalThresholds } from '../../contract/plan.js';
import type { ReadingType } from '../../devices/contract.js';
import { reason } from '../../contract/reasons.js';
import { keysSet, refOf, type Finding, type RuleReading, type Severity } from './types.js';

/**
 * SpO2 for a patient with a prescribed target of 88-92 % (hypercapnic respiratory failure,
 * NEWS2 scale 2, set by a clinician): below 88 leaves the target (NEWS2 scores 1-2), 83 or
 * less scores 3. These two edges are a design proposal, not guideline text [U]: configurable.
 */
export const SPO2_SCALE_TWO = { urgentBelow: 84, contactBelow: 88 };

const REF = {
  news2: 'Royal College of Physicians, NEWS2 (2017), chart 1',
  spo2: 'NEWS2 (RCP 2017) scale 1: 91 % or less scores 3 (same day); under 88 % urgent is this hub’s choice [U]',
  glucose:
    'Hypoglycaemia < 4.0 mmol/L (JBDS); < 3.0 clinically important (IHSG 2017, level 2); > 15 high is this hub’s choice [U]',
  pulse:
    'NEWS2 (RCP 2017) pulse bands; beta-blocker bradycardia under 50/min in heart failure (Postgrad Med J beta-blocker table)',
};

export interface ThresholdContext {
  vitals: VitalThresholds;
  /** Paths such as `pulse.contactHigh` that the care team set for this patient. */
  personal: ReadonlySet<string>;
  spo2Scale: 1 | 2;
}

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
    rule: 'pulse.very_low' | 'pulse.very_high' | 'pulse.low' | 'pulse.high',
    sev: Severity,
    key: keyof typeof t,
    remeasure: boolean,
  ) => [
    finding(
      r,
      rule,
      sev,
      reason(rule, { pulse: v, limit: t[key] }),
      v,
      { key: `pulse.${key}`, value: t[key] },
      ctx,
      REF.pulse,
      remeasure,
    ),
  ];
  if (v <= t.urgentLow) return f('pulse.very_low', 'critical', 'urgentLow', false);
  if (v > t.urgentHigh) return f('pulse.very_high', 'critical', 'urgentHigh', false);
  if (v <= t.contactLow) return f('pulse.low', 'medium', 'contactLow', true);
  if (v > t.contactHigh) return f('pulse.high', 'medium', 'contactHigh', true);
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
  const oxygen = r.supplementalOxygen === true;
  const ref = scale2 ? `${REF.news2}, SpO2 scale 2 (target 88-92 %)` : REF.spo2;
  if (v < t.urgentBelow)
    return [
      finding(
        r,
        'spo2.very_low',
        'critical',
        reason('spo2.very_low', { spo2: v, oxygen, limit: t.urgentBelow }),
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
        reason('spo2.low', { spo2: v, oxygen, limit: t.contactBelow }),
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
  if (v >= t.highFever)
    return [
      finding(
        r,
        'temperature.high_fever',
        'high',
        reason('temperature.high_fever', { celsius: v }),
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
        reason('temperature.fever', { celsius: v }),
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
        reason('temperature.low', { celsius: v }),
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
  if (v < t.severeLow)
    return [
      finding(
        r,
        'glucose.very_low',
        'critical',
        reason('glucose.very_low', { mmolL: v }),
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
        reason('glucose.low', { mmolL: v }),
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
        reason('glucose.high', { mmolL: v }),
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
        reason('respiratory_rate.urgent', { perMinute: v }),
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
        reason('respiratory_rate.high', { perMinute: v }),
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
      reason: reason('consciousness.not_alert', { acvpu: r.code }),
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
