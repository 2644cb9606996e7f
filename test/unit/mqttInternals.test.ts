// What the hub relies on inside mqtt.js and mqtt-packet, beyond their documented API: the link
// to an external broker (server/broker/external.ts) acknowledges a message itself after its
// commit, writes receipts on the client's stream with mqtt-packet, numbers them with mqtt.js's
// provider and forces its SUBSCRIBE with the map's `resubscribe` flag; server/ops/quietDebug.ts
// replaces the `debug` that mqtt-packet loads. Both packages are pinned to exact versions in
// package.json; an upgrade must pass this file first. Against a real broker (aedes, in-process).
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Aedes } from 'aedes';
import mqtt, { type IPublishPacket, type ISubscriptionMap, type MqttClient } from 'mqtt';
import { parser as mqttParser, writeToStream, type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const require = createRequire(import.meta.url);
const soon = { timeout: 2000, interval: 5 };

/** The folder of package `name` as the hub resolves it, or as the package in `from` does. */
function packageDir(name: string, from?: string): string {
  const entry = require.resolve(name, from ? { paths: [from] } : undefined);
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === name
    ) {
      return dir;
    }
  }
  throw new Error(`no package.json for ${name} above ${entry}`);
}
const versionIn = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

describe('mqtt.js and mqtt-packet, pinned', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    dependencies: Record<string, string>;
  };

  it('are installed at exactly the versions package.json names', () => {
    for (const name of ['mqtt', 'mqtt-packet']) {
      expect(pkg.dependencies[name], `${name} pinned to one version`).toMatch(/^\d+\.\d+\.\d+$/);
      expect(versionIn(packageDir(name)), name).toBe(pkg.dependencies[name]);
    }
  });

  it('share one copy of mqtt-packet with mqtt.js and aedes, which loads `debug`', () => {
    const codec = packageDir('mqtt-packet');
    // the hub's writeToStream writes on mqtt.js's stream: the same codec that reads it
    expect(packageDir('mqtt-packet', packageDir('mqtt'))).toBe(codec);
    expect(packageDir('mqtt-packet', packageDir('aedes'))).toBe(codec);
    // server/ops/quietDebug.ts quiets the `debug` that the codec requires per module
    for (const file of ['parser.js', 'writeToStream.js']) {
      expect(readFileSync(join(codec, file), 'utf8')).toContain("require('debug')");
    }
    expect(() => require.resolve('debug', { paths: [codec] })).not.toThrow();
  });
});

describe('mqtt-packet writeToStream', () => {
  /** Writes `packet` as the hub does (MQTT 5) and reads it back with mqtt-packet's parser. */
  function roundTrip(packet: Packet, stream = new PassThrough()) {
    const written: Buffer[] = [];
    stream.on('data', (d: Buffer) => written.push(d));
    const v5 = { protocolVersion: 5 as const };
    expect(writeToStream(packet, stream, v5)).toBe(true);
    const parsed: Packet[] = [];
    const parser = mqttParser(v5);
    parser.on('packet', (p: Packet) => parsed.push(p));
    return async () => {
      await new Promise((r) => setImmediate(r));
      parser.parse(Buffer.concat(written));
      return parsed;
    };
  }

  it("writes a PUBACK and a QoS 1 PUBLISH through the stream's write", async () => {
    const puback = roundTrip({ cmd: 'puback', messageId: 4321 });
    expect(await puback()).toEqual([expect.objectContaining({ cmd: 'puback', messageId: 4321 })]);

    // server/broker/coalesce.ts takes `cork` away and gathers what `write` is given
    const stream = new PassThrough();
    const chunks: unknown[] = [];
    const write = stream.write.bind(stream) as (c: Buffer) => boolean;
    stream.write = ((c: Buffer) => (chunks.push(c), write(c))) as PassThrough['write'];
    (stream as { cork?: unknown }).cork = undefined;
    const receipt = roundTrip(
      {
        cmd: 'publish',
        topic: 'telehealth/v1/devices/dev_a/receipts',
        payload: '{"status":"accepted"}',
        qos: 1,
        messageId: 7,
        retain: false,
        dup: false,
      },
      stream,
    );
    const [p] = (await receipt()) as IPublishPacket[];
    expect(p).toMatchObject({ cmd: 'publish', qos: 1, messageId: 7 });
    expect(p!.topic).toBe('telehealth/v1/devices/dev_a/receipts');
    expect(p!.payload.toString()).toBe('{"status":"accepted"}');
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((c) => Buffer.isBuffer(c) || typeof c === 'string')).toBe(true);
  });
});

describe('mqtt.js against a real broker (aedes)', () => {
  let broker: Aedes;
  let server: Server;
  let url = '';
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await new Promise<void>((r) => broker.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function connect(options: mqtt.IClientOptions = {}) {
    const client = await mqtt.connectAsync(url, {
      clientId: `internals-${clients.length}`,
      reconnectPeriod: 1000,
      ...options,
    });
    clients.push(client);
    return client;
  }

  it('hands each QoS 1 publish to handleMessage; an error to `done` holds its PUBACK back', async () => {
    // the hub's options for its link (external.ts): its own SUBSCRIBE, a persistent session
    const client = await connect({ clean: false, resubscribe: false });
    const acked: number[] = [];
    broker.on('ack', (packet, c) => {
      if (c?.id === client.options.clientId && packet && 'payload' in packet) {
        acked.push(Number(packet.payload.toString()));
      }
    });
    const held: IPublishPacket[] = [];
    const deferred = Object.assign(new Error('acknowledged after commit'), { deferred: true });
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    client.handleMessage = (packet: IPublishPacket, done) => {
      const n = Number(packet.payload.toString());
      if (n % 2 === 0) {
        held.push(packet);
        return done(deferred);
      }
      done();
    };
    await client.subscribeAsync('internals/held', { qos: 1 });
    for (const n of [1, 2, 3, 4]) {
      broker.publish(
        {
          cmd: 'publish',
          topic: 'internals/held',
          payload: Buffer.from(String(n)),
          qos: 1,
          retain: false,
          dup: false,
        },
        () => {},
      );
    }
    // every publish reached handleMessage, and mqtt.js went on reading after a held one
    await vi.waitFor(() => expect(held.map((p) => p.payload.toString())).toEqual(['2', '4']), soon);
    await vi.waitFor(() => expect(acked.sort()).toEqual([1, 3]), soon);
    await new Promise((r) => setTimeout(r, 50));
    expect(acked.sort(), 'no automatic PUBACK for a message held back').toEqual([1, 3]);
    expect(errors).toEqual([]);

    // the hub's own PUBACK, written behind mqtt.js's back on its stream, is the broker's ack
    for (const p of held) writeToStream({ cmd: 'puback', messageId: p.messageId! }, client.stream);
    await vi.waitFor(() => expect(acked.sort()).toEqual([1, 2, 3, 4]), soon);
    expect(client.connected).toBe(true);
  });

  it("numbers the hub's own packets with messageIdProvider.allocate (1..65535)", async () => {
    const client = await connect();
    const provider = client.messageIdProvider;
    expect(typeof provider.allocate).toBe('function');
    const ids = Array.from({ length: 5 }, () => provider.allocate());
    for (const id of ids) {
      expect(typeof id).toBe('number');
      expect(id).toBeGreaterThanOrEqual(1);
      expect(id).toBeLessThanOrEqual(65535);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // a PUBLISH numbered so, written on the stream, reaches a subscriber
    const subscriber = await connect();
    await subscriber.subscribeAsync('internals/receipts', { qos: 1 });
    const got = new Promise<[string, Buffer]>((r) =>
      subscriber.once('message', (topic, payload) => r([topic, payload])),
    );
    writeToStream(
      {
        cmd: 'publish',
        topic: 'internals/receipts',
        payload: '{"status":"accepted"}',
        qos: 1,
        messageId: provider.allocate()!,
        retain: false,
        dup: false,
      },
      client.stream,
    );
    const [topic, payload] = await got;
    expect([topic, payload.toString()]).toEqual(['internals/receipts', '{"status":"accepted"}']);
  });

  it('sends SUBSCRIBE for a filter already held when the map says resubscribe: true', async () => {
    /** The SUBSCRIBE packets a client sends for `map`, and the filters they name. */
    async function subscribes(client: MqttClient, map: ISubscriptionMap) {
      const sent: string[][] = [];
      const onSend = (p: Packet) => {
        if (p.cmd === 'subscribe') sent.push(p.subscriptions.map((s) => s.topic));
      };
      client.on('packetsend', onSend);
      await client.subscribeAsync(map);
      client.off('packetsend', onSend);
      return sent;
    }
    // as external.ts builds it
    const forced = () =>
      Object.assign(Object.fromEntries([['internals/sub', { qos: 1 as const }]]), {
        resubscribe: true,
      }) as ISubscriptionMap;

    // mqtt.js's default (resubscribe on): a filter it holds is skipped unless the map forces it
    const plain = await connect();
    expect(await subscribes(plain, { 'internals/sub': { qos: 1 } })).toEqual([['internals/sub']]);
    expect(await subscribes(plain, { 'internals/sub': { qos: 1 } })).toEqual([]);
    expect(await subscribes(plain, forced())).toEqual([['internals/sub']]);

    // the hub's options (resubscribe off): forced, and the flag is never taken for a filter
    const hub = await connect({ clean: false, resubscribe: false });
    expect(await subscribes(hub, forced())).toEqual([['internals/sub']]);
    expect(await subscribes(hub, forced())).toEqual([['internals/sub']]);
  });
});
