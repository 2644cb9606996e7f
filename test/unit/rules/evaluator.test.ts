import { afterEach, describe, expect, it } from 'vitest';
import type { EvaluatedFinding } from '../../../server/rules/evaluate.js';
import {
  evaluatorThreadOf,
  mainThreadEvaluator,
  threadEvaluator,
  type Evaluator,
} from '../../../server/rules/evaluator.js';
import type { EvaluationJob } from '../../../server/rules/judge.js';
import { patientPlanSchema, resolvePlan } from '../../../server/plans/plan.js';
import type { RuleReading } from '../../../server/rules/types.js';
import { gauss, mulberry32, reading } from './support.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 1, 6);

/** Two patients over 80 days: stable weights and pulses, then one gains weight and races. */
function days(patient: 'a' | 'b', from: number, to: number): RuleReading[][] {
  const rand = mulberry32(patient === 'a' ? 1 : 2);
  const out: RuleReading[][] = [];
  for (let d = from; d < to; d++) {
    const worse = patient === 'a' && d >= 70 ? d - 69 : 0;
    const at = (h: number) => new Date(start + d * DAY + h * 3_600_000);
    out.push([
      reading('body_weight', at(0), { value: 80 + 0.3 * gauss(rand) + 0.7 * worse }),
      reading('heart_rate', at(2), { value: 70 + 3 * gauss(rand) + 4 * worse }),
      reading('spo2', at(4), { value: patient === 'b' && d === 75 ? 86 : 97 }),
    ]);
  }
  return out;
}

/** The runner's instructions for both patients, day by day: loads, adds, plans, drops, forgets. */
function script(): { jobs: EvaluationJob[]; forgetAfter: Map<number, string> } {
  const plan = resolvePlan();
  const wider = resolvePlan(patientPlanSchema.parse({ personal: { baselineDays: 20 } }));
  const jobs: EvaluationJob[] = [];
  const forgetAfter = new Map<number, string>();
  const a = days('a', 0, 80);
  const b = days('b', 0, 80);
  jobs.push({ patientId: 'a', plan, load: a.slice(0, 40).flat(), fresh: a[39]! });
  jobs.push({ patientId: 'b', plan, load: b.slice(0, 40).flat(), fresh: b[39]! });
  for (let d = 40; d < 80; d++) {
    jobs.push({
      patientId: 'a',
      fresh: a[d]!,
      ...(d % 10 === 0 ? { dropBefore: start + (d - 38) * DAY } : {}),
    });
    // b's plan changes on day 50; after day 59 the runner stops holding b and loads it again
    jobs.push(
      d === 60
        ? { patientId: 'b', plan: wider, load: b.slice(20, 61).flat(), fresh: b[60]! }
        : { patientId: 'b', fresh: b[d]!, ...(d === 50 ? { plan: wider } : {}) },
    );
    if (d === 59) forgetAfter.set(jobs.length - 1, 'b');
  }
  return { jobs, forgetAfter };
}

const SCRIPT = script(); // the same readings (message ids) for every run

async function run(e: Evaluator, batchSize: number) {
  const { jobs, forgetAfter } = SCRIPT;
  const found: EvaluatedFinding[][] = [];
  for (let i = 0; i < jobs.length; i += batchSize) {
    // one turn's jobs together, as the runner hands them in, a patient forgotten in its place
    const judged = [];
    for (let j = i; j < Math.min(i + batchSize, jobs.length); j++) {
      judged.push(e.judge(jobs[j]!));
      const patientId = forgetAfter.get(j);
      if (patientId) e.forget(patientId);
    }
    found.push(...(await Promise.all(judged)));
  }
  return found;
}

describe('where the rules judge', () => {
  const open: Evaluator[] = [];
  afterEach(async () => {
    for (const e of open.splice(0)) await e.close();
  });

  it('finds on a thread of its own exactly what it finds on the hub thread', async () => {
    const here = await run(mainThreadEvaluator(), 1);
    expect(here.flat().map((f) => f.rule)).toEqual(
      expect.arrayContaining(['weight.gain_3d', 'spo2.very_low', 'personal.pulse_up']),
    );
    const thread = threadEvaluator();
    open.push(thread);
    expect(await run(thread, 1)).toEqual(here);
    const batched = threadEvaluator();
    open.push(batched);
    expect(await run(batched, 7)).toEqual(here);
  });

  it('refuses a patient it does not hold, naming the patient', async () => {
    const thread = threadEvaluator();
    open.push(thread);
    const fresh = [reading('heart_rate', new Date(start), { value: 70 })];
    await expect(thread.judge({ patientId: 'nobody', fresh })).rejects.toThrow('nobody');
    expect(() => mainThreadEvaluator().judge({ patientId: 'nobody', fresh })).toThrow('nobody');
  });

  it('tells the runner that what it held is lost when its thread ends, and starts another', async () => {
    const thread = threadEvaluator();
    open.push(thread);
    const plan = resolvePlan();
    const fresh = [reading('heart_rate', new Date(start), { value: 70 })];
    await thread.judge({ patientId: 'a', plan, load: fresh, fresh });
    expect(thread.generation).toBe(0);
    await evaluatorThreadOf(thread)!.terminate();
    expect(thread.generation).toBe(1);
    // a patient held before is no longer held; loaded again, it is judged
    await expect(thread.judge({ patientId: 'a', fresh })).rejects.toThrow('no history held');
    await expect(thread.judge({ patientId: 'a', plan, load: fresh, fresh })).resolves.toEqual([]);
  });
});
