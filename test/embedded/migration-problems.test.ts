// Migration 013 on a database that has alerts stored one per rule: each gets its problem and its
// finding as its one agreeing finding; where one patient had several unresolved alerts of one
// problem, the worst stays and the others are resolved saying where they went. Nothing is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { openPglite, type Db } from '../../server/store/db.js';
import { migrate } from '../../server/store/migrate.js';

describe('migration 013: one alert per patient and problem', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    // back to the schema before 013
    for (const sql of [
      'DROP INDEX alerts_one_unresolved',
      'ALTER TABLE alerts DROP COLUMN problem',
      'ALTER TABLE alerts DROP COLUMN findings',
      "CREATE UNIQUE INDEX alerts_one_unresolved ON alerts (patient_id, rule) WHERE status <> 'resolved'",
      "DELETE FROM schema_migrations WHERE version = '013'",
    ]) {
      await db.query(sql);
    }
  });
  afterAll(() => db?.close());

  it('groups the stored alerts and keeps the worst of each problem open', async () => {
    const org = (await runCommand({ db }, 'org add', { name: 'R', kind: 'region' })) as {
      id: string;
    };
    const unit = (await runCommand({ db }, 'unit add', { org: org.id, name: 'VC' })) as {
      id: string;
    };
    const p = (
      (await runCommand({ db }, 'patient add', { unit: unit.id, name: 'P' })) as {
        id: string;
      }
    ).id;
    const alert = (id: string, rule: string, severity: string, status: string, minute: number) =>
      db.query(
        `INSERT INTO alerts (id, patient_id, rule, severity, status, opened_at, updated_at, finding, seq)
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, nextval('alert_seq'))`,
        [
          id,
          p,
          rule,
          severity,
          status,
          new Date(Date.UTC(2026, 10, 1, 8, minute)),
          { rule, severity },
        ],
      );
    await alert('a1', 'weight.gain_1d', 'medium', 'open', 0);
    await alert('a2', 'weight.gain_3d', 'high', 'acknowledged', 1);
    await alert('a3', 'personal.weight_up', 'medium', 'open', 2);
    await alert('a4', 'bp.very_high', 'high', 'open', 3);
    await alert('a5', 'weight.macd', 'medium', 'resolved', 4);
    await alert('a6', 'missing.body_weight', 'low', 'open', 5);

    expect((await migrate(db)).applied).toEqual(['013_alert_problems.sql']);

    const { rows } = await db.query<{
      id: string;
      problem: string;
      status: string;
      findings: Record<string, unknown>;
    }>('SELECT id, problem, status, findings FROM alerts ORDER BY id');
    expect(rows.map((r) => [r.id, r.problem, r.status])).toEqual([
      ['a1', 'weight', 'resolved'],
      ['a2', 'weight', 'acknowledged'],
      ['a3', 'weight', 'resolved'],
      ['a4', 'blood_pressure', 'open'],
      ['a5', 'weight', 'resolved'],
      ['a6', 'missing.body_weight', 'open'],
    ]);
    expect(rows[1]!.findings).toEqual({
      'weight.gain_3d': { rule: 'weight.gain_3d', severity: 'high' },
    });
    const { rows: events } = await db.query<{ alert_id: string; note: string; data: object }>(
      "SELECT alert_id, note, data FROM alert_events WHERE kind = 'resolved' ORDER BY alert_id",
    );
    expect(events).toEqual([
      {
        alert_id: 'a1',
        note: 'merged into alert a2: one alert per patient and problem',
        data: { mergedInto: 'a2' },
      },
      {
        alert_id: 'a3',
        note: 'merged into alert a2: one alert per patient and problem',
        data: { mergedInto: 'a2' },
      },
    ]);
    // the new key holds: a second unresolved weight alert is refused
    await expect(
      db.query(
        `INSERT INTO alerts (id, patient_id, rule, problem, severity, status, opened_at, updated_at, finding, seq)
         VALUES ('a7', $1, 'weight.loss_1d', 'weight', 'medium', 'open', now(), now(), '{}', 0)`,
        [p],
      ),
    ).rejects.toThrow();
  });
});
