// The embedded hub SIGKILLed while gateways publish, and started again on the same data folder
// and port. Its aedes keeps device sessions in memory only, so a device reconnecting with
// clean=false must be told sessionPresent=false: its client then subscribes to its receipts
// again (a broker that claimed a session it no longer has would leave it without receipts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { topics, type Receipt } from '../../devices/contract.js';
import { openPglite } from '../../server/store/db.js';
import { hubJson } from '../support/cli.js';
import { weight } from '../support/device.js';
import { startGatewayLoad, type LoadDevice } from '../support/gatewayLoad.js';
import { freePort } from '../support/mosquitto.js';
import { spawnHub, type HubProcess } from '../support/spawnHub.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn().catch(() => {});
});

describe('the embedded hub killed and started again', () => {
  // two hub starts, the first initialising a data folder: minutes on a busy machine
  it(
    'tells clean=false devices their session is gone, receipts them again, and stores every reading once',
    { timeout: 240_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'hub-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      // the same port after the restart, so that devices find the hub where it was
      const env = {
        DATA_DIR: dataDir,
        HTTP_PORT: '0',
        MQTT_PORT: String(await freePort()),
        RULES: 'off',
        INGEST_BATCH_DELAY_MS: '2',
      };
      let hub: HubProcess = await spawnHub(env);
      const stopHub = async () => {
        if (hub.child.exitCode === null && hub.child.signalCode === null) {
          hub.child.kill('SIGTERM');
          await hub.exited;
        }
      };
      cleanup.push(stopHub);

      const org = await hubJson(env, 'org', 'add', '--name', 'Region', '--kind', 'region');
      const unit = await hubJson(env, 'unit', 'add', '--org', org.id!, '--name', 'VC');
      const patient = await hubJson(env, 'patient', 'add', '--unit', unit.id!, '--name', 'P');
      const devices: LoadDevice[] = [];
      for (let i = 0; i < 4; i++) {
        devices.push(await hubJson(env, 'device', 'add', '--patient', patient.id!));
      }
      const [probeDevice, ...gatewayDevices] = devices as [LoadDevice, ...LoadDevice[]];

      // a device client as firmware keeps one: a persistent session, mqtt.js reconnecting on its
      // own (and subscribing again only when the broker says the session is gone)
      const sessionPresent: boolean[] = [];
      const probeReceipts: Receipt[] = [];
      const probe: MqttClient = mqtt.connect(hub.mqttUrl, {
        username: probeDevice.deviceId,
        password: probeDevice.secret,
        clientId: `${probeDevice.deviceId}-probe`,
        clean: false,
        reconnectPeriod: 200,
        connectTimeout: 2000,
      });
      cleanup.push(() => probe.endAsync(true));
      probe.on('connect', (connack) => sessionPresent.push(connack.sessionPresent));
      await until('the probe connected', () => sessionPresent.length === 1);
      probe.on('message', (_t, payload) => probeReceipts.push(JSON.parse(payload.toString())));
      await probe.subscribeAsync(topics.receipts(probeDevice.deviceId), { qos: 1 });
      const first = weight(80.1);
      await probe.publishAsync(topics.readings(probeDevice.deviceId), JSON.stringify(first), {
        qos: 1,
      });
      await until('the first receipt', () => probeReceipts.length === 1);

      const load = startGatewayLoad(hub.mqttUrl, gatewayDevices, {
        receiptTimeoutMs: 2000,
        clientOptions: (d) => ({ clientId: `${d.deviceId}-gw`, clean: false }),
      });
      cleanup.push(() => load.close());
      await until('readings flowing', () => load.receipted() >= 200);

      hub.child.kill('SIGKILL');
      await hub.exited;
      hub = await spawnHub(env); // same folder, same port: a stale lock is taken over

      // the probe's mqtt.js reconnected by itself; the new broker has no session for it
      await until('the probe back', () => sessionPresent.length === 2);
      expect(sessionPresent).toEqual([false, false]);
      const afterCrash = weight(80.2);
      await probe.publishAsync(topics.readings(probeDevice.deviceId), JSON.stringify(afterCrash), {
        qos: 1,
      });
      await until('a receipt after the crash', () =>
        probeReceipts.some((r) => r.messageId === afterCrash.messageId),
      );

      const receiptedAtRestart = load.receipted();
      await until('readings flowing again', () => load.receipted() >= receiptedAtRestart + 200);
      load.stop();
      await load.drained(30_000);
      for (const gw of load.gateways) expect(gw.stats.lost).toBe(0);
      await load.close();
      await probe.endAsync();
      await stopHub();

      const db = await openPglite(dataDir);
      const { rows } = await db.query<{ device_id: string; message_id: string; n: number }>(
        `SELECT device_id, message_id, count(*)::int AS n FROM readings GROUP BY device_id, message_id`,
      );
      await db.close();
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      const sent = load.sent();
      sent.set(probeDevice.deviceId, [first.messageId, afterCrash.messageId]);
      for (const [deviceId, ids] of sent) {
        const stored = rows.filter((r) => r.device_id === deviceId).map((r) => r.message_id);
        expect(stored.sort()).toEqual([...ids].sort());
      }
      expect(rows.length).toBeGreaterThan(400);
    },
  );
});
