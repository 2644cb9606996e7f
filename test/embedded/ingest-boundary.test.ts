// A failure while decoding one message stays with that message: the decoder is made to throw
// for one payload (no known input makes it throw since issue 16; this proves the boundary that
// catches whatever is found next), and the hub answers, records and acknowledges it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectDevice, weight, type TestDevice } from '../support/device.js';
import {
  registerPatientWithDevice,
  startTestHub,
  type Registered,
  type TestEnv,
} from '../support/hub.js';

const POISON = 'a payload the decoder cannot take';

vi.mock('../../server/ingest/decode.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../server/ingest/decode.js')>();
  return {
    ...real,
    decodeMessage: (...args: Parameters<typeof real.decodeMessage>) => {
      if (args[0].payload.toString() === POISON) throw new RangeError('a bug found by a device');
      return real.decodeMessage(...args);
    },
  };
});

describe('the ingest boundary', () => {
  let env: TestEnv;
  let reg: Registered;
  let device: TestDevice;
  beforeAll(async () => {
    env = await startTestHub('embedded');
    reg = await registerPatientWithDevice(env.hub);
    device = await connectDevice(env.mqttUrl, reg.deviceId, reg.secret);
  });
  afterAll(async () => {
    await device?.close();
    await env?.close();
  });

  it('answers a message the hub fails on with hub_error, records it, and takes the next', async () => {
    await device.publish(POISON);
    const [receipt] = await device.waitForReceipts(1);
    expect(receipt).toEqual({
      messageId: null,
      status: 'rejected',
      reason: 'hub_error',
      errors: [
        {
          path: '(payload)',
          message: 'the hub could not process this message; it has been logged for support',
        },
      ],
    });
    const { rows } = await env.hub.db.query<{ reason: string; payload_size: number }>(
      'SELECT reason, payload_size FROM rejected_messages WHERE device_id = $1',
      [reg.deviceId],
    );
    expect(rows).toEqual([{ reason: 'hub_error', payload_size: POISON.length }]);

    device.receipts.length = 0;
    const next = weight(81);
    await device.publish(next);
    expect(await device.waitForReceipts(1)).toEqual([
      { messageId: next.messageId, status: 'accepted' },
    ]);
    expect((await fetch(`${env.hub.urls.http}/readyz`)).status).toBe(200);
  });
});
