// Judges one reading payload against the device contract and converts it to canonical units.
// Pure: the clock comes in as an argument.
import {
  BP_RANGE,
  MAX_FUTURE_MS,
  bloodPressureUnits,
  readingSchema,
  readingTypes,
  units,
  type ReadingPayload,
} from '../../devices/contract.js';
import type { CanonicalReading, FieldError, ReadingDetails, RejectionReason } from './reading.js';
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
}

const round = (v: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

const fmt = (v: number) => String(round(v, 3));

function messageIdOf(raw: unknown): string | null {
  if (raw && typeof raw === 'object' && 'messageId' in raw) {
    const id = (raw as { messageId: unknown }).messageId;
    // a NUL cannot be stored (the reading is refused for it): the rejection keeps U+FFFD there
    if (typeof id === 'string' && id.length > 0 && id.length <= 128) {
      return id.replaceAll('\u0000', '\uFFFD');
    }
  }
  return null;
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.length ? issue.path.map(String).join('.') : '(reading)';
}

/** The first field at fault decides the reason code, so metrics say what devices get wrong. */
function reasonOfShape(raw: unknown, issues: z.core.$ZodIssue[]): RejectionReason {
  const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !(readingTypes as readonly string[]).includes(type)) {
    return 'unknown_type';
  }
  return issues.some((i) => i.path[0] === 'unit') ? 'bad_unit' : 'invalid_shape';
}

function shapeMessage(raw: unknown, issue: z.core.$ZodIssue): string {
  if (issue.path[0] === 'type') {
    const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
    return `unknown type ${JSON.stringify(type)}; expected one of ${readingTypes.join(', ')}`;
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
  if (measuredAt.getTime() - input.receivedAt.getTime() > MAX_FUTURE_MS) {
    return reject('future_timestamp', [
      {
        path: 'measuredAt',
        message: `${p.measuredAt} is more than 5 minutes ahead of the hub's clock (${input.receivedAt.toISOString()}); check the device clock`,
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
  const convert = table.from[p.unit];
  if (!convert) {
    return {
      reason: 'bad_unit',
      errors: [
        {
          path: 'unit',
          message: `unit ${JSON.stringify(p.unit)} is not accepted for ${p.type}; use ${Object.keys(table.from).join(' or ')} (UCUM)`,
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
  const convert = bloodPressureUnits[p.unit];
  if (!convert) {
    return {
      reason: 'bad_unit',
      errors: [
        {
          path: 'unit',
          message: `unit ${JSON.stringify(p.unit)} is not accepted for blood_pressure; use mm[Hg] or kPa (UCUM)`,
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
