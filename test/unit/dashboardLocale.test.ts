// The dashboard's locale module (dashboards/src/format.ts) and what is built on it: dates,
// numbers, plurals and units in Swedish and English through Intl, and rule names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { units } from '../../devices/contract.js';
import { RULES_FAILED } from '../../server/rules/failed.js';
import {
  canonicalUnits,
  decimalSeparator,
  formatDateTime,
  formatDay,
  formatNumber,
  formatReading,
  formatRelative,
  formatTime,
  formatValue,
  parseNumber,
  unitName,
} from '../../dashboards/src/format.js';
import { ruleName, translate } from '../../dashboards/src/i18n.js';

// 24 November 2026, 07:02 in Stockholm
const T = Date.parse('2026-11-24T06:02:00Z');
const SE = 'Europe/Stockholm';

describe('dates', () => {
  it('writes a chart day as "24 nov" in Swedish and "24 Nov" in English', () => {
    // CLDR gives Swedish short months a full stop ("24 nov."): allowed, nothing else
    expect(formatDay('sv', T, SE)).toMatch(/^24 nov\.?$/);
    expect(formatDay('en', T, SE)).toBe('24 Nov');
    expect(formatDay('sv', '2026-03-02T12:00:00Z', SE)).toBe('2 mars');
    // the patient's day: 23:30 UTC is already the next day in Stockholm
    expect(formatDay('en', '2026-11-23T23:30:00Z', SE)).toBe('24 Nov');
  });

  it('writes times and dates with times the reader’s way, in the zone given', () => {
    expect(formatTime('sv', T, SE)).toBe('07:02');
    expect(formatDateTime('sv', T, SE)).toBe('2026-11-24 07:02');
    expect(formatDateTime('en', T, SE)).toBe('24/11/2026, 07:02');
    expect(formatDateTime('en', T, 'UTC')).toBe('24/11/2026, 06:02');
  });

  it('says how long ago, and "now" within the minute', () => {
    expect(formatRelative(new Date(T - 5 * 60_000).toISOString(), T, 'sv')).toBe(
      'för 5 minuter sedan',
    );
    expect(formatRelative(new Date(T - 5 * 60_000).toISOString(), T, 'en')).toBe('5 minutes ago');
    expect(formatRelative(new Date(T - 10_000).toISOString(), T, 'sv')).toBe('nu');
    expect(formatRelative(new Date(T - 3 * 86_400_000).toISOString(), T, 'en')).toBe('3 days ago');
  });
});

describe('numbers', () => {
  it('writes a decimal comma in Swedish and a point in English', () => {
    expect(formatNumber('sv', 80.35, { maxDecimals: 1 })).toMatch(/^80,[34]$/);
    expect(formatNumber('sv', 1.36)).toBe('1,36');
    expect(formatNumber('en', 1.36)).toBe('1.36');
    expect(formatNumber('sv', 1234.5).replace(/\s/g, ' ')).toBe('1 234,5');
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(formatNumber('sv', 1234.5, { grouping: false })).toBe('1234,5');
    expect(decimalSeparator('sv')).toBe(',');
    expect(decimalSeparator('en')).toBe('.');
  });

  it('reads what a person types: a comma or a point in Swedish, a point in English', () => {
    expect(parseNumber('sv', '1,5')).toBe(1.5);
    expect(parseNumber('sv', ' 1.5 ')).toBe(1.5);
    expect(parseNumber('sv', '−2,0')).toBe(-2);
    expect(parseNumber('sv', ',5')).toBe(0.5);
    expect(parseNumber('en', '1.5')).toBe(1.5);
    expect(parseNumber('en', '1,5')).toBeNull();
    for (const bad of ['', 'abc', '1,5,2', '1e3', '12 kg'])
      expect(parseNumber('sv', bad)).toBeNull();
  });
});

describe('plurals', () => {
  it('counts alerts and days with the form the number calls for (1, 2, 5)', () => {
    const alerts = (n: number, lang: 'sv' | 'en') => translate(lang, 'whatIfCurrent', { n });
    expect([1, 2, 5].map((n) => alerts(n, 'en'))).toEqual([
      'Current values: 1 alert',
      'Current values: 2 alerts',
      'Current values: 5 alerts',
    ]);
    expect([1, 2, 5].map((n) => alerts(n, 'sv'))).toEqual([
      'Nuvarande värden: 1 larm',
      'Nuvarande värden: 2 larm',
      'Nuvarande värden: 5 larm',
    ]);
    expect(translate('en', 'shownCount', { shown: 1, n: 1 })).toBe('1 of 1 alert');
    expect(translate('en', 'shownCount', { shown: 1, n: 5 })).toBe('1 of 5 alerts');
    expect(translate('en', 'days', { n: 1 })).toBe('1 day');
    expect(translate('en', 'days', { n: 7 })).toBe('7 days');
    expect(translate('sv', 'days', { n: 1 })).toBe('1 dygn');
    expect(translate('sv', 'whatIfTitle', { n: 90 })).toContain('de senaste 90 dygnen');
    expect(translate('en', 'whatIfTitle', { n: 1 })).toContain('in the last day');
    // numbers put in a string are the reader's too
    expect(translate('sv', 'days', { n: 1000 }).replace(/\s/g, ' ')).toBe('1 000 dygn');
  });
});

describe('units', () => {
  it('names each UCUM unit as people write it, in both languages', () => {
    expect(unitName('sv', 'mm[Hg]')).toBe('mmHg');
    expect(unitName('sv', '/min', 'heart_rate')).toBe('slag/min');
    expect(unitName('en', '/min', 'heart_rate')).toBe('beats/min');
    expect(unitName('sv', '/min', 'respiratory_rate')).toBe('andetag/min');
    expect(unitName('en', '/min', 'respiratory_rate')).toBe('breaths/min');
    expect(unitName('sv', '%')).toBe('%');
    expect(unitName('sv', 'Cel')).toBe('°C');
    expect(unitName('en', 'Cel')).toBe('°C');
    expect(unitName('sv', 'kg')).toBe('kg');
    expect(unitName('sv', 'mmol/L')).toBe('mmol/l');
    expect(unitName('sv', 'd')).toBe('dygn');
    expect(unitName('en', 'd')).toBe('days');
    expect(unitName('en', '[furlong]')).toBe('[furlong]'); // unknown: as sent
  });

  it('writes a value with its unit, decimals per unit', () => {
    const nb = (s: string) => s.replace(/\s/g, ' ');
    expect(nb(formatValue('sv', 80.44, 'kg'))).toBe('80,4 kg');
    expect(nb(formatValue('en', 80.44, 'kg'))).toBe('80.4 kg');
    expect(nb(formatValue('sv', 38.12, 'Cel'))).toBe('38,1 °C');
    expect(nb(formatValue('en', 38.12, 'Cel'))).toBe('38.1°C');
    expect(nb(formatValue('sv', 92, '%'))).toBe('92 %');
    expect(nb(formatValue('sv', 72.4, '/min', { type: 'heart_rate' }))).toBe('72 slag/min');
    expect(nb(formatValue('sv', 1, 'd'))).toBe('1 dygn');
    expect(nb(formatValue('en', 1, 'd'))).toBe('1 day');
    expect(nb(formatValue('en', 14, 'd'))).toBe('14 days');
  });

  it('shows a reading in the header without UCUM: "142/88 mmHg", never "mm[Hg]"', () => {
    const r = { value: null, systolic: 142, diastolic: 88, code: null, unit: 'mm[Hg]' };
    expect(formatReading('sv', 'blood_pressure', r)).toBe('142/88 mmHg');
    const weight = { value: 80.44, systolic: null, diastolic: null, code: null, unit: 'kg' };
    expect(formatReading('sv', 'body_weight', weight).replace(/\s/g, ' ')).toBe('80,4 kg');
    const pulse = { ...weight, value: 64, unit: '/min' };
    expect(formatReading('en', 'heart_rate', pulse)).toBe('64 beats/min');
    expect(formatReading('sv', 'consciousness', { ...weight, value: null, code: 'A' })).toBe('A');
  });

  it("knows each measurement's canonical unit as the device contract has it", () => {
    for (const [type, table] of Object.entries(units)) {
      expect(canonicalUnits[type as keyof typeof canonicalUnits], type).toBe(table.canonical);
    }
    expect(canonicalUnits.blood_pressure).toBe('mm[Hg]');
  });
});

describe('rule names', () => {
  /** The rule ids the hub raises, read from the rules' source (a new rule fails here unnamed). */
  function ruleIds(): string[] {
    const dir = join(import.meta.dirname, '../../server/rules');
    const ids = new Set<string>([RULES_FAILED]);
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(dir, f), 'utf8');
      for (const m of src.matchAll(
        /rule:\s*(?:[\w.]+\s*\?\s*)?'([\w.]+)'(?:\s*:\s*'([\w.]+)')?/g,
      )) {
        ids.add(m[1]!);
        if (m[2]) ids.add(m[2]);
      }
      // vitals name the rule then its severity: f('pulse.low', 'medium', ...)
      for (const m of src.matchAll(/'([\w.]+)',\s*'(critical|high|medium|low|info)'/g)) {
        ids.add(m[1]!);
      }
    }
    return [...ids];
  }

  it('names every rule the hub raises, in both languages', () => {
    const ids = ruleIds();
    expect(ids.length).toBeGreaterThan(30);
    for (const id of ids) {
      expect(ruleName('sv', id), id).not.toBe(id);
      expect(ruleName('en', id), id).not.toBe(id);
    }
    expect(ruleName('sv', 'spo2.low')).toBe('Låg syremättnad');
    expect(ruleName('en', 'bp.high_average')).toBe('High average blood pressure');
  });

  it('names a missed measurement by its type, and shows an unknown rule as its id', () => {
    expect(ruleName('sv', 'missing.body_weight')).toBe('Utebliven mätning: Vikt');
    expect(ruleName('en', 'missing.blood_pressure')).toBe('Missed measurement: Blood pressure');
    expect(ruleName('en', 'future.rule')).toBe('future.rule');
  });
});
