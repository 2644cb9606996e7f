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
  /**
   * SIGTERM, as `systemctl restart mosquitto` does: Mosquitto writes its persistence file on the
   * way out; then the same configuration, port, data and persistence file again.
   */
  restart(): Promise<void>;
  /** Sends `signal` (SIGKILL: a crash, which loses what was not autosaved) and waits for exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again after kill(), on the same port with the same data. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  /** Options set over the deploy configuration's, e.g. `{ autosave_interval: '1' }`. */
  set?: Record<string, string>;
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
export function testConfig(
  deployConf: string,
  dir: string,
  port: number,
  set: Record<string, string> = {},
): string {
  const out: string[] = [];
  let listener = false;
  for (const line of deployConf.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const option = t.split(/\s+/)[0]!;
    if (option in set) continue;
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
  for (const [option, value] of Object.entries(set)) out.push(`${option} ${value}`);
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
export async function startMosquitto(
  users: Record<string, string>,
  opts: MosquittoOptions = {},
): Promise<TestMosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'mosquitto-'));
  const passwd = join(dir, 'passwd');
  const logFile = join(dir, 'mosquitto.log');
  const confFile = join(dir, 'mosquitto.conf');
  const readLog = () => readFile(logFile, 'utf8').catch(() => '');
  const deployConf = await readFile(new URL('mosquitto.conf', DEPLOY), 'utf8');
  await copyFile(new URL('acl', DEPLOY), join(dir, 'acl'));

  const entries = Object.entries(users);
  if (entries.length === 0) await writeFile(passwd, '', { mode: 0o600 });
  for (const [i, [u, p]] of entries.entries()) {
    await run(MOSQUITTO_PASSWD, [...(i === 0 ? ['-c'] : []), '-b', passwd, u, p]);
  }

  let stderr = '';
  /** Runs Mosquitto on `port`; null when it exited (e.g. the port was taken) or never listened. */
  const launch = async (port: number) => {
    const proc = spawn(MOSQUITTO, ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let dead = false;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.once('exit', () => (dead = true));
    proc.once('error', (err) => {
      dead = true;
      stderr += err.message;
    });
    const deadline = Date.now() + 5000;
    while (!dead && Date.now() < deadline && !(await accepts(port))) await sleep(25);
    if (!dead && Date.now() < deadline) return { proc, exited };
    proc.kill('SIGKILL');
    await exited;
    return null;
  };

  let current: { proc: ChildProcess; exited: Promise<void> } | null = null;
  let port = 0;
  let conf = '';
  // A port found free can be taken before Mosquitto binds it: try another.
  for (let attempt = 0; attempt < 3 && !current; attempt++) {
    port = await freePort();
    conf = testConfig(deployConf, dir, port, opts.set);
    await writeFile(confFile, conf);
    current = await launch(port);
  }
  if (!current) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`mosquitto did not start: ${stderr.trim()}\n${await readLog()}`);
  }
  const running = () => {
    if (!current) throw new Error('mosquitto is not running');
    return current;
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = current;
    current = null;
    if (!c || c.proc.exitCode !== null || c.proc.signalCode !== null) return;
    c.proc.kill(signal);
    const killer = setTimeout(() => c.proc.kill('SIGKILL'), 5000);
    await c.exited;
    clearTimeout(killer);
  };
  const start = async () => {
    if (current) throw new Error('mosquitto is already running');
    // the same port: clients reconnect to where they were (a port just closed may linger)
    const deadline = Date.now() + 10_000;
    while (!current && Date.now() < deadline) current = await launch(port);
    if (!current) throw new Error(`mosquitto did not start again: ${stderr.trim()}`);
  };

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
      running().proc.kill('SIGHUP');
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
    async restart() {
      await kill('SIGTERM');
      await start();
    },
    kill,
    start,
    async stop() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
