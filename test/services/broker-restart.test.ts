// Mosquitto restarting under a running hub (issue 16, item 2). Mosquitto 2.0 keeps the hub's
// persistent session across a restart (CONNACK sessionPresent=true) but not its `$share`
// subscriptions: a hub that trusted the session heard nothing more while /readyz said ready.
// Each test runs a Mosquitto of its own from deploy/mosquitto (persistence on) and a hub on it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../server/config.js';
import { startHub, type Hub } from '../../server/hub.js';
import { connectDevice, weight } from '../support/device.js';
import { startGatewayLoad, type GatewayLoad, type LoadDevice } from '../support/gatewayLoad.js';
import { addDevice, createTestDatabase, registerPatientWithDevice } from '../support/hub.js';
import { startMosquitto, type MosquittoOptions, type TestMosquitto } from '../support/mosquitto.js';

const rand = () => randomBytes(4).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const soon = { timeout: 20_000, interval: 25 };
const HUB_USER = 'telehealth-hub';
const HUB_PASSWORD = rand() + rand();

interface Setup {
  mosq: TestMosquitto;
  hub: Hub;
  devices: LoadDevice[];
  /** The hub's log lines, parsed, each with `at` (Date.now() when written). */
  logs: Record<string, unknown>[];
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

/** A Mosquitto, a services hub on it with a database of its own, and `n` registered devices. */
async function setup(n: number, mosqOptions: MosquittoOptions = {}): Promise<Setup> {
  const mosq = await startMosquitto({ [HUB_USER]: HUB_PASSWORD }, mosqOptions);
  cleanup.push(() => mosq.stop());
  const db = await createTestDatabase();
  cleanup.push(() => db.drop());
  const dataDir = await mkdtemp(join(tmpdir(), 'hub-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const hubId = `t-${rand()}`;
  const config = configSchema.parse({
    DATABASE_URL: db.url,
    MQTT_URL: mosq.url,
    MQTT_USERNAME: HUB_USER,
    MQTT_PASSWORD: HUB_PASSWORD,
    HTTP_PORT: '0',
    HUB_ID: hubId,
    MQTT_SHARE_GROUP: hubId,
    DATA_DIR: dataDir,
    INGEST_BATCH_DELAY_MS: '2',
    RULES: 'off',
  });
  const logs: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    {
      write(line: string) {
        logs.push({ ...(JSON.parse(line) as Record<string, unknown>), at: Date.now() });
        if (process.env.TEST_LOG_LEVEL) process.stdout.write(line);
      },
    },
  );
  const hub = await startHub(config, { log });
  cleanup.push(() => hub.stop());

  const first = await registerPatientWithDevice(hub);
  const devices: LoadDevice[] = [first];
  while (devices.length < n) devices.push(await addDevice(hub, first.patientId));
  for (const d of devices) await mosq.addUser(d.deviceId, d.secret);
  await mosq.reload();
  return { mosq, hub, devices, logs };
}

/** Polls /readyz every 50 ms until stopped, keeping every answer. */
function watchReadiness(httpUrl: string) {
  const seen: { at: number; status: number; body: string }[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      try {
        const res = await fetch(`${httpUrl}/readyz`, { signal: AbortSignal.timeout(3000) });
        seen.push({ at: Date.now(), status: res.status, body: await res.text() });
      } catch (err) {
        seen.push({ at: Date.now(), status: 0, body: (err as Error).message });
      }
      await sleep(50);
    }
  })();
  return {
    seen,
    last: () => seen.at(-1)?.status,
    async stop() {
      on = false;
      await loop;
    },
  };
}

/** sessionPresent of each CONNACK the hub has logged, in order. */
const sessions = (logs: Record<string, unknown>[]) =>
  logs.filter((l) => l.msg === 'connected to broker').map((l) => l.sessionPresent);

/**
 * /readyz went 503 when the broker went away (naming the broker), and its first 200 after that
 * came once the hub had logged the new connection's subscription, not at its CONNACK.
 */
function expectNotReadyWhileUnsubscribed(
  seen: { at: number; status: number; body: string }[],
  logs: Record<string, unknown>[],
) {
  const down = seen.findIndex((s) => s.status !== 200);
  expect(down).toBeGreaterThan(0);
  const back = seen.findIndex((s, i) => i > down && s.status === 200);
  expect(back).toBeGreaterThan(down);
  for (const s of seen.slice(down, back)) {
    expect(s.status).toBe(503);
    expect((JSON.parse(s.body) as { checks: { broker: string } }).checks.broker).not.toBe('ok');
  }
  expect(seen.slice(back).every((s) => s.status === 200)).toBe(true);
  const subscribed = logs.filter((l) => l.msg === 'subscribed to device topics');
  expect(subscribed).toHaveLength(2);
  expect(seen[back]!.at).toBeGreaterThanOrEqual(subscribed[1]!.at as number);
}

async function until(what: string, cond: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Every reading the gateways sent is stored exactly once, and nothing else is. */
async function expectStoredExactlyOnce(hub: Hub, load: GatewayLoad) {
  const sent = load.sent();
  const { rows } = await hub.db.query<{ device_id: string; message_id: string; n: number }>(
    `SELECT device_id, message_id, count(*)::int AS n FROM readings
     WHERE device_id = ANY($1) GROUP BY device_id, message_id`,
    [[...sent.keys()]],
  );
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  for (const [deviceId, ids] of sent) {
    const stored = rows.filter((r) => r.device_id === deviceId).map((r) => r.message_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(stored.sort()).toEqual([...ids].sort());
  }
  for (const gw of load.gateways) {
    expect(gw.stats.lost).toBe(0);
    expect(gw.receipts.every((r) => r.status === 'accepted' || r.status === 'duplicate')).toBe(
      true,
    );
  }
}

describe('Mosquitto restarting under the hub (services mode)', () => {
  it('stores a reading published after a broker restart that kept the hub session', async () => {
    const { mosq, hub, devices, logs } = await setup(1);
    const { deviceId, secret } = devices[0]!;
    const before = await connectDevice(mosq.url, deviceId, secret);
    const r1 = weight(80.1);
    await before.publish(r1);
    expect(await before.waitForReceipts(1)).toEqual([
      { messageId: r1.messageId, status: 'accepted' },
    ]);
    await before.close();

    const readiness = watchReadiness(hub.urls.http);
    await vi.waitFor(() => expect(readiness.last()).toBe(200), soon);
    await mosq.restart(); // persistence written on the way out, read on the way in
    // the hub is back in the session the broker kept for it...
    await vi.waitFor(() => expect(sessions(logs)).toEqual([false, true]), soon);
    // ...and ready once it holds its subscription again
    await vi.waitFor(() => expect(readiness.last()).toBe(200), soon);
    await readiness.stop();
    expectNotReadyWhileUnsubscribed(readiness.seen, logs);

    const after = await connectDevice(mosq.url, deviceId, secret);
    cleanup.push(() => after.close());
    const r2 = weight(80.2);
    await after.publish(r2);
    expect(await after.waitForReceipts(1, 10_000)).toEqual([
      { messageId: r2.messageId, status: 'accepted' },
    ]);
    const { rows } = await hub.db.query<{ message_id: string }>(
      'SELECT message_id FROM readings WHERE device_id = $1 ORDER BY message_id',
      [deviceId],
    );
    expect(rows.map((r) => r.message_id).sort()).toEqual([r1.messageId, r2.messageId].sort());
  });

  for (const how of ['restarted gracefully', 'SIGKILLed'] as const) {
    it(`stores every reading exactly once when Mosquitto is ${how} mid-stream`, async () => {
      // autosave every second: a crash finds the hub's session saved (sessionPresent again),
      // and loses what arrived since the last save, which the gateways send again
      const { mosq, hub, devices, logs } = await setup(6, {
        // no Nagle: each gateway waits for one receipt at a time, and Mosquitto's default
        // (off) held each one back by a delayed ACK, ~80 ms a round trip
        set: { autosave_interval: '1', set_tcp_nodelay: 'true' },
      });
      const load = startGatewayLoad(mosq.url, devices, {
        receiptTimeoutMs: 2000,
        // half keep a session at the broker (clean: false), half start clean each time
        clientOptions: (d, i) => (i % 2 ? { clientId: `${d.deviceId}-gw`, clean: false } : {}),
      });
      cleanup.push(() => load.close());
      await until('readings flowing', () => load.receipted() >= 300);
      const readiness = watchReadiness(hub.urls.http);
      await vi.waitFor(() => expect(readiness.last()).toBe(200), soon);

      if (how === 'SIGKILLed') {
        await sleep(1100); // an autosave with the hub's session in it
        await mosq.kill('SIGKILL');
        await sleep(500);
        await mosq.start();
      } else {
        await mosq.restart();
      }
      await vi.waitFor(() => expect(sessions(logs)).toEqual([false, true]), soon);
      const receiptedAtRestart = load.receipted();
      await until('readings flowing again', () => load.receipted() >= receiptedAtRestart + 300);
      await vi.waitFor(() => expect(readiness.last()).toBe(200), soon);
      load.stop();
      await load.drained(40_000);
      await readiness.stop();

      await expectStoredExactlyOnce(hub, load);
      expect(load.handedIn()).toBeGreaterThan(600);
      expectNotReadyWhileUnsubscribed(readiness.seen, logs);
    });
  }
});
