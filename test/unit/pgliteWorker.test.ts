// PGlite in a worker thread behaves as PGlite in-process: same values, same errors, and
// transactions that nothing else interleaves with.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactionAbortedError, protocol } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, pgliteWorkerOf, type Db } from '../../server/store/db.js';

const ONE_OF_EACH = `SELECT
  '2024-05-06 07:08:09.123+02'::timestamptz AS tz, '2024-05-06 07:08:09'::timestamp AS ts,
  '2024-05-06'::date AS d, '12.340'::numeric AS num, 9007199254740993::int8 AS big, 42::int4 AS i,
  1.5::float8 AS f, true AS b, 'text'::text AS t, NULL::text AS nothing,
  '{"a": [1, {"b": null}], "c": "x"}'::jsonb AS jb, '[1, 2]'::json AS j, '\\x00ff10'::bytea AS bin,
  ARRAY[1, 2, NULL]::int[] AS ints, ARRAY['a', NULL, 'c']::text[] AS texts,
  ARRAY['2024-01-01T00:00:00Z']::timestamptz[] AS tzs, ARRAY['{"k": 1}'::jsonb] AS jbs,
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS id, '1 day 02:00'::interval AS iv`;

describe('PGlite in a worker', () => {
  let inProcess: Db;
  let worker: Db;
  beforeAll(async () => {
    [inProcess, worker] = await Promise.all([
      openPglite(undefined, { inProcess: true }),
      openPglite(undefined, { inProcess: false }),
    ]);
    expect(pgliteWorkerOf(worker)).toBeDefined();
    expect(pgliteWorkerOf(inProcess)).toBeUndefined();
  }, 60_000);
  afterAll(async () => {
    await Promise.all([inProcess?.close(), worker?.close()]);
  }, 60_000);

  it('returns every type as PGlite does in-process', async () => {
    const [a] = (await inProcess.query(ONE_OF_EACH)).rows;
    const [b] = (await worker.query(ONE_OF_EACH)).rows;
    expect(b).toStrictEqual(a);
    expect(b!.tz).toBeInstanceOf(Date);
    expect(b!.bin).toBeInstanceOf(Uint8Array);
    expect(typeof b!.big).toBe('bigint');
    expect(b!.num).toBe('12.340');

    const params = [new Date('2024-01-02T03:04:05.678Z'), new Uint8Array([1, 2]), { x: [1] }];
    const sql = 'SELECT $1::timestamptz AS at, $2::bytea AS bin, $3::jsonb AS doc';
    expect((await worker.query(sql, params)).rows).toStrictEqual(
      (await inProcess.query(sql, params)).rows,
    );
  });

  it('throws PostgreSQL errors with their class, SQLSTATE and details', async () => {
    const fields = (e: unknown) => {
      const { code, detail, constraint, table, schema, severity, message, name } = e as Record<
        string,
        unknown
      >;
      return { code, detail, constraint, table, schema, severity, message, name };
    };
    const errors: unknown[] = [];
    for (const db of [inProcess, worker]) {
      await db.exec('CREATE TABLE uniq (id int PRIMARY KEY); INSERT INTO uniq VALUES (1)');
      errors.push(await db.query('INSERT INTO uniq VALUES (1)').catch((e: unknown) => e));
    }
    const [a, b] = errors;
    expect(b).toBeInstanceOf(protocol.messages.DatabaseError);
    expect(fields(b)).toEqual(fields(a));
    expect(fields(b)).toMatchObject({ code: '23505', constraint: 'uniq_pkey' });
    expect((b as { detail: string }).detail).toMatch(/already exists/);
  });

  it('rolls back a transaction that throws, and keeps one that completes', async () => {
    await worker.exec('CREATE TABLE tx_test (id int PRIMARY KEY)');
    await expect(
      worker.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_test VALUES (1)');
        await tx.query('INSERT INTO tx_test VALUES (1)'); // 23505
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const out = await worker.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_test VALUES (2)');
      return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_test')).rows[0]!.n;
    });
    expect(out).toBe(1);

    // a failed statement swallowed inside the transaction: COMMIT rolls back, and says so
    const aborted = await worker
      .transaction(async (tx) => {
        await tx.query('INSERT INTO tx_test VALUES (3)');
        await tx.query('SELECT nonsense').catch(() => {});
      })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(TransactionAbortedError);
    expect((await worker.query('SELECT id FROM tx_test ORDER BY id')).rows).toEqual([{ id: 2 }]);
  });

  it("does not let other queries run inside someone else's transaction", async () => {
    await worker.exec('CREATE TABLE interleave (id int)');
    let inside = false;
    let entered!: () => void;
    const started = new Promise<void>((r) => (entered = r));
    const tx = worker
      .transaction(async (t) => {
        inside = true;
        entered();
        await t.query('INSERT INTO interleave VALUES (1)');
        await new Promise((r) => setTimeout(r, 50));
        await t.query('INSERT INTO interleave VALUES (2)');
        inside = false;
        throw new Error('changed my mind');
      })
      .catch(() => 'rolled back');
    await started; // on a busy machine the worker may take longer than any fixed wait
    expect(inside).toBe(true);
    const seen = worker.query<{ n: number }>('SELECT count(*)::int AS n FROM interleave');
    const written = worker.query('INSERT INTO interleave VALUES (3)');
    expect(await tx).toBe('rolled back');
    await written;
    expect((await seen).rows).toEqual([{ n: 0 }]);
    expect((await worker.query('SELECT id FROM interleave')).rows).toEqual([{ id: 3 }]);
  });

  it('runs statements sent without waiting for each other in the order they were called', async () => {
    await worker.exec('CREATE TABLE arrival (n int, seen int)');
    // each insert records how many rows were there before it: in call order, 0, 1, 2, ...
    const insert = (n: number) =>
      worker.query('INSERT INTO arrival SELECT $1, count(*) FROM arrival', [n]);
    const calls: Promise<unknown>[] = [];
    for (let n = 0; n < 40; n++) calls.push(insert(n));
    // a transaction called in the middle sees the 40 before it and none after
    const tx = worker.transaction(
      async (t) => (await t.query<{ c: number }>('SELECT count(*)::int AS c FROM arrival')).rows[0],
    );
    for (let n = 40; n < 60; n++) calls.push(insert(n));
    await Promise.all(calls);
    expect(await tx).toEqual({ c: 40 });
    const { rows } = await worker.query<{ n: number; seen: number }>(
      'SELECT n, seen::int FROM arrival ORDER BY n',
    );
    expect(rows).toEqual(Array.from({ length: 60 }, (_, n) => ({ n, seen: n })));
  });
});

// A folder-backed database runs initdb on first open: seconds, not milliseconds.
describe('the worker', { timeout: 60_000 }, () => {
  it('flushes on close and gives the folder back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pglite-worker-'));
    const db = await openPglite(dir);
    expect(existsSync(join(dir, 'hub.lock'))).toBe(true);
    await db.exec('CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$yes$$)');
    await db.close();
    expect(existsSync(join(dir, 'hub.lock'))).toBe(false);
    await expect(db.query('SELECT 1')).rejects.toThrow(/closed/);

    const again = await openPglite(dir);
    expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 'yes' }]);
    await again.close();
  });

  it('fails pending and later calls when its thread dies, instead of hanging', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pglite-worker-'));
    const db = await openPglite(dir);
    await db.exec('CREATE TABLE slow (v int)');
    const pending = db.transaction(async (tx) => {
      await tx.query('INSERT INTO slow VALUES (1)');
      await tx.query('SELECT pg_sleep(5)');
    });
    const queued = db.query('SELECT 1');
    await new Promise((r) => setTimeout(r, 100));
    await pgliteWorkerOf(db)!.terminate();
    await expect(pending).rejects.toThrow(/PGlite worker exited unexpectedly/);
    await expect(queued).rejects.toThrow(/PGlite worker exited unexpectedly/);
    await expect(db.query('SELECT 1')).rejects.toThrow(/database connection closed/);
    await db.close(); // still gives the folder back
    expect(existsSync(join(dir, 'hub.lock'))).toBe(false);
  });
});
