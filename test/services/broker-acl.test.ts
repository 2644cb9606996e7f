// deploy/mosquitto as devices and the hub meet it: a Mosquitto of its own, run from the deploy
// configuration, with real MQTT clients, then a real hub behind it. What Mosquitto 2.0 does
// (SUBACK granted for any filter, delivery filtered by `read` on the real topic) is asserted as
// it is, so that a broker upgrade that changes it shows up here.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../devices/contract.js';
import { configSchema } from '../../server/config.js';
import { startHub, type Hub } from '../../server/hub.js';
import { connectDevice, weight, type TestDevice } from '../support/device.js';
import { createTestDatabase, registerPatientWithDevice } from '../support/hub.js';
import { startMosquitto, type TestMosquitto } from '../support/mosquitto.js';

const rand = () => randomBytes(4).toString('hex');
const HUB_USER = 'telehealth-hub';
const HUB_PASSWORD = rand() + rand();
const A = { id: `dev_acl${rand()}a`, secret: rand() + rand() };
const B = { id: `dev_acl${rand()}b`, secret: rand() + rand() };
const GROUP = `acl-${rand()}`;

interface Message {
  topic: string;
  payload: string;
}
interface Inbox {
  messages: Message[];
  /** Resolves with the first message (already here or still to come) that matches. */
  waitFor(match: (m: Message) => boolean, timeoutMs?: number): Promise<Message>;
}

function inbox(client: MqttClient): Inbox {
  const messages: Message[] = [];
  const waiters: (() => void)[] = [];
  client.on('message', (topic, payload) => {
    messages.push({ topic, payload: payload.toString() });
    for (const w of waiters.splice(0)) w();
  });
  return {
    messages,
    waitFor(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no such message; got ${JSON.stringify(messages.map((m) => m.topic))}`),
            ),
          timeoutMs,
        );
        const check = () => {
          const m = messages.find(match);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

describe('Mosquitto with deploy/mosquitto (password file and ACL)', { timeout: 10_000 }, () => {
  let mosq: TestMosquitto;
  let hub: MqttClient;
  let hubInbox: Inbox;
  const clients: MqttClient[] = [];

  const connect = async (
    username: string | undefined,
    password: string | undefined,
    protocolVersion: 4 | 5 = 4,
    extra: IClientOptions = {},
  ) => {
    const c = await mqtt.connectAsync(mosq.url, {
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      protocolVersion,
      clientId: `${username ?? 'anon'}-${rand()}`,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...extra,
    });
    clients.push(c);
    return c;
  };
  /** Resolves when `message` has reached the hub; `payload` is unique per call site. */
  const atHub = (topic: string, payload: string) =>
    hubInbox.waitFor((m) => m.topic === topic && m.payload === payload);

  beforeAll(async () => {
    mosq = await startMosquitto({ [HUB_USER]: HUB_PASSWORD, [A.id]: A.secret, [B.id]: B.secret });
    hub = await connect(HUB_USER, HUB_PASSWORD, 5);
    hubInbox = inbox(hub);
    const granted = await hub.subscribeAsync(
      [`$share/${GROUP}/${topics.readings('+')}`, `$share/${GROUP}/${topics.gatt('+', '+')}`],
      { qos: 1 },
    );
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await mosq?.stop();
  });

  it('refuses a device whose password is wrong at CONNECT', async () => {
    await expect(connect(A.id, 'not-the-secret', 4)).rejects.toMatchObject({ code: 5 });
    await expect(connect(A.id, 'not-the-secret', 5)).rejects.toMatchObject({ code: 135 });
  });

  it('refuses a username that is not in the password file, and anonymous clients', async () => {
    await expect(connect('dev_unknown000', 'whatever', 4)).rejects.toMatchObject({ code: 5 });
    await expect(connect('dev_unknown000', 'whatever', 5)).rejects.toMatchObject({ code: 135 });
    await expect(connect(undefined, undefined, 4)).rejects.toMatchObject({ code: 5 });
    await expect(connect(undefined, undefined, 5)).rejects.toMatchObject({ code: 135 });
  });

  it("delivers a device's readings and GATT values to the hub through its $share subscription", async () => {
    const a = await connect(A.id, A.secret);
    await a.publishAsync(topics.readings(A.id), 'reading-1', { qos: 1 });
    await a.publishAsync(topics.gatt(A.id, '2a9d'), 'gatt-1', { qos: 1 });
    await atHub(topics.readings(A.id), 'reading-1');
    await atHub(topics.gatt(A.id, '2a9d'), 'gatt-1');
  });

  it.each([4, 5] as const)(
    "never delivers what a device publishes under another device's id (MQTT %i)",
    async (version) => {
      const a = await connect(A.id, A.secret, version);
      const spoofed = [topics.readings(B.id), topics.gatt(B.id, '2a9d')];
      for (const topic of spoofed) {
        const sent = a.publishAsync(topic, `spoof-${version}`, { qos: 1 });
        // MQTT 3.1.1 has no way to say no: the broker acknowledges and drops the message.
        // MQTT 5 devices are told: PUBACK "Not authorized".
        if (version === 4) await sent;
        else await expect(sent).rejects.toMatchObject({ code: 135 });
      }
      // The hub gets a device's messages in order: once the next one is there, the spoofed ones
      // would have been too.
      await a.publishAsync(topics.readings(A.id), `after-spoof-${version}`, { qos: 1 });
      await atHub(topics.readings(A.id), `after-spoof-${version}`);
      expect(hubInbox.messages.filter((m) => m.payload === `spoof-${version}`)).toEqual([]);
    },
  );

  it.each([4, 5] as const)(
    "grants a subscription to another device's receipts but delivers nothing on it (MQTT %i)",
    async (version) => {
      const a = await connect(A.id, A.secret, version);
      const b = await connect(B.id, B.secret, version);
      const aInbox = inbox(a);
      const bInbox = inbox(b);
      // Mosquitto 2.0 does not check SUBSCRIBE against the ACL: every filter is granted...
      const granted = await a.subscribeAsync(
        [topics.receipts(B.id), 'telehealth/v1/devices/#', topics.receipts(A.id)],
        { qos: 1 },
      );
      expect(granted.map((g) => g.qos)).toEqual([1, 1, 1]);
      await b.subscribeAsync(topics.receipts(B.id), { qos: 1 });
      // ...and each message is checked against `read` when it is delivered.
      await hub.publishAsync(topics.receipts(B.id), `for-b-${version}`, { qos: 1 });
      await b.publishAsync(topics.readings(B.id), `b-reading-${version}`, { qos: 1 });
      await atHub(topics.readings(B.id), `b-reading-${version}`);
      await hub.publishAsync(topics.receipts(A.id), `for-a-${version}`, { qos: 1 });

      await bInbox.waitFor((m) => m.payload === `for-b-${version}`);
      await aInbox.waitFor((m) => m.payload === `for-a-${version}`);
      // Everything A got came on its own receipts topic (once per matching subscription).
      expect(new Set(aInbox.messages.map((m) => m.topic))).toEqual(
        new Set([topics.receipts(A.id)]),
      );
      expect(aInbox.messages.map((m) => m.payload)).not.toContain(`for-b-${version}`);
    },
  );

  it('delivers a receipt from the hub to its device, and never one forged by another device', async () => {
    const a = await connect(A.id, A.secret);
    const b = await connect(B.id, B.secret);
    const aInbox = inbox(a);
    await a.subscribeAsync(topics.receipts(A.id), { qos: 1 });
    // Acknowledged (MQTT 3.1.1) and dropped: a device may not write receipts.
    await b.publishAsync(topics.receipts(A.id), 'forged', { qos: 1 });
    const receipt = JSON.stringify({ messageId: 'm-1', status: 'accepted' });
    await hub.publishAsync(topics.receipts(A.id), receipt, { qos: 1 });
    const got = await aInbox.waitFor(() => true);
    expect(got).toEqual({ topic: topics.receipts(A.id), payload: receipt });
    expect(aInbox.messages.map((m) => m.payload)).not.toContain('forged');
  });

  it('passes payloads up to message_size_limit (1 MiB) to the hub and drops larger ones', async () => {
    const tooBig = Buffer.alloc(1024 * 1024 + 1, 'x');
    // MQTT 3.1.1: acknowledged as usual, and dropped.
    const a4 = await connect(A.id, A.secret, 4);
    await a4.publishAsync(topics.readings(A.id), tooBig, { qos: 1 });
    // MQTT 5: Mosquitto 2.0.11 answers with PUBACK reason 0x95 "packet too large", which is
    // not a PUBACK reason in MQTT 5: mqtt.js refuses the packet and reports an error.
    const a5 = await connect(A.id, A.secret, 5);
    const failed = new Promise<Error>((resolve) => a5.once('error', resolve));
    a5.publish(topics.readings(A.id), tooBig, { qos: 1 });
    expect((await failed).message).toMatch(/invalid puback reason code/i);

    await a4.publishAsync(topics.readings(A.id), Buffer.alloc(1024 * 1024, 'y'), { qos: 1 });
    const got = await hubInbox.waitFor((m) => m.payload.startsWith('yyy'));
    expect(got.payload).toHaveLength(1024 * 1024);
    expect(hubInbox.messages.some((m) => m.payload.startsWith('xxx'))).toBe(false);
  });

  it('cuts a device off when it is removed from the password file and the broker reloads', async () => {
    const C = { id: `dev_acl${rand()}c`, secret: rand() };
    await mosq.addUser(C.id, C.secret);
    await mosq.reload();
    const c = await connect(C.id, C.secret);
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    await mosq.removeUser(C.id);
    await mosq.reload();
    await closed;
    await expect(connect(C.id, C.secret)).rejects.toMatchObject({ code: 5 });
  });

  describe('with a hub behind it', () => {
    let realHub: Hub;
    let dropDb: (() => Promise<void>) | undefined;
    let dataDir: string | undefined;
    let device: TestDevice | undefined;

    beforeAll(async () => {
      const db = await createTestDatabase();
      dropDb = db.drop;
      dataDir = await mkdtemp(join(tmpdir(), 'hub-'));
      const hubId = `t-${rand()}`;
      const config = configSchema.parse({
        DATABASE_URL: db.url,
        MQTT_URL: mosq.url,
        MQTT_USERNAME: HUB_USER,
        MQTT_PASSWORD: HUB_PASSWORD,
        HTTP_PORT: '0',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        HUB_ID: hubId,
        MQTT_SHARE_GROUP: hubId,
        DATA_DIR: dataDir,
        INGEST_BATCH_DELAY_MS: '2',
      });
      realHub = await startHub(config);
    });
    afterAll(async () => {
      await device?.close();
      await realHub?.stop().catch(() => {});
      await dropDb?.();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('stores a reading from a device added to the password file and answers "accepted"', async () => {
      const reg = await registerPatientWithDevice(realHub);
      // Registered in the hub but not yet at the broker: refused.
      await expect(
        mqtt.connectAsync(mosq.url, {
          username: reg.deviceId,
          password: reg.secret,
          reconnectPeriod: 0,
        }),
      ).rejects.toMatchObject({ code: 5 });

      await mosq.addUser(reg.deviceId, reg.secret);
      await mosq.reload();
      device = await connectDevice(mosq.url, reg.deviceId, reg.secret);
      const r = weight(81.2);
      await device.publish(r);
      const [receipt] = await device.waitForReceipts(1);
      expect(receipt).toEqual({ messageId: r.messageId, status: 'accepted' });
      const { rows } = await realHub.db.query<{ value: number }>(
        'SELECT value FROM readings WHERE device_id = $1 AND message_id = $2',
        [reg.deviceId, r.messageId],
      );
      expect(rows.map((x) => Number(x.value))).toEqual([81.2]);
    });
  });
});
