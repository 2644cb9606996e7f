// The hub's MQTT 5 client (server/broker/external.ts) against a scripted broker: it subscribes
// on every connection even when CONNACK says the session is present, and counts itself ready
// only once that connection's SUBACK granted every filter (issue 16, item 2).
import { createServer, type Server, type Socket } from 'node:net';
import { parser as mqttParser, writeToStream, type Packet } from 'mqtt-packet';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectExternalBroker } from '../../server/broker/external.js';
import type { BrokerLink } from '../../server/broker/link.js';
import { createMetrics, type Metrics } from '../../server/ops/metrics.js';

const V5 = { protocolVersion: 5 };
const soon = { timeout: 5000, interval: 10 };

interface Received {
  conn: number;
  packet: Packet;
}

/** A broker that answers CONNECT at once and SUBSCRIBE only when the test says so. */
async function scriptedBroker() {
  const received: Received[] = [];
  const sockets: Socket[] = [];
  const b = {
    sessionPresent: true,
    received,
    /** SUBSCRIBE packets not answered yet, oldest first. */
    pending: [] as { conn: number; messageId: number; socket: Socket }[],
    answer(codes: number[]) {
      const s = b.pending.shift();
      if (!s) throw new Error('no SUBSCRIBE to answer');
      writeToStream({ cmd: 'suback', messageId: s.messageId, granted: codes }, s.socket, V5);
    },
    publish(packet: Packet) {
      writeToStream(packet, sockets.at(-1)!, V5);
    },
    /** Drops the hub's connection, as a broker that goes away does. */
    drop() {
      sockets.at(-1)!.destroy();
    },
    subscribes: () =>
      received.filter(
        (r): r is Received & { packet: Extract<Packet, { cmd: 'subscribe' }> } =>
          r.packet.cmd === 'subscribe',
      ),
    server: null as unknown as Server,
    url: '',
  };
  b.server = createServer((socket) => {
    const conn = sockets.push(socket);
    const parser = mqttParser(V5);
    parser.on('packet', (packet: Packet) => {
      received.push({ conn, packet });
      if (packet.cmd === 'connect') {
        writeToStream(
          { cmd: 'connack', sessionPresent: b.sessionPresent, reasonCode: 0 },
          socket,
          V5,
        );
      } else if (packet.cmd === 'subscribe') {
        b.pending.push({ conn, messageId: packet.messageId ?? 0, socket });
      } else if (packet.cmd === 'pingreq') {
        writeToStream({ cmd: 'pingresp' }, socket, V5);
      }
    });
    socket.on('data', (d) => parser.parse(d));
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => b.server.listen(0, '127.0.0.1', r));
  b.url = `mqtt://127.0.0.1:${(b.server.address() as { port: number }).port}`;
  return b;
}

const value = async (m: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await m.get()).values[0]?.value ?? 0;

let link: BrokerLink | undefined;
let close: (() => void) | undefined;
afterEach(async () => {
  await link?.close();
  close?.();
});

async function setup() {
  const broker = await scriptedBroker();
  close = () => broker.server.close();
  const logs: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    { write: (l: string) => logs.push(JSON.parse(l) as Record<string, unknown>) },
  );
  const metrics: Metrics = createMetrics();
  link = await connectExternalBroker({
    url: broker.url,
    hubId: 'unit',
    receiveMaximum: 10,
    sessionExpirySeconds: 60,
    group: 'g',
    log,
    metrics,
    resubscribeAfterMs: 50,
  });
  const delivered: string[] = [];
  await link.start((msg, ack) => {
    delivered.push(msg.payload.toString());
    ack();
  });
  return { broker, link, logs, metrics, delivered };
}

describe('the external broker link', () => {
  it('subscribes although the session is present, and is ready only after the SUBACK', async () => {
    const { broker, link, metrics } = await setup();
    await vi.waitFor(() => expect(broker.subscribes()).toHaveLength(1), soon);
    const [sub] = broker.subscribes();
    expect(sub!.packet.subscriptions.map((s) => [s.topic, s.qos])).toEqual([
      ['$share/g/telehealth/v1/devices/+/readings', 1],
      ['$share/g/telehealth/v1/devices/+/gatt/+', 1],
    ]);
    expect(link.ready()).toBe(false);
    expect(link.notReady()).toBe('subscribing to device topics');
    expect(await value(metrics.subscribed)).toBe(0);

    broker.answer([1, 1]);
    await vi.waitFor(() => expect(link.ready()).toBe(true), soon);
    expect(link.notReady()).toBeNull();
    expect(await value(metrics.subscribed)).toBe(1);
  });

  it('stays not ready on a refusal, logs it, and subscribes again', async () => {
    const { broker, link, logs, metrics } = await setup();
    await vi.waitFor(() => expect(broker.pending).toHaveLength(1), soon);
    broker.answer([1, 0x87]);
    await vi.waitFor(() => expect(link.notReady()).toMatch(/refused/), soon);
    expect(link.notReady()).toBe(
      'broker refused the subscription: $share/g/telehealth/v1/devices/+/gatt/+ (0x87 Not authorized)',
    );
    expect(link.ready()).toBe(false);
    expect(await value(metrics.subscribed)).toBe(0);
    expect(logs.find((l) => l.level === 50)).toMatchObject({
      reason: expect.stringContaining('0x87') as unknown,
    });

    // tried again after resubscribeAfterMs, on the same connection
    await vi.waitFor(() => expect(broker.pending).toHaveLength(1), soon);
    expect(broker.subscribes().map((s) => s.conn)).toEqual([1, 1]);
    broker.answer([1, 1]);
    await vi.waitFor(() => expect(link.ready()).toBe(true), soon);
  });

  it('counts deliveries, and after a reconnect with the session present subscribes again', async () => {
    const { broker, link, metrics, delivered } = await setup();
    await vi.waitFor(() => expect(broker.pending).toHaveLength(1), soon);
    broker.answer([1, 1]);
    await vi.waitFor(() => expect(link.ready()).toBe(true), soon);

    broker.publish({
      cmd: 'publish',
      topic: 'telehealth/v1/devices/dev_a/readings',
      payload: Buffer.from('{"r":1}'),
      qos: 1,
      messageId: 7,
      dup: false,
      retain: false,
    });
    await vi.waitFor(() => expect(delivered).toEqual(['{"r":1}']), soon);
    expect(await value(metrics.deliveries)).toBe(1);
    // acknowledged after the (here immediate) commit
    await vi.waitFor(
      () =>
        expect(broker.received.map((r) => r.packet)).toContainEqual(
          expect.objectContaining({ cmd: 'puback', messageId: 7 }),
        ),
      soon,
    );

    broker.drop();
    await vi.waitFor(() => expect(link.notReady()).toBe('broker not connected'), soon);
    expect(await value(metrics.subscribed)).toBe(0);
    // mqtt.js reconnects after a second; the broker says the session is there
    await vi.waitFor(() => expect(broker.pending).toHaveLength(1), soon);
    expect(broker.subscribes().map((s) => s.conn)).toEqual([1, 2]);
    expect(link.notReady()).toBe('subscribing to device topics');
    broker.answer([1, 1]);
    await vi.waitFor(() => expect(link.ready()).toBe(true), soon);
    expect(await value(metrics.subscribed)).toBe(1);
  });
});
