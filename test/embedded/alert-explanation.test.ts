// An alert explains itself (issue 18, item 4): GET /alerts/{id}/explanation names each agreeing
// rule's threshold and where it came from (the plan change that set a personal one, and who made
// it), the guideline, the readings judged with their values and times, and the patient's
// readings of those 14 days with the threshold lines; it is audited, and a person whose units do
// not follow the patient gets 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertExplanation } from '../../contract/alerts.js';
import { apiClient, type ApiClient } from '../support/apiClient.js';
import { seedWeightAlerts } from '../support/explanationSeed.js';
import { startTestHub, type TestEnv } from '../support/hub.js';

const DAY = 86_400_000;

let env: TestEnv;
let seed: Awaited<ReturnType<typeof seedWeightAlerts>>;
let nurse: ApiClient;
const alertOf: Record<string, string> = {};

beforeAll(async () => {
  env = await startTestHub('embedded');
  seed = await seedWeightAlerts(env.hub);
  nurse = apiClient(env.hub.urls.http);
  expect((await nurse.signIn(seed.nurse.username, seed.nurse.password)).status).toBe(200);
  // each rule's alert, by what its explanation lists (today an alert per rule; with one card
  // per problem, both weight gains agree on one)
  const list = await nurse.call('GET', '/alerts');
  for (const a of list.body as unknown as { id: string }[]) {
    const e = (await nurse.call('GET', `/alerts/${a.id}/explanation`))
      .body as unknown as AlertExplanation;
    for (const f of e.findings) alertOf[f.rule] = a.id;
  }
});

afterAll(async () => {
  await env?.close();
});

const explain = async (c: ApiClient, rule: string) => {
  const r = await c.call('GET', `/alerts/${alertOf[rule]}/explanation`);
  const body = r.body as unknown as AlertExplanation;
  return { status: r.status, body, f: body.findings?.find((x) => x.rule === rule) };
};

describe('an alert explains itself', () => {
  it('raised both weight rules', () => {
    expect(Object.keys(alertOf).sort()).toEqual(['weight.gain_1d', 'weight.gain_3d']);
  });

  it('names the personal threshold, the plan change that set it and who made it', async () => {
    const { status, f } = await explain(nurse, 'weight.gain_3d');
    expect(status).toBe(200);
    expect(f).toMatchObject({
      rule: 'weight.gain_3d',
      severity: 'high',
      threshold: { value: 1.5, unit: 'kg', source: 'personal' },
    });
    expect(f!.threshold.reference).toMatch(/ESC 2021 HF guideline/);
    expect(f!.threshold.setBy).toHaveLength(1);
    const [origin] = f!.threshold.setBy;
    expect(origin!.key).toBe('weight.gain3dKg');
    expect(origin!.changedBy?.displayName).toBe('Karin Sjöberg');
    const at = Date.parse(origin!.changedAt);
    const [before, after] = seed.planChangedBetween;
    expect(at).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(at).toBeLessThanOrEqual(after.getTime() + 1000);
  });

  it('lists the readings judged with their values and measured times, and the line to draw', async () => {
    const { f } = await explain(nurse, 'weight.gain_3d');
    expect(f!.readings.map((r) => [r.type, r.value, r.unit, r.measuredAt])).toEqual(
      seed.weights.map((w) => ['body_weight', w.value, 'kg', w.measuredAt]),
    );
    for (const r of f!.readings) {
      expect(Date.parse(r.receivedAt)).toBeGreaterThanOrEqual(Date.parse(r.measuredAt));
    }
    // 1.5 kg above the lowest of the three days before (80.0 kg)
    expect(f!.lines).toEqual([
      { rule: 'weight.gain_3d', type: 'body_weight', field: 'value', value: 81.5, unit: 'kg' },
    ]);
  });

  it("gives the patient's readings of the 14 days up to the newest judged", async () => {
    const { body } = await explain(nurse, 'weight.gain_3d');
    const newest = Date.parse(seed.weights.at(-1)!.measuredAt);
    expect(Date.parse(body.from)).toBe(newest - 14 * DAY);
    expect(Date.parse(body.to)).toBeGreaterThanOrEqual(newest);
    expect(body.timeZone).toBe('Europe/Stockholm');
    expect(body.series).toHaveLength(1);
    expect(body.series[0]).toMatchObject({ type: 'body_weight', bucket: null });
    expect(body.series[0]!.points.map((p) => [p.t, p.value])).toEqual(
      seed.weights.map((w) => [w.measuredAt, w.value]),
    );
  });

  it('says default, with no plan change, for a threshold the care team did not set', async () => {
    const { f } = await explain(nurse, 'weight.gain_1d');
    expect(f!.threshold).toMatchObject({ value: 1.36, unit: 'kg', source: 'default', setBy: [] });
    expect(f!.readings.map((r) => r.value)).toEqual([80.4, 81.8]);
  });

  it('keeps naming the change that set the value when later changes leave it as it was', async () => {
    // the plan API answers the whole plan: the same gain limit, another setting added
    const put = await nurse.call('PUT', `/patients/${seed.patientId}/plan`, {
      plan: { weight: { gain3dKg: 1.5, loss1dKg: 2 } },
    });
    expect(put.status).toBe(200);
    const { f } = await explain(nurse, 'weight.gain_3d');
    const [origin] = f!.threshold.setBy;
    expect(Date.parse(origin!.changedAt)).toBeLessThanOrEqual(
      seed.planChangedBetween[1].getTime() + 1000,
    );
  });

  it('is not found for a person whose units do not follow the patient', async () => {
    const outsider = apiClient(env.hub.urls.http);
    expect((await outsider.signIn(seed.outsider.username, seed.outsider.password)).status).toBe(
      200,
    );
    const r = await outsider.call('GET', `/alerts/${alertOf['weight.gain_3d']}/explanation`);
    expect(r.status).toBe(404);
    expect(r.body.error?.code).toBe('not_found');
    expect((await nurse.call('GET', '/alerts/alr_nope/explanation')).status).toBe(404);
  });

  it('is in the audit trail the patient sees', async () => {
    const r = await nurse.call('GET', `/patients/${seed.patientId}/audit`);
    expect(r.status).toBe(200);
    const entries = r.body as unknown as { action: string; staffName: string }[];
    expect(entries.filter((e) => e.action === 'alert.explain').length).toBeGreaterThanOrEqual(1);
    expect(entries.find((e) => e.action === 'alert.explain')!.staffName).toBe('Karin Sjöberg');
  });
});
