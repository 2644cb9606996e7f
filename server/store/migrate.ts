// Versioned SQL migrations, applied in order at start. A file `NNN_name.sql` runs everywhere;
// a pair `NNN_name.timescale.sql` / `NNN_name.plain.sql` picks one by whether TimescaleDB exists.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fromRoot } from '../ops/packageRoot.js';
import type { Db } from './db.js';

const dir = fromRoot('server', 'store', 'migrations');
// Any constant: serialises migrations when several hubs start against one database.
const LOCK_KEY = 7_246_001;

export interface MigrationResult {
  applied: string[];
  timescale: boolean;
}

export async function migrate(db: Db): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const timescale = await enableTimescale(db);
  const wanted = files.filter((f) =>
    f.endsWith('.timescale.sql') ? timescale : f.endsWith('.plain.sql') ? !timescale : true,
  );
  // One transaction for all: a transaction-scoped advisory lock serialises hubs that start
  // together, and a failed migration leaves nothing half-applied.
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, file text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    const applied: string[] = [];
    for (const file of wanted) {
      const version = file.split('_')[0]!;
      if (done.has(version)) continue;
      const sql = await readFile(join(dir, file), 'utf8');
      // Statement by statement: PGlite's extended protocol takes one statement per query.
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, file) VALUES ($1, $2)', [
        version,
        file,
      ]);
      applied.push(file);
    }
    return { applied, timescale };
  });
}

async function enableTimescale(db: Db): Promise<boolean> {
  if (db.kind !== 'postgres') return false;
  const { rows } = await db.query(
    "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  if (!rows.length) return false;
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    return true;
  } catch {
    // Installed but not preloaded (shared_preload_libraries): run on plain tables.
    return false;
  }
}

/** Splits on semicolons that end a line; our migrations keep to that style. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !l.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter(Boolean);
}
