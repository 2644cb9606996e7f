// The reconnect-storm simulator against a real embedded hub, small: what the benchmark does with
// 10,000 gateways, checked here with a few so that the simulator and the hub keep agreeing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { reconnectStorm } from '../../simulators/load/reconnectStorm.js';
import {
  addDevice,
  registerPatientWithDevice,
  startTestHub,
  type TestEnv,
} from '../support/hub.js';

describe('gateways coming back together after days offline', () => {
  let env: TestEnv;
  const gateways: { deviceId: string; secret: string }[] = [];
  beforeAll(async () => {
    env = await startTestHub('embedded');
    const first = await registerPatientWithDevice(env.hub);
    gateways.push(first);
    for (let i = 1; i < 12; i++) {
      const p = (await runCommand({ db: env.hub.db }, 'patient add', {
        unit: first.unitId,
        name: `P${i}`,
      })) as { id: string };
      gateways.push(await addDevice(env.hub, p.id));
    }
  });
  afterAll(() => env.close());

  it('stores every reading of every backlog once, with its original measurement time, and answers the ones sent twice as duplicates', async () => {
    const storm = await reconnectStorm({
      url: env.mqttUrl,
      gateways,
      backlogDays: 3,
      readingsPerDay: 5,
      connectConcurrency: 12,
      resendFraction: 0.25,
      drainTimeoutMs: 30_000,
    });
    expect(storm).toMatchObject({ readings: 12 * 15, resent: 3 * 15, unanswered: 0 });
    expect(storm.receipts).toEqual({ accepted: 180, duplicate: 45 });
    await env.hub.rules.idle();
    const { rows } = await env.hub.db.query<{
      device_id: string;
      n: number;
      within_outage: boolean;
    }>(
      `SELECT device_id, count(*)::int AS n,
         bool_and(measured_at >= now() - interval '3 days' AND measured_at < now()) AS within_outage
       FROM readings GROUP BY device_id`,
    );
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.n === 15 && r.within_outage)).toBe(true);
  });
});
