// A start that fails part way leaves nothing behind: what its steps started is undone, in the
// order stop() uses, so the same folder and ports start a hub at once.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../server/config.js';
import { startHub } from '../../server/hub.js';
import { captureLog } from '../support/captureLog.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe('a start that fails', () => {
  it('at its last step (the broker cannot listen) undoes every step before it, in order', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-'));
    const httpPort = await freePort();
    const base = {
      DATA_DIR: dataDir,
      HTTP_PORT: String(httpPort),
      MQTT_PORT: '0', // port 0 is not probed before the start: the broker finds out at listen
      RULES_THREAD: 'worker',
    };
    const { lines, log } = captureLog();
    // an address of no interface here (TEST-NET-1): listening on it fails
    await expect(
      startHub(configSchema.parse({ ...base, MQTT_HOST: '192.0.2.1' }), { log }),
    ).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });

    const started = lines.filter((l) => l.msg === 'step started').map((l) => l.step);
    expect(started).toEqual([
      'ports',
      'store',
      'broker',
      'rules',
      'notify',
      'ingest',
      'timers',
      'http',
      'realtime',
      'http listen',
      'admin socket',
    ]);
    const failed = lines.find((l) => l.msg === 'step failed');
    expect(failed).toMatchObject({ level: 50, step: 'intake', err: { message: /192\.0\.2\.1/ } });
    expect(failed!.err!.stack).toBeTruthy();
    const closed = lines
      .filter((l) => l.msg === 'closed')
      .map((l) => [l.step, l.phase, l.closer].filter(Boolean).join(':'));
    expect(closed).toEqual([
      'timers:drain:pruning',
      'timers:drain:rules',
      'timers:drain:escalation',
      'ingest:drain',
      'notify:drain:notifications',
      'rules:drain',
      'admin socket:close',
      'realtime:close:with http',
      'http:close',
      'rules:close',
      'broker:close',
      'store:close',
    ]);
    expect(lines.some((l) => l.msg === 'closing failed; going on')).toBe(false);
    expect(existsSync(join(dataDir, 'hub.sock'))).toBe(false);

    // the folder's lock, the HTTP port and the admin socket are free again
    const hub = await startHub(configSchema.parse({ ...base, LOG_LEVEL: 'silent' }));
    try {
      expect(hub.urls.http).toBe(`http://127.0.0.1:${httpPort}`);
      expect((await fetch(`${hub.urls.http}/readyz`)).status).toBe(200);
    } finally {
      await hub.stop();
    }
  });
});
