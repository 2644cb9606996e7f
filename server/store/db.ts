// The one seam over the database driver: PostgreSQL through `pg`, or PGlite in-process.
// Everything above this file writes the same SQL for both.
import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './dataDirLock.js';
import pg from 'pg';

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 8 });
  // An idle client that loses its server must not crash the process: the next query reconnects.
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    query: async <R>(sql: string, params?: unknown[]) => {
      const r = await pool.query(sql, params);
      return { rows: r.rows as R[] };
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Queryable = {
          query: async <R>(sql: string, params?: unknown[]) => ({
            rows: (await client.query(sql, params)).rows as R[],
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

/** `dataDir` undefined or 'memory' keeps the database in memory (tests); a folder is locked to this process. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const inMemory = !dataDir || dataDir === 'memory';
  let unlock = async () => {};
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDir(dataDir);
  }
  let db: PGlite;
  try {
    db = await PGlite.create(inMemory ? 'memory://' : `${dataDir}/pglite`);
  } catch (err) {
    await unlock();
    throw err;
  }
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
