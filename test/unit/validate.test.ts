import { describe, expect, it } from 'vitest';
import { validateReading } from '../../server/ingest/validate.js';

const receivedAt = new Date('2026-11-23T08:00:00Z');
const judge = (raw: unknown) => validateReading(raw, { deviceId: 'dev_1', receivedAt });
const base = { messageId: 'm-1', measuredAt: '2026-11-23T07:02:11+01:00' };

describe('a reading that follows the contract', () => {
  it.each([
    [
      { type: 'body_weight', value: 82.4, unit: 'kg' },
      { value: 82.4, unit: 'kg' },
    ],
    [
      { type: 'body_weight', value: 200, unit: '[lb_av]' },
      { value: 90.718, unit: 'kg' },
    ],
    [
      { type: 'heart_rate', value: 71, unit: '/min' },
      { value: 71, unit: '/min' },
    ],
    [
      { type: 'spo2', value: 94, unit: '%' },
      { value: 94, unit: '%' },
    ],
    [
      { type: 'body_temperature', value: 98.6, unit: '[degF]' },
      { value: 37, unit: 'Cel' },
    ],
    [
      { type: 'respiratory_rate', value: 18, unit: '/min' },
      { value: 18, unit: '/min' },
    ],
    [
      { type: 'blood_glucose', value: 90.08, unit: 'mg/dL' },
      { value: 5, unit: 'mmol/L' },
    ],
    [
      { type: 'consciousness', value: 'V' },
      { code: 'V', unit: null },
    ],
  ])('%j is stored as %j in canonical units', (reading, expected) => {
    const v = judge({ ...base, ...reading });
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.reading).toMatchObject(expected);
  });

  it('converts blood pressure in kPa to mm[Hg] and keeps what the cuff sent', () => {
    const v = judge({
      ...base,
      type: 'blood_pressure',
      systolic: 16,
      diastolic: 10.7,
      unit: 'kPa',
    });
    expect(v.ok && v.reading).toMatchObject({ systolic: 120, diastolic: 80.3, unit: 'mm[Hg]' });
    expect(v.ok && v.reading.details).toMatchObject({
      sourceUnit: 'kPa',
      sourceValues: { systolic: 16, diastolic: 10.7 },
    });
  });

  it('keeps the position, the note and whether the patient breathes added oxygen', () => {
    const v = judge({
      ...base,
      type: 'spo2',
      value: 91,
      unit: '%',
      supplementalOxygen: true,
      context: { position: 'sitting', note: 'after a walk' },
    });
    expect(v.ok && v.reading.details).toMatchObject({
      supplementalOxygen: true,
      context: { position: 'sitting', note: 'after a walk' },
    });
  });

  it('accepts a reading stamped up to five minutes ahead of the hub clock', () => {
    expect(
      judge({
        ...base,
        type: 'heart_rate',
        value: 60,
        unit: '/min',
        measuredAt: '2026-11-23T08:05:00Z',
      }).ok,
    ).toBe(true);
  });

  it('accepts late data from a gateway that was offline for days', () => {
    expect(
      judge({
        ...base,
        type: 'heart_rate',
        value: 60,
        unit: '/min',
        measuredAt: '2026-11-19T06:00:00+01:00',
      }).ok,
    ).toBe(true);
  });

  it('accepts values exactly at the edges of the plausible range', () => {
    expect(judge({ ...base, type: 'body_weight', value: 2, unit: 'kg' }).ok).toBe(true);
    expect(judge({ ...base, type: 'body_weight', value: 400, unit: 'kg' }).ok).toBe(true);
    expect(judge({ ...base, type: 'spo2', value: 100, unit: '%' }).ok).toBe(true);
  });
});

describe('a reading that breaks the contract is refused with the field at fault', () => {
  const cases: [string, object, string, string][] = [
    [
      'no messageId',
      { type: 'heart_rate', value: 60, unit: '/min', messageId: undefined },
      'invalid_shape',
      'messageId',
    ],
    [
      'a messageId over 128 characters',
      { type: 'heart_rate', value: 60, unit: '/min', messageId: 'x'.repeat(129) },
      'invalid_shape',
      'messageId',
    ],
    ['an unknown type', { type: 'mood', value: 3 }, 'unknown_type', 'type'],
    [
      'a unit the type does not take',
      { type: 'body_weight', value: 82, unit: 'g' },
      'bad_unit',
      'unit',
    ],
    ['a missing unit', { type: 'body_weight', value: 82 }, 'bad_unit', 'unit'],
    [
      'a value that is a string',
      { type: 'heart_rate', value: '60', unit: '/min' },
      'invalid_shape',
      'value',
    ],
    [
      'a weight over 400 kg',
      { type: 'body_weight', value: 400.5, unit: 'kg' },
      'implausible_value',
      'value',
    ],
    ['SpO2 over 100 %', { type: 'spo2', value: 101, unit: '%' }, 'implausible_value', 'value'],
    [
      'a temperature of 50 Cel',
      { type: 'body_temperature', value: 50, unit: 'Cel' },
      'implausible_value',
      'value',
    ],
    [
      'a systolic pressure of 350',
      { type: 'blood_pressure', systolic: 350, diastolic: 80, unit: 'mm[Hg]' },
      'implausible_value',
      'systolic',
    ],
    [
      'diastolic above systolic',
      { type: 'blood_pressure', systolic: 80, diastolic: 120, unit: 'mm[Hg]' },
      'implausible_value',
      'diastolic',
    ],
    [
      'a cuff pulse of 5',
      { type: 'blood_pressure', systolic: 120, diastolic: 80, pulse: 5, unit: 'mm[Hg]' },
      'implausible_value',
      'pulse',
    ],
    [
      'a consciousness letter outside ACVPU',
      { type: 'consciousness', value: 'X' },
      'invalid_shape',
      'value',
    ],
    [
      'a note over 500 characters',
      { type: 'heart_rate', value: 60, unit: '/min', context: { note: 'x'.repeat(501) } },
      'invalid_shape',
      'context.note',
    ],
    [
      'a timestamp without an offset',
      { type: 'heart_rate', value: 60, unit: '/min', measuredAt: '2026-11-23T07:02:11' },
      'invalid_shape',
      'measuredAt',
    ],
    [
      'a timestamp six minutes ahead',
      { type: 'heart_rate', value: 60, unit: '/min', measuredAt: '2026-11-23T08:06:00Z' },
      'future_timestamp',
      'measuredAt',
    ],
  ];
  it.each(cases)('%s', (_name, reading, reason, path) => {
    const v = judge({ ...base, ...reading });
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.reason).toBe(reason);
      expect(v.errors[0]!.path).toBe(path);
      expect(v.errors[0]!.message).not.toBe('');
    }
  });

  it('names the plausible range and the canonical unit in the message', () => {
    const v = judge({ ...base, type: 'body_weight', value: 1000, unit: '[lb_av]' });
    expect(!v.ok && v.errors[0]!.message).toBe(
      '453.592 kg is outside the plausible range 2-400 kg for body_weight',
    );
  });

  it('keeps the messageId of a refused reading so the device can match the receipt', () => {
    const v = judge({ ...base, type: 'body_weight', value: 1, unit: 'kg' });
    expect(!v.ok && v.messageId).toBe('m-1');
  });
});

describe('what a device sends never reaches the hub as code or as a crash', () => {
  // each of these names a property every plain object inherits: looked up with brackets, a
  // unit named so found Object.prototype's function (valueOf threw and ended the hub; toString
  // stored NaN; constructor passed as the canonical unit)
  const inherited = [
    'valueOf',
    'toString',
    'constructor',
    '__proto__',
    'hasOwnProperty',
    'isPrototypeOf',
    'toLocaleString',
    '__defineGetter__',
  ];

  it.each(inherited)('refuses the unit %j for a pulse with bad_unit', (unit) => {
    const v = judge({ ...base, type: 'heart_rate', value: 70, unit });
    expect(v).toMatchObject({ ok: false, reason: 'bad_unit', messageId: 'm-1' });
  });

  it.each(inherited)('refuses the unit %j for a blood pressure with bad_unit', (unit) => {
    const v = judge({ ...base, type: 'blood_pressure', systolic: 120, diastolic: 80, unit });
    expect(v).toMatchObject({ ok: false, reason: 'bad_unit' });
  });

  it('quotes at most 64 characters of a long unit or type in its error', () => {
    const long = 'x'.repeat(250_000);
    for (const raw of [
      { ...base, type: 'heart_rate', value: 70, unit: long },
      { ...base, type: long, value: 70, unit: '/min' },
    ]) {
      const v = judge(raw);
      expect(v.ok).toBe(false);
      if (v.ok) continue;
      expect(JSON.stringify(v.errors).length).toBeLessThan(400);
      expect(JSON.stringify(v.errors)).toContain('x'.repeat(64) + '…');
    }
  });

  it('describes a type that is not a string by its kind, never by walking it', () => {
    let deep: unknown = 'heart_rate';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const v = judge({ ...base, type: deep, value: 70, unit: '/min' });
    expect(v).toMatchObject({ ok: false, reason: 'unknown_type' });
    if (!v.ok) expect(v.errors[0]!.message).toMatch(/^unknown type an array;/);
  });

  it("reads messageId and type only as the object's own properties", () => {
    const inheritedId = Object.create({ messageId: 'from-the-prototype' }) as object;
    expect(judge(inheritedId)).toMatchObject({ ok: false, messageId: null });
  });

  it('refuses text that PostgreSQL cannot store: half a surrogate pair, as NUL', () => {
    for (const [messageId, named] of [
      ['m-\uD800', 'm-\uFFFD'],
      ['m-\uDC00-x', 'm-\uFFFD-x'],
      ['m-\u0000', 'm-\uFFFD'],
    ]) {
      const v = judge({ ...base, messageId, type: 'heart_rate', value: 70, unit: '/min' });
      // the receipt and the record name it as PostgreSQL can store it
      expect(v).toMatchObject({ ok: false, reason: 'invalid_shape', messageId: named });
    }
    const note = judge({
      ...base,
      type: 'heart_rate',
      value: 70,
      unit: '/min',
      context: { note: 'ok \uD83D' },
    });
    expect(note).toMatchObject({ ok: false, errors: [{ path: 'context.note' }] });
    // a whole pair is a character like any other
    expect(
      judge({ ...base, type: 'heart_rate', value: 70, unit: '/min', context: { note: '🙂' } }),
    ).toMatchObject({ ok: true });
  });
});

describe('how old a reading may be', () => {
  const pulse = (measuredAt: string, maxAgeDays?: number) =>
    validateReading(
      { messageId: 'm-1', measuredAt, type: 'heart_rate', value: 70, unit: '/min' },
      { deviceId: 'dev_1', receivedAt, ...(maxAgeDays ? { maxAgeDays } : {}) },
    );

  it.each([
    '0001-01-01T00:00:00Z',
    '1000-06-01T12:00:00Z',
    '1900-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '1999-12-31T23:59:59Z',
  ])('refuses %s with old_timestamp, naming the bound', (measuredAt) => {
    const v = pulse(measuredAt);
    expect(v).toMatchObject({
      ok: false,
      reason: 'old_timestamp',
      errors: [{ path: 'measuredAt' }],
    });
  });

  it('takes five years of backlog by default, and no more', () => {
    expect(pulse('2021-11-25T00:00:00Z')).toMatchObject({ ok: true });
    expect(pulse('2021-11-22T00:00:00Z')).toMatchObject({ ok: false, reason: 'old_timestamp' });
  });

  it('takes the horizon it is given', () => {
    expect(pulse('2026-11-20T00:00:00Z', 7)).toMatchObject({ ok: true });
    const v = pulse('2026-11-01T00:00:00Z', 7);
    expect(v).toMatchObject({ ok: false, reason: 'old_timestamp' });
    if (!v.ok) expect(v.errors[0]!.message).toContain('at most 7 days old');
  });
});
