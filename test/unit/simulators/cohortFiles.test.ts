import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cohortOptionsSchema, simulatedPatient } from '../../../simulators/evaluate/cohort.js';
import { writeCohort } from '../../../simulators/evaluate/cohortExport.js';
import {
  CohortFileError,
  describeCohort,
  readCohort,
} from '../../../simulators/evaluate/cohortFiles.js';
import { CsvSyntaxError, csvRecord, parseCsv } from '../../../simulators/evaluate/csv.js';
import { evaluateCohort, evaluatePatients } from '../../../simulators/evaluate/evaluateCohort.js';
import { evaluatePatientsInParallel } from '../../../simulators/evaluate/parallel.js';
import { scoresJson } from '../../../simulators/evaluate/report.js';

const EXAMPLE = new URL('../../../simulators/evaluate/examples/tiny/', import.meta.url).pathname;
const READINGS = 'patient,measured_at,type,value,systolic,diastolic,unit';
const EPISODES = 'patient,kind,start,peak';
const GOOD_READING = 'p1,2026-03-01T07:30:00+01:00,body_weight,80.1,,,kg';
const GOOD_EPISODE = 'p1,decompensation,2026-03-09,2026-03-13';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function cohortDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cohort-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** The problems readCohort finds in these files (it must refuse them). */
async function problems(files: Record<string, string>): Promise<string[]> {
  const dir = await cohortDir({
    'readings.csv': `${READINGS}\n${GOOD_READING}\n`,
    'episodes.csv': `${EPISODES}\n${GOOD_EPISODE}\n`,
    ...files,
  });
  const e: unknown = await readCohort(dir).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CohortFileError);
  return (e as CohortFileError).problems;
}

const readingsWith = (...rows: string[]) => ({
  'readings.csv': [READINGS, GOOD_READING, ...rows].join('\n') + '\n',
});

describe('CSV by RFC 4180', () => {
  const records = (text: string) => [...parseCsv(text)];

  it('splits fields and records, with CRLF or LF, and skips blank lines and a BOM', () => {
    expect(records('\uFEFFa,b,c\r\nd,,f\n\ng,h,\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['d', '', 'f'] },
      { line: 4, fields: ['g', 'h', ''] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, counting lines', () => {
    expect(records('x,"a, b","say ""hi"""\n"two\r\nlines",y\nlast,"",z')).toEqual([
      { line: 1, fields: ['x', 'a, b', 'say "hi"'] },
      { line: 2, fields: ['two\r\nlines', 'y'] },
      { line: 4, fields: ['last', '', 'z'] },
    ]);
  });

  it('refuses a stray quote, text after a closing quote and an unclosed quote, with the line', () => {
    const error = (text: string) => {
      try {
        records(text);
      } catch (e) {
        return e as CsvSyntaxError;
      }
      throw new Error('no error');
    };
    expect(error('a,b\nc,d"e\n')).toMatchObject({ line: 2, message: /quote inside an unquoted/ });
    expect(error('a\n"b"c\n')).toMatchObject({ line: 2, message: /after a closing quote/ });
    expect(error('a\nb,"c\nd\n')).toMatchObject({ line: 2, message: /never closed/ });
  });

  it('writes what it reads', () => {
    const fields = ['plain', 'a, b', 'say "hi"', 'two\nlines', ''];
    expect(records(csvRecord(fields) + csvRecord(['x']))).toEqual([
      { line: 1, fields },
      { line: 3, fields: ['x'] },
    ]);
  });
});

describe('reading a cohort from files', () => {
  it('reads the example cohort: readings in canonical units ([lb_av] as kg), plans, episodes', async () => {
    const patients = await readCohort(EXAMPLE);
    expect(patients.map((p) => p.id)).toEqual(['anna', 'bo', 'cecilia']);
    const [anna, bo, cecilia] = patients as [
      (typeof patients)[0],
      (typeof patients)[0],
      (typeof patients)[0],
    ];
    expect(anna.plan).toEqual({ weight: { dryWeightKg: 80 } });
    expect(anna.decompensating).toBe(true);
    expect(anna.episodes).toEqual([
      {
        kind: 'decompensation',
        // a date is the local midnight that starts it (Europe/Stockholm, the default)
        start: new Date('2026-03-09T00:00:00+01:00'),
        peak: new Date('2026-03-13T10:00:00+01:00'),
        end: new Date('2026-03-13T10:00:00+01:00'),
      },
    ]);
    const bp = anna.readings.find((r) => r.type === 'blood_pressure')!;
    expect(bp).toMatchObject({ systolic: 118, diastolic: 72, pulse: null, value: null });
    const weight = bo.readings.find((r) => r.type === 'body_weight')!;
    expect(weight.value).toBe(80.014); // 176.4 lb, converted and rounded as the hub's ingest does
    expect(weight.measuredAt).toEqual(new Date('2026-03-01T07:05:00Z'));
    expect(cecilia.plan.timeZone).toBe('Europe/Helsinki');
    expect(cecilia.episodes[0]!.start).toEqual(new Date('2026-03-08T00:00:00+02:00'));
    // measurement order whatever the rows' order
    const times = cecilia.readings.map((r) => r.measuredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('scores the example: the weight gain is caught ahead of the peak', async () => {
    const patients = await readCohort(EXAMPLE);
    const d = describeCohort(EXAMPLE, patients, { warmUpDays: 3 });
    expect(d.start).toEqual(new Date('2026-03-04T00:00:00+01:00'));
    expect(d.days).toBe(11);
    const json = scoresJson(evaluatePatients(patients, d));
    expect(json.rules['weight.gain_1d']).toMatchObject({ episodes: 1, detected: 1, ppv: 1 });
    expect(json.rules['weight.gain_1d']!.medianWarningDays).toBeGreaterThan(1);
    expect(json.paging).toMatchObject({ sensitivity: 1, episodes: 1, detected: 1 });
    expect(Object.keys(json.paging).sort()).toEqual([
      'detected',
      'episodes',
      'falseAlertsPerPatientYear',
      'medianWarningDays',
      'ppv',
      'sensitivity',
    ]);
  });

  it('refuses a wrong header', async () => {
    expect(
      await problems({ 'readings.csv': `patient,time,type,value\n${GOOD_READING}\n` }),
    ).toEqual([
      'readings.csv line 1: the header must be patient,measured_at,type,value,systolic,diastolic,unit[,pulse]; it is patient,time,type,value',
    ]);
  });

  it('refuses a time without an offset', async () => {
    const p = await problems(readingsWith('p1,2026-03-02T07:30:00,body_weight,80.1,,,kg'));
    expect(p).toEqual([
      'readings.csv line 3: measured_at: must be an RFC 3339 time with an offset, e.g. 2026-01-05T07:12:00+01:00',
    ]);
  });

  it('refuses an unknown type', async () => {
    const p = await problems(readingsWith('p1,2026-03-02T07:30:00Z,weight,80.1,,,kg'));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(
      /^readings\.csv line 3: type: unknown type "weight"; expected one of body_weight/,
    );
  });

  it('refuses a unit the contract does not accept for the type', async () => {
    const p = await problems(readingsWith('p1,2026-03-02T07:30:00Z,body_weight,176,,,lb'));
    expect(p).toEqual([
      'readings.csv line 3: unit: unit "lb" is not accepted for body_weight; use kg or [lb_av] (UCUM)',
    ]);
  });

  it('refuses a blood pressure without its systolic, and a value where none applies', async () => {
    const p = await problems(
      readingsWith(
        'p1,2026-03-02T07:30:00Z,blood_pressure,,,80,mm[Hg]',
        'p1,2026-03-02T07:31:00Z,heart_rate,70,120,,/min',
      ),
    );
    expect(p).toEqual([
      'readings.csv line 3: systolic: is required for blood_pressure',
      'readings.csv line 4: systolic: must be empty for heart_rate',
    ]);
  });

  it('refuses a value that is not a number, and one the hub would refuse as implausible', async () => {
    const p = await problems(
      readingsWith(
        'p1,2026-03-02T07:30:00Z,body_weight,80kg,,,kg',
        'p1,2026-03-03T07:30:00Z,spo2,140,,,%',
        'p1,2026-03-03T07:31:00Z,heart_rate,0x40,,,/min',
      ),
    );
    expect(p).toEqual([
      'readings.csv line 3: value: "80kg" is not a number',
      'readings.csv line 4: value: 140 % is outside the plausible range 50-100 % for spo2',
      'readings.csv line 5: value: "0x40" is not a number',
    ]);
  });

  it('refuses a row with too few fields', async () => {
    const p = await problems(readingsWith('p1,2026-03-02T07:30:00Z,body_weight,80'));
    expect(p).toEqual(['readings.csv line 3: 4 fields; the header has 7']);
  });

  it('refuses an unknown episode kind and a peak before the start', async () => {
    const p = await problems({
      'episodes.csv': `${EPISODES}\np1,infection,2026-03-01,2026-03-03\np1,other,2026-03-05,2026-03-04\n`,
    });
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(
      /^episodes\.csv line 2: kind: unknown kind "infection"; expected decompensation or other/,
    );
    expect(p[1]).toBe('episodes.csv line 3: start, peak and end must come in that order');
  });

  it('refuses an episode time that is neither a date nor a time with an offset', async () => {
    const p = await problems({
      'episodes.csv': `${EPISODES}\np1,other,2026-03-01T08:00,2026-03-03\n`,
    });
    expect(p).toEqual([
      'episodes.csv line 2: start: must be a date (YYYY-MM-DD) or an RFC 3339 time with an offset',
    ]);
  });

  it('refuses plan JSON that does not parse, a plan the plan API refuses, and an unknown zone', async () => {
    const p = await problems({
      'patients.csv': [
        'patient,time_zone,plan',
        'p1,,{weight: 1}',
        'p2,,"{""weight"": {""gain3dKg"": -1}}"',
        'p3,,"{""weight"": {""macd"": {""shortDays"": 12}}}"',
        'p4,Europe/Gothenburg,',
        'p5,,',
        'p5,Europe/Stockholm,',
      ].join('\r\n'),
    });
    expect(p).toHaveLength(5);
    expect(p[0]).toMatch(/^patients\.csv line 2: plan: is not JSON \(/);
    expect(p[1]).toMatch(/^patients\.csv line 3: plan: is no plan: weight\.gain3dKg: /);
    expect(p[2]).toMatch(/^patients\.csv line 4: plan: is no plan: weight\.macd\.shortDays: /);
    expect(p[3]).toBe(
      'patients.csv line 5: time_zone: must be an IANA time zone such as Europe/Stockholm',
    );
    expect(p[4]).toBe('patients.csv line 7: patient p5 has a row already');
  });

  it('reads quoted fields with commas (RFC 4180) as one cell', async () => {
    const dir = await cohortDir({
      'readings.csv': `${READINGS}\n"p, one",2026-03-01T07:30:00Z,"body_weight","80.5",,,kg\n`,
      'episodes.csv': `${EPISODES}\n`,
      'patients.csv':
        'patient,time_zone,plan\n"p, one",,"{""weight"": {""dryWeightKg"": 79.5, ""gain1dKg"": 1.5}}"\n',
    });
    const [p] = await readCohort(dir);
    expect(p!.id).toBe('p, one');
    expect(p!.plan).toEqual({ weight: { dryWeightKg: 79.5, gain1dKg: 1.5 } });
    expect(p!.readings[0]!.value).toBe(80.5);
  });

  it('names every bad row of every file, and a missing file', async () => {
    const dir = await cohortDir({
      'readings.csv': `${READINGS}\np1,yesterday,body_weight,80,,,kg\np1,2026-03-01T07:30:00Z,spo2,x,,,%\n`,
    });
    const e = (await readCohort(dir).catch((err: unknown) => err)) as CohortFileError;
    expect(e.problems).toEqual([
      'episodes.csv: cannot be read (ENOENT)',
      'readings.csv line 2: measured_at: must be an RFC 3339 time with an offset, e.g. 2026-01-05T07:12:00+01:00',
      'readings.csv line 3: value: "x" is not a number',
    ]);
  });
});

describe('export and read back', () => {
  it('gives the same report as the simulated cohort it was written from', async () => {
    const options = { patients: 9, days: 45, seed: 5 };
    const o = cohortOptionsSchema.parse(options);
    const dir = await cohortDir({});
    const written = await writeCohort(
      dir,
      Array.from({ length: o.patients }, (_, i) => simulatedPatient(o, i)),
    );
    expect(written).toBe(9);
    const simulated = evaluateCohort(options);
    const patients = await readCohort(dir);
    const d = describeCohort(dir, patients, { warmUpDays: o.warmUpDays });
    expect(d.start).toEqual(o.start);
    expect(d.days).toBe(o.days);
    const read = evaluatePatients(patients, d);
    expect(scoresJson(read)).toEqual(scoresJson(simulated));
    expect(read.rows).toEqual(simulated.rows);
    expect(read.otherRules).toEqual(simulated.otherRules);
    expect(read.weightChange14d).toEqual(simulated.weightChange14d);
    const { seed: _s, source: _f, ...readCohortFigures } = read.cohort;
    const { seed: _t, source: _g, ...simulatedFigures } = simulated.cohort;
    expect(readCohortFigures).toEqual(simulatedFigures);
    // spread over worker threads, the same
    const parallel = await evaluatePatientsInParallel(patients, d, 2);
    expect(parallel.rows).toEqual(read.rows);
    expect(parallel.byRule).toEqual(read.byRule);
  }, 30_000);
});

describe('npm run evaluate -- --cohort', () => {
  it('stops with exit code 2 and names the row it cannot read', async () => {
    const dir = await cohortDir({
      'readings.csv': `${READINGS}\n${GOOD_READING}\np1,2026-03-02T07:30:00+01:00,body_weight,80,,,stone\n`,
      'episodes.csv': `${EPISODES}\n`,
    });
    const main = new URL('../../../simulators/evaluate/main.ts', import.meta.url).pathname;
    const run = promisify(execFile)('npx', ['tsx', main, '--cohort', dir], { encoding: 'utf8' });
    const e = (await run.catch((err: unknown) => err)) as { code: number; stderr: string };
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('readings.csv line 3: unit: unit "stone" is not accepted');
  }, 30_000);
});
