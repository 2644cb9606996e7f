// The alert lifecycle against a real database: PGlite (embedded) or PostgreSQL (services).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands.js';
import { createAlerts, type AlertChange, type Alerts } from '../../server/alerts/lifecycle.js';
import type { Finding } from '../../server/rules/types.js';
import type { Db } from '../../server/store/db.js';
import { migrate } from '../../server/store/migrate.js';

const finding = (rule: string, severity: Finding['severity']): Finding => ({
  rule,
  severity,
  reason: { sv: 'test', en: 'test' },
  values: {},
  threshold: { value: 1, source: 'default', reference: 'test' },
  readings: [],
});
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 8, minutes));

export function describeAlertLifecycle(
  name: string,
  open: () => Promise<{ db: Db; close(): Promise<void> }>,
) {
  describe(`the alert lifecycle (${name})`, () => {
    let db: Db;
    let close: () => Promise<void>;
    let alerts: Alerts;
    let patientId: string;
    let nurseId: string;
    const seen: AlertChange[] = [];

    beforeAll(async () => {
      ({ db, close } = await open());
      await migrate(db);
      const org = (await runCommand({ db }, 'org add', { name: 'R', kind: 'region' })) as {
        id: string;
      };
      const unit = (await runCommand({ db }, 'unit add', { org: org.id, name: 'VC' })) as {
        id: string;
      };
      patientId = (
        (await runCommand({ db }, 'patient add', { unit: unit.id, name: 'P' })) as { id: string }
      ).id;
      nurseId = 'staff_nurse1';
      await db.query("INSERT INTO staff (id, username, display_name) VALUES ($1, 'anna', 'Anna')", [
        nurseId,
      ]);
      alerts = createAlerts(db);
      alerts.events.on('change', (c) => seen.push(c));
    });
    afterAll(() => close?.());

    it('opens one alert per patient and rule, and a new finding updates it', async () => {
      const opened = await alerts.raise(patientId, finding('pulse.high', 'medium'), at(0));
      const updated = await alerts.raise(patientId, finding('pulse.high', 'medium'), at(1));
      expect(opened.kind).toBe('opened');
      expect(updated).toMatchObject({ kind: 'updated', alertId: opened.alertId });
      const { rows } = await db.query(
        "SELECT count(*)::int AS n FROM alerts WHERE rule = 'pulse.high'",
      );
      expect(rows).toEqual([{ n: 1 }]);
    });

    it('lets severity rise but not fall by itself', async () => {
      const a = await alerts.raise(patientId, finding('spo2.low', 'high'), at(0));
      await alerts.raise(patientId, finding('spo2.low', 'critical'), at(1));
      await alerts.raise(patientId, finding('spo2.low', 'medium'), at(2));
      const { rows } = await db.query<{ severity: string }>(
        'SELECT severity FROM alerts WHERE id = $1',
        [a.alertId],
      );
      expect(rows[0]!.severity).toBe('critical');
    });

    it('numbers every change from one rising sequence, and tells listeners after the commit', async () => {
      const seqs = seen.map((c) => c.seq);
      expect(seqs.length).toBeGreaterThanOrEqual(5);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      const missed = await alerts.changesSince(seqs[1]!);
      expect(missed.map((c) => c.seq)).toEqual(seqs.slice(2));
    });

    it('is acknowledged personally, then resolved with a note, and keeps its history', async () => {
      const a = await alerts.raise(patientId, finding('temperature.fever', 'medium'), at(0));
      await alerts.acknowledge(a.alertId, nurseId, 'ringer patienten', at(5));
      await alerts.resolve(a.alertId, nurseId, 'feber lindrig, kontroll i morgon', at(20));
      const { rows } = await db.query<{ status: string; owner_id: string; escalate_at: unknown }>(
        'SELECT status, owner_id, escalate_at FROM alerts WHERE id = $1',
        [a.alertId],
      );
      expect(rows[0]).toEqual({ status: 'resolved', owner_id: nurseId, escalate_at: null });
      const history = (await alerts.changesSince(0)).filter((c) => c.alertId === a.alertId);
      expect(history.map((c) => [c.kind, c.actorId, c.note])).toEqual([
        ['opened', null, null],
        ['acknowledged', nurseId, 'ringer patienten'],
        ['resolved', nurseId, 'feber lindrig, kontroll i morgon'],
      ]);
      await expect(alerts.resolve(a.alertId, nurseId, null, at(30))).rejects.toThrow(
        /already resolved/,
      );
    });

    it('opens a new alert for the same rule after the last one was resolved', async () => {
      const again = await alerts.raise(patientId, finding('temperature.fever', 'medium'), at(40));
      expect(again.kind).toBe('opened');
    });

    it('escalates an unacknowledged critical alert after 15 minutes, then to on-call, and no further', async () => {
      const a = await alerts.raise(patientId, finding('glucose.very_low', 'critical'), at(0));
      expect(await alerts.escalateDue(at(14))).toEqual([]);
      const first = await alerts.escalateDue(at(15));
      expect(first.map((c) => [c.alertId, c.data])).toContainEqual([
        a.alertId,
        { level: 1, to: 'care_unit' },
      ]);
      const second = await alerts.escalateDue(at(30));
      expect(second.map((c) => [c.alertId, c.data])).toContainEqual([
        a.alertId,
        { level: 2, to: 'on_call_unit' },
      ]);
      expect((await alerts.escalateDue(at(120))).filter((c) => c.alertId === a.alertId)).toEqual(
        [],
      );
    });

    it('stops escalating once someone acknowledges', async () => {
      const a = await alerts.raise(patientId, finding('bp.very_high', 'high'), at(0));
      await alerts.acknowledge(a.alertId, nurseId, null, at(10));
      expect((await alerts.escalateDue(at(200))).filter((c) => c.alertId === a.alertId)).toEqual(
        [],
      );
    });
  });
}
