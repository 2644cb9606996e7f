// The plans module's reads and its refusal, on PGlite: what the rules, the API and the CLI call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../server/errors.js';
import { deepMerge } from '../../server/plans/edit.js';
import { isInvalidPlan, resolvePlan } from '../../server/plans/plan.js';
import {
  changePlan,
  patientsExpectingMeasurements,
  planView,
  resolvedPlanOf,
  storedPlansOf,
} from '../../server/plans/store.js';
import { openPglite, type Db, type Queryable } from '../../server/store/db.js';
import { migrate } from '../../server/store/migrate.js';

/** The database, counting the queries made through it. */
function countingQueries(db: Queryable): Queryable & { queries: number } {
  const counting = {
    queries: 0,
    query: ((sql: string, params?: unknown[]) => {
      counting.queries++;
      return db.query(sql, params);
    }) as Queryable['query'],
  };
  return counting;
}

describe('plans (embedded PGlite)', () => {
  let db: Db;
  const created = new Date('2026-01-05T08:00:00Z');

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    for (const id of ['p_weekly', 'p_plain', 'p_none', 'p_broken']) {
      await db.query(
        'INSERT INTO patients (id, display_name, created_at) VALUES ($1, $1, $2::timestamptz)',
        [id, created.toISOString()],
      );
    }
    const weekly = { measurements: [{ type: 'body_weight', everyDays: 7 }], spo2Scale: 2 };
    await db.transaction((tx) => changePlan(tx, 'p_weekly', 'staff_a', () => weekly));
    await db.transaction((tx) =>
      changePlan(tx, 'p_plain', null, () => ({ weight: { gain3dKg: 1.5 } })),
    );
    // stored before a schema change: no plan any more
    await db.query(
      `INSERT INTO patient_plans (patient_id, plan)
       VALUES ('p_broken', '{"measurements":[{"type":"body_weight"}],"retired":1}')`,
    );
    await db.query(
      `INSERT INTO readings (device_id, message_id, patient_id, type, measured_at, received_at, value)
       VALUES ('dev_1', 'm1', 'p_weekly', 'body_weight', $1, $2, 80)`,
      ['2026-01-06T07:00:00Z', '2026-01-06T07:00:05Z'],
    );
  });
  afterAll(() => db?.close());

  it('reads the stored plans of many patients in one query, in the order asked', async () => {
    const counting = countingQueries(db);
    const plans = await storedPlansOf(counting, ['p_none', 'p_plain', 'p_nobody', 'p_weekly']);
    expect(counting.queries).toBe(1);
    expect(plans).toEqual([
      undefined,
      { weight: { gain3dKg: 1.5 } },
      undefined,
      { measurements: [{ type: 'body_weight', everyDays: 7 }], spo2Scale: 2 },
    ]);
    expect(await storedPlansOf(db, [])).toEqual([]);
  });

  it('resolves one patient’s plan, with the defaults when none is stored or it is no plan', async () => {
    const plain = await resolvedPlanOf(db, 'p_plain');
    expect(plain.weight.gain3dKg).toBe(1.5);
    expect([...plain.overridden]).toEqual(['weight.gain3dKg']);
    expect(await resolvedPlanOf(db, 'p_none')).toEqual(resolvePlan());
    expect(await resolvedPlanOf(db, 'p_broken')).toEqual(resolvePlan());
    expect((await resolvedPlanOf(db, 'p_weekly')).spo2Scale).toBe(2);
  });

  it('lists the patients whose plan expects measurements, with since and last traffic, in one query', async () => {
    const counting = countingQueries(db);
    const planned = await patientsExpectingMeasurements(counting);
    expect(counting.queries).toBe(1);
    // p_plain expects nothing; p_broken's plan is no plan
    expect(planned.map((p) => p.patientId)).toEqual(['p_weekly']);
    const [weekly] = planned;
    expect(weekly!.since).toEqual(created);
    expect(weekly!.lastTrafficAt).toEqual(new Date('2026-01-06T07:00:05Z'));
    expect(weekly!.plan.measurements).toEqual([
      { type: 'body_weight', everyDays: 7, dueBy: '10:00', graceHours: 4 },
    ]);
    await db.transaction((tx) =>
      changePlan(tx, 'p_none', null, () => ({ measurements: [{ type: 'blood_pressure' }] })),
    );
    const again = await patientsExpectingMeasurements(db);
    const none = again.find((p) => p.patientId === 'p_none');
    expect(none?.lastTrafficAt).toBeNull();
  });

  it('refuses a change that is no plan, naming its path (under `at` when given), and keeps the plan', async () => {
    const refusal = (at?: string) =>
      db
        .transaction((tx) =>
          changePlan(tx, 'p_plain', 'staff_a', () => ({ weight: { gain3dkg: 1 } }), at),
        )
        .then(
          () => null,
          (err: unknown) => err,
        );
    const neutral = await refusal();
    expect(neutral).toBeInstanceOf(DomainError);
    expect(isInvalidPlan(neutral)).toBe(true);
    expect(neutral).toMatchObject({ code: 'invalid', field: 'weight.gain3dkg' });
    expect((neutral as DomainError).message).toMatch(/^weight\.gain3dkg: /);
    const inBody = await refusal('plan');
    expect(inBody).toMatchObject({ code: 'invalid', field: 'plan.weight.gain3dkg' });
    expect((inBody as DomainError).message).toMatch(/^plan\.weight\.gain3dkg: /);
    const view = await planView(db, 'p_plain');
    expect(view.plan).toEqual({ weight: { gain3dKg: 1.5 } });
    expect(view.changes).toHaveLength(1);
  });

  it('refuses a part that puts the MACD spans out of order with the stored plan, and keeps the plan', async () => {
    // the care team set a long span of 20; a short span of 15 fits it, not the default's 10
    const set = (patch: Record<string, unknown>) =>
      db.transaction((tx) => changePlan(tx, 'p_plain', 'staff_a', (p) => deepMerge(p, patch)));
    await set({ weight: { macd: { longDays: 20 } } });
    await set({ weight: { macd: { shortDays: 15 } } });
    const err = await set({ weight: { macd: { longDays: 12 } } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isInvalidPlan(err)).toBe(true);
    // both spans are the team's now: the first is named, the message names both
    expect(err).toMatchObject({ code: 'invalid', field: 'weight.macd.shortDays' });
    expect((err as Error).message).toMatch(/shortDays must be below longDays/);
    const view = await planView(db, 'p_plain');
    expect(view.plan).toEqual({ weight: { gain3dKg: 1.5, macd: { longDays: 20, shortDays: 15 } } });
    expect(view.changes).toHaveLength(3);
  });
});
