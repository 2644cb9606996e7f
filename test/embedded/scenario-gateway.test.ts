// A home gateway back online after days offline: its backlog reaches the hub in batches of at
// most 500 readings, oldest first, each stored once with its original measurement time; raw
// GATT values from a backlog go one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HomeGateway } from '../../simulators/devices/gateway.js';
import { createVirtualDevice } from '../../simulators/devices/kinds.js';
import type { SimMeasurement } from '../../simulators/patients/types.js';
import { startHub } from '../../server/hub.js';
import { registerPatientWithDevice, startTestHub, type TestEnv } from '../support/hub.js';

const HOUR = 3_600_000;

let env: TestEnv;
beforeAll(async () => {
  env = await startTestHub('embedded', { RULES: 'off' }, { persistent: true });
});
afterAll(async () => {
  await env?.close();
});

/** Hourly weights and pulses for `hours` hours, ending an hour ago. */
function backlogOf(hours: number): SimMeasurement[] {
  const from = Date.now() - (hours + 1) * HOUR;
  return Array.from({ length: hours }, (_, i): SimMeasurement[] => {
    const at = new Date(from + i * HOUR);
    return [
      { type: 'body_weight', measuredAt: at, value: 80 + (i % 7) * 0.1 },
      { type: 'heart_rate', measuredAt: new Date(at.getTime() + 60_000), value: 60 + (i % 9) },
    ];
  }).flat();
}

describe('a home gateway with a backlog', () => {
  it('delivers 1,200 readings in batches of at most 500, oldest first, each stored once', async () => {
    const reg = await registerPatientWithDevice(env.hub);
    const gateway = new HomeGateway({
      url: env.mqttUrl,
      deviceId: reg.deviceId,
      secret: reg.secret,
    });
    const scale = createVirtualDevice({ kind: 'scale', transport: 'json', idPrefix: reg.deviceId });
    const oximeter = createVirtualDevice({
      kind: 'pulse-oximeter',
      transport: 'json',
      idPrefix: reg.deviceId,
    });
    const measurements = backlogOf(600);
    await gateway.setOffline();
    // handed in newest first: the gateway still sends the oldest measurement first
    for (const [i, m] of [...measurements].reverse().entries()) {
      await gateway.send([(m.type === 'body_weight' ? scale : oximeter).encode(m, i)]);
    }
    expect(gateway.pending).toBe(1200);
    expect(gateway.stats.published).toBe(0);

    await gateway.setOnline();
    expect(gateway.pending).toBe(0);
    expect(gateway.stats.batches).toBe(3); // 500 + 500 + 200
    expect(gateway.receipts.map((r) => r.status)).toEqual(Array(1200).fill('accepted'));
    const sent = gateway.sent.map((m) => m.measuredAt.getTime());
    expect(sent).toEqual([...sent].sort((a, b) => a - b));

    const { rows } = await env.hub.db.query<{ n: number; ids: number; first: Date }>(
      `SELECT count(*)::int AS n, count(DISTINCT message_id)::int AS ids, min(measured_at) AS first
       FROM readings WHERE device_id = $1`,
      [reg.deviceId],
    );
    expect(rows[0]).toMatchObject({ n: 1200, ids: 1200 });
    expect(new Date(rows[0]!.first).getTime()).toBe(measurements[0]!.measuredAt.getTime());
    await gateway.close();
  });

  it('raw GATT values from a backlog go one by one, each stored once with its own time stamp', async () => {
    const reg = await registerPatientWithDevice(env.hub);
    const gateway = new HomeGateway({
      url: env.mqttUrl,
      deviceId: reg.deviceId,
      secret: reg.secret,
    });
    const scale = createVirtualDevice({ kind: 'scale', transport: 'gatt', idPrefix: reg.deviceId });
    const measurements = backlogOf(48).filter((m) => m.type === 'body_weight');
    await gateway.send([scale.encode(measurements[0]!, 0)]);
    await gateway.setOffline();
    for (const [i, m] of measurements.slice(1).entries())
      await gateway.send([scale.encode(m, i + 1)]);
    await gateway.setOnline();
    // GATT values go one by one; each is keyed by its time stamp, so a resend is a duplicate
    expect(gateway.stats.batches).toBe(0);
    expect(gateway.receipts.filter((r) => r.status === 'accepted')).toHaveLength(48);
    const { rows } = await env.hub.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM readings WHERE device_id = $1',
      [reg.deviceId],
    );
    expect(rows[0]!.n).toBe(48);
    await gateway.close();
  });

  it('finds no broker while the hub restarts, keeps its readings and delivers them when it is back', async () => {
    const reg = await registerPatientWithDevice(env.hub);
    const gateway = new HomeGateway({
      url: env.mqttUrl,
      deviceId: reg.deviceId,
      secret: reg.secret,
      backoffMs: 100,
      maxBackoffMs: 400,
    });
    const scale = createVirtualDevice({ kind: 'scale', transport: 'json', idPrefix: reg.deviceId });
    const measurements = backlogOf(24).filter((m) => m.type === 'body_weight');
    await gateway.send([scale.encode(measurements[0]!, 0)]);
    const port = Number(new URL(env.hub.urls.mqtt).port);
    await env.hub.stop();
    for (const [i, m] of measurements.slice(1).entries())
      await gateway.send([scale.encode(m, i + 1)]);
    expect(gateway.pending).toBe(23);
    expect(gateway.stats.unreachable).toBeGreaterThan(0);

    // the same data folder and port, as a restarted hub has
    const back = await startHub({ ...env.config, MQTT_PORT: port });
    try {
      for (let i = 0; i < 100 && gateway.pending > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await gateway.idle();
      }
      expect(gateway.pending).toBe(0);
      const { rows } = await back.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM readings WHERE device_id = $1',
        [reg.deviceId],
      );
      expect(rows[0]!.n).toBe(24);
      await gateway.close();
    } finally {
      await back.stop();
    }
  });
});
