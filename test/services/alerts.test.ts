import { problemOf } from '../../server/alerts/problems.js';
import { describe, expect, it, vi } from 'vitest';
import { reason } from '../../contract/reasons.js';
import { runCommand } from '../../server/admin/commands/index.js';
import { createAlerts } from '../../server/alerts/lifecycle.js';
import { severityRank, type Finding, type Severity } from '../../server/rules/types.js';
import { openPostgres, type Db, type Queryable } from '../../server/store/db.js';
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
    const { one, two, unit, close } = await twoHubsOnOneDatabase();
    try {
      const a = createAlerts(one);
      const b = createAlerts(two);
      const opened = new Date(Date.UTC(2026, 10, 23, 8, 0));
      for (let i = 0; i < 40; i++) {
        const p = await addPatient(one, unit.id, `P${i}`);
        await a.raise(p, spo2Finding('spo2.very_low', 'critical', 88), opened);
      }
      const due = new Date(opened.getTime() + 16 * 60_000);
      const [x, y] = await Promise.all([a.escalateDue(due, 7), b.escalateDue(due, 7)]);
      // keep going until nothing is left, both at once
      const rest = await Promise.all([drain(a, due), drain(b, due)]);
      const ids = [...x, ...y, ...rest.flat()].map((c) => c.alertId);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    } finally {
      await close();
    }
  });
});

describe('raising with two hub processes on one PostgreSQL', () => {
  it('gives each patient and rule one alert, with every raise an event in order', async () => {
    const { one, two, unit, close } = await twoHubsOnOneDatabase();
    try {
      const hubs = [createAlerts(one), createAlerts(two)];
      const severities: Severity[] = ['medium', 'high', 'low', 'critical'];
      const now = new Date(Date.UTC(2026, 10, 23, 8, 0));
      const patients: string[] = [];
      for (let i = 0; i < 20; i++) {
        patients.push(await addPatient(one, unit.id, `P${i}`));
      }
      // every patient's four raises at once, two from each hub
      await Promise.all(
        patients.flatMap((p) =>
          severities.map((severity, i) =>
            hubs[i % 2]!.raise(p, spo2Finding('spo2.low', severity, 92), now),
          ),
        ),
      );
      for (const p of patients) {
        const { rows } = await one.query<{ id: string; severity: string; seq: string }>(
          'SELECT id, severity, seq FROM alerts WHERE patient_id = $1',
          [p],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]!.severity).toBe('critical');
        const history = await hubs[0]!.history(rows[0]!.id);
        expect(history.map((c) => c.kind)).toEqual(['opened', 'updated', 'updated', 'updated']);
        expect(Number(rows[0]!.seq)).toBe(history[3]!.seq);
        // in the order applied: the severity never falls, and `rose` says when it went up
        let had = history[0]!.data.severity as Severity;
        for (const c of history.slice(1)) {
          const severity = c.data.severity as Severity;
          expect(severityRank[severity]).toBeGreaterThanOrEqual(severityRank[had]);
          expect(c.data.rose).toBe(severity !== had);
          had = severity;
        }
      }
    } finally {
      await close();
    }
  });
});

describe('raising while another hub opens the same alert', () => {
  it('updates the alert the other hub opened, not a second one, when that hub commits mid-statement', async () => {
    const { one, two, unit, close } = await twoHubsOnOneDatabase();
    try {
      const patientId = await addPatient(one, unit.id, 'P');
      // hub two opens the alert in a transaction it keeps open for now
      let commitOther!: () => void;
      const otherMayCommit = new Promise<void>((resolve) => (commitOther = resolve));
      const other = openAlertInTransaction(two, patientId, 'spo2.low', () => otherMayCommit);
      await other.isOpen;
      // hub one's statement does not see that alert, and waits on its key
      const raising = createAlerts(one).raise(
        patientId,
        spo2Finding('spo2.low', 'high', 92),
        new Date(Date.UTC(2026, 10, 23, 8, 0)),
      );
      await untilOneWaitsOnALock(two);
      commitOther();
      await other.done;
      // its first try updates nothing (the alert was not in its snapshot); the second does
      const change = await raising;
      expect(change).toMatchObject({ alertId: 'alert_of_hub_two', kind: 'updated' });
      expect(change.data).toMatchObject({ severity: 'high', rose: true });
      const { rows } = await one.query('SELECT id, severity FROM alerts WHERE patient_id = $1', [
        patientId,
      ]);
      expect(rows).toEqual([{ id: 'alert_of_hub_two', severity: 'high' }]);
    } finally {
      await close();
    }
  });
});

describe('raising while another hub takes the same alerts in the other order', () => {
  it('runs its statement again when PostgreSQL ends the deadlock by rolling it back', async () => {
    const { one, two, unit, close } = await twoHubsOnOneDatabase();
    try {
      const patientId = await addPatient(one, unit.id, 'P');
      const now = new Date(Date.UTC(2026, 10, 23, 8, 0));
      const low = await createAlerts(one).raise(
        patientId,
        spo2Finding('spo2.low', 'medium', 92),
        now,
      );
      // hub two opens the second alert and, before it commits, wants the first one too
      let raiseWaits!: () => void;
      const raiseWaiting = new Promise<void>((resolve) => (raiseWaits = resolve));
      const other = openAlertInTransaction(two, patientId, 'pulse.very_high', async (tx) => {
        await raiseWaiting;
        await tx.query('SELECT 1 FROM alerts WHERE id = $1 FOR UPDATE', [low.alertId]);
      });
      await other.isOpen;
      // hub one locks the first alert, then waits on the second one's key; it waits first, so
      // PostgreSQL's deadlock check finds the cycle in its statement and rolls that back
      const raising = createAlerts(one).raiseAll(
        [
          { patientId, finding: spo2Finding('spo2.low', 'high', 92) },
          // another problem (one alert per patient and problem): a second alert
          { patientId, finding: spo2Finding('pulse.very_high', 'critical', 88) },
        ],
        now,
      );
      await untilOneWaitsOnALock(one);
      raiseWaits();
      await other.done;
      const changes = await raising;
      expect(changes.map((c) => [c.alertId, c.kind, c.data.severity, c.data.rose])).toEqual([
        [low.alertId, 'updated', 'high', true],
        ['alert_of_hub_two', 'updated', 'critical', true],
      ]);
      const { rows } = await one.query(
        'SELECT id, severity FROM alerts WHERE patient_id = $1 ORDER BY id',
        [patientId],
      );
      expect(rows).toEqual(
        [
          { id: low.alertId, severity: 'high' },
          { id: 'alert_of_hub_two', severity: 'critical' },
        ].sort((x, y) => (x.id < y.id ? -1 : 1)),
      );
    } finally {
      await close();
    }
  });
});

/**
 * Hub two opens `rule`'s alert (id 'alert_of_hub_two') in a transaction, and before it commits
 * runs `before` (waits, takes more locks). `isOpen`: the row is in; `done`: committed.
 */
function openAlertInTransaction(
  two: Db,
  patientId: string,
  rule: string,
  before: (tx: Queryable) => Promise<void>,
) {
  let opened!: () => void;
  const isOpen = new Promise<void>((resolve) => (opened = resolve));
  const done = two.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO alerts (id, patient_id, rule, problem, severity, status, opened_at, updated_at,
         finding, seq)
       VALUES ('alert_of_hub_two', $1, $2, $3, 'medium', 'open', now(), now(), '{}',
         nextval('alert_seq'))`,
      [patientId, rule, problemOf(rule)],
    );
    opened();
    await before(tx);
  });
  return { isOpen, done };
}

/** Until one statement on the test database waits for a row or key another session holds. */
async function untilOneWaitsOnALock(db: Db) {
  await vi.waitFor(
    async () => {
      const { rows } = await db.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      expect(rows).toHaveLength(1);
    },
    { timeout: 10_000, interval: 20 },
  );
}

/** A patient in `unitId`, through the admin CLI's command; its id. */
async function addPatient(db: Db, unitId: string, name: string): Promise<string> {
  return ((await runCommand({ db }, 'patient add', { unit: unitId, name })) as { id: string }).id;
}

/** A finding of an SpO2 rule, with only what raising it needs. */
function spo2Finding(rule: string, severity: Severity, threshold: number): Finding {
  return {
    rule,
    severity,
    reason: reason('spo2.low', { spo2: threshold - 1, oxygen: false, limit: threshold }),
    values: {},
    threshold: { value: threshold, source: 'default', reference: '' },
    readings: [],
  };
}

/** Two hubs' connection pools on one fresh, migrated database with a care unit. */
async function twoHubsOnOneDatabase() {
  const t = await createTestDatabase();
  const one = await openPostgres(t.url);
  const two = await openPostgres(t.url);
  await migrate(one);
  const org = (await runCommand({ db: one }, 'org add', { name: 'R', kind: 'region' })) as {
    id: string;
  };
  const unit = (await runCommand({ db: one }, 'unit add', { org: org.id, name: 'VC' })) as {
    id: string;
  };
  return {
    one,
    two,
    unit,
    async close() {
      await one.close();
      await two.close();
      await t.drop();
    },
  };
}

async function drain(alerts: ReturnType<typeof createAlerts>, now: Date) {
  const out = [];
  for (;;) {
    const got = await alerts.escalateDue(now, 7);
    if (!got.length) return out;
    out.push(...got);
  }
}
