// A cohort written as the files `--cohort` reads (cohortFiles.ts; docs/simulation.md): readings
// in the contract's canonical units, the ground truth with each episode's end, and each patient's
// plan. Written patient by patient, so a large simulated cohort is never held whole; reading the
// files back gives the same report (test/unit/simulators/cohortFiles.test.ts).
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { units } from '../../devices/contract.js';
import type { RuleReading } from '../../server/rules/types.js';
import type { CohortPatient } from './cohort.js';
import { COLUMNS, type CohortFileName } from './cohortRows.js';
import { csvRecord } from './csv.js';

/** RFC 3339 in UTC, without milliseconds when there are none (the simulator's are whole seconds). */
const time = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const num = (v: number | null) => (v === null ? '' : String(v));

function readingRecord(id: string, r: RuleReading): string {
  // the files have no column for these: refuse rather than lose them
  if (r.code !== null || r.deviceStatus?.length || r.supplementalOxygen !== undefined) {
    throw new Error(
      `patient ${id}: a ${r.type} reading at ${time(r.measuredAt)} has a code, device status or oxygen flag, which the cohort files cannot hold`,
    );
  }
  if (r.type === 'consciousness') throw new Error(`patient ${id}: consciousness has no column`);
  const bp = r.type === 'blood_pressure';
  const unit = r.type === 'blood_pressure' ? 'mm[Hg]' : units[r.type].canonical;
  return csvRecord([
    id,
    time(r.measuredAt),
    r.type,
    bp ? '' : num(r.value),
    bp ? num(r.systolic) : '',
    bp ? num(r.diastolic) : '',
    unit,
    bp ? num(r.pulse) : '',
  ]);
}

const header = (file: CohortFileName) =>
  csvRecord([...COLUMNS[file].required, ...COLUMNS[file].optional]);

/** Writes `patients` to readings.csv, episodes.csv and patients.csv in `dir` (created if need be). */
export async function writeCohort(dir: string, patients: Iterable<CohortPatient>): Promise<number> {
  await mkdir(dir, { recursive: true });
  const files: FileHandle[] = [];
  try {
    for (const f of ['readings.csv', 'episodes.csv', 'patients.csv'] as const) {
      const h = await open(join(dir, f), 'w');
      files.push(h);
      await h.write(header(f));
    }
    const [readings, episodes, plans] = files as [FileHandle, FileHandle, FileHandle];
    let n = 0;
    for (const p of patients) {
      n++;
      await readings.write(p.readings.map((r) => readingRecord(p.id, r)).join(''));
      const truth = p.episodes.map((e) =>
        csvRecord([p.id, e.kind, time(e.start), time(e.peak), time(e.end)]),
      );
      await episodes.write(truth.join(''));
      await plans.write(csvRecord([p.id, p.plan.timeZone ?? '', JSON.stringify(p.plan)]));
    }
    return n;
  } finally {
    await Promise.all(files.map((h) => h.close()));
  }
}
