// A scenario file is checked before anything runs, and a mistake is named by its field, so that
// whoever wrote the file finds it without reading the runner.
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  loadScenario,
  parseScenario,
  patientKeys,
  ScenarioError,
  type ScenarioInput,
} from '../../../simulators/scenario/schema.js';

const valid: ScenarioInput = {
  name: 'two-units',
  seed: 7,
  days: 14,
  organisations: [
    {
      name: 'Region Test',
      kind: 'region',
      units: [
        {
          key: 'vc',
          name: 'VC Test',
          onCall: 'jour',
          staff: [{ username: 'anna', role: 'nurse' }],
        },
        { key: 'jour', name: 'Jour', staff: [] },
      ],
    },
  ],
  population: [
    { profile: 'hf-decompensating', count: 2, unit: 'vc' },
    { profile: 'copd', count: 1, unit: 'vc', transport: 'gatt' },
  ],
  events: [
    { kind: 'gateway_offline', patient: 'hf-decompensating-2', fromHour: 24, toHour: 72 },
    { kind: 'fault', patient: 'copd-1', atHour: 5, fault: 'clock_offset', hours: 3 },
  ],
};

const errorOf = (input: unknown) => {
  try {
    parseScenario(input, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error('expected the scenario to be refused');
};

describe('scenario files', () => {
  it('accepts a valid file and fills in the defaults', () => {
    const s = parseScenario(valid);
    expect(s.acceleration).toBe('max');
    expect(s.timeZone).toBe('Europe/Stockholm');
    expect(s.population[0]!.transport).toBe('json');
    expect(patientKeys(s.population[0]!)).toEqual(['hf-decompensating-1', 'hf-decompensating-2']);
  });

  it.each([
    [
      'an unknown profile',
      { population: [{ profile: 'flu', count: 1, unit: 'vc' }] },
      'population.0.profile',
    ],
    [
      'a count of zero',
      { population: [{ profile: 'copd', count: 0, unit: 'vc' }] },
      'population.0.count',
    ],
    [
      'a unit no one declared',
      { population: [{ profile: 'copd', count: 1, unit: 'ward-9' }] },
      'population.0.unit: no unit with key ward-9',
    ],
    ['a negative span', { days: -1 }, 'days'],
    ['a slow-motion acceleration', { acceleration: 0.5 }, 'acceleration'],
    ['an unknown field (a typo)', { seeds: 3 }, '(top level)'],
    ['a bad time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
  ])('names the field for %s', (_what, patch, field) => {
    expect(errorOf({ ...valid, ...patch })).toContain(field);
  });

  it('names the event that refers to a patient who does not exist', () => {
    const events = [{ kind: 'device_revoked', patient: 'copd-9', atHour: 1 }];
    expect(errorOf({ ...valid, events })).toMatch(/events\.0\.patient: no patient copd-9/);
  });

  it('names an offline window that ends before it starts, or after the span', () => {
    const backwards = [{ kind: 'gateway_offline', patient: 'copd-1', fromHour: 10, toHour: 5 }];
    expect(errorOf({ ...valid, events: backwards })).toContain(
      'events.0.toHour: must be after fromHour',
    );
    const late = [{ kind: 'gateway_offline', patient: 'copd-1', fromHour: 10, toHour: 1000 }];
    expect(errorOf({ ...valid, events: late })).toContain('events.0.toHour: 1000 is after the end');
  });

  it('names a clock fault without its hours, and an unknown fault', () => {
    const noHours = [{ kind: 'fault', patient: 'copd-1', atHour: 1, fault: 'clock_offset' }];
    expect(errorOf({ ...valid, events: noHours })).toContain('events.0.hours');
    const unknown = [{ kind: 'fault', patient: 'copd-1', atHour: 1, fault: 'fire' }];
    expect(errorOf({ ...valid, events: unknown })).toContain('events.0.fault');
  });

  it("takes a COPD patient's acute exacerbation before the end of the span, and names any other", () => {
    const acute = [{ kind: 'acute', patient: 'copd-1', atHour: 14 * 24 - 0.25 }];
    expect(parseScenario({ ...valid, events: acute }).events).toEqual(acute);
    const notCopd = [{ kind: 'acute', patient: 'hf-decompensating-1', atHour: 10 }];
    expect(errorOf({ ...valid, events: notCopd })).toContain(
      'events.0.patient: an acute exacerbation is modelled for copd patients; hf-decompensating-1 is not one',
    );
    const atTheEnd = [{ kind: 'acute', patient: 'copd-1', atHour: 14 * 24 }];
    expect(errorOf({ ...valid, events: atTheEnd })).toContain(
      'events.0.atHour: must be before the end of the span (336 hours)',
    );
  });

  it('names an on-call unit that does not exist and a username used twice', () => {
    const orgs = structuredClone(valid.organisations);
    orgs[0]!.units[0]!.onCall = 'nobody';
    orgs[0]!.units[1]!.staff = [{ username: 'anna', role: 'nurse' }];
    const message = errorOf({ ...valid, organisations: orgs });
    expect(message).toContain('organisations.0.units.0.onCall: no unit with key nobody');
    expect(message).toContain(
      'organisations.0.units.1.staff.0.username: username anna is used twice',
    );
  });

  it("takes an on-call roster of the unit's nurses and physicians, and names anyone else", () => {
    const orgs = structuredClone(valid.organisations);
    orgs[0]!.units[1]!.staff = [
      { username: 'erik', role: 'nurse' },
      { username: 'boss', role: 'admin' },
    ];
    orgs[0]!.units[1]!.roster = { staff: ['erik'] };
    const s = parseScenario({ ...valid, organisations: orgs });
    expect(s.organisations[0]!.units[1]!.roster).toEqual({
      staff: ['erik'],
      shiftHours: 12,
      days: 7,
    });
    orgs[0]!.units[1]!.roster = { staff: ['erik', 'boss', 'anna'] };
    const message = errorOf({ ...valid, organisations: orgs });
    expect(message).toContain(
      'organisations.0.units.1.roster.staff.1: boss is not a nurse or physician of unit jour',
    );
    expect(message).toContain(
      'organisations.0.units.1.roster.staff.2: anna is not a nurse or physician of unit jour',
    );
  });

  it('names the file that is not JSON', async () => {
    await expect(loadScenario('README.md')).rejects.toThrow(/^README\.md: /);
  });

  it('every scenario shipped in simulators/scenarios is valid', async () => {
    const dir = 'simulators/scenarios';
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) await loadScenario(`${dir}/${f}`);
  });
});
