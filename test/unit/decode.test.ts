import { describe, expect, it } from 'vitest';
import { decodeMessage, nestsDeeper } from '../../server/ingest/decode.js';

const receivedAt = new Date('2026-11-23T08:00:00Z');
const opts = { maxPayloadBytes: 4096, timeZone: 'Europe/Stockholm' };
const json = (body: unknown) =>
  decodeMessage(
    { deviceId: 'dev_1', kind: 'readings', payload: Buffer.from(JSON.stringify(body)), receivedAt },
    opts,
  );
const reading = (i: number) => ({
  messageId: `m-${i}`,
  measuredAt: '2026-11-23T07:00:00Z',
  type: 'heart_rate',
  value: 60 + i,
  unit: '/min',
});

describe('one MQTT message becomes readings and rejections', () => {
  it('takes a single reading', () => {
    const d = json(reading(1));
    expect(d.readings.map((r) => r.messageId)).toEqual(['m-1']);
    expect(d.rejections).toEqual([]);
  });

  it('takes a batch, judging each reading on its own', () => {
    const d = json({ readings: [reading(1), { ...reading(2), value: 1 }, reading(3)] });
    expect(d.readings.map((r) => r.messageId)).toEqual(['m-1', 'm-3']);
    expect(d.rejections).toMatchObject([
      { messageId: 'm-2', index: 1, reason: 'implausible_value' },
    ]);
  });

  it('takes an empty batch as nothing to do', () => {
    expect(json({ readings: [] })).toEqual({ readings: [], rejections: [] });
  });

  it('refuses a batch whose readings are not a list', () => {
    expect(json({ readings: 'many' }).rejections).toMatchObject([
      { reason: 'invalid_shape', errors: [{ path: 'readings' }] },
    ]);
  });

  it('refuses a payload over the size limit without parsing it', () => {
    const d = decodeMessage(
      { deviceId: 'dev_1', kind: 'readings', payload: Buffer.alloc(5000, 0x20), receivedAt },
      opts,
    );
    expect(d.rejections).toMatchObject([{ reason: 'payload_too_large', messageId: null }]);
  });

  it('refuses bytes that are not JSON and keeps them for support', () => {
    const payload = Buffer.from([0xff, 0x00, 0x12]);
    const d = decodeMessage({ deviceId: 'dev_1', kind: 'readings', payload, receivedAt }, opts);
    expect(d.rejections).toMatchObject([{ reason: 'not_json', raw: payload }]);
  });

  it('gives a time-stamped GATT value an id made of characteristic and time', () => {
    // 70.00 kg measured 2023-12-25 14:30:45 local time
    const bytes = Buffer.from([0x02, 0xb0, 0x36, 0xe7, 0x07, 0x0c, 0x19, 0x0e, 0x1e, 0x2d]);
    const d = decodeMessage(
      { deviceId: 'dev_1', kind: 'gatt', uuid: '2a9d', payload: bytes, receivedAt },
      opts,
    );
    expect(d.readings).toMatchObject([
      { messageId: 'gatt-2a9d-2023-12-25T14:30:45+01:00', value: 70, unit: 'kg' },
    ]);
    expect(d.readings[0]!.measuredAt.toISOString()).toBe('2023-12-25T13:30:45.000Z');
  });

  it('takes a GATT value without a time stamp as measured on receipt, never a duplicate', () => {
    const bytes = Buffer.from([0x00, 0x60, 0x40]); // 82.4 kg
    const one = decodeMessage(
      { deviceId: 'dev_1', kind: 'gatt', uuid: '2a9d', payload: bytes, receivedAt },
      opts,
    );
    const two = decodeMessage(
      { deviceId: 'dev_1', kind: 'gatt', uuid: '2a9d', payload: bytes, receivedAt },
      opts,
    );
    expect(one.readings[0]!.measuredAt).toEqual(receivedAt);
    expect(one.readings[0]!.details.timeFromReceipt).toBe(true);
    expect(one.readings[0]!.messageId).not.toBe(two.readings[0]!.messageId);
  });

  it('stores the status flags a cuff sets about its own measurement', () => {
    const bytes = Buffer.from('1E8A005800780000000411142 93B3C00012700'.replace(/ /g, ''), 'hex');
    const d = decodeMessage(
      { deviceId: 'dev_1', kind: 'gatt', uuid: '2a35', payload: bytes, receivedAt },
      opts,
    );
    expect(d.readings[0]).toMatchObject({ systolic: 138, diastolic: 88, pulse: 60 });
    expect(d.readings[0]!.details.deviceStatus).toEqual(
      expect.arrayContaining([
        'body_movement',
        'cuff_too_loose',
        'irregular_pulse',
        'improper_position',
      ]),
    );
  });

  it('refuses a GATT value with a NaN measurement, naming the field', () => {
    const d = decodeMessage(
      {
        deviceId: 'dev_1',
        kind: 'gatt',
        uuid: '2a1c',
        payload: Buffer.from([0x01, 0xff, 0xff, 0x7f, 0x00]),
        receivedAt,
      },
      opts,
    );
    expect(d.rejections).toMatchObject([{ reason: 'gatt_invalid', errors: [{ path: 'value' }] }]);
  });

  it('refuses an unknown GATT characteristic', () => {
    const d = decodeMessage(
      { deviceId: 'dev_1', kind: 'gatt', uuid: '2a00', payload: Buffer.from([0]), receivedAt },
      opts,
    );
    expect(d.rejections).toMatchObject([{ reason: 'gatt_invalid', errors: [{ path: 'uuid' }] }]);
  });
});

describe('a message nested too deep is refused before it is read', () => {
  const raw = (text: string) =>
    decodeMessage(
      { deviceId: 'dev_1', kind: 'readings', payload: Buffer.from(text), receivedAt },
      { ...opts, maxPayloadBytes: 1 << 20 },
    );
  const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

  it('counts brackets, not the ones inside strings', () => {
    expect(nestsDeeper(Buffer.from(nested(16)), 16)).toBe(false);
    expect(nestsDeeper(Buffer.from(nested(17)), 16)).toBe(true);
    expect(nestsDeeper(Buffer.from(JSON.stringify({ note: '[[[[[[[[[[[[[[[[[[[[' })), 2)).toBe(
      false,
    );
    expect(nestsDeeper(Buffer.from(JSON.stringify({ note: '\\"[[[[[[' })), 2)).toBe(false);
    expect(nestsDeeper(Buffer.from('{"a":{"b":{"c":1}}}'), 2)).toBe(true);
  });

  it.each([
    ['the whole payload', nested(4_100)],
    [
      'the type',
      `{"messageId":"m","measuredAt":"2026-11-23T07:00:00Z","type":${nested(4_100, '"spo2"')},"value":1,"unit":"%"}`,
    ],
    ['a batch item', `{"readings":[${JSON.stringify(reading(1))},${nested(4_100)}]}`],
  ])('as %s: one rejection, no reading', (_, text) => {
    const d = raw(text);
    expect(d.readings).toEqual([]);
    expect(d.rejections).toMatchObject([
      { reason: 'invalid_shape', messageId: null, errors: [{ path: '(payload)' }] },
    ]);
  });

  it('takes a batch of readings with a context (four levels)', () => {
    const d = raw(
      JSON.stringify({ readings: [{ ...reading(1), context: { position: 'sitting' } }] }),
    );
    expect(d.readings).toHaveLength(1);
  });
});

describe('a batch is an own property', () => {
  it('does not find `readings` on an object that only inherits one', () => {
    // JSON.parse makes "__proto__" an own key; a batch is still told by `readings` alone
    const d = json(JSON.parse('{"__proto__":{"readings":[]},"messageId":"m-9"}'));
    expect(d.rejections).toMatchObject([{ reason: 'unknown_type', messageId: 'm-9' }]);
  });
});
