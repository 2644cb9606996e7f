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

    it('updates the same alert, not a second one, when it happens again', async () => {
      device.receipts.length = 0;
      await device.publish({ ...weight(0), type: 'spo2', value: 84, unit: '%' });
      await device.waitForReceipts(1);
      expect((await alertsOf()).filter((a) => a.rule === 'spo2.very_low')).toHaveLength(1);
    });
  });
}
