// The scenario's alert-quality report (simulators/scenario/quality.ts) against a truth made by
// hand: which alerts count for the lived span, and which open cards belong to a true episode.
import { describe, expect, it } from 'vitest';
import { alertQuality, describeQuality, isClinical } from '../../../simulators/scenario/quality.js';
import type { PatientTruth, ScenarioTruth } from '../../../simulators/scenario/runner.js';

const patient = (patientId: string, episodes: PatientTruth['episodes']) =>
  ({ patientId, episodes }) as PatientTruth;

const truth: ScenarioTruth = {
  scenario: 'hand-made',
  seed: 1,
  start: '2026-11-01T00:00:00.000Z',
  end: '2026-11-15T00:00:00.000Z', // 14 days
  acceleration: 'max',
  patients: [
    patient('p1', [
      {
        kind: 'decompensation',
        start: '2026-11-05T00:00:00.000Z',
        peak: '2026-11-08T00:00:00.000Z',
        end: '2026-11-10T00:00:00.000Z',
        weightGainKg: 2,
      },
    ]),
    patient('p2', []),
  ],
};

describe('alert quality against the ground truth', () => {
  const q = alertQuality(truth, [
    // before the lived span (the history): not counted per patient-week, but open
    { patientId: 'p2', rule: 'bp.high_average', status: 'open', findingAt: '2026-10-20T08:00:00Z' },
    // in the episode, and within two days after its end
    { patientId: 'p1', rule: 'weight.gain_3d', status: 'open', findingAt: '2026-11-07T08:00:00Z' },
    {
      patientId: 'p1',
      rule: 'personal.pulse_up',
      status: 'acknowledged',
      findingAt: '2026-11-11T08:00:00Z',
    },
    // before the episode began, and long after it: not about it
    { patientId: 'p1', rule: 'weight.loss_1d', status: 'open', findingAt: '2026-11-03T08:00:00Z' },
    { patientId: 'p1', rule: 'weight.gain_1d', status: 'open', findingAt: '2026-11-14T08:00:00Z' },
    // resolved: no card any more, but an alert of the span
    {
      patientId: 'p2',
      rule: 'weight.gain_1d',
      status: 'resolved',
      findingAt: '2026-11-12T08:00:00Z',
    },
    // a missed measurement: a card, not a clinical one
    {
      patientId: 'p2',
      rule: 'missing.body_weight',
      status: 'open',
      findingAt: '2026-11-13T10:00:00Z',
    },
  ]);

  it('counts the alerts about the lived span per patient-week', () => {
    expect(q.days).toBe(14);
    expect(q.patientWeeks).toBe(4);
    expect(q.alerts).toBe(6);
    expect(q.perPatientWeek).toBe(1.5);
    expect(q.byRule[0]).toEqual(['weight.gain_1d', 2]);
  });

  it('counts the open cards that belong to a true episode, all and clinical', () => {
    expect(q.openCards).toBe(6);
    expect(q.openInEpisode).toBe(2);
    expect(q.openClinical).toBe(5);
    expect(q.openClinicalInEpisode).toBe(2);
  });

  it('counts a card in an episode when any rule agreeing on it is about the episode', () => {
    const card = {
      patientId: 'p1',
      rule: 'weight.gain_1d',
      status: 'open',
      findingAt: '2026-11-14T08:00:00Z',
    };
    expect(alertQuality(truth, [card]).openInEpisode).toBe(0);
    expect(
      alertQuality(truth, [
        { ...card, findingsAt: ['2026-11-14T08:00:00Z', '2026-11-07T08:00:00Z'] },
      ]).openInEpisode,
    ).toBe(1);
  });

  it('tells clinical rules from the missed measurements and the hub', () => {
    expect(isClinical('weight.gain_3d')).toBe(true);
    expect(isClinical('missing.body_weight')).toBe(false);
    expect(isClinical('rules.failed')).toBe(false);
  });

  it('says it in lines for people', () => {
    expect(describeQuality(q)).toEqual([
      'alerts in the lived span: 6 for 2 patients over 14.0 days = 1.50 per patient-week',
      'open cards at the end: 6, of which 2 (33 %) belong to a true episode; clinical 5, of which 2 (40 %)',
      'alerts by rule: weight.gain_1d 2, bp.high_average 0, missing.body_weight 1, personal.pulse_up 1, weight.gain_3d 1, weight.loss_1d 1'.replace(
        'bp.high_average 0, ',
        '',
      ),
    ]);
  });
});
