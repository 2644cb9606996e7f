// The ceiling: the same load generator and messages through the broker alone, to a subscriber
// that does nothing but receive (QoS 1, so it acknowledges). A message is complete when the
// subscriber has it, the way a hub message is complete when its receipt arrives.
import { createServer } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../devices/contract.js';
import { listen } from '../../server/ops/listen.js';
import { connectLoad, type RunResult } from '../../simulators/load/publisher.js';
import { cpuBetween, cpuSnapshot } from './procCpu.js';

export type MeasuredRun = RunResult & { cpu: Record<string, number> };

export interface CeilingOptions {
  devices: number;
  windows: number[];
  durationMs: number;
  warmupMs: number;
  log: (line: string) => void;
}

/** The messageId at the start of a generator payload, without parsing the JSON. */
export function messageIdOf(payload: Buffer): string {
  const head = '{"messageId":"';
  if (payload.toString('latin1', 0, head.length) === head) {
    const rest = payload.toString('latin1', head.length, head.length + 130);
    return rest.slice(0, rest.indexOf('"'));
  }
  return String((JSON.parse(payload.toString()) as { messageId?: unknown }).messageId);
}

async function runWindows(
  url: string,
  subscriber: MqttClient,
  topic: (deviceId: string) => string,
  idPrefix: string,
  o: CeilingOptions,
): Promise<MeasuredRun[]> {
  const load = await connectLoad({
    url,
    devices: Array.from({ length: o.devices }, (_, i) => ({ deviceId: `${idPrefix}-${i}` })),
    receipts: false,
    topic,
  });
  subscriber.on('message', (_topic, payload) => load.complete(messageIdOf(payload)));
  const results: MeasuredRun[] = [];
  try {
    for (const window of o.windows) {
      const before = await cpuSnapshot();
      const r = await load.run({
        window,
        durationMs: o.durationMs,
        warmupMs: o.warmupMs,
        completion: 'external',
        drainTimeoutMs: 15_000,
      });
      const cpu = cpuBetween(before, await cpuSnapshot());
      o.log(`  ceiling window ${window}: ${Math.round(r.ratePerSecond)} msg/s`);
      results.push({ ...r, cpu });
    }
  } finally {
    await load.close();
  }
  return results;
}

/** A bare aedes in this process (as the hub runs it), no hooks; generator and subscriber here too. */
export async function embeddedCeiling(o: CeilingOptions): Promise<MeasuredRun[]> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  const port = await listen(server, 0, '127.0.0.1', 'ceiling');
  const url = `mqtt://127.0.0.1:${port}`;
  const subscriber = await mqtt.connectAsync(url, { clientId: 'bench-ceiling-sub' });
  await subscriber.subscribeAsync(topics.readings('+'), { qos: 1 });
  try {
    return await runWindows(url, subscriber, topics.readings, 'bench-dev', o);
  } finally {
    await subscriber.endAsync(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  }
}

/**
 * Mosquitto: a subscriber like the hub's (MQTT 5, shared subscription, the hub's default Receive
 * Maximum) on a topic prefix of our own, so that no hub on this broker sees these messages.
 */
export async function servicesCeiling(
  url: string,
  tag: string,
  receiveMaximum: number,
  o: CeilingOptions,
): Promise<MeasuredRun[]> {
  const prefix = `bench-${tag}`;
  const topic = (deviceId: string) => `${prefix}/${topics.readings(deviceId)}`;
  const subscriber = await mqtt.connectAsync(url, {
    clientId: `bench-ceiling-${tag}`,
    protocolVersion: 5,
    clean: true,
    properties: { receiveMaximum },
  });
  await subscriber.subscribeAsync(`$share/bench-${tag}/${prefix}/${topics.readings('+')}`, {
    qos: 1,
  });
  try {
    return await runWindows(url, subscriber, topic, `bench-${tag}`, o);
  } finally {
    await subscriber.endAsync(true);
  }
}
