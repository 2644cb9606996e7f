// A Mosquitto of a test's own, run from deploy/mosquitto: the production configuration with its
// listener, file paths, persistence and log moved to a temporary directory, on a free port (the
// machine's broker keeps 1883). Users go into a password file made with mosquitto_passwd.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';

const MOSQUITTO = process.env.TEST_MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = process.env.TEST_MOSQUITTO_PASSWD_BIN ?? '/usr/bin/mosquitto_passwd';
const DEPLOY = new URL('../../deploy/mosquitto/', import.meta.url);

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Options that belong to a listener (the TLS example): the test has one plain listener. */
const LISTENER_OPTIONS = new Set([
  'listener',
  'bind_address',
  'bind_interface',
  'socket_domain',
  'protocol',
  'certfile',
  'keyfile',
  'cafile',
  'capath',
  'crlfile',
  'ciphers',
  'ciphers_tls1.3',
  'tls_version',
  'require_certificate',
  'use_identity_as_username',
  'use_subject_as_username',
  'psk_hint',
  'psk_file',
  'http_dir',
  'port',
]);

export interface TestMosquitto {
  port: number;
  url: string;
  /** The configuration it runs, derived from deploy/mosquitto/mosquitto.conf. */
  conf: string;
  /** Adds or changes a user in the password file; call reload() to apply. */
  addUser(username: string, password: string): Promise<void>;
  /** Removes a user from the password file (`mosquitto_passwd -D`); call reload() to apply. */
  removeUser(username: string): Promise<void>;
  /** SIGHUP, as `systemctl reload mosquitto` does; resolves once the broker has reloaded. */
  reload(): Promise<void>;
  /** What the broker has logged so far. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1: bind port 0, read it, let it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The deploy configuration with everything machine-specific pointed into `dir`. */
export function testConfig(deployConf: string, dir: string, port: number): string {
  const out: string[] = [];
  let listener = false;
  for (const line of deployConf.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const option = t.split(/\s+/)[0]!;
    if (LISTENER_OPTIONS.has(option)) {
      if (option === 'listener' && !listener) out.push(`listener ${port} 127.0.0.1`);
      listener ||= option === 'listener';
      continue;
    }
    switch (option) {
      case 'password_file':
        out.push(`password_file ${join(dir, 'passwd')}`);
        break;
      case 'acl_file':
        out.push(`acl_file ${join(dir, 'acl')}`);
        break;
      case 'persistence_location':
        out.push(`persistence_location ${dir}/`);
        break;
      case 'log_dest':
        if (!out.some((l) => l.startsWith('log_dest'))) {
          out.push(`log_dest file ${join(dir, 'mosquitto.log')}`);
        }
        break;
      case 'user':
        // As root Mosquitto drops to this user, who could not read the private temp dir.
        out.push(`user ${userInfo().username}`);
        break;
      case 'pid_file':
      case 'include_dir':
        break;
      default:
        out.push(t);
    }
  }
  if (!listener) throw new Error('deploy/mosquitto/mosquitto.conf has no listener');
  // Log subscriptions too, so a failing test shows what the broker granted.
  out.push('log_type subscribe', 'log_type unsubscribe');
  return out.join('\n') + '\n';
}

/** One CONNECT/CONNACK through the broker's event loop (refused: nobody has this name). */
async function roundTrip(port: number) {
  const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
    username: 'reload-probe',
    password: 'x',
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  await new Promise<void>((resolve) => {
    c.once('connect', () => resolve());
    c.once('error', () => resolve());
    c.once('close', () => resolve());
  });
  c.end(true);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Starts Mosquitto from the deploy configuration with `users` (username -> password) in its
 * password file, and waits until it accepts connections.
 */
export async function startMosquitto(users: Record<string, string>): Promise<TestMosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'mosquitto-'));
  const passwd = join(dir, 'passwd');
  const logFile = join(dir, 'mosquitto.log');
  const readLog = () => readFile(logFile, 'utf8').catch(() => '');
  const deployConf = await readFile(new URL('mosquitto.conf', DEPLOY), 'utf8');
  await copyFile(new URL('acl', DEPLOY), join(dir, 'acl'));

  const entries = Object.entries(users);
  if (entries.length === 0) await writeFile(passwd, '', { mode: 0o600 });
  for (const [i, [u, p]] of entries.entries()) {
    await run(MOSQUITTO_PASSWD, [...(i === 0 ? ['-c'] : []), '-b', passwd, u, p]);
  }

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let port = 0;
  let conf = '';
  let stderr = '';
  // A port found free can be taken before Mosquitto binds it: try another.
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    conf = testConfig(deployConf, dir, port);
    const confFile = join(dir, 'mosquitto.conf');
    await writeFile(confFile, conf);
    const proc = spawn(MOSQUITTO, ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let dead = false;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.once('exit', () => (dead = true));
    proc.once('error', (err) => {
      dead = true;
      stderr += err.message;
    });
    const deadline = Date.now() + 5000;
    while (!dead && Date.now() < deadline && !(await accepts(port))) await sleep(25);
    if (!dead && Date.now() < deadline) child = proc;
    else proc.kill('SIGKILL');
  }
  if (!child) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`mosquitto did not start: ${stderr.trim()}\n${await readLog()}`);
  }
  const proc = child;

  let reloads = 0;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    conf,
    async addUser(username, password) {
      await run(MOSQUITTO_PASSWD, ['-b', passwd, username, password]);
    },
    async removeUser(username) {
      await run(MOSQUITTO_PASSWD, ['-D', passwd, username]);
    },
    async reload() {
      reloads++;
      proc.kill('SIGHUP');
      const deadline = Date.now() + 5000;
      const done = async () => (await readLog()).split('Reloading config').length > reloads;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`mosquitto did not reload:\n${await readLog()}`);
        await sleep(20);
      }
      // The line is logged before the files are read, in the broker's one event loop: a CONNECT
      // answered after it was handled after the reload.
      await roundTrip(port);
    },
    log: readLog,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const killer = setTimeout(() => proc.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
