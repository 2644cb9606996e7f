// The reason catalogue (contract/reasons.ts): every code said in Swedish and English from its
// parameters, numbers, plurals and times through Intl, a fallback for whatever was stored, and a
// third language that is only one more catalogue.
import { describe, expect, it } from 'vitest';
import {
  catalogues,
  en,
  reason,
  renderReason,
  sv,
  type Catalogue,
  type ReasonCode,
  type ReasonParams,
} from '../../contract/reasons.js';
import { measurementNames } from '../../devices/measurementNames.js';
import { reasonView } from '../../server/alerts/reasonView.js';
import { judgeVitalSign } from '../../server/rules/vitals.js';
import { confirmedFinding } from '../../server/rules/remeasure.js';
import { DEFAULT_VITALS } from '../../contract/plan.js';

const TZ = 'Europe/Stockholm';

/** At least one example of every code's parameters (the compiler says which code has none). */
const SAMPLES: { [C in ReasonCode]: ReasonParams[C][] } = {
  'weight.change': [
    {
      direction: 'up',
      fromKg: 80.1,
      toKg: 82.5,
      changeKg: 2.4,
      days: 3,
      limitKg: 2,
      limitDays: 3,
    },
    {
      direction: 'down',
      fromKg: 80,
      toKg: 78.5,
      changeKg: 1.5,
      days: 1,
      limitKg: 1.36,
      limitDays: 1,
    },
  ],
  'weight.trend': [
    {
      direction: 'up',
      shortDays: 3,
      longDays: 10,
      shortKg: 81.234,
      longKg: 80.6,
      differenceKg: 0.634,
      limitKg: 0.5,
    },
  ],
  'weight.dry_weight': [
    { direction: 'down', weightKg: 72.9, differenceKg: 2.1, dryKg: 75, toleranceKg: 2 },
  ],
  'personal.single': [
    {
      signal: 'weight',
      direction: 'up',
      values: [81.4],
      mean: 80.2,
      sd: 0.3,
      sdFloored: true,
      baselineDays: 14,
      limit: 80.8,
      k: 2,
    },
    {
      signal: 'systolic',
      direction: 'down',
      values: [101, 99.5],
      mean: 120.25,
      sd: 4.123,
      sdFloored: false,
      baselineDays: 1,
      limit: 112,
      k: 2,
    },
  ],
  'personal.combined': [
    {
      signals: ['weight', 'pulse', 'systolic'],
      directions: ['up', 'up', 'down'],
      values: [81.6, 86, 101],
      limits: [80.9, 79.5, 108],
    },
  ],
  'personal.score': [
    {
      signals: ['pulse', 'spo2', 'weight'],
      values: [82, 93, 81.2],
      means: [71.25, 96, 80.4],
      score: 6.31,
      limit: 5,
      days: 4,
    },
    { signals: [], values: [], means: [], score: 5.5, limit: 5, days: 1 },
  ],
  'bp.very_high': [{ systolic: 185, diastolic: 95, limitSystolic: 180, limitDiastolic: 110 }],
  'bp.low': [{ systolic: 85, diastolic: 55, limitSystolic: 90 }],
  'bp.high_average': [
    {
      systolic: 141,
      diastolic: 88,
      readings: 1,
      days: 7,
      limitSystolic: 135,
      limitDiastolic: 85,
    },
  ],
  'pulse.very_low': [{ pulse: 38, limit: 40 }],
  'pulse.very_high': [{ pulse: 150, limit: 130 }],
  'pulse.low': [{ pulse: 48, limit: 50 }],
  'pulse.high': [{ pulse: 115, limit: 110 }],
  'spo2.very_low': [{ spo2: 84, oxygen: true, limit: 88 }],
  'spo2.low': [{ spo2: 90, oxygen: false, limit: 92 }],
  'temperature.high_fever': [{ celsius: 39.6 }],
  'temperature.fever': [{ celsius: 38 }],
  'temperature.low': [{ celsius: 35.04 }],
  'glucose.very_low': [{ mmolL: 2.8 }],
  'glucose.low': [{ mmolL: 3.5 }],
  'glucose.high': [{ mmolL: 16.2 }],
  'respiratory_rate.urgent': [{ perMinute: 26 }],
  'respiratory_rate.high': [{ perMinute: 22 }],
  'consciousness.not_alert': [{ acvpu: 'V' }],
  news2: [
    { total: 8, band: 'high', scoresThree: [], spo2Scale: 1 },
    { total: 3, band: 'low-medium', scoresThree: ['consciousness'], spo2Scale: 2 },
  ],
  missing: [
    {
      type: 'body_weight',
      lastMeasuredAt: '2026-11-21T06:30:00Z',
      dueAt: '2026-11-23T09:00:00Z',
      timeZone: TZ,
      cause: 'device_offline',
    },
    {
      type: 'blood_pressure',
      lastMeasuredAt: null,
      dueAt: '2026-11-23T09:00:00Z',
      timeZone: TZ,
      cause: 'backlog_arriving',
    },
  ],
  'rules.failed': [{ readings: 1 }, { readings: 12 }],
  'oncall.nobody': [
    { unit: 'Jour Gränby', at: '2025-11-24T02:10:00Z', timeZone: TZ, severity: 'critical' },
  ],
  'remeasure.confirmed': [{}],
  'remeasure.no_repeat': [{ minutes: 30 }],
};

const all = Object.entries(SAMPLES).flatMap(([code, list]) =>
  (list as Record<string, unknown>[]).map((params) => ({ code, params })),
);

/** The finding an SpO2 of 90 % makes on scale 1 (low: same-day contact), as the rules make it. */
function spo2Of90() {
  return judgeVitalSign(
    {
      deviceId: 'd',
      messageId: 'm',
      type: 'spo2',
      measuredAt: new Date('2026-11-23T08:00:00Z'),
      receivedAt: new Date('2026-11-23T08:00:00Z'),
      value: 90,
      systolic: null,
      diastolic: null,
      pulse: null,
      code: null,
    },
    { vitals: DEFAULT_VITALS, personal: new Set(), spo2Scale: 1 },
  )[0];
}

describe('the reason catalogue', () => {
  it.each(['sv', 'en'])('says every code in %s from its parameters', (lang) => {
    for (const r of all) {
      const text = renderReason(r, lang);
      expect(text, r.code).not.toMatch(/undefined|NaN|\[object|null/);
      // not the fallback (which names the code)
      expect(text.startsWith(r.code), `${r.code}: ${text}`).toBe(false);
      expect(text.length, r.code).toBeGreaterThan(10);
    }
  });

  it('has a text for every code in both languages, and the two differ', () => {
    const codes = Object.keys(SAMPLES).sort();
    expect(Object.keys(sv.texts).sort()).toEqual(codes);
    expect(Object.keys(en.texts).sort()).toEqual(codes);
    for (const r of all) {
      if (r.code === 'consciousness.not_alert') continue;
      expect(renderReason(r, 'sv'), r.code).not.toBe(renderReason(r, 'en'));
    }
  });

  it('writes decimals with a comma in Swedish and a point in English, with the decimals of the unit', () => {
    const change = { code: 'weight.change', params: SAMPLES['weight.change'][0]! };
    expect(renderReason(change, 'sv')).toBe(
      'Vikten har ökat 2,4 kg på 3 dagar (80,1 → 82,5 kg); gräns mer än 2,0 kg på 3 dagar',
    );
    expect(renderReason(change, 'en')).toBe(
      'Weight up 2.4 kg in 3 days (80.1 → 82.5 kg); threshold more than 2.0 kg in 3 days',
    );
    // kg to two decimals at most, temperature to one, a reading in mmHg or /min whole
    expect(renderReason(reason('weight.trend', SAMPLES['weight.trend'][0]!), 'sv')).toContain(
      'kort medelvärde (3 dagar) 81,23 kg ligger 0,63 kg över',
    );
    expect(renderReason(reason('temperature.low', { celsius: 35.04 }), 'sv')).toBe(
      'Temperatur 35,0 °C: nedkylning',
    );
    expect(renderReason(reason('pulse.high', { pulse: 114.6, limit: 110 }), 'sv')).toBe(
      'Puls 115 slag/min: hög (över 110)',
    );
    expect(renderReason(reason('spo2.very_low', { spo2: 84, oxygen: true, limit: 88 }), 'en')).toBe(
      'SpO2 84 % on oxygen: very low (under 88 %)',
    );
  });

  it('says counts in the plural form they take', () => {
    const says = (code: ReasonCode, params: object, lang: string) =>
      renderReason({ code, params: params as Record<string, unknown> }, lang);
    const [oneDay] = SAMPLES['weight.change'].slice(1);
    expect(says('weight.change', oneDay!, 'sv')).toContain('på 1 dag (');
    expect(says('weight.change', oneDay!, 'en')).toContain('in 1 day (');
    expect(says('rules.failed', { readings: 1 }, 'sv')).toContain('patientens 1 nytt mätvärde.');
    expect(says('rules.failed', { readings: 2 }, 'sv')).toContain('patientens 2 nya mätvärden.');
    expect(says('rules.failed', { readings: 1 }, 'en')).toContain("patient's 1 new reading.");
    expect(says('rules.failed', { readings: 2 }, 'en')).toContain("patient's 2 new readings.");
    const average = SAMPLES['bp.high_average'][0]!;
    expect(says('bp.high_average', average, 'en')).toContain('over 1 reading in 7 days');
    expect(says('bp.high_average', { ...average, readings: 4 }, 'sv')).toContain(
      'över 4 mätningar på 7 dagar',
    );
    expect(says('remeasure.no_repeat', { minutes: 1 }, 'sv')).toBe(
      'Ingen ny mätning inom 1 minut.',
    );
    const single = SAMPLES['personal.single'][1]!;
    expect(says('personal.single', single, 'sv')).toContain(
      'de 2 senaste mätdagarna (101 → 99,5 mmHg)',
    );
    expect(says('personal.single', single, 'sv')).toContain('under 1 dag;');
    expect(says('personal.single', SAMPLES['personal.single'][0]!, 'en')).toContain(
      'on the last day measured (81.4 kg)',
    );
    const score = SAMPLES['personal.score'][0]!;
    expect(says('personal.score', score, 'sv')).toBe(
      'Hjärtsviktspoängen 6,3 är över gränsen 5,0: patientens egna värden har försämrats tillsammans de 4 senaste mätdagarna: puls 82 slag/min (egen nivå 71,3), syremättnad 93 % (egen nivå 96), vikt 81,2 kg (egen nivå 80,4); möjlig försämring (vid hjärtsvikt: tecken på dekompensation)',
    );
    expect(says('personal.score', SAMPLES['personal.score'][1]!, 'en')).toBe(
      "Heart-failure score 5.5 is over its limit 5.0: the patient's own values have worsened together over the last day measured; possible deterioration (in heart failure: signs of decompensation)",
    );
  });

  it("says a time where the patient lives, in the reader's way of writing it", () => {
    const missing = SAMPLES.missing[0]!;
    expect(renderReason({ code: 'missing', params: missing }, 'sv')).toBe(
      'Ingen mätning av vikt sedan 2026-11-21 07:30; väntades senast 2026-11-23 10:00: ingen trafik alls från patientens enheter: enhet eller gateway är troligen frånkopplad',
    );
    expect(
      renderReason({ code: 'missing', params: { ...missing, timeZone: 'America/New_York' } }, 'en'),
    ).toContain('since 21/11/2026, 01:30; due by 23/11/2026, 04:00:');
    expect(
      renderReason({ code: 'oncall.nobody', params: SAMPLES['oncall.nobody'][0]! }, 'en'),
    ).toMatch(
      /^Nobody was on call in Jour Gränby at 24 Nov 2025, 03:10 when an alert \(critical\)/,
    );
  });

  it('keeps the clinical words: thresholds, guideline action and the NEWS2 caveat', () => {
    const news2 = SAMPLES.news2[1]!;
    expect(renderReason({ code: 'news2', params: news2 }, 'sv')).toBe(
      'NEWS2 3 (låg–medelhög risk; 3 poäng för medvetandegrad): skyndsam bedömning, informera läkare. SpO2-skala 2 (mål 88–92 %). Beslutsstöd: NEWS2 är inte validerat för egenmätning i hemmet utan vårdpersonal.',
    );
    expect(renderReason({ code: 'news2', params: SAMPLES.news2[0]! }, 'en')).toBe(
      'NEWS2 8 (high risk): emergency assessment. Decision aid: NEWS2 is not validated for unsupervised home use.',
    );
  });

  it('says notes after the reason', () => {
    const f = spo2Of90();
    expect(renderReason(confirmedFinding(f!).reason, 'sv')).toBe(
      'Syremättnad 90 %: låg (under 92 %); kontakt samma dag. Bekräftat av en ny mätning.',
    );
  });

  it("names each measurement as the patients' notices do", () => {
    for (const [type, names] of Object.entries(measurementNames)) {
      const params = { ...SAMPLES.missing[1]!, type: type as ReasonParams['missing']['type'] };
      expect(renderReason({ code: 'missing', params }, 'sv')).toContain(`av ${names.sv} sedan`);
      expect(renderReason({ code: 'missing', params }, 'en')).toContain(
        `No ${names.en} measurement`,
      );
    }
  });

  it('never throws: what it cannot say it says as the code and its parameters', () => {
    expect(renderReason({ code: 'weight.gain_9d', params: { kg: 2.5 } }, 'sv')).toBe(
      'weight.gain_9d (kg: 2,5)',
    );
    // a parameter missing, of the wrong kind, or a time zone nobody knows
    expect(renderReason({ code: 'pulse.high', params: { pulse: 120 } }, 'en')).toBe(
      'pulse.high (pulse: 120)',
    );
    expect(renderReason({ code: 'pulse.high', params: { pulse: '120', limit: 110 } }, 'en')).toBe(
      'pulse.high (pulse: 120, limit: 110)',
    );
    expect(
      renderReason(
        {
          code: 'personal.single',
          params: { ...SAMPLES['personal.single'][0]!, signal: 'toString' },
        },
        'en',
      ),
    ).toMatch(/^personal\.single \(signal: toString, /);
    expect(
      renderReason(
        { code: 'missing', params: { ...SAMPLES.missing[0]!, timeZone: 'Mars/Olympus' } },
        'sv',
      ),
    ).toMatch(/^missing \(type: body_weight, /);
    expect(
      renderReason({ code: 'news2', params: { ...SAMPLES.news2[1]!, scoresThree: 3 } }, 'en'),
    ).toMatch(/^news2 \(/);
    // whatever was stored
    expect(renderReason({ code: 'pulse.high', params: null }, 'en')).toBe('pulse.high');
    expect(renderReason({ code: '', notes: 'x' as never }, 'sv')).toBe('?');
    expect(
      renderReason(
        {
          code: 'pulse.high',
          params: { pulse: 120, limit: 110 },
          notes: [null as never, { code: 'x.y' }],
        },
        'en',
      ),
    ).toBe('Pulse 120 beats/min: high (over 110). x.y');
    // a language nobody wrote is said in English, as is a prototype key
    expect(renderReason(reason('glucose.high', { mmolL: 16.2 }), 'fi')).toBe(
      'Blood glucose 16.2 mmol/L: high',
    );
    expect(renderReason(reason('glucose.high', { mmolL: 16.2 }), 'constructor')).toBe(
      'Blood glucose 16.2 mmol/L: high',
    );
  });
});

describe('a third language', () => {
  /** Test-only: German for two codes. A real one would have a text for every code. */
  const de: Catalogue = {
    locale: 'de-DE',
    texts: {
      'spo2.low': (p, f) =>
        `SpO2 ${f.num(p.spo2, 'whole')} %${p.oxygen ? ' mit Sauerstoff' : ''}: niedrig (unter ${f.num(p.limit, 'limit')} %); Kontakt am selben Tag`,
      'remeasure.no_repeat': (p, f) =>
        `Keine Wiederholungsmessung innerhalb von ${f.count(p.minutes, { one: '# Minute', other: '# Minuten' })}.`,
      'temperature.fever': (p, f) => `Temperatur ${f.num(p.celsius, 'tenth')} °C: Fieber`,
    },
  };

  it('is one more catalogue: a finding stored as before is said in it, untouched', () => {
    // a finding as a rule makes it and the alerts store it (jsonb: a JSON round trip)
    const f = spo2Of90();
    const stored = JSON.stringify({
      ...f!,
      reason: { ...f!.reason, notes: [reason('remeasure.no_repeat', { minutes: 30 })] },
    });
    const read = JSON.parse(stored) as typeof f & {};
    const withGerman = { ...catalogues, de };
    expect(renderReason(read.reason, 'de', withGerman)).toBe(
      'SpO2 90 %: niedrig (unter 92 %); Kontakt am selben Tag. Keine Wiederholungsmessung innerhalb von 30 Minuten.',
    );
    expect(renderReason(reason('temperature.fever', { celsius: 38.25 }), 'de', withGerman)).toBe(
      'Temperatur 38,3 °C: Fieber',
    );
    // a code it has no text for yet is said in English meanwhile
    expect(renderReason(reason('glucose.high', { mmolL: 16.2 }), 'de', withGerman)).toBe(
      'Blood glucose 16.2 mmol/L: high',
    );
    // and the stored finding is as it was
    expect(JSON.stringify(read)).toBe(stored);
  });
});

describe("an alert's reason in the view", () => {
  it('is said in both languages from the stored code, which it carries too', () => {
    const stored = JSON.parse(
      JSON.stringify({
        ...reason('pulse.high', { pulse: 115, limit: 110 }),
        notes: [reason('remeasure.confirmed', {})],
      }),
    ) as unknown;
    expect(reasonView(stored)).toEqual({
      reason: {
        sv: 'Puls 115 slag/min: hög (över 110). Bekräftat av en ny mätning.',
        en: 'Pulse 115 beats/min: high (over 110). Confirmed by a repeat measurement.',
      },
      reasonCode: 'pulse.high',
      reasonParams: { pulse: 115, limit: 110 },
      reasonNotes: [{ code: 'remeasure.confirmed', params: {} }],
    });
  });

  it('shows an alert stored before reasons were codes with the text stored then', () => {
    const old = {
      sv: 'Puls 150/min: mycket hög (över 130)',
      en: 'Pulse 150/min: very high (over 130)',
    };
    expect(reasonView(old)).toEqual({
      reason: old,
      reasonCode: null,
      reasonParams: null,
      reasonNotes: [],
    });
  });

  it('shows nothing rather than failing for a reason it cannot read', () => {
    const none = {
      reason: { sv: '', en: '' },
      reasonCode: null,
      reasonParams: null,
      reasonNotes: [],
    };
    expect(reasonView(undefined)).toEqual(none);
    expect(reasonView('text')).toEqual(none);
    expect(reasonView({ sv: 3 })).toEqual(none);
    // parameters the wire cannot carry are left out
    expect(
      reasonView({ code: 'pulse.high', params: { pulse: 115, limit: 110, nested: { a: 1 } } })
        .reasonParams,
    ).toEqual({ pulse: 115, limit: 110 });
  });
});
