// The code follows the data (docs/architecture.md): device -> broker -> ingest -> store -> rules
// -> alerts -> realtime -> dashboards. This holds it there: each stage imports only what comes
// before it, and the shapes they share (server/shapes/) import nothing of the stages.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER = join(ROOT, 'server');

/** The server folders a stage may not import. */
const mayNotImport: Record<string, string[]> = {
  shapes: ['*'],
  store: ['broker', 'ingest', 'rules', 'alerts', 'realtime', 'http', 'admin'],
  broker: ['ingest', 'rules', 'alerts', 'realtime', 'http', 'admin'],
  ingest: ['broker', 'rules', 'alerts', 'realtime', 'http', 'admin'],
  plans: ['broker', 'ingest', 'rules', 'alerts', 'realtime', 'http', 'admin'],
  rules: ['broker', 'ingest', 'realtime', 'http', 'admin'],
  alerts: ['broker', 'ingest', 'rules', 'realtime', 'http', 'admin', 'notify'],
  realtime: ['broker', 'ingest', 'rules', 'http', 'admin'],
  // who and what the hub knows of (devices, staff, units, organisations, patients' registration):
  // every way in calls it, so it calls none of them
  registry: ['broker', 'ingest', 'rules', 'alerts', 'realtime', 'http', 'admin', 'notify'],
  // the staff's views of a patient gather from the owners; no way in calls them back
  patients: ['broker', 'ingest', 'realtime', 'http', 'admin'],
  // tells people of what the alerts did: nothing upstream calls it
  notify: ['broker', 'ingest', 'rules', 'realtime', 'http', 'admin'],
  // a way in calls the domain modules, never the admin CLI's commands
  http: ['admin'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** The server folder each relative import of `file` lands in (top level under server/). */
function importedFolders(file: string): { spec: string; folder: string | null }[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]!);
  return specs.map((spec) => {
    const target = relative(SERVER, resolve(file, '..', spec));
    const folder = target.startsWith('..') ? null : target.split('/')[0]!;
    return { spec, folder: folder?.endsWith('.js') ? '(root)' : (folder ?? null) };
  });
}

/**
 * Where SQL naming a table may be written: its owning module (and the migrations), and the reads
 * named as exceptions in docs/architecture.md ("Tables and their owners"): the alert list joins
 * patients' and staff's names in its one query, a raised alert takes the fixed contact as owner
 * in the raising statement, and the access and sign-in gates read who works where.
 */
const owners: [table: RegExp, folder: string, exceptions: string[]][] = [
  [/\b(FROM|JOIN|INTO|UPDATE)\s+(alerts|alert_events|alert_snoozes|alert_access)\b/, 'alerts', []],
  [/\b(FROM|JOIN|INTO|UPDATE)\s+devices\b/, 'registry', []],
  [/\b(FROM|JOIN|INTO|UPDATE)\s+push_subscriptions\b/, 'notify', []],
  [/\b(FROM|JOIN|INTO|UPDATE)\s+(patient_plans|patient_plan_changes)\b/, 'plans', []],
  [/\b(FROM|JOIN|INTO|UPDATE)\s+(readings|latest_readings|rejected_messages)\b/, 'store', []],
  [
    /\b(FROM|JOIN|INTO|UPDATE)\s+(patients|staff|staff_units|care_units|organisations|care_relationships|frailty_assessments|on_call_shifts)\b/,
    'registry',
    [
      'alerts/views.ts',
      'alerts/lifecycle.ts',
      'access/scope.ts',
      'auth/sessions.ts',
      'auth/signIn.ts',
      'audit/log.ts',
    ],
  ],
];

describe('each table has one owner', () => {
  for (const [sql, owner, exceptions] of owners) {
    it(`only server/${owner} writes SQL matching ${sql.source}`, () => {
      const wrong = filesUnder(SERVER).filter((file) => {
        const at = relative(SERVER, file);
        if (at.startsWith(`${owner}/`) || exceptions.includes(at)) return false;
        return sql.test(readFileSync(file, 'utf8'));
      });
      expect(wrong.map((f) => relative(ROOT, f))).toEqual([]);
    });
  }
});

describe('the stages import in the direction the data flows', () => {
  for (const [stage, banned] of Object.entries(mayNotImport)) {
    it(`server/${stage} imports none of ${banned.join(', ')}`, () => {
      const wrong: string[] = [];
      for (const file of filesUnder(join(SERVER, stage))) {
        for (const { spec, folder } of importedFolders(file)) {
          if (folder === null || folder === stage) continue;
          if (banned.includes('*') || banned.includes(folder)) {
            wrong.push(`${relative(ROOT, file)} imports ${spec}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});

/** The ways in (the admin CLI, the staff API) call the domain modules' functions and write no SQL. */
const noSql = ['admin', 'http'];
const sqlStatement = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b/;

describe('the ways in write no SQL', () => {
  for (const folder of noSql) {
    it(`no file under server/${folder} writes SQL`, () => {
      const wrong = filesUnder(join(SERVER, folder)).filter((file) =>
        sqlStatement.test(readFileSync(file, 'utf8')),
      );
      expect(wrong.map((f) => relative(ROOT, f))).toEqual([]);
    });
  }
});
