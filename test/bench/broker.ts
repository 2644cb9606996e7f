// The services-mode broker for the benchmark: Mosquitto with the production queue and in-flight
// settings of deploy/mosquitto (the machine's broker runs Debian's defaults, whose
// max_queued_messages of 1000 drops QoS 1 messages it has already acknowledged once a
// subscriber falls behind), but anonymous, so that the ceiling's plain clients may publish.
// BENCH_MQTT_URL points the benchmark at another broker instead.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { freePort } from '../support/mosquitto.js';

const DEPLOY = new URL('../../deploy/mosquitto/mosquitto.conf', import.meta.url);
const TUNING = [
  'max_queued_messages',
  'max_queued_bytes',
  'max_inflight_messages',
  'message_size_limit',
];

export async function startBenchBroker(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.BENCH_MQTT_URL) return { url: process.env.BENCH_MQTT_URL, stop: async () => {} };
  const deploy = await readFile(DEPLOY, 'utf8');
  const tuning = deploy.split('\n').filter((l) => TUNING.includes(l.trim().split(/\s+/)[0] ?? ''));
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'bench-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(
    conf,
    [...tuning, 'persistence false', `listener ${port} 127.0.0.1`, 'allow_anonymous true', ''].join(
      '\n',
    ),
  );
  const child = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createConnection(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Ends a hub's persistent broker session so that Mosquitto stops queueing for it. */
export async function forgetSession(url: string, clientId: string) {
  const c = await mqtt.connectAsync(url, { clientId, clean: true, protocolVersion: 5 });
  await c.endAsync();
}
