// A steady load of readings from several home gateways (simulators/devices/gateway.ts), each
// keeping its readings until their receipts come and publishing them again after a receipt
// timeout: what a test checks the database against when the broker or the hub goes away under
// them.
import type { IClientOptions } from 'mqtt';
import { HomeGateway } from '../../simulators/devices/gateway.js';
import { createVirtualDevice } from '../../simulators/devices/kinds.js';

export interface LoadDevice {
  deviceId: string;
  secret: string;
}

export interface GatewayLoad {
  gateways: HomeGateway[];
  /** Readings handed to the gateways so far. */
  handedIn(): number;
  /** Receipts the gateways have had so far. */
  receipted(): number;
  /** Stops handing in readings. */
  stop(): void;
  /** Resolves when every gateway has had a receipt for everything handed to it. */
  drained(timeoutMs: number): Promise<void>;
  /** What each device published (messageIds, each once however often it was resent). */
  sent(): Map<string, string[]>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startGatewayLoad(
  url: string,
  devices: LoadDevice[],
  o: {
    /** Readings per gateway per tick of 20 ms. */
    perTick?: number;
    receiptTimeoutMs?: number;
    clientOptions?: (device: LoadDevice, i: number) => Partial<IClientOptions>;
  } = {},
): GatewayLoad {
  const perTick = o.perTick ?? 1;
  const handed = devices.map(() => 0);
  const gateways = devices.map(
    (d, i) =>
      new HomeGateway({
        url,
        deviceId: d.deviceId,
        secret: d.secret,
        receiptTimeoutMs: o.receiptTimeoutMs ?? 2000,
        // never give a reading up: the test is that none is lost
        maxAttempts: 1000,
        backoffMs: 100,
        maxBackoffMs: 500,
        clientOptions: {
          // mqtt.js reconnects a client the broker dropped while it waits for a receipt; the
          // gateway's resend goes out on it then (without this the resend waits for ever)
          reconnectPeriod: 200,
          connectTimeout: 2000,
          ...o.clientOptions?.(d, i),
        },
      }),
  );
  const scales = devices.map((d) =>
    createVirtualDevice({ kind: 'scale', transport: 'json', idPrefix: d.deviceId }),
  );
  const start = Date.now() - 3_600_000;
  let stopped = false;
  const tick = setInterval(() => {
    if (stopped) return;
    gateways.forEach((gw, i) => {
      const batch = Array.from({ length: perTick }, () => {
        const seq = handed[i]!++;
        return scales[i]!.encode(
          {
            type: 'body_weight',
            measuredAt: new Date(start + seq * 10),
            value: 70 + (seq % 100) / 10,
          },
          seq,
        );
      });
      void gw.send(batch).catch(() => {});
    });
  }, 20);

  return {
    gateways,
    handedIn: () => handed.reduce((a, b) => a + b, 0),
    receipted: () => gateways.reduce((n, gw) => n + gw.receipts.length, 0),
    stop() {
      stopped = true;
      clearInterval(tick);
    },
    async drained(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const done = () =>
        gateways.every((gw, i) => gw.sent.length === handed[i] && gw.pending === 0);
      while (!done()) {
        if (Date.now() > deadline) {
          const state = gateways.map((gw, i) => ({
            handed: handed[i],
            sent: gw.sent.length,
            pending: gw.pending,
            receipts: gw.receipts.length,
            state: gw.state,
            stats: gw.stats,
          }));
          throw new Error(`gateways not drained: ${JSON.stringify(state)}`);
        }
        await sleep(50);
      }
    },
    sent: () =>
      new Map(devices.map((d, i) => [d.deviceId, gateways[i]!.sent.map((m) => m.messageId)])),
    async close() {
      stopped = true;
      clearInterval(tick);
      // a gateway waiting on a receipt that will not come is not waited for
      await Promise.race([Promise.all(gateways.map((gw) => gw.close())), sleep(3000)]);
    },
  };
}
