// A cohort read from plain files (docs/simulation.md "Evaluating any cohort"): readings.csv,
// episodes.csv and an optional patients.csv in one directory. Every row of every file is read
// and checked before anything is scored, and every row that cannot be read is named with its
// file and line: a cohort is scored whole or not at all. Readings go through the hub's own
// ingest check (server/ingest/validate.ts), which converts units ([lb_av] to kg) and refuses
// implausible values as the hub would.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { validateReading } from '../../server/ingest/validate.js';
import { resolvePlan, type PatientPlan } from '../../server/plans/plan.js';
import { dayNumber, dayStartOf, localDate } from '../../server/rules/localDay.js';
import type { RuleReading } from '../../server/rules/types.js';
import type { CohortPatient, TruthEpisode } from './cohort.js';
import {
  COLUMNS,
  episodeRowSchema,
  patientRowSchema,
  readingRowSchema,
  type CohortFileName,
  type ReadingRow,
} from './cohortRows.js';
import { CsvSyntaxError, parseCsv } from './csv.js';
import type { CohortDescription } from './evaluateCohort.js';

const DAY = 86_400_000;
/** Problems listed per file before the rest are only counted. */
const MAX_LISTED = 20;
/** Readings are judged as received when measured: any age is history, not a late arrival. */
const ANY_AGE_DAYS = 1e6;

/** A cohort that cannot be read: every problem found, each with its file and line. */
export class CohortFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

interface Problems {
  add(line: number | null, message: string): void;
}

function problemsOf(file: CohortFileName, out: string[]): Problems {
  let n = 0;
  return {
    add(line, message) {
      n++;
      if (n <= MAX_LISTED) out.push(`${file}${line === null ? '' : ` line ${line}`}: ${message}`);
      else if (n === MAX_LISTED + 1)
        out.push(`${file}: more problems follow (first ${MAX_LISTED} listed)`);
    },
  };
}

const issueText = (e: z.ZodError) =>
  e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

/** Each row of `text` as an object by the header's names, checked by `schema`; problems noted. */
function* rows<S extends z.ZodType>(
  file: CohortFileName,
  text: string,
  schema: S,
  problems: Problems,
): Generator<{ line: number; row: z.output<S> }> {
  const { required, optional } = COLUMNS[file];
  let header: readonly string[] | null = null;
  try {
    for (const { line, fields } of parseCsv(text)) {
      if (header === null) {
        const extra = fields.slice(required.length);
        const ok =
          required.every((c, i) => fields[i] === c) &&
          extra.every((c, i) => (optional as readonly string[])[i] === c);
        if (!ok) {
          const expected = [required.join(','), ...optional.map((c) => `[,${c}]`)].join('');
          problems.add(line, `the header must be ${expected}; it is ${fields.join(',')}`);
          return;
        }
        header = fields;
        continue;
      }
      if (fields.length !== header.length) {
        problems.add(line, `${fields.length} fields; the header has ${header.length}`);
        continue;
      }
      const parsed = schema.safeParse(Object.fromEntries(header.map((c, i) => [c, fields[i]])));
      if (parsed.success) yield { line, row: parsed.data };
      else problems.add(line, issueText(parsed.error));
    }
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    problems.add(e.line, e.message);
  }
  if (header === null) problems.add(null, 'is empty (it needs at least its header)');
}

async function text(dir: string, file: CohortFileName, optional: boolean, out: string[]) {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return null;
    out.push(`${file}: cannot be read (${code ?? (e as Error).message})`);
    return null;
  }
}

function push<T>(by: Map<string, T[]>, key: string, value: T): void {
  const list = by.get(key);
  if (list) list.push(value);
  else by.set(key, [value]);
}

/** A date (its local midnight in `timeZone`) or an instant. */
const instant = (cell: string, timeZone: string) =>
  new Date(cell.length === 10 ? dayStartOf(dayNumber(cell), timeZone) : cell);

/** The reading of a row, in canonical units, or the hub's reason for refusing it. */
function readingOf(r: ReadingRow, messageId: string): RuleReading | string {
  const measuredAt = new Date(r.measured_at);
  const base = { messageId, measuredAt: r.measured_at, unit: r.unit };
  const payload =
    r.type === 'blood_pressure'
      ? { ...base, type: r.type, systolic: r.systolic, diastolic: r.diastolic, pulse: r.pulse }
      : { ...base, type: r.type, value: r.value };
  const v = validateReading(payload, {
    deviceId: 'cohort',
    receivedAt: measuredAt,
    maxAgeDays: ANY_AGE_DAYS,
  });
  if (!v.ok) return v.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  const c = v.reading;
  return {
    deviceId: '',
    messageId,
    type: c.type,
    measuredAt,
    receivedAt: measuredAt,
    value: c.value,
    systolic: c.systolic,
    diastolic: c.diastolic,
    pulse: c.pulse,
    code: null,
  };
}

/**
 * The cohort in `dir`, every row checked; throws CohortFileError naming each row that cannot be
 * read. Patients in the order they first appear (patients.csv, readings.csv, episodes.csv).
 */
export async function readCohort(dir: string): Promise<CohortPatient[]> {
  const out: string[] = [];
  const patientsText = await text(dir, 'patients.csv', true, out);
  const readingsText = await text(dir, 'readings.csv', false, out);
  const episodesText = await text(dir, 'episodes.csv', false, out);

  const plans = new Map<string, PatientPlan>();
  if (patientsText !== null) {
    const problems = problemsOf('patients.csv', out);
    for (const { line, row } of rows('patients.csv', patientsText, patientRowSchema, problems)) {
      if (plans.has(row.patient)) problems.add(line, `patient ${row.patient} has a row already`);
      else plans.set(row.patient, row.plan);
    }
  }
  const readings = new Map<string, RuleReading[]>([...plans.keys()].map((p) => [p, []]));
  if (readingsText !== null) {
    const problems = problemsOf('readings.csv', out);
    for (const { line, row } of rows('readings.csv', readingsText, readingRowSchema, problems)) {
      const r = readingOf(row, `line-${line}`);
      if (typeof r === 'string') problems.add(line, r);
      else push(readings, row.patient, r);
    }
  }
  const episodes = new Map<string, TruthEpisode[]>();
  if (episodesText !== null) {
    const problems = problemsOf('episodes.csv', out);
    for (const { line, row } of rows('episodes.csv', episodesText, episodeRowSchema, problems)) {
      const zone = resolvePlan(plans.get(row.patient)).timeZone;
      const start = instant(row.start, zone);
      const peak = instant(row.peak, zone);
      const end = row.end === undefined ? peak : instant(row.end, zone);
      if (!(start <= peak && peak <= end)) {
        problems.add(line, 'start, peak and end must come in that order');
        continue;
      }
      const e: TruthEpisode = { kind: row.kind, start, peak, end };
      push(episodes, row.patient, e);
    }
  }
  if (out.length) throw new CohortFileError(out);

  const ids = [...new Set([...readings.keys(), ...episodes.keys()])];
  return ids.map((id) => {
    const own = episodes.get(id) ?? [];
    // measurement order (stable: rows of one instant keep the file's order), then ids as the
    // simulated cohort numbers them (ruleReadings.ts)
    const rs = (readings.get(id) ?? []).sort(
      (a, b) => a.measuredAt.getTime() - b.measuredAt.getTime(),
    );
    rs.forEach((r, i) => {
      r.deviceId = `${id}-${r.type}`;
      r.messageId = `${id}-${i}`;
    });
    return {
      id,
      decompensating: own.some((e) => e.kind === 'decompensation'),
      plan: plans.get(id) ?? {},
      readings: rs,
      episodes: own,
    };
  });
}

/**
 * The period a cohort read from files is scored over: from `start` (default: `warmUpDays` after
 * the local midnight that starts the day of its first reading: its history before that) for
 * `days` days (default: to the end of the day of its last reading). Throws when nothing is left.
 */
export function describeCohort(
  dir: string,
  patients: readonly CohortPatient[],
  given: { start?: Date | undefined; days?: number | undefined; warmUpDays: number },
): CohortDescription {
  let first: { at: number; zone: string } | null = null;
  let last = -Infinity;
  for (const p of patients) {
    const rs = p.readings;
    if (!rs.length) continue;
    const at = rs[0]!.measuredAt.getTime();
    if (first === null || at < first.at) first = { at, zone: resolvePlan(p.plan).timeZone };
    last = Math.max(last, rs.at(-1)!.measuredAt.getTime());
  }
  if (first === null) throw new CohortFileError(['readings.csv: has no readings']);
  const firstDay = dayStartOf(dayNumber(localDate(new Date(first.at), first.zone)), first.zone);
  const from = given.start?.getTime() ?? firstDay + given.warmUpDays * DAY;
  const days = given.days ?? Math.floor((last - from) / DAY) + 1;
  if (days < 1) {
    throw new CohortFileError([
      `readings.csv: no reading after the warm-up (${given.warmUpDays} days, the scored period would start ${new Date(from).toISOString()})`,
    ]);
  }
  return {
    seed: null,
    source: dir,
    patients: patients.length,
    days,
    warmUpDays: given.start ? Math.max(0, Math.round((from - firstDay) / DAY)) : given.warmUpDays,
    start: new Date(from),
  };
}
