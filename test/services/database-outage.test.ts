// When the database goes away, the hub holds what it has, acknowledges nothing, keeps its
// memory bounded by the broker's in-flight window, and catches up on its own when it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weight } from '../support/device.js';
import { startProxiedHub, type ProxiedHub } from '../support/proxiedHub.js';

describe('a database outage (services mode)', () => {
  let hub: ProxiedHub;

  beforeAll(async () => {
    hub = await startProxiedHub({ env: { MQTT_RECEIVE_MAXIMUM: '50' } });
  });
  afterAll(() => hub?.close());

  it('holds readings while the database is down and stores every one once it is back', async () => {
    const { env, device, deviceId, database } = hub;
    const before = weight(80);
    await device.publish(before);
    await device.waitForReceipts(1);

    database.cut();
    const during = Array.from({ length: 300 }, (_, i) => weight(80 + i / 100));
    for (const r of during) await device.publish(r); // the broker takes them; the hub cannot store them
    await new Promise((r) => setTimeout(r, 1500));

    // nothing is confirmed that is not stored, and the hub holds no more than its window
    expect(device.receipts).toHaveLength(1);
    expect(env.hub.ingest.pending()).toBeLessThanOrEqual(50);
    const ready = await fetch(`${env.hub.urls.http}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).not.toBe(
      'ok',
    );

    database.restore();
    await device.waitForReceipts(1 + during.length, 30_000);
    expect(device.receipts.filter((r) => r.status === 'accepted')).toHaveLength(1 + during.length);
    const { rows } = await env.hub.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM readings WHERE device_id = $1',
      [deviceId],
    );
    expect(rows[0]!.n).toBe(1 + during.length);
    expect((await fetch(`${env.hub.urls.http}/readyz`)).status).toBe(200);
  });
});
