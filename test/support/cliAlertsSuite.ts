// Alerts and plans from the admin CLI, by a named person, against a running hub (embedded:
// through its admin socket; services: the same, over PostgreSQL and Mosquitto).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import type { AlertChange } from '../../server/alerts/lifecycle.js';
import type { Finding } from '../../server/rules/types.js';
import { finding } from './finding.js';
import { hubCli, hubJson } from './cli.js';
import { connectDevice, weight, type TestDevice } from './device.js';
import {
  registerPatientWithDevice,
  startTestHub,
  type Mode,
  type Registered,
  type TestEnv,
} from './hub.js';

interface PlanView {
  plan: Record<string, unknown>;
  resolved: { weight: { gain3dKg: number; gain1dKg: number }; overridden: string[] };
  changes: { plan: Record<string, unknown>; changedBy: string | null; changedAt: string }[];
}

interface AlertView {
  id: string;
  status: string;
  severity: string;
  ownerId: string | null;
  finding: { rule: string };
  reason: { sv: string; en: string };
  snoozes: { staffId: string; until: string; reason: string }[];
  events: AlertChange[];
}

export function describeAlertAndPlanCli(mode: Mode) {
  describe(`alerts and plans from the admin CLI (${mode} mode)`, () => {
    let env: TestEnv;
    let reg: Registered;
    let cliEnv: Record<string, string | undefined>;
    let anna: string;
    let bo: string;
    const heard: AlertChange[] = [];

    beforeAll(async () => {
      env = await startTestHub(mode);
      reg = await registerPatientWithDevice(env.hub);
      cliEnv = {
        DATA_DIR: env.config.DATA_DIR,
        ADMIN_SOCKET: env.hub.urls.adminSocket,
        DATABASE_URL: env.config.DATABASE_URL,
        HUB_ID: env.config.HUB_ID,
      };
      const staff = (username: string) =>
        hubJson(
          cliEnv,
          'staff',
          'add',
          '--unit',
          reg.unitId,
          '--username',
          username,
          '--role',
          'nurse',
        );
      anna = (await staff('anna.a')).id!;
      bo = (await staff('bo.b')).id!;
      env.hub.alerts.events.on('change', (c) => heard.push(c));
    });
    afterAll(() => env?.close());

    const raise = (rule: string, severity: Finding['severity']) =>
      env.hub.alerts.raise(reg.patientId, finding(rule, severity), new Date());

    it("acknowledges an alert in a named person's name, and the running hub hears of it", async () => {
      const a = await raise('cli.ack', 'high');
      const ack = await hubJson<AlertChange>(
        cliEnv,
        'alert',
        'ack',
        a.alertId,
        '--by',
        anna,
        '--note',
        'ringer patienten',
      );
      expect(ack).toMatchObject({
        alertId: a.alertId,
        kind: 'acknowledged',
        actorId: anna,
        note: 'ringer patienten',
      });
      expect(ack.seq).toBeGreaterThan(a.seq);
      expect(heard).toContainEqual(ack);

      const nobody = await hubCli(
        cliEnv,
        'alert',
        'ack',
        a.alertId,
        '--by',
        'staff_nothere',
        '--json',
      );
      expect(nobody).toMatchObject({ code: 1, stdout: '' });
      expect(nobody.stderr).toMatch(/staff member staff_nothere does not exist/);
      const nothing = await hubCli(cliEnv, 'alert', 'ack', 'alert_nothere', '--by', anna, '--json');
      expect(nothing).toMatchObject({ code: 1, stdout: '' });
      expect(nothing.stderr).toMatch(/alert alert_nothere does not exist/);
    });

    it('snoozes an alert for one person, with a reason, up to the maximum for its severity', async () => {
      const a = await raise('cli.snooze', 'critical');
      const tooLong = await hubCli(
        cliEnv,
        'alert',
        'snooze',
        a.alertId,
        '--by',
        anna,
        '--minutes',
        '16',
        '--reason',
        'samtal',
        '--json',
      );
      expect(tooLong).toMatchObject({ code: 1, stdout: '' });
      expect(tooLong.stderr).toMatch(/at most 15 minutes/);
      const noReason = await hubCli(
        cliEnv,
        'alert',
        'snooze',
        a.alertId,
        '--by',
        anna,
        '--minutes',
        '10',
      );
      expect(noReason.code).toBe(1);
      expect(noReason.stderr).toMatch(/--reason/);

      const snoozed = await hubJson<AlertChange>(
        cliEnv,
        'alert',
        'snooze',
        a.alertId,
        '--by',
        anna,
        '--minutes',
        '15',
        '--reason',
        'i samtal med annan patient',
      );
      expect(snoozed).toMatchObject({
        kind: 'snoozed',
        actorId: anna,
        note: 'i samtal med annan patient',
        data: { minutes: 15, until: expect.any(String) },
      });
      expect(heard).toContainEqual(snoozed);
      const now = new Date();
      expect(await env.hub.alerts.snoozedUntil(a.alertId, anna, now)).toBe(snoozed.data.until);
      expect(await env.hub.alerts.snoozedUntil(a.alertId, bo, now)).toBeNull();

      // nothing else about the alert changed: still open, nobody's, escalating as before
      const shown = await hubJson<AlertView>(cliEnv, 'alert', 'show', a.alertId);
      expect(shown).toMatchObject({ status: 'open', ownerId: null, severity: 'critical' });
      expect(shown.snoozes).toEqual([
        { staffId: anna, until: snoozed.data.until, reason: 'i samtal med annan patient' },
      ]);
    });

    it('resolves an alert with a note, and refuses to resolve or snooze it again', async () => {
      const a = await raise('cli.resolve', 'medium');
      const noNote = await hubCli(cliEnv, 'alert', 'resolve', a.alertId, '--by', bo);
      expect(noNote.code).toBe(1);
      expect(noNote.stderr).toMatch(/--note/);
      const resolved = await hubJson<AlertChange>(
        cliEnv,
        'alert',
        'resolve',
        a.alertId,
        '--by',
        bo,
        '--note',
        'vikten åter, diuretika justerat',
      );
      expect(resolved).toMatchObject({
        kind: 'resolved',
        actorId: bo,
        note: 'vikten åter, diuretika justerat',
      });

      const again = await hubCli(
        cliEnv,
        'alert',
        'resolve',
        a.alertId,
        '--by',
        bo,
        '--note',
        'igen',
        '--json',
      );
      expect(again).toMatchObject({ code: 1, stdout: '' });
      expect(again.stderr).toMatch(/already resolved/);
      const snooze = await hubCli(
        cliEnv,
        'alert',
        'snooze',
        a.alertId,
        '--by',
        bo,
        '--minutes',
        '5',
        '--reason',
        'x',
      );
      expect(snooze.code).toBe(1);
      expect(snooze.stderr).toMatch(/already resolved/);
    });

    it('shows an alert with its finding and its whole history in order', async () => {
      const a = await raise('cli.show', 'high');
      await hubJson(
        cliEnv,
        'alert',
        'snooze',
        a.alertId,
        '--by',
        bo,
        '--minutes',
        '30',
        '--reason',
        'väntar på labbsvar',
      );
      await hubJson(cliEnv, 'alert', 'ack', a.alertId, '--by', anna);
      await hubJson(
        cliEnv,
        'alert',
        'resolve',
        a.alertId,
        '--by',
        anna,
        '--note',
        'labbsvar normalt',
      );
      const shown = await hubJson<AlertView>(cliEnv, 'alert', 'show', a.alertId);
      expect(shown).toMatchObject({
        id: a.alertId,
        status: 'resolved',
        ownerId: anna,
        finding: { rule: 'cli.show' },
        // said from the stored code and parameters
        reason: {
          sv: 'Puls 120 slag/min: hög (över 110)',
          en: 'Pulse 120 beats/min: high (over 110)',
        },
        snoozes: [],
      });
      expect(shown.events.map((e) => [e.kind, e.actorId, e.note])).toEqual([
        ['opened', null, null],
        ['snoozed', bo, 'väntar på labbsvar'],
        ['acknowledged', anna, null],
        ['resolved', anna, 'labbsvar normalt'],
      ]);
      const seqs = shown.events.map((e) => e.seq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);

      const human = await hubCli(cliEnv, 'alert', 'show', a.alertId);
      expect(human.stdout).toMatch(/resolved +high +cli\.show/);
      expect(human.stdout).toContain('Pulse 120 beats/min: high (over 110)');
      expect(human.stdout).toMatch(/snoozed +staff_\S+ +"väntar på labbsvar"/);
    });

    it("prints a patient's plan, the plan in use with its defaults, and no changes yet", async () => {
      const view = await hubJson<PlanView>(cliEnv, 'patient', 'plan', reg.patientId);
      expect(view.plan).toEqual({});
      expect(view.resolved.weight.gain3dKg).toBe(2);
      expect(view.resolved.overridden).toEqual([]);
      expect(view.changes).toEqual([]);
    });

    it('merges --set into the plan in the name of --by, and keeps the history newest first', async () => {
      await hubJson(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        anna,
        '--set',
        '{"weight":{"gain3dKg":1.5}}',
      );
      const view = await hubJson<PlanView>(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        bo,
        '--set',
        '{"weight":{"gain1dKg":1}}',
      );
      expect(view.plan).toEqual({ weight: { gain3dKg: 1.5, gain1dKg: 1 } });
      expect(view.resolved.weight).toMatchObject({ gain3dKg: 1.5, gain1dKg: 1 });
      expect(view.resolved.overridden).toEqual(['weight.gain1dKg', 'weight.gain3dKg']);
      expect(view.changes.map((c) => [c.changedBy, c.plan])).toEqual([
        [bo, { weight: { gain3dKg: 1.5, gain1dKg: 1 } }],
        [anna, { weight: { gain3dKg: 1.5 } }],
      ]);
    });

    it('refuses an unknown key or a bad value in --set, naming its path, and changes nothing', async () => {
      const typo = await hubCli(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        anna,
        '--set',
        '{"weight":{"gain3dkg":1}}',
        '--json',
      );
      expect(typo).toMatchObject({ code: 1, stdout: '' });
      expect(typo.stderr).toMatch(/--set: weight\.gain3dkg: /);
      const negative = await hubCli(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        anna,
        '--set',
        '{"weight":{"gain3dKg":-1}}',
      );
      expect(negative.code).toBe(1);
      expect(negative.stderr).toMatch(/--set: weight\.gain3dKg: /);
      const notJson = await hubCli(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        anna,
        '--set',
        '{weight',
      );
      expect(notJson.stderr).toMatch(/--set: not JSON/);
      const nobody = await hubCli(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--set',
        '{"spo2Scale":2}',
      );
      expect(nobody.stderr).toMatch(/--by: /);
      const stranger = await hubCli(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        'staff_nothere',
        '--set',
        '{"spo2Scale":2}',
      );
      expect(stranger.stderr).toMatch(/staff member staff_nothere does not exist/);
      const view = await hubJson<PlanView>(cliEnv, 'patient', 'plan', reg.patientId);
      expect(view.changes).toHaveLength(2);
    });

    it('--unset returns a key to its default', async () => {
      const view = await hubJson<PlanView>(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        anna,
        '--unset',
        'weight.gain3dKg',
      );
      expect(view.plan).toEqual({ weight: { gain1dKg: 1 } });
      expect(view.resolved.weight.gain3dKg).toBe(2);
      expect(view.resolved.overridden).toEqual(['weight.gain1dKg']);
      expect(view.changes[0]).toMatchObject({ changedBy: anna, plan: { weight: { gain1dKg: 1 } } });

      const emptied = await hubJson<PlanView>(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        anna,
        '--unset',
        'weight.gain1dKg',
      );
      expect(emptied.plan).toEqual({});
      const notSet = await hubCli(
        cliEnv,
        'patient',
        'plan',
        reg.patientId,
        '--by',
        anna,
        '--unset',
        'weight.gain1dKg',
      );
      expect(notSet.code).toBe(1);
      expect(notSet.stderr).toMatch(/weight\.gain1dKg is not set/);
    });

    it("applies a changed threshold to the patient's next reading at once", async () => {
      let device: TestDevice | undefined;
      const pulse = (value: number) => ({ ...weight(0), type: 'heart_rate', value, unit: '/min' });
      const rules = async () => {
        await env.hub.rules.idle();
        return (
          await env.hub.db.query<{ rule: string; source: string }>(
            `SELECT rule, finding->'threshold'->>'source' AS source FROM alerts
             WHERE patient_id = $1 AND rule LIKE 'pulse.%'`,
            [reg.patientId],
          )
        ).rows;
      };
      try {
        device = await connectDevice(env.mqttUrl, reg.deviceId, reg.secret);
        // the hub reads the plan for this reading and keeps it for a while
        await device.publish(pulse(105));
        await device.waitForReceipts(1);
        expect(await rules()).toEqual([]);
        await hubJson(
          cliEnv,
          'patient',
          'plan',
          reg.patientId,
          '--by',
          bo,
          '--set',
          '{"vitals":{"pulse":{"urgentHigh":100}}}',
        );
        await device.publish(pulse(105));
        await device.waitForReceipts(2);
        expect(await rules()).toEqual([{ rule: 'pulse.very_high', source: 'personal' }]);
      } finally {
        await device?.close();
      }
    });

    it('tells the running hub when the SpO2 scale changes too', async () => {
      const told: string[] = [];
      await runCommand({ db: env.hub.db, onPlanChanged: (id) => told.push(id) }, 'patient set', {
        patient: reg.patientId,
        spo2Scale: '2',
        by: anna,
      });
      expect(told).toEqual([reg.patientId]);
      const view = await hubJson<PlanView>(cliEnv, 'patient', 'plan', reg.patientId);
      expect(view.plan).toMatchObject({ spo2Scale: 2 });
      expect(view.changes[0]).toMatchObject({ changedBy: anna });
    });
  });
}
