// The hub's connection to an external broker breaking while it holds readings or has a message
// for a patient: nothing a device is owed is lost with it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { weight } from '../support/device.js';
import { startProxiedHub, type ProxiedHub } from '../support/proxiedHub.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const soon = { timeout: 30_000, interval: 25 };

describe("the hub's broker connection breaking (services mode)", () => {
  let hub: ProxiedHub;

  // the device reaches the broker directly: only the hub's connections break
  beforeAll(async () => {
    hub = await startProxiedHub({ broker: true });
  });
  afterAll(() => hub?.close());

  it('answers a reading whose receipt could not be sent once the broker delivers it again', async () => {
    const { env, device, deviceId, database } = hub;
    const broker = hub.broker!;
    const stored = async () => {
      const { rows } = await env.hub.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM readings WHERE device_id = $1',
        [deviceId],
      );
      return rows[0]!.n;
    };
    database.cut(); // the hub takes the reading and cannot commit it yet
    const reading = weight(81.2);
    await device.publish(reading);
    await vi.waitFor(() => expect(env.hub.ingest.pending()).toBe(1), soon);

    broker.cut(); // the commit's receipt and PUBACK then have no connection to go out on
    database.restore();
    await vi.waitFor(async () => expect(await stored()).toBe(1), soon);
    await sleep(300);
    expect(device.receipts).toHaveLength(0);

    // the broker never had the PUBACK: it delivers the reading again, and the hub answers it
    broker.restore();
    const [receipt] = await device.waitForReceipts(1, 30_000);
    expect(receipt).toEqual({ messageId: reading.messageId, status: 'duplicate' });
    expect(await stored()).toBe(1);
  });

  it('delivers a message for the patient that was sent while the connection was down', async () => {
    const { env, device, deviceId } = hub;
    const broker = hub.broker!;
    broker.cut();
    await vi.waitFor(() => expect(env.hub.broker.ready()).toBe(false), soon);
    env.hub.broker.notify(deviceId, {
      notice: 'remeasure',
      type: 'blood_pressure',
      text: { sv: 'Mät igen', en: 'Measure again' },
      by: new Date(Date.now() + 900_000).toISOString(),
    });
    broker.restore();
    await vi.waitFor(() => expect(device.notices).toHaveLength(1), soon);
    expect(device.notices[0]).toMatchObject({ notice: 'remeasure', type: 'blood_pressure' });
  });
});
