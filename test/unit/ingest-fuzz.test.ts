// Property-based fuzz of what devices send (issue 16): decodeMessage, validateReading and
// decodeGatt must answer every input with a decision (readings and/or rejections), never throw,
// never accept NaN or a unit outside the contract, and never produce text PostgreSQL refuses.
// No fixed seed: a failure prints its seed and path; FC_SEED=<seed> FC_PATH=<path> replays it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_AGE_DAYS,
  EARLIEST_MEASURED_AT,
  MAX_FUTURE_MS,
  MAX_JSON_DEPTH,
  MAX_READINGS_PER_MESSAGE,
  bloodPressureUnits,
  readingTypes,
  rejectionReasons,
  units,
  type ReadingType,
} from '../../devices/contract.js';
import { GATT_UUIDS, decodeGatt, type GattResult } from '../../devices/gatt/index.js';
import { decodeMessage, nestsDeeper, type Decoded } from '../../server/ingest/decode.js';
import type { InboundMessage } from '../../server/shapes/message.js';
import type { CanonicalReading, Rejection } from '../../server/shapes/reading.js';
import { validateReading, type Validated } from '../../server/ingest/validate.js';

const receivedAt = new Date('2026-11-23T08:00:00Z');
const MAX_PAYLOAD_BYTES = 256 * 1024; // the hub's default (INGEST_MAX_PAYLOAD_BYTES)
const TIME_ZONE = 'Europe/Stockholm';
const deviceId = 'dev_fuzz';
const TIMEOUT = 60_000;

const replay = process.env.FC_SEED
  ? {
      seed: Number(process.env.FC_SEED),
      ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
    }
  : {};
const runs = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, ...replay });

// ---- what every answer must satisfy ----

/** Built-in names a plain object answers for although it never had them as own keys. */
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
] as const;

type QuantityType = keyof typeof units;
const ownKeys = (o: object) => Object.keys(o);
const CANONICAL_UNITS = new Set([...Object.values(units).map((t) => t.canonical), 'mm[Hg]']);
const SOURCE_UNITS = [
  ...new Set([
    ...Object.values(units).flatMap((t) => ownKeys(t.from)),
    ...ownKeys(bloodPressureUnits),
  ]),
];
const unitsOf = (type: ReadingType): string[] =>
  type === 'consciousness'
    ? []
    : type === 'blood_pressure'
      ? ownKeys(bloodPressureUnits)
      : ownKeys(units[type as QuantityType].from);

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

const show = (v: unknown) => {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
};

// PostgreSQL's text refuses U+0000; its json/jsonb parser also refuses the \u0000 escape and an
// unpaired surrogate escape, which is what JSON.stringify writes for a lone surrogate. Readings
// and rejection errors travel to the database as JSON.stringify'd text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function checkStorableText(s: string, where: string) {
  check(!s.includes('\u0000'), `${where} contains U+0000, which PostgreSQL refuses: ${show(s)}`);
}
function checkStorableJson(v: unknown, where: string): void {
  if (typeof v === 'string') {
    checkStorableText(v, where);
    check(
      !LONE_SURROGATE.test(v),
      `${where} has a lone surrogate, which jsonb refuses: ${show(v)}`,
    );
  } else if (Array.isArray(v)) v.forEach((x, i) => checkStorableJson(x, `${where}[${i}]`));
  else if (v && typeof v === 'object' && !(v instanceof Date)) {
    for (const [k, x] of Object.entries(v)) {
      checkStorableJson(k, `${where} key`);
      checkStorableJson(x, `${where}.${k}`);
    }
  }
}

const isFiniteOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

function checkReading(r: CanonicalReading, at: Date) {
  check((readingTypes as readonly string[]).includes(r.type), `accepted type ${show(r.type)}`);
  check(r.deviceId === deviceId, `accepted deviceId ${show(r.deviceId)}`);
  check(
    typeof r.messageId === 'string' && r.messageId.length >= 1 && r.messageId.length <= 128,
    `accepted messageId ${show(r.messageId)}`,
  );
  for (const k of ['value', 'systolic', 'diastolic', 'pulse'] as const) {
    check(
      isFiniteOrNull(r[k]),
      `accepted ${r.type} with ${k} ${show(r[k])} (unit ${show(r.unit)})`,
    );
  }
  if (r.type === 'consciousness') {
    check(
      r.unit === null && ['A', 'C', 'V', 'P', 'U'].includes(r.code ?? ''),
      `accepted ACVPU ${show(r.code)}`,
    );
  } else if (r.type === 'blood_pressure') {
    check(r.unit === 'mm[Hg]', `accepted blood_pressure in ${show(r.unit)}`);
    check(r.systolic !== null && r.diastolic !== null, 'accepted blood_pressure without pressures');
  } else {
    check(
      r.unit === units[r.type].canonical && CANONICAL_UNITS.has(r.unit),
      `accepted ${r.type} in ${show(r.unit)}`,
    );
    check(r.value !== null, `accepted ${r.type} without a value`);
  }
  const sourceUnit = r.details.sourceUnit;
  check(
    sourceUnit === undefined || unitsOf(r.type).includes(sourceUnit),
    `accepted ${r.type} sent in unit ${show(sourceUnit)}, which the contract does not list`,
  );
  check(
    r.measuredAt instanceof Date && !Number.isNaN(r.measuredAt.getTime()),
    `accepted measuredAt ${show(r.measuredAt)}`,
  );
  check(
    r.measuredAt.getTime() - at.getTime() <= MAX_FUTURE_MS,
    `accepted measuredAt ${r.measuredAt.toISOString()} ahead of the hub's clock`,
  );
  // before 2000 or older than the default horizon: a clock error (year 0001 silenced the rules)
  check(
    r.measuredAt.getTime() >= EARLIEST_MEASURED_AT &&
      at.getTime() - r.measuredAt.getTime() <= DEFAULT_MAX_AGE_DAYS * 86_400_000,
    `accepted measuredAt ${r.measuredAt.toISOString()}, older than the hub accepts`,
  );
  checkStorableJson(
    { m: r.messageId, t: r.type, c: r.code, u: r.unit, x: r.details },
    'accepted reading',
  );
}

function checkErrors(errors: unknown, where: string) {
  check(Array.isArray(errors) && errors.length > 0, `${where} without errors`);
  for (const e of errors as unknown[]) {
    const { path, message } = (e ?? {}) as { path?: unknown; message?: unknown };
    check(typeof path === 'string' && typeof message === 'string', `${where} error ${show(e)}`);
  }
  checkStorableJson(errors, `${where} errors`);
}

function checkRejection(j: Rejection) {
  check(
    (rejectionReasons as readonly string[]).includes(j.reason),
    `rejection reason ${show(j.reason)}`,
  );
  check(j.deviceId === deviceId, `rejection deviceId ${show(j.deviceId)}`);
  check(
    j.messageId === null || typeof j.messageId === 'string',
    `rejection messageId ${show(j.messageId)}`,
  );
  if (j.messageId !== null) checkStorableText(j.messageId, 'rejection messageId');
  check(j.raw === undefined || Buffer.isBuffer(j.raw), 'rejection raw is not a Buffer');
  checkErrors(j.errors, `rejection ${j.reason}`);
}

function checkValidated(v: Validated, at: Date) {
  check(v !== null && typeof v === 'object', `validateReading returned ${show(v)}`);
  if (v.ok) checkReading(v.reading, at);
  else {
    check(
      (rejectionReasons as readonly string[]).includes(v.reason),
      `validateReading reason ${show(v.reason)}`,
    );
    check(v.messageId === null || typeof v.messageId === 'string', 'validateReading messageId');
    checkErrors(v.errors, `validateReading ${v.reason}`);
  }
}

/**
 * How many decisions the message must get: one per item of a batch of at most
 * MAX_READINGS_PER_MESSAGE, else exactly one (an empty batch is nothing to do). JSON nested
 * deeper than the contract allows is refused whole, before it is parsed.
 */
function decisionsOwed(msg: InboundMessage, maxPayloadBytes: number): number {
  if (msg.payload.length > maxPayloadBytes || msg.kind === 'gatt') return 1;
  if (nestsDeeper(msg.payload, MAX_JSON_DEPTH)) return 1;
  try {
    const body: unknown = JSON.parse(msg.payload.toString('utf8'));
    if (
      body &&
      typeof body === 'object' &&
      !Array.isArray(body) &&
      Object.hasOwn(body, 'readings')
    ) {
      const list = (body as { readings: unknown }).readings;
      if (Array.isArray(list) && list.length <= MAX_READINGS_PER_MESSAGE) return list.length;
    }
  } catch {
    // not JSON: one rejection
  }
  return 1;
}

function decide(msg: InboundMessage, maxPayloadBytes = MAX_PAYLOAD_BYTES, timeZone = TIME_ZONE) {
  const d: Decoded = decodeMessage(msg, { maxPayloadBytes, timeZone });
  check(Array.isArray(d.readings) && Array.isArray(d.rejections), 'no {readings, rejections}');
  d.readings.forEach((r) => checkReading(r, msg.receivedAt));
  d.rejections.forEach(checkRejection);
  const owed = decisionsOwed(msg, maxPayloadBytes);
  const got = d.readings.length + d.rejections.length;
  check(got === owed, `${got} decisions for a message owed ${owed}`);
  const indexes = d.rejections.flatMap((j) => (j.index === undefined ? [] : [j.index]));
  check(new Set(indexes).size === indexes.length, `a batch index answered twice: ${indexes}`);
  check(
    indexes.every((i) => Number.isInteger(i) && i >= 0 && i < owed),
    `batch index out of range: ${indexes}`,
  );
  return d;
}

const jsonMessage = (text: string | Buffer): InboundMessage => ({
  deviceId,
  kind: 'readings',
  payload: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'),
  receivedAt,
});

// ---- arbitraries ----

const str = (s: string) => JSON.stringify(s);
/** Any UTF-16 code unit: lone surrogates and U+0000 included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: codeUnit, maxLength: 12 }),
  fc.constantFrom(
    '',
    '\u0000',
    'kg\u0000',
    '\uD800',
    '\uDC00',
    '\uDBFF\uDFFF',
    '\uFEFF',
    'KG',
    ' kg',
  ),
);
const protoKey = fc.constantFrom(...PROTO_KEYS);
/** A topic level (the GATT uuid): MQTT topics are UTF-8, so never a lone surrogate, but U+0000 is. */
const topicLevel = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('\u0000', '2a9d\u0000', '2a1c/x'),
);
const FIELD_NAMES = ['type', 'unit', 'value', 'messageId', 'measuredAt', 'readings', 'systolic'];
const anyKey = fc.oneof(protoKey, fc.constantFrom(...FIELD_NAMES), anyString);
const unitString = fc.oneof(
  { weight: 3, arbitrary: protoKey },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom(...SOURCE_UNITS) },
);

/** Numbers as JSON text, including ones JSON.stringify cannot write (1e400 parses to Infinity). */
const numberText = fc.oneof(
  fc.constantFrom(
    '1e308',
    '1e400',
    '-1e400',
    '1e-400',
    '123456789012345678901234567890',
    '-123456789012345678901234567890',
    '1.7976931348623157e308',
    '5e-324',
    '-0',
    '0',
  ),
  fc.double().map((v) => JSON.stringify(v)), // NaN and the infinities become null
  fc.integer().map(String),
  fc.double().map((v) => str(String(v))), // a number as a string: "NaN", "Infinity", "72"
);

const leafText = fc.oneof(
  numberText,
  anyString.map(str),
  protoKey.map(str),
  fc.constantFrom('null', 'true', 'false', '[]', '{}', '{"__proto__":null}'),
);
const { jsonText } = fc.letrec<{ jsonText: string; arrayText: string; objectText: string }>(
  (tie) => ({
    jsonText: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      leafText,
      tie('arrayText'),
      tie('objectText'),
    ),
    arrayText: fc.array(tie('jsonText'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    objectText: fc
      .array(fc.tuple(anyKey, tie('jsonText')), { maxLength: 4 })
      .map((kv) => `{${kv.map(([k, v]) => `${str(k)}:${v}`).join(',')}}`),
  }),
);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoOf = (d: Date) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString());
const offset = fc.oneof(
  fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+14:00', '-12:00'),
  fc
    .tuple(
      fc.constantFrom('+', '-'),
      fc.integer({ min: 0, max: 30 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(([s, h, m]) => `${s}${pad(h)}:${pad(m)}`),
);
const recent = fc
  .date({
    min: new Date(receivedAt.getTime() - 400 * 86_400_000),
    max: new Date(receivedAt.getTime() + 10 * 60_000),
    noInvalidDate: true,
  })
  .map(isoOf);
const timestamp = fc.oneof(
  fc.constantFrom(
    '0001-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '1000-06-15T12:00:00Z',
    '1900-01-01T00:00:00+01:00',
    '1969-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59Z',
    '9999-12-31T23:59:59-14:00',
    '2026-02-30T07:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-23T24:00:00Z',
    '2026-11-23T07:00:60Z',
    '2026-11-23T07:00:00',
    '2026-11-23T07:00:00+24:00',
    '2026-11-23T07:00:00+01',
    '2026-11-23T07:00:00.1234567890123Z',
    '2026-11-23T08:05:00.001Z',
    '+275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '2026-11-23',
    'Invalid Date',
    '',
  ),
  fc.date().map(isoOf), // the whole Date range: six-digit years, and invalid dates
  fc
    .tuple(
      fc.date({
        min: new Date('0001-01-01T00:00:00Z'),
        max: new Date('9999-12-31T23:59:59Z'),
        noInvalidDate: true,
      }),
      offset,
    )
    .map(([d, o]) => d.toISOString().slice(0, 19) + o),
  recent,
  anyString,
);

/**
 * A field's JSON text: valid four times in five, so that most readings get as far as the unit
 * and range checks with one or two fields at fault; undefined leaves the field out.
 */
const field = (valid: fc.Arbitrary<string>, ...bad: fc.Arbitrary<string>[]) =>
  fc.option(
    fc.oneof(
      { weight: 4 * bad.length, arbitrary: valid },
      ...bad.map((arbitrary) => ({ weight: 1, arbitrary })),
    ),
    { nil: undefined, freq: 20 },
  );
const inRange = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true }).map((v) => JSON.stringify(v));
const PLAUSIBLE: Record<ReadingType, [number, number]> = {
  body_weight: [3, 300],
  blood_pressure: [100, 180],
  heart_rate: [30, 200],
  spo2: [80, 100],
  body_temperature: [34, 40],
  respiratory_rate: [5, 40],
  blood_glucose: [1, 30],
  consciousness: [0, 0],
};

/** A reading as JSON text: each field valid, adversarial or missing; extra keys too. */
const readingText = fc.constantFrom(...readingTypes).chain((type) => {
  const [lo, hi] = PLAUSIBLE[type];
  const unit = unitsOf(type);
  const value =
    type === 'consciousness' ? fc.constantFrom('A', 'C', 'V', 'P', 'U').map(str) : inRange(lo, hi);
  return fc
    .record({
      extras: fc.array(fc.tuple(anyKey, jsonText), { maxLength: 2 }),
      extrasFirst: fc.boolean(),
      fields: fc.record({
        type: field(fc.constant(str(type)), protoKey.map(str), anyString.map(str), jsonText),
        messageId: field(
          fc.string({ minLength: 1, maxLength: 8 }).map((s) => str(`m-${s}`)),
          anyString.map((s) => str(`m-${s}`)),
          protoKey.map(str),
          fc.constant(str('m'.repeat(129))),
          jsonText,
        ),
        measuredAt: field(recent.map(str), timestamp.map(str), numberText, jsonText),
        value:
          type === 'blood_pressure' ? fc.constant(undefined) : field(value, numberText, jsonText),
        systolic:
          type === 'blood_pressure'
            ? field(inRange(130, 180), numberText, jsonText)
            : fc.constant(undefined),
        diastolic:
          type === 'blood_pressure'
            ? field(inRange(60, 90), numberText, jsonText)
            : fc.constant(undefined),
        pulse:
          type === 'blood_pressure'
            ? fc.option(fc.oneof(inRange(40, 120), numberText), { nil: undefined })
            : fc.constant(undefined),
        unit: unit.length
          ? fc.option(
              // the field most worth attacking: not a listed unit four times in ten
              fc.oneof(
                { weight: 5, arbitrary: fc.constantFrom(...unit).map(str) },
                { weight: 4, arbitrary: unitString.map(str) },
                { weight: 1, arbitrary: jsonText },
              ),
              { nil: undefined, freq: 20 },
            )
          : fc.option(unitString.map(str), { nil: undefined, freq: 2 }),
        supplementalOxygen: fc.option(fc.oneof(fc.constantFrom('true', 'false'), jsonText), {
          nil: undefined,
          freq: 2,
        }),
        context: fc.option(
          fc.oneof(
            fc.constant('{"position":"sitting"}'),
            anyString.map((s) => `{"note":${str(s)}}`),
            jsonText,
          ),
          { nil: undefined, freq: 2 },
        ),
        deviceStatus: fc.option(
          fc.oneof(
            fc.array(anyString, { maxLength: 3 }).map((a) => JSON.stringify(a)),
            jsonText,
          ),
          { nil: undefined, freq: 2 },
        ),
      }),
    })
    .map(({ extras, extrasFirst, fields }) => {
      const own = Object.entries(fields).filter(
        (kv): kv is [string, string] => kv[1] !== undefined,
      );
      const all = extrasFirst ? [...extras, ...own] : [...own, ...extras];
      return `{${all.map(([k, v]) => `${str(k)}:${v}`).join(',')}}`;
    });
});

const batchText = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: readingText }, jsonText), { maxLength: 6 }),
    fc.array(fc.tuple(protoKey, jsonText), { maxLength: 1 }),
  )
  .map(([items, extras]) => {
    const head = extras.map(([k, v]) => `${str(k)}:${v},`).join('');
    return `{${head}"readings":[${items.join(',')}]}`;
  });

/** Before or after the JSON, now and then: a NUL, a byte-order mark, white space. */
const junk = fc.oneof(
  { weight: 10, arbitrary: fc.constant('') },
  fc.constantFrom('\u0000', '\uFEFF', ' \n', '\u0000\u0000'),
);

// ---- properties ----

describe('fuzz: every device message gets a decision, never a throw', () => {
  it(
    'decodeMessage on random bytes, as readings and as a GATT value of any uuid',
    { timeout: TIMEOUT },
    () => {
      const uuid = fc.oneof(
        fc.constantFrom(...GATT_UUIDS),
        fc.constantFrom('2A9D', '0x2a35', '00002a5e-0000-1000-8000-00805f9b34fb', ' 2a1c ', ''),
        protoKey,
        topicLevel,
      );
      const payload = fc.oneof(
        fc.uint8Array({ maxLength: 600 }),
        fc.tuple(junk, jsonText, junk).map(([a, t, b]) => new Uint8Array(Buffer.from(a + t + b))),
      );
      fc.assert(
        fc.property(
          fc.constantFrom('readings', 'gatt'),
          fc.option(uuid, { nil: undefined, freq: 10 }),
          payload,
          fc.oneof({ weight: 4, arbitrary: fc.constant(MAX_PAYLOAD_BYTES) }, fc.nat(64)),
          fc.constantFrom(TIME_ZONE, 'UTC', 'Pacific/Kiritimati', 'America/St_Johns', 'Not/AZone'),
          (kind, uuid, bytes, maxPayloadBytes, timeZone) => {
            const msg: InboundMessage = {
              deviceId,
              kind: kind as InboundMessage['kind'],
              ...(uuid === undefined ? {} : { uuid }),
              payload: Buffer.from(bytes),
              receivedAt,
            };
            decide(msg, maxPayloadBytes, timeZone);
          },
        ),
        runs(2_000),
      );
    },
  );

  it('decodeMessage on readings and batches with adversarial fields', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        junk,
        fc.oneof(
          { weight: 3, arbitrary: readingText },
          { weight: 2, arbitrary: batchText },
          jsonText,
        ),
        junk,
        (before, text, after) => {
          decide(jsonMessage(before + text + after));
        },
      ),
      runs(3_000),
    );
  });

  it(
    'decodeMessage on JSON nested up to 20,000 deep, anywhere in the message',
    { timeout: TIMEOUT },
    () => {
      const valid = (fieldName?: string, nested?: string) => {
        const base: Record<string, string> = {
          messageId: str('m-1'),
          measuredAt: str('2026-11-23T07:00:00Z'),
          type: str('heart_rate'),
          value: '72',
          unit: str('/min'),
        };
        if (fieldName && nested !== undefined) base[fieldName] = nested;
        return `{${Object.entries(base)
          .map(([k, v]) => `${str(k)}:${v}`)
          .join(',')}}`;
      };
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 20_000 }),
          fc.constantFrom('array', 'object'),
          fc.constantFrom(
            'payload',
            'type',
            'unit',
            'value',
            'messageId',
            'measuredAt',
            'context',
            'deviceStatus',
            'batch item',
            'readings',
          ),
          (depth, shape, place) => {
            // never valid where it lands: not an empty deviceStatus [], not a key zod would drop
            const nested =
              shape === 'array'
                ? '['.repeat(depth) + '0' + ']'.repeat(depth)
                : '{"note":'.repeat(depth) + 'null' + '}'.repeat(depth);
            const text =
              place === 'payload'
                ? nested
                : place === 'batch item'
                  ? `{"readings":[${valid()},${nested},${valid()}]}`
                  : place === 'readings'
                    ? `{"readings":${nested}}`
                    : valid(place, nested);
            const d = decide(jsonMessage(text));
            if (nestsDeeper(Buffer.from(text), MAX_JSON_DEPTH)) {
              // refused whole, before it is parsed
              check(
                d.readings.length === 0 &&
                  d.rejections.length === 1 &&
                  d.rejections[0]!.reason === 'invalid_shape',
                'a message nested too deep not refused whole',
              );
            } else if (place === 'batch item') {
              check(
                d.readings.length === 2,
                `${d.readings.length} of the 2 valid neighbours accepted`,
              );
              check(
                d.rejections.length === 1 && d.rejections[0]!.index === 1,
                'item 1 not refused',
              );
            } else {
              check(d.readings.length === 0, 'accepted a reading with a nested value');
            }
          },
        ),
        runs(1_500),
      );
    },
  );

  it('validateReading on any value, reading-shaped or not', { timeout: TIMEOUT }, () => {
    // BigInt is left out: neither JSON.parse nor a GATT decoder can produce one.
    const anything = fc.anything({
      key: anyKey,
      maxDepth: 3,
      maxKeys: 5,
      withNullPrototype: true,
      withBoxedValues: true,
      withObjectString: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      stringUnit: 'binary',
    });
    const oddNumber = fc.constantFrom(
      Number.NaN,
      Infinity,
      -Infinity,
      -0,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Number.MAX_SAFE_INTEGER + 2,
    );
    const maybe = <T>(valid: fc.Arbitrary<T>) =>
      fc.option(
        fc.oneof(
          { weight: 12, arbitrary: valid as fc.Arbitrary<unknown> },
          oddNumber,
          protoKey,
          anything,
        ),
        { nil: undefined, freq: 10 },
      );
    const readingLike = fc
      .record({
        type: maybe(fc.constantFrom(...readingTypes)),
        messageId: maybe(fc.string({ minLength: 1, maxLength: 8 })),
        measuredAt: maybe(fc.oneof(recent, timestamp)),
        value: maybe(fc.oneof(fc.double({ min: 0, max: 300 }), fc.constantFrom('A', 'V'))),
        systolic: maybe(fc.double({ min: 100, max: 200 })),
        diastolic: maybe(fc.double({ min: 40, max: 90 })),
        pulse: maybe(fc.double({ min: 40, max: 120 })),
        unit: maybe(fc.oneof(fc.constantFrom(...SOURCE_UNITS), unitString)),
        deviceStatus: maybe(fc.array(anyString, { maxLength: 2 })),
        context: maybe(fc.record({ note: anyString })),
        extras: fc.array(fc.tuple(anyKey, anything), { maxLength: 2 }),
        nullPrototype: fc.boolean(),
      })
      .map(({ extras, nullPrototype, ...fields }) => {
        const o: Record<string, unknown> = nullPrototype ? Object.create(null) : {};
        // defineProperty: a '__proto__' key becomes an own property, as JSON.parse makes it
        for (const [k, v] of [...Object.entries(fields), ...extras]) {
          if (v !== undefined)
            Object.defineProperty(o, k, {
              value: v,
              enumerable: true,
              configurable: true,
              writable: true,
            });
        }
        return o;
      });
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: readingLike }, anything, fc.jsonValue()),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (raw, at) => {
          checkValidated(validateReading(raw, { deviceId, receivedAt: at }), at);
        },
      ),
      runs(2_500),
    );
  });

  it(
    'decodeGatt on random bytes for every characteristic and any uuid',
    { timeout: TIMEOUT },
    () => {
      const uuid = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...GATT_UUIDS) },
        protoKey,
        topicLevel,
      );
      fc.assert(
        fc.property(uuid, fc.uint8Array({ maxLength: 40 }), (u, bytes) => {
          const result: GattResult = decodeGatt(u, bytes, { timeZone: TIME_ZONE });
          if (!result.ok) return checkErrors(result.errors, `decodeGatt ${show(u)}`);
          const r = result.reading as unknown as Record<string, unknown>;
          check(
            (readingTypes as readonly string[]).includes(String(r.type)),
            `GATT type ${show(r.type)}`,
          );
          for (const k of ['value', 'systolic', 'diastolic', 'pulse', 'meanArterial']) {
            check(r[k] === undefined || isFiniteOrNull(r[k]), `GATT ${k} ${show(r[k])}`);
          }
          check(
            r.measuredAt === undefined ||
              (typeof r.measuredAt === 'string' && !Number.isNaN(Date.parse(r.measuredAt))),
            `GATT measuredAt ${show(r.measuredAt)}`,
          );
          // and through the hub's decoding: one decision
          decide({ deviceId, kind: 'gatt', uuid: u, payload: Buffer.from(bytes), receivedAt });
        }),
        runs(1_500),
      );
    },
  );
});

// ---- the inputs issue 16 found, as examples: each is refused, never accepted, never thrown ----

describe('the poison messages of issue 16 are refused', () => {
  const judge = (text: string) =>
    decodeMessage(jsonMessage(text), { maxPayloadBytes: MAX_PAYLOAD_BYTES, timeZone: TIME_ZONE });
  const reading = (fields: Record<string, unknown>) =>
    JSON.stringify({ messageId: 'm-1', measuredAt: '2026-11-23T07:00:00Z', ...fields });
  const BAD_UNITS = ['valueOf', '__proto__', 'hasOwnProperty', 'toString', 'constructor'];

  it.each(BAD_UNITS)('a heart rate in unit %s', (unit) => {
    const d = judge(reading({ type: 'heart_rate', value: 72, unit }));
    expect(d.readings).toEqual([]);
    expect(d.rejections).toMatchObject([{ reason: 'bad_unit', errors: [{ path: 'unit' }] }]);
  });

  it.each(BAD_UNITS)('a blood pressure in unit %s', (unit) => {
    const raw = reading({ type: 'blood_pressure', systolic: 138, diastolic: 88, unit });
    const d = judge(raw);
    expect(d.readings).toEqual([]);
    expect(d.rejections).toMatchObject([{ reason: 'bad_unit', errors: [{ path: 'unit' }] }]);
  });

  // 4,100 is where the issue saw the RangeError; how deep JSON.stringify gets depends on the stack
  // left, so the same arrays 50,000 deep too (100 kB, within the payload limit)
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  // Refused whole, before parsing: no device nests a reading deeper than four levels, and
  // JSON.parse took ~100 ms of the hub's thread for 256 KiB of brackets.
  const tooDeep = [{ reason: 'invalid_shape', messageId: null, errors: [{ path: '(payload)' }] }];

  it.each([4_100, 50_000])('an array nested %i deep as the type', (depth) => {
    const raw = `{"messageId":"m-1","measuredAt":"2026-11-23T07:00:00Z","type":${deep(depth)},"value":72,"unit":"/min"}`;
    const d = judge(raw);
    expect(d.readings).toEqual([]);
    expect(d.rejections).toMatchObject(tooDeep);
  });

  it.each([4_100, 50_000])(
    'an array nested %i deep as a batch item, between two good readings: the message is refused whole',
    (depth) => {
      const good = (id: string) =>
        reading({ messageId: id, type: 'heart_rate', value: 72, unit: '/min' });
      const raw = `{"readings":[${good('m-1')},${deep(depth)},${good('m-3')}]}`;
      const d = judge(raw);
      expect(d.readings).toEqual([]);
      expect(d.rejections).toMatchObject(tooDeep);
    },
  );

  it('a payload that starts with a NUL byte, with error text PostgreSQL can store', () => {
    const raw = '\u0000' + reading({ type: 'heart_rate', value: 72, unit: '/min' });
    const d = judge(raw);
    expect(d.readings).toEqual([]);
    expect(d.rejections).toMatchObject([{ reason: 'not_json' }]);
    expect(JSON.stringify(d.rejections[0]!.errors)).not.toContain('\\u0000');
  });
});
