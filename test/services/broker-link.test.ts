// The hub's connection to an external broker breaking while it holds readings or has a message
// for a patient: nothing a device is owed is lost with it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectDevice, weight, type TestDevice } from '../support/device.js';
import {
  createTestDatabase,
  registerPatientWithDevice,
  SERVICES,
  startTestHub,
  type TestEnv,
} from '../support/hub.js';
import { proxyFor, type UrlProxy } from '../support/proxy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const soon = { timeout: 30_000, interval: 25 };

describe("the hub's broker connection breaking (services mode)", () => {
  let database: UrlProxy;
  let broker: UrlProxy;
  let env: TestEnv;
  let device: TestDevice;
  let deviceId: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    database = await proxyFor(db.url, 5432);
    broker = await proxyFor(SERVICES.mqtt, 1883);
    env = await startTestHub('services', { DATABASE_URL: database.url, MQTT_URL: broker.url });
    const reg = await registerPatientWithDevice(env.hub);
    deviceId = reg.deviceId;
    // the device reaches the broker directly: only the hub's connection breaks
    device = await connectDevice(SERVICES.mqtt, reg.deviceId, reg.secret);
  });
  afterAll(async () => {
    await device?.close();
    await env?.close();
    await broker?.close();
    await database?.close();
    await drop?.();
  });

  it('answers a reading whose receipt could not be sent once the broker delivers it again', async () => {
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
