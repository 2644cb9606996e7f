// A reading measured 30 hours ago that arrives now, over MQTT: the rules judge it at the hub's
// clock, so its finding is late: no same-day alert (at most 'low'), no escalation timer, and the
// staff API's alert says when the value was measured, when it came in, and that it was late.
// A fresh reading of the same value, beside it, is the critical alert it always was.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import type { Alert } from '../../contract/alerts.js';
import { hubWithPatientDevice } from '../support/hubSuite.js';
import { signIn } from '../support/realtimeSuite.js';

const HOUR = 3_600_000;

describe('a reading measured 30 hours ago, arriving now (embedded)', () => {
  const t = hubWithPatientDevice('embedded', { patients: 2 });

  /** SpO2 84 %: spo2.very_low, critical and at once when fresh. */
  const spo2 = (measuredAt: Date) => ({
    messageId: `spo2-${measuredAt.getTime()}`,
    measuredAt: measuredAt.toISOString(),
    type: 'spo2',
    value: 84,
    unit: '%',
  });

  const stored = async (patientId: string) =>
    (
      await t.env.hub.db.query<{
        id: string;
        severity: string;
        escalate_at: Date | null;
        escalation_level: number;
      }>('SELECT id, severity, escalate_at, escalation_level FROM alerts WHERE patient_id = $1', [
        patientId,
      ])
    ).rows;

  it('raises no same-day alert and no escalation, and the API shows when it was measured and that it was late', async () => {
    const [late, fresh] = t.patients;
    const measured = new Date(Date.now() - 30 * HOUR);
    const sentAt = Date.now();
    await t.devices[0]!.publish(spo2(measured));
    await t.devices[1]!.publish(spo2(new Date(Date.now() - 60_000)));
    await Promise.all(t.devices.map((d) => d.waitForReceipts(1)));
    await t.env.hub.rules.idle();

    const [lateRow] = await stored(late!.patientId);
    expect(lateRow).toMatchObject({ severity: 'low', escalate_at: null, escalation_level: 0 });
    const [freshRow] = await stored(fresh!.patientId);
    expect(freshRow).toMatchObject({ severity: 'critical', escalation_level: 0 });
    expect(freshRow!.escalate_at).not.toBeNull();

    // a day on, the fresh alert has escalated and the late one has not
    await t.env.hub.alerts.escalateDue(new Date(Date.now() + 24 * HOUR));
    expect((await stored(late!.patientId))[0]).toMatchObject({
      escalation_level: 0,
      escalate_at: null,
    });
    expect((await stored(fresh!.patientId))[0]!.escalation_level).toBe(1);

    // the patient's nurse reads it through the API
    const nurse = (await runCommand({ db: t.env.hub.db }, 'staff add', {
      unit: late!.unitId,
      username: 'sjukskoterska.sen',
      role: 'nurse',
    })) as { password: string };
    const cookie = await signIn(t.env.hub.urls.http, 'sjukskoterska.sen', nurse.password);
    const res = await fetch(`${t.env.hub.urls.http}/api/v1/alerts`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const alerts = (await res.json()) as Alert[];
    expect(alerts.map((a) => a.patientId)).toEqual([late!.patientId]);
    const [a] = alerts;
    expect(a).toMatchObject({
      rule: 'spo2.very_low',
      severity: 'low',
      escalateAt: null,
      measuredAt: measured.toISOString(),
      late: true,
      ageHours: 30,
    });
    const received = Date.parse(a!.receivedAt!);
    expect(received).toBeGreaterThanOrEqual(sentAt - 1000);
    expect(received).toBeLessThanOrEqual(Date.now());
    // the reason says the clinical content; that it is late, and how late, the card says once
    expect(a!.reason).toEqual({
      sv: 'Syremättnad 84 %: mycket låg (under 88 %)',
      en: 'SpO2 84 %: very low (under 88 %)',
    });
    expect(a!.reasonCode).toBe('spo2.very_low');

    const one = await fetch(`${t.env.hub.urls.http}/api/v1/alerts/${a!.id}`, {
      headers: { cookie },
    });
    expect(await one.json()).toMatchObject({
      measuredAt: measured.toISOString(),
      late: true,
      ageHours: 30,
    });
  });
});
