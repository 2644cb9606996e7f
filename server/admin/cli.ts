// The admin CLI: `npm run hub -- <command> [options] [--json]` (`npm run hub:built -- ...`
// compiled; script it with `npm run --silent ...`, or npm prints its "> script" banner on stdout).
// With a running hub it sends the command through the hub's admin socket (the hub owns an
// embedded database); without one it opens the database itself. With --json it prints exactly
// one JSON value on stdout; errors go to stderr with a non-zero exit code (`exitCodes`).
import { request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { adminSocketPath, loadConfig } from '../config.js';
import { DomainError, isDomainErrorCode, type DomainErrorCode } from '../errors.js';
import { DataDirBusy } from '../store/dataDirLock.js';
import { openPglite, openPostgres, type Db } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import {
  commandNames,
  commands,
  describeResult,
  runCommand,
  type CommandName,
} from './commands/index.js';
import { socketAnswers } from './probe.js';

/**
 * The exit codes, in one place: 0 done; 1 the command was refused (a DomainError, whatever its
 * code: the message says why); 2 the command line is wrong; 3 anything else failed.
 */
export const EXIT_USAGE = 2;
export const EXIT_FAILED = 3;
export const exitCodes = {
  invalid: 1,
  unauthenticated: 1,
  forbidden: 1,
  not_found: 1,
  conflict: 1,
  too_many: 1,
} as const satisfies Record<DomainErrorCode, number>;

/** The exit code for what a command threw. */
export const exitCodeOf = (err: unknown): number =>
  err instanceof DomainError ? exitCodes[err.code] : EXIT_FAILED;

export interface CliIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
}

const usage = () =>
  [
    'usage: npm run hub -- <command> [--option value ...] [--json]',
    '',
    ...commandNames.map((n) => {
      const c = commands[n] as { summary: string; positional?: string[]; args: { shape?: object } };
      const pos = (c.positional ?? []).map((p) => ` ${p.toUpperCase()}`).join('');
      const opts = Object.keys(c.args.shape ?? {})
        .filter((k) => !(c.positional ?? []).includes(k))
        .map((k) => ` --${kebab(k)} ${kebab(k).toUpperCase()}`)
        .join('');
      return `  ${n}${pos}${opts}\n      ${c.summary}`;
    }),
  ].join('\n');

/** Options are spelled --spo2-scale on the command line and spo2Scale in the commands. */
const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (k: string) => k.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function optionSpec() {
  const spec: Record<string, { type: 'string' | 'boolean' }> = {
    json: { type: 'boolean' },
    help: { type: 'boolean' },
  };
  for (const n of commandNames) {
    const shape = (commands[n].args as { shape?: object }).shape ?? {};
    for (const k of Object.keys(shape)) spec[kebab(k)] = { type: 'string' };
  }
  return spec;
}

/** Runs one CLI invocation; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec(), strict: true, allowPositionals: true });
  } catch (err) {
    io.err((err as Error).message);
    return EXIT_USAGE;
  }
  const json = parsed.values.json === true;
  const words = parsed.positionals;
  const name = [words.slice(0, 2).join(' '), words[0] ?? ''].find((w) =>
    (commandNames as string[]).includes(w),
  ) as CommandName | undefined;
  if (!name || parsed.values.help) {
    (name ? io.out : io.err)(usage());
    return name ? 0 : EXIT_USAGE;
  }
  const command = commands[name] as { positional?: string[] };
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.values)) if (k !== 'json') args[camel(k)] = v;
  const rest = words.slice(name.split(' ').length);
  (command.positional ?? []).forEach((p, i) => {
    if (rest[i] !== undefined) args[p] = rest[i];
  });

  try {
    const result = await execute(name, args, io.env);
    io.out(json ? JSON.stringify(result) : describeResult(name, result));
    return 0;
  } catch (err) {
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    // a failure, not a refusal: its stack too, when asked for (LOG_LEVEL=debug)
    const debug = ['debug', 'trace'].includes(io.env.LOG_LEVEL ?? '');
    if (!(err instanceof DomainError) && debug && err instanceof Error && err.stack) {
      io.err(err.stack);
    }
    return exitCodeOf(err);
  }
}

async function execute(name: string, args: Record<string, unknown>, env: CliIo['env']) {
  const config = loadConfig(env);
  const socket = adminSocketPath(config);
  if (await socketAnswers(socket)) return viaHub(socket, name, args);

  if (!config.DATABASE_URL && config.DATA_DIR === 'memory') {
    throw new Error('no hub is running and DATA_DIR=memory keeps no database to manage');
  }
  const db = config.DATABASE_URL
    ? await openPostgres(config.DATABASE_URL, { max: 2 })
    : await openEmbeddedOrWaitForHub(config.DATA_DIR, socket);
  if (!db) return viaHub(socket, name, args);
  try {
    await migrate(db);
    return await runCommand({ db }, name, args);
  } finally {
    await db.close();
  }
}

/** A hub that is starting holds DATA_DIR before its socket answers: wait for it. */
async function openEmbeddedOrWaitForHub(dataDir: string, socket: string): Promise<Db | null> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await openPglite(dataDir);
    } catch (err) {
      if (!(err instanceof DataDirBusy) || Date.now() > deadline) throw err;
    }
    if (await socketAnswers(socket)) return null;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function viaHub(socketPath: string, name: string, args: unknown): Promise<unknown> {
  const body = JSON.stringify(args);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path: `/commands/${name.replace(/ /g, '-')}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          try {
            const reply = JSON.parse(text) as
              | { ok: true; result: unknown }
              | { ok: false; error: { code: string; message: string; field?: string } };
            if (reply.ok) resolve(reply.result);
            else if (!isDomainErrorCode(reply.error.code)) reject(new Error(reply.error.message));
            else {
              const { code, message, field } = reply.error;
              reject(new DomainError(code, message, field));
            }
          } catch {
            reject(new Error(`unexpected answer from the hub (HTTP ${res.statusCode})`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  });
  process.exitCode = code;
}
