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
    let secondNurseId: string;
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
      secondNurseId = 'staff_nurse2';
      await db.query("INSERT INTO staff (id, username, display_name) VALUES ($1, 'bo', 'Bo')", [
        secondNurseId,
      ]);
      alerts = createAlerts(db);
      alerts.events.on('change', (c) => seen.push(c));
    });
    afterAll(() => close?.());

    it('opens one alert per patient and rule, and a new finding updates it', async () => {
      const opened = await alerts.raise(patientId, finding('pulse.high', 'medium'), at(0));
      const updated = await alerts.raise(patientId, finding('pulse.high', 'medium'), at(1));
      expect(opened.kind).toBe('opened');
      expect(updated).toMatchObject({
        kind: 'updated',
        alertId: opened.alertId,
        data: { rule: 'pulse.high', severity: 'medium', rose: false },
      });
      const { rows } = await db.query(
        "SELECT count(*)::int AS n FROM alerts WHERE rule = 'pulse.high'",
      );
      expect(rows).toEqual([{ n: 1 }]);
    });

    it("gives a new alert to the patient's fixed care contact until someone takes it", async () => {
      const unit = (
        await db.query<{ care_unit_id: string }>(
          'SELECT care_unit_id FROM care_relationships WHERE patient_id = $1',
          [patientId],
        )
      ).rows[0]!.care_unit_id;
      const other = (
        (await runCommand({ db }, 'patient add', { unit, name: 'Q' })) as { id: string }
      ).id;
      await db.query('UPDATE patients SET fixed_contact_id = $2 WHERE id = $1', [other, nurseId]);
      const a = await alerts.raise(other, finding('pulse.high', 'medium'), at(0));
      const ownerOf = async () =>
        (
          await db.query<{ owner_id: string | null }>('SELECT owner_id FROM alerts WHERE id = $1', [
            a.alertId,
          ])
        ).rows[0]!.owner_id;
      expect(await ownerOf()).toBe(nurseId);
      await alerts.acknowledge(a.alertId, secondNurseId, 'jag ringer', at(1));
      expect(await ownerOf()).toBe(secondNurseId);
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

    describe('snoozing, per person', () => {
      const statusOf = async (id: string) =>
        (
          await db.query<{ status: string; owner_id: string | null; escalation_level: number }>(
            'SELECT status, owner_id, escalation_level FROM alerts WHERE id = $1',
            [id],
          )
        ).rows[0];

      it('allows a critical alert to be snoozed for 15 minutes and refuses 16, naming the maximum', async () => {
        const a = await alerts.raise(patientId, finding('snooze.limit', 'critical'), at(0));
        const ok = await alerts.snooze(a.alertId, nurseId, 15, 'ringer patienten nu', at(1));
        expect(ok).toMatchObject({
          kind: 'snoozed',
          actorId: nurseId,
          note: 'ringer patienten nu',
          data: { until: at(16).toISOString(), minutes: 15 },
        });
        await expect(
          alerts.snooze(a.alertId, nurseId, 16, 'ringer patienten nu', at(1)),
        ).rejects.toMatchObject({
          code: 'invalid',
          field: 'minutes',
          message: 'a critical alert may be snoozed for at most 15 minutes',
        });
      });

      it('takes its maximum per severity from the options', async () => {
        const strict = createAlerts(db, { snoozeMax: { low: 30 } });
        const a = await strict.raise(patientId, finding('snooze.configured', 'low'), at(0));
        await expect(strict.snooze(a.alertId, nurseId, 31, 'väntar', at(1))).rejects.toThrow(
          /at most 30 minutes/,
        );
        await expect(strict.snooze(a.alertId, nurseId, 30, 'väntar', at(1))).resolves.toMatchObject(
          { kind: 'snoozed' },
        );
      });

      it('needs a reason', async () => {
        const a = await alerts.raise(patientId, finding('snooze.reason', 'medium'), at(0));
        await expect(alerts.snooze(a.alertId, nurseId, 10, '  ', at(1))).rejects.toMatchObject({
          code: 'invalid',
          field: 'reason',
        });
        expect(await alerts.snoozedUntil(a.alertId, nurseId, at(1))).toBeNull();
      });

      it('is personal: two nurses snooze independently, and a new snooze replaces the old', async () => {
        const a = await alerts.raise(patientId, finding('snooze.personal', 'medium'), at(0));
        await alerts.snooze(a.alertId, nurseId, 30, 'väntar på labbsvar', at(1));
        expect(await alerts.snoozedUntil(a.alertId, nurseId, at(2))).toBe(at(31).toISOString());
        expect(await alerts.snoozedUntil(a.alertId, secondNurseId, at(2))).toBeNull();
        expect(
          (await alerts.activeSnoozes(secondNurseId, at(2))).map((s) => s.alertId),
        ).not.toContain(a.alertId);

        await alerts.snooze(a.alertId, secondNurseId, 120, 'hembesök i eftermiddag', at(3));
        await alerts.snooze(a.alertId, nurseId, 5, 'labbsvaret kom', at(4));
        expect(await alerts.snoozedUntil(a.alertId, nurseId, at(5))).toBe(at(9).toISOString());
        expect(await alerts.snoozedUntil(a.alertId, secondNurseId, at(5))).toBe(
          at(123).toISOString(),
        );
        expect(
          (await alerts.activeSnoozes(nurseId, at(5))).filter((s) => s.alertId === a.alertId),
        ).toEqual([
          {
            alertId: a.alertId,
            staffId: nurseId,
            until: at(9).toISOString(),
            reason: 'labbsvaret kom',
            at: at(4).toISOString(),
          },
        ]);
        // run out
        expect(await alerts.snoozedUntil(a.alertId, nurseId, at(9))).toBeNull();
        // the alert itself is as it was: open, nobody owns it
        expect(await statusOf(a.alertId)).toEqual({
          status: 'open',
          owner_id: null,
          escalation_level: 0,
        });
      });

      it('still escalates a snoozed open alert when its time is up', async () => {
        const a = await alerts.raise(patientId, finding('snooze.escalation', 'critical'), at(0));
        await alerts.snooze(a.alertId, nurseId, 15, 'i samtal med annan patient', at(1));
        await alerts.snooze(a.alertId, secondNurseId, 15, 'på hembesök', at(1));
        const escalated = await alerts.escalateDue(at(15));
        expect(escalated.map((c) => [c.alertId, c.data])).toContainEqual([
          a.alertId,
          { level: 1, to: 'care_unit' },
        ]);
        expect((await statusOf(a.alertId))?.escalation_level).toBe(1);
      });

      it('numbers each snooze in the one sequence and tells listeners', async () => {
        const a = await alerts.raise(patientId, finding('snooze.events', 'high'), at(0));
        const before = seen.length;
        const s = await alerts.snooze(a.alertId, nurseId, 60, 'ringer efter lunch', at(2));
        expect(s.seq).toBeGreaterThan(a.seq);
        expect(seen.slice(before)).toEqual([s]);
        const history = await alerts.history(a.alertId);
        expect(history.map((c) => [c.kind, c.actorId, c.note])).toEqual([
          ['opened', null, null],
          ['snoozed', nurseId, 'ringer efter lunch'],
        ]);
        expect((await alerts.changesSince(a.seq)).map((c) => c.seq)).toContain(s.seq);
      });

      it('ends when the alert gets worse, so a long snooze does not cover a critical alert', async () => {
        const a = await alerts.raise(patientId, finding('snooze.rise', 'low'), at(0));
        await alerts.snooze(a.alertId, nurseId, 24 * 60, 'känt, följs upp i morgon', at(1));
        await alerts.raise(patientId, finding('snooze.rise', 'low'), at(2));
        expect(await alerts.snoozedUntil(a.alertId, nurseId, at(3))).not.toBeNull();
        await alerts.raise(patientId, finding('snooze.rise', 'critical'), at(4));
        expect(await alerts.snoozedUntil(a.alertId, nurseId, at(5))).toBeNull();
      });

      it('is refused for a resolved alert, and a resolved alert is no longer snoozed', async () => {
        const a = await alerts.raise(patientId, finding('snooze.resolved', 'medium'), at(0));
        await alerts.snooze(a.alertId, nurseId, 60, 'väntar', at(1));
        await alerts.resolve(a.alertId, nurseId, 'klart', at(2));
        expect((await alerts.activeSnoozes(nurseId, at(3))).map((s) => s.alertId)).not.toContain(
          a.alertId,
        );
        await expect(alerts.snooze(a.alertId, nurseId, 10, 'igen', at(3))).rejects.toMatchObject({
          code: 'conflict',
        });
      });

      it('names an unknown alert or person', async () => {
        await expect(alerts.snooze('alert_nothere', nurseId, 10, 'x', at(0))).rejects.toMatchObject(
          { code: 'not_found' },
        );
        const a = await alerts.raise(patientId, finding('snooze.unknown', 'medium'), at(0));
        await expect(
          alerts.snooze(a.alertId, 'staff_nothere', 10, 'x', at(1)),
        ).rejects.toMatchObject({ code: 'not_found', field: 'staffId' });
      });
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
