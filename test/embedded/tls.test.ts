// Devices outside the home network reach the embedded broker over TLS; in clear text the hub
// says at start that secrets would cross the network unencrypted.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../server/config.js';
import { startHub } from '../../server/hub.js';
import { weight } from '../support/device.js';
import { registerPatientWithDevice } from '../support/hub.js';

function captureLog() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, log: pino({ level: 'info' }, sink) };
}

describe('the embedded broker over TLS', () => {
  it('serves MQTT over TLS with the configured certificate and key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    const { lines, log } = captureLog();
    const hub = await startHub(
      configSchema.parse({
        DATA_DIR: 'memory',
        HTTP_PORT: '0',
        MQTT_PORT: '0',
        MQTT_TLS_CERT: cert,
        MQTT_TLS_KEY: key,
      }),
      { log },
    );
    try {
      expect(hub.urls.mqtt).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
      const reg = await registerPatientWithDevice(hub);
      const device = await mqtt.connectAsync(hub.urls.mqtt, {
        username: reg.deviceId,
        password: reg.secret,
        ca: await readFile(cert),
        reconnectPeriod: 0,
      });
      const r = weight(79.5);
      await device.publishAsync(
        `telehealth/v1/devices/${reg.deviceId}/readings`,
        JSON.stringify(r),
        { qos: 1 },
      );
      await device.endAsync();
      const { rows } = await hub.db.query('SELECT value FROM readings WHERE message_id = $1', [
        r.messageId,
      ]);
      expect(rows).toEqual([{ value: 79.5 }]);
      expect(lines.some((l) => /clear text/.test(l.msg))).toBe(false);
    } finally {
      await hub.stop();
    }
  });

  it('warns at start when it listens in clear text beyond loopback', async () => {
    const { lines, log } = captureLog();
    const hub = await startHub(
      configSchema.parse({
        DATA_DIR: 'memory',
        HTTP_PORT: '0',
        MQTT_PORT: '0',
        MQTT_HOST: '0.0.0.0',
      }),
      { log },
    );
    await hub.stop();
    expect(lines.find((l) => /clear text/.test(l.msg))).toMatchObject({ level: 40 });
  });

  it('does not warn on loopback', async () => {
    const { lines, log } = captureLog();
    const hub = await startHub(
      configSchema.parse({ DATA_DIR: 'memory', HTTP_PORT: '0', MQTT_PORT: '0' }),
      { log },
    );
    await hub.stop();
    expect(lines.some((l) => /clear text/.test(l.msg))).toBe(false);
  });
});
