// Restart safety: a hub stopped while a device is publishing loses nothing it acknowledged.
import { afterAll, describe, expect, it } from 'vitest';
import { startPublisher } from './publisher.js';
import { registerPatientWithDevice, startTestHub, type Mode, type TestEnv } from './hub.js';

export function describeRestartSafety(mode: Mode) {
  describe(`a hub restart (${mode} mode)`, () => {
    let env: TestEnv | undefined;
    afterAll(async () => {
      await env?.close();
    });

    it('keeps every acknowledged reading exactly once', async () => {
      env = await startTestHub(mode, {}, { persistent: true });
      const { deviceId, secret } = await registerPatientWithDevice(env.hub);
      const publisher = await startPublisher(env.mqttUrl, deviceId, secret);

      const total = 400;
      const publishing = publisher.run(total, 8);
      // restart once a good part has gone through, while the device keeps sending
      while (publisher.acked.size < 120) await new Promise((r) => setTimeout(r, 10));
      await env.restart();
      await publishing;
      await publisher.close();

      expect(publisher.acked.size).toBe(total);
      // in services mode the broker acknowledged; give the hub time to drain its session
      const deadline = Date.now() + 15_000;
      let rows: { message_id: string; n: number }[] = [];
      while (Date.now() < deadline) {
        rows = (
          await env.hub.db.query<{ message_id: string; n: number }>(
            'SELECT message_id, count(*)::int AS n FROM readings WHERE device_id = $1 GROUP BY message_id',
            [deviceId],
          )
        ).rows;
        if (rows.length >= total) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const stored = new Map(rows.map((r) => [r.message_id, r.n]));
      const missing = [...publisher.acked].filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    });
  });
}
