// Readings published over MQTT become findings and alerts, in either mode.
import { describe, expect, it } from 'vitest';
import { connectDevice, weight } from './device.js';
import { renderReason, type Reason } from '../../contract/reasons.js';
import type { Finding } from '../../server/rules/types.js';
import { storeBatch } from '../../server/store/readings.js';
import type { Queryable, QueryOptions } from '../../server/store/db.js';
import { createRuleRunner } from '../../server/rules/runner.js';
import { registerPatientWithDevice, type Mode, type Registered } from './hub.js';
import { hubWithPatientDevice } from './hubSuite.js';

/**
 * Stored readings of one type for a registered device, made as a commit hands them to the rules:
 * `(reg, value, minutesAgo)`, measured and received that long ago, each with a new messageId.
 */
function readingsOf(type: 'spo2' | 'heart_rate', unit: string) {
  const now = Date.now();
  let n = 0;
  return (reg: Registered, value: number, minutesAgo: number) => ({
    deviceId: reg.deviceId,
    messageId: `${type}-${now}-${n++}`,
    type,
    measuredAt: new Date(now - minutesAgo * 60_000),
    receivedAt: new Date(now - minutesAgo * 60_000),
    value,
    systolic: null,
    diastolic: null,
    pulse: null,
    code: null,
    unit,
    details: { source: 'json' as const },
  });
}

export function describeRulesOnIngest(mode: Mode) {
  describe(`rules on ingest (${mode} mode)`, () => {
    const t = hubWithPatientDevice(mode);

    const alertsOf = async () => {
      await t.env.hub.rules.idle();
      return (
        await t.env.hub.db.query<{
          rule: string;
          severity: string;
          status: string;
          finding: { reason: Reason };
        }>(
          'SELECT rule, severity, status, finding FROM alerts WHERE patient_id = $1 ORDER BY opened_at',
          [t.reg.patientId],
        )
      ).rows;
    };

    it('opens nothing for normal readings', async () => {
      t.device.receipts.length = 0;
      await t.device.publish(weight(81));
      await t.device.publish({ ...weight(0), type: 'spo2', value: 97, unit: '%' });
      await t.device.waitForReceipts(2);
      expect(await alertsOf()).toEqual([]);
    });

    it('opens a critical alert for a dangerously low SpO2, explaining itself', async () => {
      t.device.receipts.length = 0;
      await t.device.publish({ ...weight(0), type: 'spo2', value: 85, unit: '%' });
      await t.device.waitForReceipts(1);
      const alerts = await alertsOf();
      expect(alerts).toMatchObject([
        { rule: 'spo2.very_low', severity: 'critical', status: 'open' },
      ]);
      // stored as a code with its parameters, said in the reader's language when read
      expect(alerts[0]!.finding.reason).toEqual({
        code: 'spo2.very_low',
        params: { spo2: 85, oxygen: false, limit: 88 },
      });
      expect(renderReason(alerts[0]!.finding.reason, 'en')).toBe(
        'SpO2 85 %: very low (under 88 %)',
      );
    });

    it("judges a patient's first commit on what had come by then, not on a later commit's readings", async () => {
      // The rules have not met this patient: they load the history from the database, which
      // by then already holds a later commit (commit lanes; a burst after a start).
      const other = await registerPatientWithDevice(t.env.hub);
      const now = Date.now();
      const spo2 = (value: number, measuredMinutesAgo: number, receivedMs: number) => ({
        deviceId: other.deviceId,
        messageId: `first-commit-${value}-${now}`,
        type: 'spo2' as const,
        measuredAt: new Date(now - measuredMinutesAgo * 60_000),
        receivedAt: new Date(receivedMs),
        value,
        systolic: null,
        diastolic: null,
        pulse: null,
        code: null,
        unit: '%',
        details: { source: 'json' as const },
      });
      const low = spo2(85, 10, now - 2000);
      const later = spo2(97, 5, now - 1000);
      await storeBatch(t.env.hub.db, [low], []);
      await storeBatch(t.env.hub.db, [later], []);
      t.env.hub.rules.onReadings([{ ...low, patientId: other.patientId }]);
      await t.env.hub.rules.idle();
      const { rows } = await t.env.hub.db.query<{ rule: string }>(
        'SELECT rule FROM alerts WHERE patient_id = $1',
        [other.patientId],
      );
      expect(rows).toEqual([{ rule: 'spo2.very_low' }]);
    });

    it('judges a patient it had to forget (past its history cap) as one it kept, loading the history again', async () => {
      const [a, b] = [
        await registerPatientWithDevice(t.env.hub),
        await registerPatientWithDevice(t.env.hub),
      ];
      let loadsOfA = 0;
      const counting = {
        query: ((sql: string, params?: unknown[], opts?: QueryOptions) => {
          // a history load names its patients in its first parameter
          const patients = [params?.[0]].flat();
          if (/JOIN readings r/.test(sql) && patients.includes(a.patientId)) loadsOfA++;
          return t.env.hub.db.query(sql, params, opts);
        }) as Queryable['query'],
      };
      const runner = createRuleRunner({
        db: counting,
        alerts: t.env.hub.alerts,
        log: t.env.hub.log,
        historyCap: 1,
      });
      const spo2 = readingsOf('spo2', '%');
      for (const [reg, value, minutesAgo] of [
        [a, 97, 30],
        [b, 96, 20],
        [a, 85, 10], // A was forgotten when B came: loaded again, then judged
      ] as const) {
        const r = spo2(reg, value, minutesAgo);
        await storeBatch(t.env.hub.db, [r], []);
        runner.onReadings([{ ...r, patientId: reg.patientId }]);
        await runner.idle();
      }
      expect(loadsOfA).toBe(2);
      const { rows } = await t.env.hub.db.query<{ rule: string }>(
        'SELECT rule FROM alerts WHERE patient_id = $1',
        [a.patientId],
      );
      expect(rows).toEqual([{ rule: 'spo2.very_low' }]);
    });

    describe('when judging a patient fails', () => {
      /** A database whose history loads fail while `failing` is above 0 (counting down). */
      const failingLoads = () => {
        const state = { failing: 0, loads: 0 };
        const db: Queryable = {
          query: ((sql: string, params?: unknown[], opts?: QueryOptions) => {
            if (/JOIN readings r/.test(sql)) {
              state.loads++;
              if (state.failing-- > 0) {
                // what PostgreSQL said of a reading dated year 0001 (issue 16)
                return Promise.reject(new Error('date/time field value out of range'));
              }
            }
            return t.env.hub.db.query(sql, params, opts);
          }) as Queryable['query'],
        };
        return { state, db };
      };
      const alertsOfPatient = async (reg: Registered) =>
        (
          await t.env.hub.db.query<{
            rule: string;
            severity: string;
            finding: { readings: { messageId: string }[]; reason: Reason };
          }>(
            'SELECT rule, severity, finding FROM alerts WHERE patient_id = $1 ORDER BY opened_at',
            [reg.patientId],
          )
        ).rows;

      it('tries again, and raises what the readings call for', async () => {
        const reg = await registerPatientWithDevice(t.env.hub);
        const { state, db } = failingLoads();
        state.failing = 1;
        const runner = createRuleRunner({
          db,
          alerts: t.env.hub.alerts,
          log: t.env.hub.log,
          retryDelaysMs: [10, 10],
        });
        const r = readingsOf('spo2', '%')(reg, 80, 5);
        await storeBatch(t.env.hub.db, [r], []);
        runner.onReadings([{ ...r, patientId: reg.patientId }]);
        await runner.idle();
        expect(state.loads).toBe(2);
        expect((await alertsOfPatient(reg)).map((a) => [a.rule, a.severity])).toEqual([
          ['spo2.very_low', 'critical'],
        ]);
      });

      it("checks every other patient's missed measurements when one patient's check fails", async () => {
        const [a, b] = [
          await registerPatientWithDevice(t.env.hub),
          await registerPatientWithDevice(t.env.hub),
        ];
        // as below: the plan began yesterday at noon, today's 10:00 weight is past its grace at 15
        const today = new Date();
        const utc = (hh: number, dayOffset = 0) =>
          new Date(
            Date.UTC(
              today.getUTCFullYear(),
              today.getUTCMonth(),
              today.getUTCDate() + dayOffset,
              hh,
            ),
          );
        for (const reg of [a, b]) {
          await t.env.hub.db.query(
            'INSERT INTO patient_plans (patient_id, plan) VALUES ($1, $2::jsonb)',
            [
              reg.patientId,
              JSON.stringify({
                measurements: [{ type: 'body_weight', dueBy: '10:00', graceHours: 4 }],
              }),
            ],
          );
          await t.env.hub.db.query('UPDATE patients SET created_at = $2 WHERE id = $1', [
            reg.patientId,
            utc(12, -1).toISOString(),
          ]);
        }
        const db: Queryable = {
          query: ((sql: string, params?: unknown[], opts?: QueryOptions) =>
            /FROM readings/.test(sql) && params?.[0] === a.patientId
              ? Promise.reject(new Error('date/time field value out of range'))
              : t.env.hub.db.query(sql, params, opts)) as Queryable['query'],
        };
        const runner = createRuleRunner({ db, alerts: t.env.hub.alerts, log: t.env.hub.log });
        await runner.checkMissed(utc(15));
        expect((await alertsOfPatient(a)).map((x) => x.rule)).toEqual([]);
        expect((await alertsOfPatient(b)).map((x) => x.rule)).toEqual(['missing.body_weight']);
        // the hub's own checks in the tests below are not to meet these plans
        await t.env.hub.db.query('DELETE FROM patient_plans WHERE patient_id = ANY($1::text[])', [
          [a.patientId, b.patientId],
        ]);
      });

      it('alerts the care team that the readings were not judged when it keeps failing, and judges the next ones', async () => {
        const reg = await registerPatientWithDevice(t.env.hub);
        const { state, db } = failingLoads();
        state.failing = 3;
        const runner = createRuleRunner({
          db,
          alerts: t.env.hub.alerts,
          log: t.env.hub.log,
          retryDelaysMs: [10, 10],
        });
        const spo2 = readingsOf('spo2', '%');
        const first = spo2(reg, 80, 10);
        await storeBatch(t.env.hub.db, [first], []);
        runner.onReadings([{ ...first, patientId: reg.patientId }]);
        await runner.idle();
        expect(state.loads).toBe(3);
        const [failed] = await alertsOfPatient(reg);
        expect(failed).toMatchObject({
          rule: 'rules.failed',
          severity: 'high',
          finding: { readings: [{ messageId: first.messageId }] },
        });
        expect(renderReason(failed!.finding.reason, 'en')).toMatch(
          /could not judge this patient's 1 new reading\./,
        );
        // the database answers again: the next reading is judged as usual
        const next = spo2(reg, 81, 5);
        await storeBatch(t.env.hub.db, [next], []);
        runner.onReadings([{ ...next, patientId: reg.patientId }]);
        await runner.idle();
        expect((await alertsOfPatient(reg)).map((a) => a.rule)).toEqual([
          'rules.failed',
          'spo2.very_low',
        ]);
      });
    });

    it("loads the plans, histories and waiting repeats of a commit's new patients in one query each, and judges them as if one by one", async () => {
      const patients = [
        await registerPatientWithDevice(t.env.hub),
        await registerPatientWithDevice(t.env.hub),
        await registerPatientWithDevice(t.env.hub),
      ];
      const statements: string[] = [];
      const counting = {
        query: ((sql: string, params?: unknown[], opts?: QueryOptions) => {
          statements.push(sql);
          return t.env.hub.db.query(sql, params, opts);
        }) as Queryable['query'],
      };
      const runner = createRuleRunner({
        db: counting,
        alerts: t.env.hub.alerts,
        log: t.env.hub.log,
      });
      const pulse = readingsOf('heart_rate', '/min');
      // an older reading each, stored before this hub's rules met them
      for (const reg of patients) await storeBatch(t.env.hub.db, [pulse(reg, 70, 60)], []);
      const commit = [
        pulse(patients[0]!, 72, 5),
        pulse(patients[1]!, 150, 5),
        pulse(patients[2]!, 30, 5),
      ];
      await storeBatch(t.env.hub.db, commit, []);
      runner.onReadings(commit.map((r, i) => ({ ...r, patientId: patients[i]!.patientId })));
      await runner.idle();
      expect(statements.filter((q) => /FROM patient_plans/.test(q))).toHaveLength(1);
      expect(statements.filter((q) => /JOIN readings|FROM readings/.test(q))).toHaveLength(1);
      // which patients wait for a repeat: asked once for all three, not once each
      expect(
        statements.filter((q) => /DISTINCT patient_id FROM remeasure_requests/.test(q)),
      ).toHaveLength(1);
      const rules = async (reg: Registered) =>
        (
          await t.env.hub.db.query<{ rule: string }>(
            'SELECT rule FROM alerts WHERE patient_id = $1 ORDER BY rule',
            [reg.patientId],
          )
        ).rows.map((r) => r.rule);
      expect(await rules(patients[0]!)).toEqual([]);
      expect(await rules(patients[1]!)).toEqual(['pulse.very_high']);
      expect(await rules(patients[2]!)).toEqual(['pulse.very_low']);
    });

    it('alerts on a missed daily weight after its grace time, and resolves it when the weight comes', async () => {
      await t.env.hub.db.query(
        `INSERT INTO patient_plans (patient_id, plan) VALUES ($1, $2::jsonb)
         ON CONFLICT (patient_id) DO UPDATE SET plan = EXCLUDED.plan`,
        [
          t.reg.patientId,
          JSON.stringify({
            measurements: [{ type: 'body_weight', dueBy: '10:00', graceHours: 4 }],
          }),
        ],
      );
      // two days after the last weight, in the afternoon: missed, and the device has sent other data
      const later = new Date(Date.now() + 2 * 86_400_000);
      later.setUTCHours(14, 0, 0, 0);
      await t.env.hub.rules.checkMissed(later);
      await t.env.hub.rules.checkMissed(later); // a second check does not add a change
      const missed = (await alertsOf()).filter((a) => a.rule === 'missing.body_weight');
      expect(missed).toMatchObject([{ severity: 'medium', status: 'open' }]);
      const { rows: changes } = await t.env.hub.db.query(
        "SELECT kind FROM alert_events e JOIN alerts a ON a.id = e.alert_id WHERE a.rule = 'missing.body_weight' AND a.patient_id = $1",
        [t.reg.patientId],
      );
      expect(changes).toEqual([{ kind: 'opened' }]);

      t.device.receipts.length = 0;
      await t.device.publish(weight(81.2));
      await t.device.waitForReceipts(1);
      expect((await alertsOf()).filter((a) => a.rule === 'missing.body_weight')).toMatchObject([
        { status: 'resolved' },
      ]);
    });

    it('updates the same alert, not a second one, when it happens again', async () => {
      t.device.receipts.length = 0;
      await t.device.publish({ ...weight(0), type: 'spo2', value: 84, unit: '%' });
      await t.device.waitForReceipts(1);
      expect((await alertsOf()).filter((a) => a.rule === 'spo2.very_low')).toHaveLength(1);
    });
  });

  describe(`re-measure before alarming, reminders before missed-measurement alerts (${mode} mode)`, () => {
    const t = hubWithPatientDevice(mode, { patients: 0 });

    /** A patient of their own with a connected device, for each behaviour. */
    async function patient() {
      const reg = await registerPatientWithDevice(t.env.hub);
      const device = await connectDevice(t.env.mqttUrl, reg.deviceId, reg.secret);
      const alerts = async () => {
        await t.env.hub.rules.idle();
        return (
          await t.env.hub.db.query<{ rule: string; status: string; finding: Finding }>(
            'SELECT rule, status, finding FROM alerts WHERE patient_id = $1 ORDER BY opened_at',
            [reg.patientId],
          )
        ).rows;
      };
      const measure = async (value: number, minutesAgo: number) => {
        const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
        const n = device.receipts.length;
        await device.publish({ ...weight(0), type: 'spo2', value, unit: '%', measuredAt: at });
        await device.waitForReceipts(n + 1);
        await t.env.hub.rules.idle();
      };
      return { reg, device, alerts, measure };
    }

    it('asks the patient to measure again after a borderline SpO2, and alerts nobody yet', async () => {
      const p = await patient();
      await p.measure(91, 10);
      await waitFor(() => p.device.notices.length === 1);
      expect(p.device.notices[0]).toMatchObject({ notice: 'remeasure', type: 'spo2' });
      expect(p.device.notices[0]!.text.en).toContain('measure again');
      expect(await p.alerts()).toEqual([]);
      await p.device.close();
    });

    it('alerts the care team when the repeat confirms the borderline value', async () => {
      const p = await patient();
      await p.measure(91, 10);
      await p.measure(90, 2);
      const alerts = await p.alerts();
      expect(alerts).toMatchObject([{ rule: 'spo2.low', status: 'open' }]);
      expect(renderReason(alerts[0]!.finding.reason, 'en')).toContain(
        'Confirmed by a repeat measurement',
      );
      await p.device.close();
    });

    it('alerts nobody when the repeat is normal', async () => {
      const p = await patient();
      await p.measure(91, 10);
      await p.measure(96, 2);
      await t.env.hub.rules.expireRemeasures(new Date(Date.now() + 2 * 3_600_000));
      expect(await p.alerts()).toEqual([]);
      await p.device.close();
    });

    it('alerts the care team when no repeat comes in time, saying so', async () => {
      const p = await patient();
      await p.measure(91, 10);
      await t.env.hub.rules.expireRemeasures(new Date(Date.now() + 10 * 60_000)); // not yet
      expect(await p.alerts()).toEqual([]);
      await t.env.hub.rules.expireRemeasures(new Date(Date.now() + 31 * 60_000));
      await t.env.hub.rules.expireRemeasures(new Date(Date.now() + 40 * 60_000)); // once
      const alerts = await p.alerts();
      expect(alerts).toMatchObject([{ rule: 'spo2.low', status: 'open' }]);
      expect(renderReason(alerts[0]!.finding.reason, 'en')).toContain(
        'No repeat measurement within 30 minutes',
      );
      await p.device.close();
    });

    it('alerts at once, without asking, for a severe value', async () => {
      const p = await patient();
      await p.measure(85, 1);
      expect(await p.alerts()).toMatchObject([{ rule: 'spo2.very_low', status: 'open' }]);
      expect(p.device.notices).toEqual([]);
      await p.device.close();
    });

    it('reminds the patient of a missed daily weight once, before the care team is alerted', async () => {
      const p = await patient();
      await t.env.hub.db.query(
        'INSERT INTO patient_plans (patient_id, plan) VALUES ($1, $2::jsonb)',
        [
          p.reg.patientId,
          JSON.stringify({
            measurements: [{ type: 'body_weight', dueBy: '10:00', graceHours: 4 }],
          }),
        ],
      );
      // the plan began yesterday at noon; today 10:00 Stockholm is due, 14:00 ends the grace
      const today = new Date();
      const at = (hhUtc: number, dayOffset = 0) =>
        new Date(
          Date.UTC(
            today.getUTCFullYear(),
            today.getUTCMonth(),
            today.getUTCDate() + dayOffset,
            hhUtc,
          ),
        );
      await t.env.hub.db.query('UPDATE patients SET created_at = $2 WHERE id = $1', [
        p.reg.patientId,
        at(12, -1).toISOString(),
      ]);
      await t.env.hub.rules.checkMissed(at(10)); // 11:00 or 12:00 in Stockholm: remind
      await t.env.hub.rules.checkMissed(at(11)); // not twice
      await waitFor(() => p.device.notices.length >= 1);
      expect(p.device.notices).toMatchObject([{ notice: 'reminder', type: 'body_weight' }]);
      expect(await p.alerts()).toEqual([]);
      await t.env.hub.rules.checkMissed(at(15)); // past the grace: the care team is told
      expect((await p.alerts()).map((a) => a.rule)).toEqual(['missing.body_weight']);
      expect(p.device.notices).toHaveLength(1);
      await p.device.close();
    });
  });
}

/** Polls until `check` holds (messages to devices travel through the broker). */
async function waitFor(check: () => boolean, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
