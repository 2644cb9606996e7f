// The hub as a process: how it starts, what it says, and how it stops.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/admin/cli.js';
import { openPglite } from '../../server/store/db.js';
import { startPublisher } from '../support/publisher.js';
import { spawnHub } from '../support/spawnHub.js';

async function cli(env: Record<string, string>, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--json'], {
    env,
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  if (code !== 0) throw new Error(`hub ${argv.join(' ')} failed: ${err}`);
  return JSON.parse(out) as Record<string, string>;
}

/**
 * `npm run hub:built -- ARGV --json` with the build in `out` rather than dist/: package.json's
 * own command, its `dist/` moved to `out`.
 */
async function builtCli(out: string, env: Record<string, string>, ...argv: string[]) {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = pkg.scripts['hub:built'] ?? '';
  expect(script).toMatch(/^node( --[a-z-]+)* dist\/server\/admin\/cli\.js$/);
  const [, ...args] = script.split(' ').map((a) => a.replace(/^dist\//, `${out}/`));
  const { stdout } = await promisify(execFile)(process.execPath, [...args, ...argv, '--json'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as unknown;
}

describe('the hub process', () => {
  it('on SIGTERM commits and acknowledges what it holds, and exits 0', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-'));
    const env = { DATA_DIR: dataDir, HTTP_PORT: '0', MQTT_PORT: '0' };
    const hub = await spawnHub(env);

    // registered through the running hub, which owns the embedded database
    const org = await cli(env, 'org', 'add', '--name', 'Region', '--kind', 'region');
    const unit = await cli(env, 'unit', 'add', '--org', org.id!, '--name', 'VC');
    const patient = await cli(env, 'patient', 'add', '--unit', unit.id!, '--name', 'P');
    const device = await cli(env, 'device', 'add', '--patient', patient.id!);

    const publisher = await startPublisher(hub.mqttUrl, device.deviceId!, device.secret!);
    void publisher.run(100_000, 8).catch(() => {}); // never ends: the hub goes away under it
    while (publisher.acked.size < 200) await new Promise((r) => setTimeout(r, 10));
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    await publisher.close();

    const db = await openPglite(dataDir);
    const { rows } = await db.query<{ message_id: string }>('SELECT message_id FROM readings');
    await db.close();
    const stored = new Set(rows.map((r) => r.message_id));
    expect(publisher.acked.size).toBeGreaterThanOrEqual(200);
    expect([...publisher.acked].filter((id) => !stored.has(id))).toEqual([]);
  });

  it('refuses to start on a port that is already in use, naming the setting', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-'));
    await expect(
      spawnHub({ DATA_DIR: dataDir, HTTP_PORT: '0', MQTT_PORT: String(port) }),
    ).rejects.toThrow(new RegExp(`MQTT_PORT: port ${port} on 127.0.0.1 is already in use`));
    blocker.close();
  });

  it('runs compiled, as a deployment runs it (npm run build, start:built, hub:built)', async () => {
    // built beside the sources, into a folder of its own: the build finds its migrations and
    // dashboard through the package root, wherever its output lies
    const out = join('test-results', 'build-check');
    await promisify(execFile)(
      process.execPath,
      [
        'node_modules/typescript/bin/tsc',
        '-p',
        'tsconfig.build.json',
        '--outDir',
        out,
        '--tsBuildInfoFile',
        join(out, '.tsbuildinfo'),
      ],
      { timeout: 120_000 },
    );
    const dataDir = await mkdtemp(join(tmpdir(), 'hub-'));
    const env = { DATA_DIR: dataDir, HTTP_PORT: '0', MQTT_PORT: '0' };
    const hub = await spawnHub(env, ['--enable-source-maps', join(out, 'server', 'main.js')]);
    try {
      expect((await fetch(`${hub.httpUrl}/readyz`)).status).toBe(200);
      const org = await cli(env, 'org', 'add', '--name', 'Region', '--kind', 'region');
      const unit = await cli(env, 'unit', 'add', '--org', org.id!, '--name', 'VC');
      const patient = await cli(env, 'patient', 'add', '--unit', unit.id!, '--name', 'P');
      const device = await cli(env, 'device', 'add', '--patient', patient.id!);
      const publisher = await startPublisher(hub.mqttUrl, device.deviceId!, device.secret!);
      await publisher.run(20, 4);
      await publisher.close();
      expect(publisher.acked.size).toBe(20);
      const readings = (await cli(
        env,
        'readings',
        '--patient',
        patient.id!,
      )) as unknown as unknown[];
      expect(readings).toHaveLength(20);

      // the admin CLI compiled (no tsx in a deployment), through the running hub's socket
      expect(existsSync(join(out, 'server', 'admin', 'cli.js'))).toBe(true);
      expect(await builtCli(out, env, 'readings', '--patient', patient.id!)).toEqual(readings);
      const added = await builtCli(
        out,
        env,
        'org',
        'add',
        '--name',
        'Kommun',
        '--kind',
        'municipality',
      );
      expect(added).toEqual({ id: expect.stringMatching(/^org_/) as unknown });
    } finally {
      hub.child.kill('SIGTERM');
      expect(await hub.exited).toBe(0);
    }
  }, 180_000);

  it('stops on a bad setting with one line naming the variable', async () => {
    await expect(spawnHub({ HTTP_PORT: 'eighty' })).rejects.toThrow(
      /configuration error: HTTP_PORT: /,
    );
  });
});
