// How the alert card words why an alert came (dashboards/src/explain.ts): thresholds in the
// reader's numbers and units, and where they came from.
import { describe, expect, it } from 'vitest';
import { arrivedLater, formatThreshold, thresholdSource } from '../../dashboards/src/explain.js';

const personal = (setBy: { name: string | null; at: string }[]) => ({
  value: 1.5,
  unit: 'kg',
  source: 'personal' as const,
  reference: 'ESC 2021',
  setBy: setBy.map((s) => ({
    key: 'weight.gain3dKg',
    changedBy: s.name ? { id: 'stf_1', displayName: s.name } : null,
    changedAt: s.at,
  })),
});

describe('the explanation as the card words it', () => {
  it('writes thresholds with a decimal comma in Swedish, and units as people write them', () => {
    expect(formatThreshold('sv', { value: 1.36, unit: 'kg' })).toBe('1,36 kg');
    expect(formatThreshold('en', { value: 1.36, unit: 'kg' })).toBe('1.36 kg');
    expect(
      formatThreshold('sv', { value: { systolic: 180, diastolic: 110 }, unit: 'mm[Hg]' }),
    ).toBe('180/110 mmHg');
    expect(formatThreshold('sv', { value: { k: 2, sdUsed: 0.3, limit: 84.12 }, unit: 'kg' })).toBe(
      '84,12 kg',
    );
    expect(formatThreshold('sv', { value: { dryWeightKg: 78, toleranceKg: 2 }, unit: 'kg' })).toBe(
      '78 kg ± 2 kg',
    );
    expect(formatThreshold('sv', { value: 110, unit: '/min' }, 'heart_rate')).toBe('110 slag/min');
  });

  it("says who set a personal threshold and on which day, in the patient's zone", () => {
    const th = personal([{ name: 'Karin Sjöberg', at: '2026-12-02T23:30:00Z' }]);
    expect(thresholdSource('sv', th, 'Europe/Stockholm')).toBe(
      'personlig (satt av Karin Sjöberg, 3 dec.)',
    );
    expect(thresholdSource('en', th, 'Europe/Stockholm')).toBe(
      'personal (set by Karin Sjöberg, 3 Dec)',
    );
    expect(thresholdSource('sv', personal([{ name: null, at: '2026-12-03T08:00:00Z' }]))).toBe(
      'personlig (satt 3 dec.)',
    );
    expect(thresholdSource('sv', personal([]))).toBe('personlig');
    expect(thresholdSource('sv', { ...personal([]), source: 'default' })).toBe('standard');
  });

  it('says when a reading arrived only when that was over an hour after it was measured', () => {
    const measuredAt = '2026-12-03T07:00:00Z';
    expect(arrivedLater({ measuredAt, receivedAt: '2026-12-03T07:30:00Z' })).toBeNull();
    expect(arrivedLater({ measuredAt, receivedAt: '2026-12-03T09:00:00Z' })).toBe(
      '2026-12-03T09:00:00Z',
    );
  });
});
