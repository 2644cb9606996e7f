// The patient list's logic: search, filters, their options and their place in the page's
// address. Pure (no DOM), so the unit tests run it under Node.
//
// Why in the browser, over one GET /patients, and not query parameters: a care unit follows up
// to ~1,250 patients. Measured with that many (test/e2e/patients.test.ts, seeded by
// test/bench/dashboardSeed.ts; docs/benchmarks.md "Patient list"), the whole list is one answer
// of 1.1 MiB that a hub gives in ~0.2-0.4 s on PostgreSQL and ~0.4-1.5 s embedded (PGlite's one
// connection), on a loaded 2-core machine, once per visit of the page. After it, every keystroke and filter answers in well
// under a frame (filtering 1,250 summaries: ~2 ms) with no round trip, and a search does not
// add another audit row for each patient it shows. What costs is drawing rows: all 1,251 took
// ~4.9 s to appear on a loaded machine against ~0.6 s for 100, so the page draws `PAGE` rows at
// a time. Should a unit grow well past this, the same filters become query parameters of
// GET /patients (a page of summaries, and its total) and this module the URL they are read from.
import { frailtyFilters, matchesFrailty, type FrailtyFilter } from './triage.js';
import type { Lang, PatientSummary, Person } from './types.js';

/** Rows drawn at once; "show more" draws the next as many. */
export const PAGE = 100;

export type PlanFilter = 'all' | 'planned' | 'unplanned';
/** `all`, `none` (no fixed care contact), or a staff member's id. */
export type ContactFilter = string;

export interface PatientFilter {
  /** Words of a name (each must match), or the hub's id of the patient. */
  q: string;
  /** `all` or a care unit's id. */
  unit: string;
  contact: ContactFilter;
  frailty: FrailtyFilter;
  plan: PlanFilter;
}

export const noFilter: PatientFilter = {
  q: '',
  unit: 'all',
  contact: 'all',
  frailty: 'all',
  plan: 'all',
};

const planFilters: readonly PlanFilter[] = ['all', 'planned', 'unplanned'];

const locale = (lang: Lang) => (lang === 'sv' ? 'sv-SE' : 'en-GB');

/** Lower case the Swedish way; å, ä and ö stay letters of their own, as a Swede types them. */
const fold = (s: string) => s.toLocaleLowerCase('sv-SE').normalize('NFC');

/** True when every word of `q` starts a word of the name, or `q` is the patient's id. */
export function matchesSearch(p: Pick<PatientSummary, 'id' | 'displayName'>, q: string): boolean {
  const words = fold(q).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  if (words.length === 1 && fold(p.id) === words[0]) return true;
  const name = fold(p.displayName).split(/[\s-]+/);
  return words.every((w) => name.some((n) => n.startsWith(w)));
}

export function matchesFilter(p: PatientSummary, f: PatientFilter): boolean {
  if (f.unit !== 'all' && !p.units.some((u) => u.id === f.unit)) return false;
  if (
    f.contact === 'none'
      ? p.fixedContact !== null
      : f.contact !== 'all' && p.fixedContact?.id !== f.contact
  )
    return false;
  if (!matchesFrailty(p.frailty, f.frailty)) return false;
  if (f.plan !== 'all' && p.plannedMeasurements.length > 0 !== (f.plan === 'planned')) return false;
  return matchesSearch(p, f.q);
}

/** The patients shown, in name order (the language's collation: Å, Ä, Ö after Z in Swedish; 2 before 10). */
export function filterPatients(
  list: readonly PatientSummary[],
  f: PatientFilter,
  lang: Lang,
): PatientSummary[] {
  const byName = new Intl.Collator(locale(lang), { numeric: true }).compare;
  return list
    .filter((p) => matchesFilter(p, f))
    .sort((a, b) => byName(a.displayName, b.displayName) || a.id.localeCompare(b.id));
}

/** The care units and the fixed contacts the list holds, each once, in name order: the filters' choices. */
export function filterChoices(
  list: readonly PatientSummary[],
  lang: Lang,
): { units: Person[]; contacts: Person[] } {
  const units = new Map<string, Person>();
  const contacts = new Map<string, Person>();
  for (const p of list) {
    for (const u of p.units) units.set(u.id, { id: u.id, displayName: u.name });
    if (p.fixedContact) contacts.set(p.fixedContact.id, p.fixedContact);
  }
  const byName = new Intl.Collator(locale(lang), { numeric: true }).compare;
  const sorted = (m: Map<string, Person>) =>
    [...m.values()].sort((a, b) => byName(a.displayName, b.displayName));
  return { units: sorted(units), contacts: sorted(contacts) };
}

/** The filter in the page's address (`#/patients?q=...`), so that going back to the list keeps it. */
export function queryOf(f: PatientFilter): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(noFilter) as (keyof PatientFilter)[]) {
    if (f[key] !== noFilter[key]) params.set(key, f[key]);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The filter an address holds; anything it does not know is left at its default. */
export function filterOf(query: string): PatientFilter {
  const params = new URLSearchParams(query);
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = params.get(key);
    return allowed.includes(v as T) ? (v as T) : fallback;
  };
  return {
    q: params.get('q') ?? '',
    unit: params.get('unit') || 'all',
    contact: params.get('contact') || 'all',
    frailty: pick('frailty', frailtyFilters, 'all'),
    plan: pick('plan', planFilters, 'all'),
  };
}
