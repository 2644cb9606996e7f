// The alert lifecycle against a real database: PGlite (embedded) or PostgreSQL (services).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { createAlerts, type AlertChange, type Alerts } from '../../server/alerts/lifecycle.js';
import type { Finding } from '../../server/rules/types.js';
import { finding } from './finding.js';
import type { Db } from '../../server/store/db.js';
import { migrate } from '../../server/store/migrate.js';

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
    let unitId: string;
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
      unitId = unit.id;
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

    /** A second patient of the first one's care unit. */
    async function anotherPatient(name: string): Promise<string> {
      const { rows } = await db.query<{ care_unit_id: string }>(
        'SELECT care_unit_id FROM care_relationships WHERE patient_id = $1',
        [patientId],
      );
      const unit = rows[0]!.care_unit_id;
      return ((await runCommand({ db }, 'patient add', { unit, name })) as { id: string }).id;
    }

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
      const other = await anotherPatient('Q');
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

    it('returns and tells the change it stored, and keeps the alert on its latest event', async () => {
      const trigger = { deviceId: 'dev_1', messageId: 'm-1' };
      const before = seen.length;
      const opened = await alerts.raise(
        patientId,
        { ...finding('stored.change', 'medium'), trigger } as Finding,
        at(0),
      );
      const worse = { ...finding('stored.change', 'high'), values: { x: 1 }, trigger };
      const updated = await alerts.raise(patientId, worse as Finding, at(3));
      expect(opened).toEqual({
        seq: opened.seq,
        alertId: opened.alertId,
        patientId,
        kind: 'opened',
        actorId: null,
        note: null,
        at: at(0).toISOString(),
        data: {
          severity: 'medium',
          rule: 'stored.change',
          problem: 'stored.change',
          rules: ['stored.change'],
          value: null,
          trigger,
        },
      });
      expect(updated).toEqual({
        ...opened,
        seq: updated.seq,
        kind: 'updated',
        at: at(3).toISOString(),
        data: {
          severity: 'high',
          rule: 'stored.change',
          problem: 'stored.change',
          rules: ['stored.change'],
          value: { type: 'x', value: 1 },
          previousValue: null,
          added: [],
          dropped: [],
          rose: true,
          trigger,
        },
      });
      expect(seen.slice(before)).toEqual([opened, updated]);
      expect(await alerts.history(opened.alertId)).toEqual([opened, updated]);
      const { rows } = await db.query<{ seq: string; updated_at: Date; finding: unknown }>(
        'SELECT seq, updated_at, finding FROM alerts WHERE id = $1',
        [opened.alertId],
      );
      expect(Number(rows[0]!.seq)).toBe(updated.seq);
      expect(new Date(rows[0]!.updated_at).toISOString()).toBe(at(3).toISOString());
      expect(rows[0]!.finding).toEqual({
        ...worse,
        problem: 'stored.change',
        direction: null,
        value: { type: 'x', value: 1 },
      });
    });

    describe('one alert per patient and problem', () => {
      const weight = (rule: string, severity: Finding['severity'], latest: number): Finding => ({
        ...finding(rule, severity),
        values: { latest },
      });
      const unresolved = async (id: string) => {
        const { rows } = await db.query<{ id: string; rule: string; findings: object }>(
          "SELECT id, rule, findings FROM alerts WHERE patient_id = $1 AND status <> 'resolved'",
          [id],
        );
        return rows;
      };

      it('gathers the weight rules that agree on one alert and says what each update changed', async () => {
        const p = await anotherPatient('Weight gain');
        const first = await alerts.raise(p, weight('weight.gain_1d', 'medium', 105), at(0));
        const macd = await alerts.raise(p, weight('weight.macd', 'medium', 105.8), at(5));
        const personal = await alerts.raise(
          p,
          weight('personal.weight_up', 'medium', 105.8),
          at(6),
        );
        const worse = await alerts.raise(p, weight('weight.gain_3d', 'high', 106.1), at(7));
        expect(new Set([macd.alertId, personal.alertId, worse.alertId])).toEqual(
          new Set([first.alertId]),
        );
        expect(first.data).toMatchObject({
          problem: 'weight',
          rules: ['weight.gain_1d'],
          value: { type: 'body_weight', value: 105 },
        });
        expect(macd.kind).toBe('updated');
        expect(macd.data).toMatchObject({
          rule: 'weight.macd',
          rules: ['weight.gain_1d', 'weight.macd'],
          added: ['weight.macd'],
          dropped: [],
          previousValue: { type: 'body_weight', value: 105 },
          value: { type: 'body_weight', value: 105.8 },
          rose: false,
        });
        expect(worse.data).toMatchObject({ severity: 'high', rose: true });
        const [row] = await unresolved(p);
        // the worst agreeing finding is the headline
        expect(row!.rule).toBe('weight.gain_3d');
        expect(Object.keys(row!.findings).sort()).toEqual([
          'personal.weight_up',
          'weight.gain_1d',
          'weight.gain_3d',
          'weight.macd',
        ]);
      });

      it('never keeps opposite directions open together: a loss replaces the gains it contradicts', async () => {
        const p = await anotherPatient('Weight both ways');
        const gain = await alerts.raise(p, weight('weight.gain_3d', 'high', 82), at(0));
        await alerts.raise(p, weight('weight.macd', 'medium', 82), at(1));
        const loss = await alerts.raise(p, weight('weight.loss_1d', 'medium', 79.5), at(30));
        expect(loss.alertId).toBe(gain.alertId);
        expect(loss.data).toMatchObject({
          rules: ['weight.loss_1d'],
          added: ['weight.loss_1d'],
          dropped: ['weight.gain_3d', 'weight.macd'],
          value: { type: 'body_weight', value: 79.5 },
        });
        const rows = await unresolved(p);
        expect(rows).toHaveLength(1);
        expect(rows[0]!.rule).toBe('weight.loss_1d');
        expect(Object.keys(rows[0]!.findings)).toEqual(['weight.loss_1d']);
        // the contradicted gain no longer decides the severity
        const { rows: sev } = await db.query<{ severity: string }>(
          'SELECT severity FROM alerts WHERE id = $1',
          [gain.alertId],
        );
        expect(sev[0]!.severity).toBe('medium');
      });

      it('keeps other problems apart, and raises several findings of one problem in order in one call', async () => {
        const p = await anotherPatient('Several problems');
        const changes = await alerts.raiseAll(
          [
            { patientId: p, finding: weight('weight.gain_1d', 'medium', 90) },
            { patientId: p, finding: finding('spo2.low', 'medium') },
            { patientId: p, finding: weight('weight.gain_3d', 'high', 90) },
            { patientId: p, finding: finding('bp.very_high', 'high') },
            { patientId: p, finding: finding('personal.systolic_up', 'medium') },
          ],
          at(0),
        );
        expect(changes.map((c) => c.kind)).toEqual([
          'opened',
          'opened',
          'updated',
          'opened',
          'updated',
        ]);
        const rows = await unresolved(p);
        expect(rows.map((r) => r.rule).sort()).toEqual([
          'bp.very_high',
          'spo2.low',
          'weight.gain_3d',
        ]);
      });
    });

    it("brings an open alert's escalation forward when it rises, never back", async () => {
      const escalateAt = async (id: string) => {
        const { rows } = await db.query<{ escalate_at: Date | null }>(
          'SELECT escalate_at FROM alerts WHERE id = $1',
          [id],
        );
        const e = rows[0]!.escalate_at;
        return e && new Date(e).toISOString();
      };
      const a = await alerts.raise(patientId, finding('escalate.rise', 'low'), at(0));
      expect(await escalateAt(a.alertId)).toBeNull(); // low: no limit
      await alerts.raise(patientId, finding('escalate.rise', 'medium'), at(5));
      expect(await escalateAt(a.alertId)).toBe(at(5 + 240).toISOString());
      await alerts.raise(patientId, finding('escalate.rise', 'high'), at(10));
      expect(await escalateAt(a.alertId)).toBe(at(10 + 60).toISOString());
      // no rise: neither a lower nor the same severity moves it
      await alerts.raise(patientId, finding('escalate.rise', 'medium'), at(20));
      await alerts.raise(patientId, finding('escalate.rise', 'high'), at(30));
      expect(await escalateAt(a.alertId)).toBe(at(10 + 60).toISOString());

      // a rise whose limit would come later than the escalation already due leaves it
      const b = await alerts.raise(patientId, finding('escalate.later', 'high'), at(0));
      await alerts.escalateDue(at(60)); // level 1, next step at 120
      expect(await escalateAt(b.alertId)).toBe(at(120).toISOString());
      await alerts.raise(patientId, finding('escalate.later', 'critical'), at(110));
      expect(await escalateAt(b.alertId)).toBe(at(120).toISOString());

      // acknowledged: someone is on it, a rise does not start escalating again
      const c = await alerts.raise(patientId, finding('escalate.acked', 'medium'), at(0));
      await alerts.acknowledge(c.alertId, nurseId, null, at(1));
      const rose = await alerts.raise(patientId, finding('escalate.acked', 'critical'), at(2));
      expect(rose.data).toMatchObject({ severity: 'critical', rose: true });
      expect(await escalateAt(c.alertId)).toBeNull();
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
        // a unit that names no on-call unit is its own; nobody is on its roster
        { level: 2, to: 'on_call_unit', onCall: [{ unitId, staffId: null }] },
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
        const other = await alerts.raise(patientId, finding('snooze.rise.other', 'low'), at(0));
        await alerts.snooze(other.alertId, nurseId, 60, 'känt', at(1));
        await alerts.raise(patientId, finding('snooze.rise', 'critical'), at(4));
        expect(await alerts.snoozedUntil(a.alertId, nurseId, at(5))).toBeNull();
        // only the alert that rose
        expect(await alerts.snoozedUntil(other.alertId, nurseId, at(5))).not.toBeNull();
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

    it('raises the findings of several patients together as raising them one by one would', async () => {
      const other = await anotherPatient('R');
      const before = await alerts.raise(patientId, finding('together.pulse', 'medium'), at(0));
      const trigger = { deviceId: 'dev-1', messageId: 'm-1' };
      const changes = await alerts.raiseAll(
        [
          { patientId, finding: finding('together.pulse', 'high') }, // rises: updated
          {
            patientId: other,
            finding: { ...finding('together.pulse', 'low'), trigger } as Finding,
          },
          { patientId: other, finding: finding('together.pulse', 'critical') }, // same alert again
          { patientId, finding: finding('together.spo2', 'medium') },
        ],
        at(1),
      );
      expect(changes.map((c) => [c.patientId, c.kind, c.data.severity, c.data.rose])).toEqual([
        [patientId, 'updated', 'high', true],
        [other, 'opened', 'low', undefined],
        [other, 'updated', 'critical', true],
        [patientId, 'opened', 'medium', undefined],
      ]);
      expect(changes[0]!.alertId).toBe(before.alertId);
      expect(changes[2]!.alertId).toBe(changes[1]!.alertId);
      expect(changes[1]!.data.trigger).toEqual(trigger);
      // every change in the one sequence, told to listeners, and kept as the alert's history
      expect(new Set(changes.map((c) => c.seq)).size).toBe(4);
      for (const c of changes) expect(seen).toContainEqual(c);
      expect(await alerts.history(changes[1]!.alertId)).toEqual([changes[1], changes[2]]);
      const { rows } = await db.query<{ severity: string; owner_id: string | null }>(
        "SELECT severity, owner_id FROM alerts WHERE patient_id = $1 AND rule = 'together.pulse'",
        [other],
      );
      expect(rows).toEqual([{ severity: 'critical', owner_id: null }]);
    });

    it('gives concurrent raises of one patient and rule one alert and an event each', async () => {
      const rules = Array.from({ length: 8 }, (_, i) => `concurrent.${i}`);
      const results = await Promise.all(
        rules.flatMap((rule) => [
          alerts.raise(patientId, finding(rule, 'medium'), at(0)),
          alerts.raise(patientId, finding(rule, 'high'), at(0)),
        ]),
      );
      for (const rule of rules) {
        const { rows } = await db.query<{ id: string; severity: string; seq: string }>(
          "SELECT id, severity, seq FROM alerts WHERE patient_id = $1 AND rule = $2 AND status <> 'resolved'",
          [patientId, rule],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]!.severity).toBe('high');
        const history = await alerts.history(rows[0]!.id);
        expect(history.map((c) => c.kind)).toEqual(['opened', 'updated']);
        expect(Number(rows[0]!.seq)).toBe(history[1]!.seq);
        // `rose` says whether it rose above what the alert had when this change was applied
        expect(history[1]!.data.rose).toBe(history[0]!.data.severity === 'medium');
        expect(
          results.filter((c) => c.alertId === rows[0]!.id).sort((x, y) => x.seq - y.seq),
        ).toEqual(history);
      }
    });

    it('gives concurrent raises together of one patient and rule one alert and an event each', async () => {
      const rules = Array.from({ length: 8 }, (_, i) => `concurrent.together.${i}`);
      const batches = await Promise.all([
        alerts.raiseAll(
          rules.map((rule) => ({ patientId, finding: finding(rule, 'medium') })),
          at(0),
        ),
        alerts.raiseAll(
          rules.map((rule) => ({ patientId, finding: finding(rule, 'high') })),
          at(0),
        ),
        ...rules.map((rule) => alerts.raise(patientId, finding(rule, 'low'), at(0))),
      ]);
      for (const rule of rules) {
        const { rows } = await db.query<{ id: string; severity: string }>(
          "SELECT id, severity FROM alerts WHERE patient_id = $1 AND rule = $2 AND status <> 'resolved'",
          [patientId, rule],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0]!.severity).toBe('high');
        const history = await alerts.history(rows[0]!.id);
        expect(history.map((c) => c.kind)).toEqual(['opened', 'updated', 'updated']);
        expect(
          batches
            .flat()
            .filter((c) => c.alertId === rows[0]!.id)
            .sort((x, y) => x.seq - y.seq),
        ).toEqual(history);
      }
    });
  });
}
