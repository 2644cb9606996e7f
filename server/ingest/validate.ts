// Judges one reading payload against the device contract and converts it to canonical units.
// Pure: the clock comes in as an argument.
import {
  BP_RANGE,
  DEFAULT_MAX_AGE_DAYS,
  EARLIEST_MEASURED_AT,
  MAX_FUTURE_MS,
  bloodPressureUnits,
  readingSchema,
  readingTypes,
  units,
  type ReadingPayload,
} from '../../devices/contract.js';
import { storableText } from '../shapes/text.js';
import {
  type CanonicalReading,
  type FieldError,
  type ReadingDetails,
  type RejectionReason,
} from '../shapes/reading.js';
import type { z } from 'zod';

export type Validated =
  | { ok: true; reading: CanonicalReading }
  | { ok: false; messageId: string | null; reason: RejectionReason; errors: FieldError[] };

export interface ValidateInput {
  deviceId: string;
  receivedAt: Date;
  source?: ReadingDetails['source'];
  gattUuid?: string;
  /** The reading had no device time stamp; measuredAt was set to the time of receipt. */
  timeFromReceipt?: boolean;
  /** How many days old a reading may be when it arrives (INGEST_MAX_AGE_DAYS). */
  maxAgeDays?: number;
}

const DAY_MS = 86_400_000;

const round = (v: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

const fmt = (v: number) => String(round(v, 3));

/** What a device sent, quoted in an error message: at most `max` characters of it. */
export function quoted(v: unknown, max = 64): string {
  if (typeof v !== 'string') return describeValue(v);
  return JSON.stringify(storableText(v, max + 1));
}

/** The kind of a value, never its contents: it may be nested thousands deep or megabytes long. */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v;
}

/** A property of a device's JSON object, read only if the object has it itself. */
function own(raw: unknown, key: string): unknown {
  return raw !== null && typeof raw === 'object' && Object.hasOwn(raw, key)
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

/**
 * A unit's conversion by the unit a device sent: an own property only, so that `valueOf`,
 * `constructor` or `__proto__` find nothing (they found Object.prototype's functions, and one
 * message crashed the hub).
 */
function conversionOf<T>(table: Record<string, T>, unit: string): T | undefined {
  return Object.hasOwn(table, unit) ? table[unit] : undefined;
}

/**
 * The messageId of a refused reading, for its receipt and its record: a NUL or half a surrogate
 * pair in it (the reason it may be refused) becomes U+FFFD, which PostgreSQL can store.
 */
function messageIdOf(raw: unknown): string | null {
  const id = own(raw, 'messageId');
  return typeof id === 'string' && id.length > 0 && id.length <= 128 ? storableText(id, 128) : null;
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.length ? issue.path.map(String).join('.') : '(reading)';
}

/** The first field at fault decides the reason code, so metrics say what devices get wrong. */
function reasonOfShape(raw: unknown, issues: z.core.$ZodIssue[]): RejectionReason {
  const type = own(raw, 'type');
  if (typeof type !== 'string' || !(readingTypes as readonly string[]).includes(type)) {
    return 'unknown_type';
  }
  return issues.some((i) => i.path[0] === 'unit') ? 'bad_unit' : 'invalid_shape';
}

function shapeMessage(raw: unknown, issue: z.core.$ZodIssue): string {
  if (issue.path[0] === 'type') {
    return `unknown type ${quoted(own(raw, 'type'))}; expected one of ${readingTypes.join(', ')}`;
  }
  if (issue.path[0] === 'measuredAt') {
    return 'must be an RFC 3339 timestamp with a UTC offset, e.g. 2026-11-23T07:02:11+01:00';
  }
  return issue.message;
}

export function validateReading(raw: unknown, input: ValidateInput): Validated {
  const parsed = readingSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      messageId: messageIdOf(raw),
      reason: reasonOfShape(raw, parsed.error.issues),
      errors: parsed.error.issues.map((i) => ({ path: pathOf(i), message: shapeMessage(raw, i) })),
    };
  }
  const p = parsed.data;
  const reject = (reason: RejectionReason, errors: FieldError[]): Validated => ({
    ok: false,
    messageId: p.messageId,
    reason,
    errors,
  });

  const measuredAt = new Date(p.measuredAt);
  const at = measuredAt.getTime();
  if (at - input.receivedAt.getTime() > MAX_FUTURE_MS) {
    return reject('future_timestamp', [
      {
        path: 'measuredAt',
        message: `${p.measuredAt} is more than 5 minutes ahead of the hub's clock (${input.receivedAt.toISOString()}); check the device clock`,
      },
    ]);
  }
  // not a number only if the schema let an impossible date through: refused all the same
  const maxAgeDays = input.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  const oldest = Math.max(EARLIEST_MEASURED_AT, input.receivedAt.getTime() - maxAgeDays * DAY_MS);
  if (!(at >= oldest)) {
    return reject('old_timestamp', [
      {
        path: 'measuredAt',
        message: `${p.measuredAt} is before ${new Date(oldest).toISOString()} (the hub accepts readings from 2000 on, at most ${maxAgeDays} days old); check the device clock`,
      },
    ]);
  }

  const details: ReadingDetails = { source: input.source ?? 'json' };
  if (input.gattUuid) details.gattUuid = input.gattUuid;
  if (input.timeFromReceipt) details.timeFromReceipt = true;
  if (p.context) details.context = p.context;
  if (p.deviceStatus?.length) details.deviceStatus = p.deviceStatus;

  const c = canonicalise(p, details);
  if ('reason' in c) return reject(c.reason, c.errors);
  // built once: a base spread with the converted values made three objects per reading
  const reading: CanonicalReading = {
    deviceId: input.deviceId,
    messageId: p.messageId,
    type: p.type,
    measuredAt,
    receivedAt: input.receivedAt,
    value: c.value ?? null,
    systolic: c.systolic ?? null,
    diastolic: c.diastolic ?? null,
    pulse: c.pulse ?? null,
    code: c.code ?? null,
    unit: c.unit ?? null,
    details,
  };
  return { ok: true, reading };
}

type Canonical = Pick<
  CanonicalReading,
  'value' | 'systolic' | 'diastolic' | 'pulse' | 'code' | 'unit'
>;
type Failure = { reason: RejectionReason; errors: FieldError[] };

function canonicalise(p: ReadingPayload, details: ReadingDetails): Partial<Canonical> | Failure {
  if (p.type === 'consciousness') return { code: p.value };
  if (p.type === 'blood_pressure') return canonicalBloodPressure(p, details);

  const table = units[p.type];
  const convert = conversionOf(table.from, p.unit);
  if (!convert) {
    return {
      reason: 'bad_unit',
      errors: [
        {
          path: 'unit',
          message: `unit ${quoted(p.unit)} is not accepted for ${p.type}; use ${Object.keys(table.from).join(' or ')} (UCUM)`,
        },
      ],
    };
  }
  const value = round(convert(p.value), table.decimals);
  const [min, max] = table.range;
  if (value < min || value > max) {
    return {
      reason: 'implausible_value',
      errors: [
        {
          path: 'value',
          message: `${fmt(value)} ${table.canonical} is outside the plausible range ${min}-${max} ${table.canonical} for ${p.type}`,
        },
      ],
    };
  }
  if (p.unit !== table.canonical) {
    details.sourceUnit = p.unit;
    details.sourceValues = { value: p.value };
  }
  if (p.type === 'spo2' && p.supplementalOxygen !== undefined) {
    details.supplementalOxygen = p.supplementalOxygen;
  }
  return { value, unit: table.canonical };
}

function canonicalBloodPressure(
  p: Extract<ReadingPayload, { type: 'blood_pressure' }>,
  details: ReadingDetails,
): Canonical | Failure {
  const convert = conversionOf(bloodPressureUnits, p.unit);
  if (!convert) {
    return {
      reason: 'bad_unit',
      errors: [
        {
          path: 'unit',
          message: `unit ${quoted(p.unit)} is not accepted for blood_pressure; use mm[Hg] or kPa (UCUM)`,
        },
      ],
    };
  }
  const systolic = round(convert(p.systolic), 1);
  const diastolic = round(convert(p.diastolic), 1);
  const pulse = p.pulse === undefined ? null : round(p.pulse, 1);
  const errors: FieldError[] = [];
  const check = (path: keyof typeof BP_RANGE, v: number | null, unit: string) => {
    if (v === null) return;
    const [min, max] = BP_RANGE[path];
    if (v < min || v > max) {
      errors.push({
        path,
        message: `${fmt(v)} ${unit} is outside the plausible range ${min}-${max} ${unit}`,
      });
    }
  };
  check('systolic', systolic, 'mm[Hg]');
  check('diastolic', diastolic, 'mm[Hg]');
  check('pulse', pulse, '/min');
  if (!errors.length && systolic <= diastolic) {
    errors.push({
      path: 'diastolic',
      message: `systolic ${fmt(systolic)} must be higher than diastolic ${fmt(diastolic)}`,
    });
  }
  if (errors.length) return { reason: 'implausible_value', errors };
  if (p.unit !== 'mm[Hg]') {
    details.sourceUnit = p.unit;
    details.sourceValues = { systolic: p.systolic, diastolic: p.diastolic };
  }
  return { systolic, diastolic, pulse, unit: 'mm[Hg]', value: null, code: null };
}
