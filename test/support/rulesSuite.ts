// Readings published over MQTT become findings and alerts, in either mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice, weight, type TestDevice } from './device.js';
import {
  registerPatientWithDevice,
  startTestHub,
  type Mode,
  type Registered,
  type TestEnv,
} from './hub.js';

export function describeRulesOnIngest(mode: Mode) {
  describe(`rules on ingest (${mode} mode)`, () => {
    let env: TestEnv;
    let reg: Registered;
    let device: TestDevice;
    beforeAll(async () => {
      env = await startTestHub(mode);
      reg = await registerPatientWithDevice(env.hub);
      device = await connectDevice(env.mqttUrl, reg.deviceId, reg.secret);
    });
    afterAll(async () => {
      await device?.close();
      await env?.close();
    });

    const alertsOf = async () => {
      await env.hub.rules.idle();
      return (
        await env.hub.db.query<{
          rule: string;
          severity: string;
          status: string;
          finding: { reason: { en: string } };
        }>(
          'SELECT rule, severity, status, finding FROM alerts WHERE patient_id = $1 ORDER BY opened_at',
          [reg.patientId],
        )
      ).rows;
    };

    it('opens nothing for normal readings', async () => {
      device.receipts.length = 0;
      await device.publish(weight(81));
      await device.publish({ ...weight(0), type: 'spo2', value: 97, unit: '%' });
      await device.waitForReceipts(2);
      expect(await alertsOf()).toEqual([]);
    });

    it('opens a critical alert for a dangerously low SpO2, explaining itself', async () => {
      device.receipts.length = 0;
      await device.publish({ ...weight(0), type: 'spo2', value: 85, unit: '%' });
      await device.waitForReceipts(1);
      const alerts = await alertsOf();
      expect(alerts).toMatchObject([
        { rule: 'spo2.very_low', severity: 'critical', status: 'open' },
      ]);
      expect(alerts[0]!.finding.reason.en).toBe('SpO2 85 %: very low (under 88 %)');
    });

    it('alerts on a missed daily weight after its grace time, and resolves it when the weight comes', async () => {
      await env.hub.db.query(
        `INSERT INTO patient_plans (patient_id, plan) VALUES ($1, $2::jsonb)
         ON CONFLICT (patient_id) DO UPDATE SET plan = EXCLUDED.plan`,
        [
          reg.patientId,
          JSON.stringify({
            measurements: [{ type: 'body_weight', dueBy: '10:00', graceHours: 4 }],
          }),
        ],
      );
      // two days after the last weight, in the afternoon: missed, and the device has sent other data
      const later = new Date(Date.now() + 2 * 86_400_000);
      later.setUTCHours(14, 0, 0, 0);
      await env.hub.rules.checkMissed(later);
      await env.hub.rules.checkMissed(later); // a second check does not add a change
      const missed = (await alertsOf()).filter((a) => a.rule === 'missing.body_weight');
      expect(missed).toMatchObject([{ severity: 'medium', status: 'open' }]);
      const { rows: changes } = await env.hub.db.query(
        "SELECT kind FROM alert_events e JOIN alerts a ON a.id = e.alert_id WHERE a.rule = 'missing.body_weight'",
      );
      expect(changes).toEqual([{ kind: 'opened' }]);

      device.receipts.length = 0;
      await device.publish(weight(81.2));
      await device.waitForReceipts(1);
      expect((await alertsOf()).filter((a) => a.rule === 'missing.body_weight')).toMatchObject([
        { status: 'resolved' },
      ]);
    });

    it('updates the same alert, not a second one, when it happens again', async () => {
      device.receipts.length = 0;
      await device.publish({ ...weight(0), type: 'spo2', value: 84, unit: '%' });
      await device.waitForReceipts(1);
      expect((await alertsOf()).filter((a) => a.rule === 'spo2.very_low')).toHaveLength(1);
    });
  });
}
