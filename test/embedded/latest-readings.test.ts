// The patient list's latest values come from latest_readings, which the ingest keeps in the
// statement that stores a batch: a newer measurement replaces the latest, an older one that
// arrives late (a device catching up after a day offline) does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaries } from '../../server/patients/summaries.js';
import { connectDevice, type TestDevice } from '../support/device.js';
import {
  registerPatientWithDevice,
  startTestHub,
  type Registered,
  type TestEnv,
} from '../support/hub.js';

const MIN = 60_000;

describe('latest readings kept by the ingest', () => {
  let env: TestEnv;
  let reg: Registered;
  let device: TestDevice;

  beforeAll(async () => {
    env = await startTestHub('embedded', { RULES: 'off' });
    reg = await registerPatientWithDevice(env.hub);
    device = await connectDevice(env.mqttUrl, reg.deviceId, reg.secret);
  });
  afterAll(async () => {
    await device?.close();
    await env?.close();
  });

  const send = async (messageId: string, minutesAgo: number, value: number) => {
    const before = device.receipts.length;
    await device.publish({
      messageId,
      measuredAt: new Date(Date.now() - minutesAgo * MIN).toISOString(),
      type: 'body_weight',
      value,
      unit: 'kg',
    });
    await device.waitForReceipts(before + 1);
  };
  const latestWeight = async () =>
    (await summaries(env.hub.db, [reg.patientId]))[0]!.latest.body_weight?.value;

  it('shows the newest measurement, not the last to arrive', async () => {
    await send('w-1', 60, 80.1);
    expect(await latestWeight()).toBe(80.1);
    await send('w-2', 10, 80.6);
    expect(await latestWeight()).toBe(80.6);
    await send('w-late', 24 * 60, 79.0); // measured yesterday, arrives now
    expect(await latestWeight()).toBe(80.6);
  });

  it('keeps one row per patient and type when a batch holds several of one type', async () => {
    const before = device.receipts.length;
    await device.publish({
      readings: [
        {
          messageId: 'b-1',
          measuredAt: new Date(Date.now() - 5 * MIN).toISOString(),
          type: 'body_weight',
          value: 81.0,
          unit: 'kg',
        },
        {
          messageId: 'b-2',
          measuredAt: new Date(Date.now() - 2 * MIN).toISOString(),
          type: 'body_weight',
          value: 81.2,
          unit: 'kg',
        },
      ],
    });
    await device.waitForReceipts(before + 2); // a receipt per reading
    expect(await latestWeight()).toBe(81.2);
    const { rows } = await env.hub.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM latest_readings WHERE patient_id = $1',
      [reg.patientId],
    );
    expect(rows[0]!.n).toBe(1);
  });
});
