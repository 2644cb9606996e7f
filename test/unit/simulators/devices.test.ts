// Virtual devices speak the device contract: what they send, the hub's own decoder (decode ->
// validate, as ingest runs it) reads back as the measurement, for every GATT characteristic and
// in every unit a device may be set to; faults give the receipts the contract promises.
import { describe, expect, it } from 'vitest';
import { decodeMessage, type Decoded } from '../../../server/ingest/decode.js';
import { applyFault, expectedStatus } from '../../../simulators/devices/faults.js';
import { createVirtualDevice, deviceKindFor } from '../../../simulators/devices/kinds.js';
import { toGattMessage, type Outbound } from '../../../simulators/devices/messages.js';
import type { SimMeasurement } from '../../../simulators/patients/types.js';

const TZ = 'Europe/Stockholm';
// a minute ago, to the second (GATT time stamps have whole seconds)
const at = new Date(Math.floor((Date.now() - 60_000) / 1000) * 1000);

/** What the hub makes of a message, exactly as ingest decodes it. */
function hubReads(msg: Outbound, receivedAt = new Date()): Decoded {
  return decodeMessage(
    msg.kind === 'gatt'
      ? {
          deviceId: 'dev-test',
          kind: 'gatt',
          uuid: msg.uuid,
          payload: Buffer.from(msg.bytes),
          receivedAt,
        }
      : {
          deviceId: 'dev-test',
          kind: 'readings',
          payload: Buffer.from(JSON.stringify(msg.reading)),
          receivedAt,
        },
    { maxPayloadBytes: 262_144, timeZone: TZ },
  );
}

const samples: { name: string; m: SimMeasurement; expect: Record<string, unknown> }[] = [
  {
    name: 'a scale (0x2A9D)',
    m: { type: 'body_weight', measuredAt: at, value: 82.43 },
    expect: { value: 82.4, unit: 'kg' },
  },
  {
    name: 'a blood-pressure cuff (0x2A35) that noticed an irregular pulse',
    m: {
      type: 'blood_pressure',
      measuredAt: at,
      systolic: 151.4,
      diastolic: 92.2,
      pulse: 88.6,
      deviceStatus: ['irregular_pulse'],
    },
    expect: { systolic: 151, diastolic: 92, pulse: 89, unit: 'mm[Hg]' },
  },
  {
    name: 'a pulse oximeter spot check (0x2A5E) with low perfusion',
    m: { type: 'spo2', measuredAt: at, value: 91.4, pulse: 97, deviceStatus: ['low_perfusion'] },
    expect: { value: 91, unit: '%' },
  },
  {
    name: 'a thermometer (0x2A1C)',
    m: { type: 'body_temperature', measuredAt: at, value: 38.26 },
    expect: { value: 38.3, unit: 'Cel' },
  },
];

describe('virtual devices as the hub reads them', () => {
  for (const s of samples) {
    it(`${s.name}: GATT bytes decode to the measurement, time and flags`, () => {
      const device = createVirtualDevice({
        kind: deviceKindFor(s.m.type),
        transport: 'gatt',
        idPrefix: 'dev-test',
        timeZone: TZ,
      });
      const msg = device.encode(s.m, 1);
      expect(msg.kind).toBe('gatt');
      const { readings, rejections } = hubReads(msg);
      expect(rejections).toEqual([]);
      expect(readings).toHaveLength(1);
      const r = readings[0]!;
      expect(r).toMatchObject({ type: s.m.type, ...s.expect });
      expect(r.measuredAt.getTime()).toBe(at.getTime());
      // the receipt will carry the id the gateway waits for
      expect(r.messageId).toBe(msg.messageId);
      expect(r.details.deviceStatus ?? []).toEqual(s.m.deviceStatus ?? []);
    });

    it(`${s.name}: the JSON reading is accepted with the same values`, () => {
      const device = createVirtualDevice({
        kind: deviceKindFor(s.m.type),
        transport: 'json',
        idPrefix: 'dev-test',
      });
      const msg = device.encode(s.m, 7);
      expect(msg).toMatchObject({ kind: 'json', messageId: expect.stringMatching(/000007$/) });
      const { readings, rejections } = hubReads(msg);
      expect(rejections).toEqual([]);
      expect(readings[0]).toMatchObject({ type: s.m.type, ...s.expect });
    });
  }

  it.each([
    ['pounds', { weight: '[lb_av]' as const }, { type: 'body_weight', value: 82.4 }, 0.1],
    ['kPa', { pressure: 'kPa' as const }, { type: 'blood_pressure', systolic: 151 }, 0.5],
    [
      'Fahrenheit',
      { temperature: '[degF]' as const },
      { type: 'body_temperature', value: 38.3 },
      0.06,
    ],
  ])(
    'a device set to %s is converted back to canonical units by the hub',
    (_n, units, want, tol) => {
      const m = samples.find((s) => s.m.type === want.type)!.m;
      for (const transport of ['json', 'gatt'] as const) {
        const device = createVirtualDevice({
          kind: deviceKindFor(m.type),
          transport,
          idPrefix: 'dev-test',
          units,
          timeZone: TZ,
        });
        const { readings, rejections } = hubReads(device.encode(m, 1));
        expect(rejections).toEqual([]);
        const r = readings[0]!;
        const [field, expected] = Object.entries(want).find(([k]) => k !== 'type')! as [
          'value' | 'systolic',
          number,
        ];
        expect(Math.abs(r[field]! - expected), `${transport} ${field}`).toBeLessThanOrEqual(tol);
      }
    },
  );

  it('sends heart rate as JSON even from a GATT home (no characteristic for it here)', () => {
    const device = createVirtualDevice({
      kind: 'pulse-oximeter',
      transport: 'gatt',
      idPrefix: 'dev-test',
    });
    const msg = device.encode({ type: 'heart_rate', measuredAt: at, value: 72.4 }, 3);
    expect(msg.kind).toBe('json');
    expect(hubReads(msg).readings[0]).toMatchObject({ type: 'heart_rate', value: 72 });
    expect(toGattMessage({ type: 'heart_rate', measuredAt: at, value: 72 }, TZ)).toBeNull();
  });
});

describe('faults on demand, as the hub answers them', () => {
  const m: SimMeasurement = { type: 'body_weight', measuredAt: at, value: 82.4 };
  const clean = createVirtualDevice({ kind: 'scale', transport: 'json', idPrefix: 'd' }).encode(
    m,
    1,
  );

  it('a duplicate is the same message twice (the hub stores it once)', () => {
    const out = applyFault(clean, m, { kind: 'duplicate' });
    expect(out).toEqual([clean, clean]);
    expect(expectedStatus({ kind: 'duplicate' })).toBe('accepted');
  });

  it.each([
    ['implausible', {}, 'implausible_value'],
    ['wrong_unit', {}, 'bad_unit'],
    ['clock_offset', { hours: 3 }, 'future_timestamp'],
  ] as const)('%s is refused with a receipt naming why (%s)', (kind, extra, reason) => {
    const fault = { kind, ...extra };
    const [msg] = applyFault(clean, m, fault);
    expect(msg!.messageId).not.toBe(clean.messageId);
    const { readings, rejections } = hubReads(msg!);
    expect(readings).toEqual([]);
    expect(rejections).toMatchObject([{ reason, messageId: msg!.messageId }]);
    expect(expectedStatus(fault)).toBe('rejected');
  });

  it('a clock hours behind is stored at the wrong time: the hub cannot know', () => {
    const [msg] = applyFault(clean, m, { kind: 'clock_offset', hours: -5 });
    const { readings } = hubReads(msg!);
    expect(readings[0]!.measuredAt.getTime()).toBe(at.getTime() - 5 * 3_600_000);
    expect(expectedStatus({ kind: 'clock_offset', hours: -5 })).toBe('accepted');
  });
});
