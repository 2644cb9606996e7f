// A reconnect storm: many home gateways come back at once after an outage, each with the
// readings it kept while it was cut off (the original measurement times), and deliver them as
// the contract allows a gateway to: `{ readings: [...] }` batches of at most 500, QoS 1, every
// reading answered by a receipt. Some gateways, never having seen their receipts before the
// outage, send a batch a second time: those readings must come back `duplicate`, not twice.
// Values come from the home-monitoring workload (homeReadings.ts), so the rules see plausible
// patients and their late findings.
import mqtt, { type MqttClient } from 'mqtt';
import { MAX_READINGS_PER_MESSAGE, topics } from '../../devices/contract.js';
import { parseInbound } from '../devices/receipts.js';
import { createHomeWorkload } from './homeReadings.js';
import type { LoadDevice } from './publisher.js';

export interface StormOptions {
  url: string;
  gateways: LoadDevice[];
  /** How long the gateways were offline: their backlog spans this many days up to now. */
  backlogDays: number;
  /** Readings each gateway measured per day while offline (a home: ~5). */
  readingsPerDay: number;
  /** Connections being opened at any moment (a storm: everyone, bounded by the generator). */
  connectConcurrency: number;
  /** Share of gateways that send their first batch twice. */
  resendFraction: number;
  abnormalFraction?: number;
  seed?: number;
  /** Give up on receipts this long after the last publish. */
  drainTimeoutMs?: number;
}

export interface StormResult {
  gateways: number;
  readings: number;
  messages: number;
  /** Readings sent a second time by gateways that resend. */
  resent: number;
  /** From the first CONNECT until every gateway had connected and published its backlog. */
  allPublishedMs: number;
  /** From the first CONNECT to the last receipt: the storm absorbed. */
  absorbedMs: number;
  /** Per gateway, CONNECT to CONNACK and SUBACK. */
  connectMs: number[];
  /** Per gateway, from its first publish to its last receipt. */
  gatewayDoneMs: number[];
  receipts: Record<string, number>;
  /** Readings with no receipt by the end. */
  unanswered: number;
  connectErrors: number;
  /** The readings each gateway published once (for the exactly-once check). */
  sent: { deviceId: string; messageId: string }[];
}

const DAY = 86_400_000;

/** Each gateway's backlog: readings spread over the offline days, oldest first. */
export function stormBacklogs(o: StormOptions, now = Date.now()): string[][] {
  const perGateway = Math.max(1, Math.round(o.backlogDays * o.readingsPerDay));
  const workload = createHomeWorkload({
    devices: o.gateways.length,
    startMs: now - o.backlogDays * DAY,
    stepMs: (o.backlogDays * DAY) / (perGateway + 1),
    abnormalFraction: o.abnormalFraction ?? 0.01,
    seed: o.seed ?? 1,
    now: () => now,
  });
  return o.gateways.map((g, i) =>
    Array.from({ length: perGateway }, (_, k) => workload.payload(`${g.deviceId}-b${k}`, i)),
  );
}

export async function reconnectStorm(o: StormOptions): Promise<StormResult> {
  const backlogs = stormBacklogs(o);
  const sent = backlogs.flatMap((lines, i) =>
    lines.map((line) => ({
      deviceId: o.gateways[i]!.deviceId,
      messageId: (JSON.parse(line) as { messageId: string }).messageId,
    })),
  );
  const receipts: Record<string, number> = {};
  const waiting = new Map<string, number>(); // receipts still expected, per gateway
  const doneMs: number[] = [];
  const connectMs: number[] = [];
  const clients: MqttClient[] = [];
  let lastReceipt = 0;
  let lastPublish = 0;
  let resent = 0;
  let messages = 0;
  let connectErrors = 0;
  let allAnswered: (() => void) | null = null;
  const t0 = performance.now();

  async function gateway(i: number) {
    const g = o.gateways[i]!;
    const lines = backlogs[i]!;
    const started = performance.now();
    let client: MqttClient;
    try {
      client = await mqtt.connectAsync(o.url, {
        clientId: `${g.deviceId}-storm`,
        ...(g.secret ? { username: g.deviceId, password: g.secret } : {}),
        reconnectPeriod: 0,
        connectTimeout: 300_000,
        keepalive: 600,
      });
    } catch {
      connectErrors++;
      return;
    }
    clients.push(client);
    const resends = i / o.gateways.length < o.resendFraction;
    const batches: string[][] = [];
    for (let k = 0; k < lines.length; k += MAX_READINGS_PER_MESSAGE) {
      batches.push(lines.slice(k, k + MAX_READINGS_PER_MESSAGE));
    }
    if (resends) {
      batches.push(batches[0]!);
      resent += batches[0]!.length;
    }
    waiting.set(
      g.deviceId,
      batches.reduce((n, b) => n + b.length, 0),
    );
    let firstPublish = 0;
    client.on('message', (_topic, payload) => {
      const m = parseInbound(payload);
      if (m.kind !== 'receipt') return; // a notice to the patient, or nothing readable
      receipts[m.receipt.status] = (receipts[m.receipt.status] ?? 0) + 1;
      lastReceipt = performance.now();
      const left = waiting.get(g.deviceId)! - 1;
      waiting.set(g.deviceId, left);
      if (left === 0) {
        waiting.delete(g.deviceId);
        doneMs.push(lastReceipt - firstPublish);
        if (!waiting.size && done >= o.gateways.length) allAnswered?.();
      }
    });
    await client.subscribeAsync(topics.receipts(g.deviceId), { qos: 1 });
    connectMs.push(performance.now() - started);
    firstPublish = performance.now();
    for (const batch of batches) {
      await client.publishAsync(topics.readings(g.deviceId), `{"readings":[${batch.join(',')}]}`, {
        qos: 1,
      });
      messages++;
    }
    lastPublish = performance.now();
  }

  let next = 0;
  let done = 0;
  let publishedAt = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, o.connectConcurrency) }, async () => {
      while (next < o.gateways.length) {
        const i = next++;
        await gateway(i);
        done++;
        if (done === o.gateways.length) publishedAt = performance.now();
      }
    }),
  );
  if (waiting.size) {
    await new Promise<void>((resolve) => {
      allAnswered = resolve;
      setTimeout(resolve, o.drainTimeoutMs ?? 300_000).unref();
    });
  }
  const unanswered = [...waiting.values()].reduce((a, b) => a + b, 0);
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
  return {
    gateways: o.gateways.length,
    readings: sent.length,
    messages,
    resent,
    allPublishedMs: publishedAt - t0,
    connectMs,
    absorbedMs: Math.max(lastReceipt, lastPublish) - t0,
    gatewayDoneMs: doneMs,
    receipts,
    unanswered,
    connectErrors,
    sent,
  };
}
