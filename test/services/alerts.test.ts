import { describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands.js';
import { createAlerts } from '../../server/alerts/lifecycle.js';
import { openPostgres } from '../../server/store/db.js';
import { migrate } from '../../server/store/migrate.js';
import { describeAlertLifecycle } from '../support/alertsSuite.js';
import { createTestDatabase } from '../support/hub.js';

describeAlertLifecycle('PostgreSQL', async () => {
  const t = await createTestDatabase();
  const db = await openPostgres(t.url);
  return {
    db,
    close: async () => {
      await db.close();
      await t.drop();
    },
  };
});

describe('escalation with two hub processes on one PostgreSQL', () => {
  it('escalates each alert exactly once', async () => {
    const t = await createTestDatabase();
    const one = await openPostgres(t.url);
    const two = await openPostgres(t.url);
    try {
      await migrate(one);
      const org = (await runCommand({ db: one }, 'org add', { name: 'R', kind: 'region' })) as {
        id: string;
      };
      const unit = (await runCommand({ db: one }, 'unit add', { org: org.id, name: 'VC' })) as {
        id: string;
      };
      const a = createAlerts(one);
      const b = createAlerts(two);
      const opened = new Date(Date.UTC(2026, 10, 23, 8, 0));
      for (let i = 0; i < 40; i++) {
        const p = (await runCommand({ db: one }, 'patient add', {
          unit: unit.id,
          name: `P${i}`,
        })) as { id: string };
        await a.raise(
          p.id,
          {
            rule: 'spo2.very_low',
            severity: 'critical',
            reason: { sv: '', en: '' },
            values: {},
            threshold: { value: 88, source: 'default', reference: '' },
            readings: [],
          },
          opened,
        );
      }
      const due = new Date(opened.getTime() + 16 * 60_000);
      const [x, y] = await Promise.all([a.escalateDue(due, 7), b.escalateDue(due, 7)]);
      // keep going until nothing is left, both at once
      const rest = await Promise.all([drain(a, due), drain(b, due)]);
      const ids = [...x, ...y, ...rest.flat()].map((c) => c.alertId);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    } finally {
      await one.close();
      await two.close();
      await t.drop();
    }
  });
});

async function drain(alerts: ReturnType<typeof createAlerts>, now: Date) {
  const out = [];
  for (;;) {
    const got = await alerts.escalateDue(now, 7);
    if (!got.length) return out;
    out.push(...got);
  }
}
