// The admin CLI for care teams: staff, on-call cover, patient settings, alerts and scores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../../server/auth/secrets.js';
import { addStaff, currentFrailty } from '../../server/registry/index.js';
import { hubCli, hubJson } from '../support/cli.js';
import { connectDevice, weight, type TestDevice } from '../support/device.js';
import {
  registerPatientWithDevice,
  startTestHub,
  type Registered,
  type TestEnv,
} from '../support/hub.js';

describe('the admin CLI for care teams', () => {
  let env: TestEnv;
  let reg: Registered;
  let device: TestDevice;
  let cliEnv: Record<string, string>;
  beforeAll(async () => {
    env = await startTestHub('embedded');
    reg = await registerPatientWithDevice(env.hub);
    device = await connectDevice(env.mqttUrl, reg.deviceId, reg.secret);
    cliEnv = { DATA_DIR: 'memory', ADMIN_SOCKET: env.hub.urls.adminSocket };
  });
  afterAll(async () => {
    await device?.close();
    await env?.close();
  });

  it('adds a nurse with a generated password shown once and stored as a slow hash', async () => {
    const nurse = await hubJson(
      cliEnv,
      'staff',
      'add',
      '--unit',
      reg.unitId,
      '--username',
      'anna.n',
      '--role',
      'nurse',
    );
    expect(nurse.id).toMatch(/^staff_/);
    const { rows } = await env.hub.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM staff WHERE id = $1',
      [nurse.id],
    );
    expect(await verifySecret(nurse.password!, rows[0]!.password_hash)).toBe(true);
    const again = await hubCli(
      cliEnv,
      'staff',
      'add',
      '--unit',
      reg.unitId,
      '--username',
      'anna.n',
      '--role',
      'nurse',
      '--json',
    );
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toMatch(/username anna.n is taken/);
  });

  it('sets the on-call unit that covers nights and weekends', async () => {
    const onCall = await hubJson(cliEnv, 'unit', 'add', '--org', reg.orgId, '--name', 'Jour');
    expect(await hubJson(cliEnv, 'unit', 'set', reg.unitId, '--on-call', onCall.id!)).toEqual({
      id: reg.unitId,
      onCall: onCall.id,
    });
  });

  it("sets a patient's fixed contact, frailty and SpO2 scale, keeping the plan's history", async () => {
    const nurse = await hubJson(
      cliEnv,
      'staff',
      'add',
      '--unit',
      reg.unitId,
      '--username',
      'bo.k',
      '--role',
      'nurse',
    );
    const set = await hubJson(
      cliEnv,
      'patient',
      'set',
      reg.patientId,
      '--contact',
      nurse.id!,
      '--frailty',
      '6',
      '--spo2-scale',
      '2',
    );
    expect(set).toEqual({ id: reg.patientId, fixedContact: nurse.id, frailty: 6, spo2Scale: 2 });
    const { rows } = await env.hub.db.query(
      'SELECT plan FROM patient_plan_changes WHERE patient_id = $1',
      [reg.patientId],
    );
    expect(rows).toEqual([{ plan: { spo2Scale: 2 } }]);
    const bad = await hubCli(cliEnv, 'patient', 'set', reg.patientId, '--spo2-scale', '3');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--spo2Scale/);
    // the frailty is an assessment dated today, as one entered in the dashboard; nobody named
    const today = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Stockholm',
      dateStyle: 'short',
    }).format(new Date());
    expect(await currentFrailty(env.hub.db, reg.patientId)).toEqual({
      level: 6,
      assessedAt: today,
      assessedBy: null,
      recordedAt: expect.any(String),
    });
  });

  it('dates a frailty assessment and names who made it', async () => {
    const nurse = await addStaff(env.hub.db, {
      unitId: reg.unitId,
      username: 'cfs.nurse',
      role: 'nurse',
    });
    await hubJson(
      cliEnv,
      'patient',
      'set',
      reg.patientId,
      ...['--frailty', '5', '--assessed-at', '2025-02-03', '--by', nurse.id],
    );
    const { rows } = await env.hub.db.query(
      `SELECT level, assessed_on::text AS day, assessed_by FROM frailty_assessments
       WHERE patient_id = $1 ORDER BY id`,
      [reg.patientId],
    );
    expect(rows).toEqual([
      { level: 6, day: expect.any(String), assessed_by: null },
      { level: 5, day: '2025-02-03', assessed_by: nurse.id },
    ]);
    // today's level stays the current one
    expect((await currentFrailty(env.hub.db, reg.patientId))?.level).toBe(6);
    const alone = await hubCli(
      cliEnv,
      'patient',
      'set',
      reg.patientId,
      '--assessed-at',
      '2025-02-03',
    );
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/--frailty/);
  });

  it("lists a patient's alerts with rule, severity, status and reason", async () => {
    device.receipts.length = 0;
    await device.publish({ ...weight(0), type: 'heart_rate', value: 150, unit: '/min' });
    await device.waitForReceipts(1);
    await env.hub.rules.idle();
    const alerts = await hubJson<
      { rule: string; severity: string; status: string; reason: { en: string } }[]
    >(cliEnv, 'alerts', '--patient', reg.patientId);
    expect(alerts).toMatchObject([
      {
        rule: 'pulse.very_high',
        severity: 'critical',
        status: 'open',
        reason: { en: 'Pulse 150 beats/min: very high (over 130)' },
      },
    ]);
  });

  it('gives the latest NEWS2, or null before a full set of vital signs', async () => {
    expect(await hubJson(cliEnv, 'scores', '--patient', reg.patientId)).toBeNull();
    device.receipts.length = 0;
    const at = (min: number) => new Date(Date.now() - (30 - min) * 60_000).toISOString();
    const base = (type: string, min: number, extra: object) => ({
      ...weight(0),
      type,
      measuredAt: at(min),
      ...extra,
    });
    await device.publish({
      readings: [
        base('respiratory_rate', 0, { value: 18, unit: '/min' }),
        base('spo2', 1, { value: 90, unit: '%' }),
        base('blood_pressure', 2, {
          systolic: 120,
          diastolic: 80,
          unit: 'mm[Hg]',
          value: undefined,
        }),
        base('heart_rate', 3, { value: 80, unit: '/min' }),
        base('consciousness', 4, { value: 'A', unit: undefined }),
        base('body_temperature', 5, { value: 37, unit: 'Cel' }),
      ],
    });
    await device.waitForReceipts(6);
    // scale 2 (set above): SpO2 90 on air scores 0; the newest pulse in the hour is the 150 of
    // the test before (3), and a single 3 makes the band low-medium
    expect(await hubJson(cliEnv, 'scores', '--patient', reg.patientId)).toEqual({
      total: 3,
      band: 'low-medium',
      parts: {
        respiratoryRate: 0,
        spo2: 0,
        air: 0,
        systolic: 0,
        pulse: 3,
        consciousness: 0,
        temperature: 0,
      },
      measuredAt: expect.any(String),
    });
  });
});
