// A test device: a real MQTT client that publishes readings and collects its receipts.
import mqtt, { type MqttClient } from 'mqtt';
import { topics, type PatientNotice, type Receipt } from '../../devices/contract.js';

export interface TestDevice {
  client: MqttClient;
  receipts: Receipt[];
  /** Messages for the patient (measure again, reminders) that came on the receipts topic. */
  notices: PatientNotice[];
  publish(payload: string | Buffer | object, opts?: { topic?: string; qos?: 0 | 1 }): Promise<void>;
  publishGatt(uuid: string, bytes: Uint8Array): Promise<void>;
  /** Resolves when at least `n` receipts have arrived. */
  waitForReceipts(n: number, timeoutMs?: number): Promise<Receipt[]>;
  close(): Promise<void>;
}

export async function connectDevice(
  url: string,
  deviceId: string,
  secret: string,
  opts: { subscribe?: boolean } = {},
): Promise<TestDevice> {
  const client = await mqtt.connectAsync(url, {
    username: deviceId,
    password: secret,
    clientId: `${deviceId}-${Math.random().toString(36).slice(2, 8)}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  const receipts: Receipt[] = [];
  const notices: PatientNotice[] = [];
  const waiters: (() => void)[] = [];
  client.on('message', (_topic, payload) => {
    const message = JSON.parse(payload.toString()) as Receipt | PatientNotice;
    if ('notice' in message) notices.push(message);
    else receipts.push(message);
    for (const w of waiters.splice(0)) w();
  });
  if (opts.subscribe !== false) await client.subscribeAsync(topics.receipts(deviceId), { qos: 1 });

  return {
    client,
    receipts,
    notices,
    async publish(payload, o = {}) {
      const body =
        typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
      await client.publishAsync(o.topic ?? topics.readings(deviceId), body, { qos: o.qos ?? 1 });
    },
    async publishGatt(uuid, bytes) {
      await client.publishAsync(topics.gatt(deviceId, uuid), Buffer.from(bytes), { qos: 1 });
    },
    waitForReceipts(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `expected ${n} receipts, got ${receipts.length}: ${JSON.stringify(receipts)}`,
              ),
            ),
          timeoutMs,
        );
        const check = () => {
          if (receipts.length >= n) {
            clearTimeout(timer);
            resolve(receipts.slice());
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => endClient(client),
  };
}

let seq = 0;
/** A valid reading, measured a minute ago, with a fresh messageId. */
export function weight(value = 82.4, extra: Record<string, unknown> = {}) {
  return {
    messageId: `w-${Date.now()}-${seq++}`,
    measuredAt: new Date(Date.now() - 60_000).toISOString(),
    type: 'body_weight',
    value,
    unit: 'kg',
    ...extra,
  };
}

/** Ends a client; end() never calls back on a client the broker already disconnected. */
export function endClient(client: MqttClient): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 1000);
    client.end(true, {}, () => {
      clearTimeout(t);
      resolve();
    });
  });
}
