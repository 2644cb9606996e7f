// The one seam over the database driver: PostgreSQL through `pg`, or PGlite (in a worker thread).
// Everything above this file writes the same SQL for both.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../ops/thread.js';
import { lockDataDir } from './dataDirLock.js';
import type {
  SerializedError,
  WorkerInit,
  WorkerOp,
  WorkerReady,
  WorkerReply,
  WorkerRequest,
} from './pgliteWorker.js';
import pg from 'pg';

export interface QueryOptions {
  /**
   * Names the statement so that PostgreSQL parses and plans it once per connection instead of
   * on every call (the ingest's statement, thousands of times a minute); PGlite ignores it.
   */
  prepare?: string;
}

export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    opts?: QueryOptions,
  ): Promise<{ rows: R[] }>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * PostgreSQL rolled the statement or transaction back whole to end a deadlock or a serialization
 * conflict with another session: running it again is safe and will most likely succeed.
 */
export function isConflictRollback(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 8 });
  // An idle client that loses its server must not crash the process: the next query reconnects.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    query: async <R>(sql: string, params?: unknown[], opts?: QueryOptions) => {
      const r = opts?.prepare
        ? await pool.query({ name: opts.prepare, text: sql, values: params ?? [] })
        : await pool.query(sql, params);
      return { rows: r.rows as R[] };
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: async <R>(sql: string, params?: unknown[], opts?: QueryOptions) => ({
            rows: (opts?.prepare
              ? await client.query({ name: opts.prepare, text: sql, values: params ?? [] })
              : await client.query(sql, params)
            ).rows as R[],
          }),
        };
        const out = await fn(tx);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/**
 * `dataDir` undefined or 'memory' keeps the database in memory (tests); a folder is locked to this
 * process. PGlite runs in a worker thread so that the database's work leaves the main thread;
 * `inProcess` (default: env PGLITE_IN_PROCESS=1) runs it on the main thread instead.
 */
export async function openPglite(
  dataDir?: string,
  opts: { inProcess?: boolean } = {},
): Promise<Db> {
  const pglite = await import('@electric-sql/pglite');
  const inMemory = !dataDir || dataDir === 'memory';
  let unlock = async () => {};
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDir(dataDir);
  }
  const dataSource = inMemory ? 'memory://' : `${dataDir}/pglite`;
  const inProcess = opts.inProcess ?? process.env.PGLITE_IN_PROCESS === '1';
  try {
    if (inProcess) return await openPgliteInProcess(pglite, dataSource, unlock);
    if (!inMemory && !existsSync(join(dataSource, 'PG_VERSION'))) {
      await createCluster(dataSource);
    }
    return await openPgliteWorker(pglite, dataSource, unlock);
  } catch (err) {
    await unlock();
    throw err;
  }
}

type PgliteModule = typeof import('@electric-sql/pglite');

/**
 * Creates the database cluster in a process of its own, once, on the first start: initdb grows
 * PGlite's WebAssembly heap to ~800 MiB, which a running database never gives back. In a thread
 * of the hub (ended before the hub opened the database) it still put the hub's peak at 0.9-1.06
 * GiB, over the 1 GiB the hub is allowed (docs/benchmarks.md); the running database stays
 * ~200 MiB.
 */
async function createCluster(dataSource: string): Promise<void> {
  const module = JSON.stringify(import.meta.resolve('@electric-sql/pglite'));
  const script = `const { PGlite } = await import(${module});
    const db = await PGlite.create(${JSON.stringify(dataSource)});
    await db.close();`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { timeout: 300_000 },
      (err, _stdout, stderr) =>
        err
          ? reject(
              new Error(`creating the database in ${dataSource} failed: ${stderr || err.message}`),
            )
          : resolve(),
    );
  });
}

async function openPgliteInProcess(
  { PGlite }: PgliteModule,
  dataSource: string,
  unlock: () => Promise<void>,
): Promise<Db> {
  const db = await PGlite.create(dataSource);
  return {
    kind: 'pglite',
    query: async <R>(sql: string, params?: unknown[]) => {
      const r = await db.query<R>(sql, params);
      return { rows: r.rows };
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async <R>(sql: string, params?: unknown[]) => ({
            rows: (await tx.query<R>(sql, params)).rows,
          }),
        }),
      ),
    async exec(sql) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
      await unlock();
    },
  };
}

const workers = new WeakMap<Db, Worker>();
/** The thread behind a worker-backed PGlite `Db` (tests use it to play a crash). */
export const pgliteWorkerOf = (db: Db): Worker | undefined => workers.get(db);

/** Runs pgliteWorker in a thread. */
const startWorker = (init: WorkerInit): Worker =>
  startModuleWorker(import.meta.url, 'pgliteWorker', init);

/** An error from the worker as PGlite would have thrown it here: same class, same fields. */
function reviveError(
  { TransactionAbortedError, protocol }: PgliteModule,
  e: SerializedError,
): Error {
  const err =
    e.kind === 'aborted'
      ? new TransactionAbortedError()
      : e.kind === 'database'
        ? new protocol.messages.DatabaseError(e.message, 0, 'error')
        : Object.assign(new Error(e.message), { name: e.name });
  Object.assign(err, e.fields);
  err.message = e.message;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** A promise-chain mutex: `acquire` resolves, in call order, to the function that releases. */
function createMutex() {
  let tail: Promise<void> = Promise.resolve();
  return {
    acquire(): Promise<() => void> {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const ready = tail.then(() => release);
      tail = tail.then(() => held);
      return ready;
    },
  };
}

async function openPgliteWorker(
  pglite: PgliteModule,
  dataSource: string,
  unlock: () => Promise<void>,
): Promise<Db> {
  const worker = startWorker({ dataSource });
  const pending = new Map<
    number,
    { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  let dead: Error | undefined; // the worker is gone: every call fails with this
  let closing = false;
  let starting: { resolve: () => void; reject: (e: Error) => void } | undefined;

  const fail = (err: Error) => {
    if (dead) return;
    dead = err;
    starting?.reject(err);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (m: WorkerReply | WorkerReady) => {
    if ('ready' in m) {
      if (m.ready) starting?.resolve();
      else starting?.reject(reviveError(pglite, m.error));
      starting = undefined;
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error) p.reject(reviveError(pglite, m.error));
    else p.resolve(m.rows ?? []);
  });
  worker.on('error', (err) =>
    fail(
      Object.assign(new Error(`PGlite worker failed: ${err.message}; database connection closed`), {
        cause: err,
      }),
    ),
  );
  worker.on('messageerror', (err) =>
    fail(new Error(`PGlite worker sent an unreadable message (${err.message}); connection closed`)),
  );
  worker.on('exit', (code) =>
    fail(
      new Error(
        closing
          ? 'PGlite is closed'
          : `PGlite worker exited unexpectedly (exit code ${code}); database connection closed`,
      ),
    ),
  );

  try {
    await new Promise<void>((resolve, reject) => (starting = { resolve, reject }));
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  worker.unref(); // like PGlite in-process: an idle database does not keep the process alive

  const send = (op: WorkerOp, sql?: string, params?: unknown[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (dead) return reject(dead);
      const id = nextId++;
      try {
        worker.postMessage({ id, op, sql, params } satisfies WorkerRequest);
      } catch (err) {
        return reject(err as Error); // a parameter that cannot be cloned
      }
      if (pending.size === 0) worker.ref(); // a reply is awaited: stay alive for it
      pending.set(id, { resolve, reject });
    });

  // One connection: a transaction holds it from BEGIN to COMMIT, so every other use waits.
  const mutex = createMutex();
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (closing) throw dead ?? new Error('PGlite is closed');
    const release = await mutex.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  };
  /**
   * A statement outside a transaction is posted as soon as the connection is not held by one,
   * without waiting for the statements before it to be answered: the worker runs them in the
   * order posted. Waiting for each answer left the database idle while this thread was busy
   * (with the rules on, a third of the time; docs/benchmarks.md).
   */
  const pipelined = async (op: WorkerOp, sql: string, params?: unknown[]): Promise<unknown[]> => {
    if (closing) throw dead ?? new Error('PGlite is closed');
    const release = await mutex.acquire();
    let answer: Promise<unknown[]>;
    try {
      answer = send(op, sql, params);
    } finally {
      release();
    }
    return answer;
  };

  let closed: Promise<void> | undefined;
  const db: Db = {
    kind: 'pglite',
    query: async <R>(sql: string, params?: unknown[]) => ({
      rows: (await pipelined('query', sql, params)) as R[],
    }),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      exclusive(async () => {
        await send('exec', 'BEGIN');
        let done = false;
        const tx: Queryable = {
          query: async <R>(sql: string, params?: unknown[]) => {
            if (done) throw new Error('Transaction is closed');
            return { rows: (await send('query', sql, params)) as R[] };
          },
        };
        try {
          const out = await fn(tx);
          done = true;
          await send('commit');
          return out;
        } catch (err) {
          if (!done) {
            done = true;
            await send('exec', 'ROLLBACK').catch(() => {});
          }
          throw err;
        }
      }),
    exec: async (sql) => void (await pipelined('exec', sql)),
    close() {
      closed ??= (async () => {
        closing = true; // nothing new is let in; what already waits for the connection runs
        let error: unknown;
        try {
          const release = await mutex.acquire();
          try {
            if (!dead) await send('close');
          } finally {
            release();
          }
        } catch (err) {
          error = err;
        } finally {
          await worker.terminate().catch(() => 0);
          await unlock();
        }
        if (error) throw error;
      })();
      return closed;
    },
  };
  workers.set(db, worker);
  return db;
}
