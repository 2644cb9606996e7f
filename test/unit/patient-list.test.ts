// The dashboard's patient list: search by name words or the hub's id, the filters (care unit,
// fixed contact, frailty band, measurement plan), name order in the language's collation, the
// filter choices, and the filter kept in the page's address. Pure, under Node.
import { describe, expect, it } from 'vitest';
import {
  filterChoices,
  filterOf,
  filterPatients,
  matchesSearch,
  noFilter,
  queryOf,
  type PatientFilter,
} from '../../dashboards/src/patientList.js';
import { parseRoute } from '../../dashboards/src/route.js';
import type { PatientSummary } from '../../dashboards/src/types.js';

const vc = { id: 'cu_vc', name: 'VC Gränby' };
const home = { id: 'cu_home', name: 'Hemsjukvård Norr' };
const anna = { id: 'stf_anna', displayName: 'Anna Sjöberg' };
const bo = { id: 'stf_bo', displayName: 'Bo Ek' };

const patient = (
  id: string,
  displayName: string,
  o: Partial<PatientSummary> = {},
): PatientSummary => ({
  id,
  displayName,
  frailty: null,
  fixedContact: null,
  units: [vc],
  openAlerts: [],
  latest: {},
  plannedMeasurements: [],
  ...o,
});

const list = [
  patient('pat_1', 'Östen Karlsson', { frailty: 7, fixedContact: anna, units: [vc, home] }),
  patient('pat_2', 'Åsa Berg', {
    frailty: 3,
    fixedContact: bo,
    plannedMeasurements: ['body_weight'],
  }),
  patient('pat_3', 'Anna-Lena Öberg', { units: [home] }),
  patient('pat_4', 'Zlatan Andersson', { frailty: 5, fixedContact: anna }),
];
const ids = (f: Partial<PatientFilter>, lang: 'sv' | 'en' = 'sv') =>
  filterPatients(list, { ...noFilter, ...f }, lang).map((p) => p.id);

describe('the patient list', () => {
  it('finds by the start of any word of the name, every word typed, any case; or by the id', () => {
    const p = list[2]!;
    expect(matchesSearch(p, 'lena')).toBe(true);
    expect(matchesSearch(p, 'ÖBERG anna')).toBe(true);
    expect(matchesSearch(p, 'berg')).toBe(false); // a word's start, not its middle
    expect(matchesSearch(p, 'anna karl')).toBe(false);
    expect(matchesSearch(p, '  ')).toBe(true);
    expect(matchesSearch(p, 'PAT_3')).toBe(true);
    expect(matchesSearch(p, 'pat_')).toBe(false);
    // å, ä, ö are letters of their own, as in Swedish
    expect(ids({ q: 'ås' })).toEqual(['pat_2']);
    expect(ids({ q: 'as' })).toEqual([]);
  });

  it('sorts by name in the language of the page: Å, Ä, Ö after Z in Swedish, 2 before 10', () => {
    expect(ids({})).toEqual(['pat_3', 'pat_4', 'pat_2', 'pat_1']);
    expect(ids({}, 'en')).toEqual(['pat_3', 'pat_2', 'pat_1', 'pat_4']);
    // numbers in names in their order
    const numbered = ['Patient 10', 'Patient 2', 'Patient 1'].map((n, i) => patient(`n${i}`, n));
    expect(filterPatients(numbered, noFilter, 'sv').map((p) => p.displayName)).toEqual([
      'Patient 1',
      'Patient 2',
      'Patient 10',
    ]);
  });

  it('filters by care unit, fixed contact (or none), frailty band and measurement plan, together', () => {
    expect(ids({ unit: 'cu_home' })).toEqual(['pat_3', 'pat_1']);
    expect(ids({ contact: 'stf_anna' })).toEqual(['pat_4', 'pat_1']);
    expect(ids({ contact: 'none' })).toEqual(['pat_3']);
    expect(ids({ frailty: '7-9' })).toEqual(['pat_1']);
    expect(ids({ frailty: 'unknown' })).toEqual(['pat_3']);
    expect(ids({ frailty: '4-6', contact: 'stf_anna' })).toEqual(['pat_4']);
    expect(ids({ plan: 'planned' })).toEqual(['pat_2']);
    expect(ids({ plan: 'unplanned', unit: 'cu_vc' })).toEqual(['pat_4', 'pat_1']);
  });

  it('offers the units and contacts the list holds, each once, in name order', () => {
    const c = filterChoices(list, 'sv');
    expect(c.units).toEqual([
      { id: 'cu_home', displayName: 'Hemsjukvård Norr' },
      { id: 'cu_vc', displayName: 'VC Gränby' },
    ]);
    expect(c.contacts).toEqual([anna, bo]);
  });

  it('keeps the filter in the address and reads it back; what it does not know stays default', () => {
    const f: PatientFilter = { ...noFilter, q: 'Åsa B', frailty: '1-3', plan: 'planned' };
    expect(queryOf(noFilter)).toBe('');
    const q = queryOf(f);
    expect(q).toMatch(/^\?/);
    expect(filterOf(q)).toEqual(f);
    expect(filterOf('?frailty=12&plan=maybe&unit=')).toEqual(noFilter);
    const route = parseRoute(`#/patients${q}`);
    expect(route).toEqual({ name: 'patients', query: q });
    expect(parseRoute('#/patients')).toEqual({ name: 'patients', query: '' });
    expect(parseRoute('#/patients/pat_1')).toEqual({ name: 'patient', id: 'pat_1' });
    expect(parseRoute('#/')).toEqual({ name: 'triage' });
  });

  it('filters a unit of 1,250 patients in milliseconds', () => {
    const many = Array.from({ length: 1250 }, (_, i) =>
      patient(`pat_${i}`, `Patient ${i} Efternamn${i % 50}`, { frailty: (i % 9) + 1 }),
    );
    const t = performance.now();
    for (let i = 0; i < 20; i++)
      filterPatients(many, { ...noFilter, q: `efternamn${i}`, frailty: '4-6' }, 'sv');
    const each = (performance.now() - t) / 20;
    expect(filterPatients(many, { ...noFilter, q: 'efternamn7' }, 'sv')).toHaveLength(25);
    expect(each).toBeLessThan(50);
  });
});
