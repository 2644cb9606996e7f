// What operations see: health, readiness, metrics and logs.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../server/config.js';
import { startHub, type Hub } from '../../server/hub.js';
import { runCommand } from '../../server/admin/commands/index.js';
import { connectDevice, weight } from '../support/device.js';
import { registerPatientWithDevice, type Registered } from '../support/hub.js';

describe('operations endpoints and logs', () => {
  let hub: Hub;
  let reg: Registered;
  let logs = '';

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    const log = pino({ level: 'debug' }, sink);
    hub = await startHub(
      configSchema.parse({
        DATA_DIR: 'memory',
        HTTP_PORT: '0',
        MQTT_PORT: '0',
        HUB_ID: 'ops-test',
      }),
      { log },
    );
    reg = await registerPatientWithDevice(hub);
    const d = await connectDevice(hub.urls.mqtt, reg.deviceId, reg.secret);
    const r = weight(81);
    await d.publish(r);
    await d.publish(r);
    await d.publish(weight(900));
    // one message, so one commit: two new readings and a repeat, counted together
    await d.publish({ readings: [weight(82), weight(83), r] });
    await d.waitForReceipts(6);
    await d.close();
    await connectDevice(hub.urls.mqtt, reg.deviceId, 'wrong-secret').catch(() => {});
  });
  afterAll(() => hub?.stop());

  it('answers /healthz while the process lives', async () => {
    const res = await fetch(`${hub.urls.http}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the state of the database and the broker', async () => {
    const res = await fetch(`${hub.urls.http}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', broker: 'ok' } });
  });

  it('exposes ingest metrics for Prometheus', async () => {
    const text = await (await fetch(`${hub.urls.http}/metrics`)).text();
    expect(text).toMatch(/^telehealth_ingest_messages_received_total\{kind="readings"\} 4$/m);
    expect(text).toMatch(/^telehealth_ingest_readings_accepted_total 3$/m);
    expect(text).toMatch(/^telehealth_ingest_readings_duplicate_total 2$/m);
    expect(text).toMatch(
      /^telehealth_ingest_readings_rejected_total\{reason="implausible_value"\} 1$/m,
    );
    expect(text).toMatch(/^telehealth_ingest_batch_size_count \d+$/m);
    expect(text).toMatch(/^telehealth_ingest_commit_seconds_bucket\{le="0.1"\} \d+$/m);
    expect(text).toMatch(/^telehealth_ingest_lag_seconds_count 4$/m);
    expect(text).toMatch(/^telehealth_broker_auth_failures_total\{reason="bad_credentials"\} 1$/m);
    // the four messages the embedded broker handed the hub, counted when scraped, once
    expect(text).toMatch(/^telehealth_broker_deliveries_total 4$/m);
    const again = await (await fetch(`${hub.urls.http}/metrics`)).text();
    expect(again).toMatch(/^telehealth_broker_deliveries_total 4$/m);
  });

  it('never writes a device secret into the logs', async () => {
    const { secret } = (await runCommand({ db: hub.db }, 'device add', {
      patient: reg.patientId,
    })) as { secret: string };
    expect(logs).toContain('device refused at connect'); // the logs do speak of devices
    expect(logs).not.toContain(reg.secret);
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain('wrong-secret');
    expect(logs).not.toMatch(/scrypt\$/);
  });
});
