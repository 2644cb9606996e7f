// The device contract, version 1: topics, reading payloads, units and receipts.
// This is the hub's public interface towards devices (see docs/device-contract.md); change it
// only by adding.
import { z } from 'zod';

export const TOPIC_ROOT = 'telehealth/v1/devices';
export const DEVICE_ID = /^[A-Za-z0-9_-]{4,64}$/;
export const MAX_READINGS_PER_MESSAGE = 500;
/** A reading may be stamped at most this far in the future (device clocks drift). */
export const MAX_FUTURE_MS = 5 * 60_000;
/**
 * No reading is measured before this: a device clock that never got the time (1970, 2000 on
 * some GATT devices' reset) or a corrupt field (year 0001) is a clock error, not history.
 */
export const EARLIEST_MEASURED_AT = Date.UTC(2000, 0, 1);
/** How old a reading may be when it arrives unless the hub is told otherwise (five years). */
export const DEFAULT_MAX_AGE_DAYS = 1826;
/**
 * How deep a message's JSON may nest: a batch of readings with a context is four levels, and
 * walking a deeper value (in a message, or to echo it in a receipt) is refused before it starts.
 */
export const MAX_JSON_DEPTH = 16;

export const readingTypes = [
  'body_weight',
  'blood_pressure',
  'heart_rate',
  'spo2',
  'body_temperature',
  'respiratory_rate',
  'blood_glucose',
  'consciousness',
] as const;
export type ReadingType = (typeof readingTypes)[number];

export type DeviceTopic =
  | { kind: 'readings'; deviceId: string }
  | { kind: 'gatt'; deviceId: string; uuid: string }
  | { kind: 'receipts'; deviceId: string };

/** Parses a topic of the contract; anything else is null. */
export function parseTopic(topic: string): DeviceTopic | null {
  const parts = topic.split('/');
  if (parts.length < 5 || parts.length > 6) return null;
  if (parts[0] !== 'telehealth' || parts[1] !== 'v1' || parts[2] !== 'devices') return null;
  const deviceId = parts[3]!;
  if (!DEVICE_ID.test(deviceId)) return null;
  const leaf = parts[4];
  if (parts.length === 5 && leaf === 'readings') return { kind: 'readings', deviceId };
  if (parts.length === 5 && leaf === 'receipts') return { kind: 'receipts', deviceId };
  if (parts.length === 6 && leaf === 'gatt') return { kind: 'gatt', deviceId, uuid: parts[5]! };
  return null;
}

export const topics = {
  readings: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/readings`,
  gatt: (deviceId: string, uuid: string) => `${TOPIC_ROOT}/${deviceId}/gatt/${uuid}`,
  receipts: (deviceId: string) => `${TOPIC_ROOT}/${deviceId}/receipts`,
};

// ---- units: canonical first; every other unit with its conversion to the canonical one ----

type Conversion = (v: number) => number;
interface UnitTable {
  canonical: string;
  from: Record<string, Conversion>;
  /** Plausible range in the canonical unit: outside it the value is a device or entry error. */
  range: readonly [number, number];
  /** Decimals kept after conversion: enough for the device's resolution, no float noise. */
  decimals: number;
}

const identity: Conversion = (v) => v;
const LB_KG = 0.45359237; // exact, by definition of the avoirdupois pound
const KPA_MMHG = 7.50062;
const GLUCOSE_MG_PER_MMOL = 18.016;

export const units: Record<Exclude<ReadingType, 'consciousness' | 'blood_pressure'>, UnitTable> = {
  body_weight: {
    canonical: 'kg',
    from: { kg: identity, '[lb_av]': (v) => v * LB_KG },
    range: [2, 400],
    decimals: 3,
  },
  heart_rate: { canonical: '/min', from: { '/min': identity }, range: [20, 300], decimals: 1 },
  spo2: { canonical: '%', from: { '%': identity }, range: [50, 100], decimals: 1 },
  body_temperature: {
    canonical: 'Cel',
    from: { Cel: identity, '[degF]': (v) => ((v - 32) * 5) / 9 },
    range: [30, 45],
    decimals: 2,
  },
  respiratory_rate: {
    canonical: '/min',
    from: { '/min': identity },
    range: [3, 80],
    decimals: 1,
  },
  blood_glucose: {
    canonical: 'mmol/L',
    from: { 'mmol/L': identity, 'mg/dL': (v) => v / GLUCOSE_MG_PER_MMOL },
    range: [0.5, 50],
    decimals: 2,
  },
};

export const bloodPressureUnits: Record<string, Conversion> = {
  'mm[Hg]': identity,
  kPa: (v) => v * KPA_MMHG,
};
export const BP_RANGE = { systolic: [40, 300], diastolic: [20, 200], pulse: [20, 300] } as const;

// ---- payload schemas (structure only; units, ranges and time are judged in validate.ts) ----

/**
 * Text the hub stores: PostgreSQL's text and jsonb cannot hold the NUL character, nor half of a
 * UTF-16 surrogate pair (which has no UTF-8 form).
 */
const storable = (s: z.ZodString) =>
  s
    .refine((v) => !v.includes('\u0000'), 'must not contain the NUL character (U+0000)')
    .refine((v) => v.isWellFormed(), 'must be well-formed Unicode (no lone surrogate)');

const context = z
  .object({
    position: z.enum(['sitting', 'standing', 'lying']).optional(),
    note: storable(z.string().max(500)).optional(),
  })
  .optional();

const common = {
  messageId: storable(z.string().min(1).max(128)),
  measuredAt: z.iso.datetime({ offset: true }),
  context,
  /** Flags a device sets about its own measurement (loose cuff, low perfusion); an addition to v1. */
  deviceStatus: z
    .array(storable(z.string().max(64)))
    .max(32)
    .optional(),
};
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const quantity = (type: Exclude<ReadingType, 'blood_pressure' | 'consciousness' | 'spo2'>) =>
  z.object({ ...common, type: z.literal(type), value: finite, unit: z.string() });

export const readingSchema = z.discriminatedUnion('type', [
  quantity('body_weight'),
  quantity('heart_rate'),
  quantity('body_temperature'),
  quantity('respiratory_rate'),
  quantity('blood_glucose'),
  z.object({
    ...common,
    type: z.literal('spo2'),
    value: finite,
    unit: z.string(),
    supplementalOxygen: z.boolean().optional(),
  }),
  z.object({
    ...common,
    type: z.literal('blood_pressure'),
    systolic: finite,
    diastolic: finite,
    pulse: finite.optional(),
    unit: z.string(),
  }),
  z.object({
    ...common,
    type: z.literal('consciousness'),
    value: z.enum(['A', 'C', 'V', 'P', 'U']),
  }),
]);
export type ReadingPayload = z.infer<typeof readingSchema>;

export const batchSchema = z.object({ readings: z.array(z.unknown()) });

/**
 * The messageId of a time-stamped GATT value, which carries none of its own: a resend of the
 * same value (same characteristic and time stamp) is then a duplicate (docs/device-contract.md).
 */
export const gattMessageId = (uuid: string, measuredAt: string) => `gatt-${uuid}-${measuredAt}`;

// ---- receipts (hub -> device) ----

/** Why a reading was refused: the code a device (or its support) acts on, never the wording. */
export const rejectionReasons = [
  'not_json',
  'invalid_shape',
  'unknown_type',
  'bad_unit',
  'implausible_value',
  'future_timestamp',
  /** Measured before 2000 or longer ago than the hub accepts (added in v1.4). */
  'old_timestamp',
  'batch_too_large',
  'payload_too_large',
  'gatt_invalid',
  'unknown_device',
  'revoked_device',
  'store_error',
  /** The hub failed on this message; it is logged for support (added in v1.4). */
  'hub_error',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export const receiptSchema = z.object({
  messageId: z.string().nullable(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  /** Position in a `{ readings: [...] }` batch; an addition to v1 so that a reading without a usable messageId can be found. */
  index: z.number().int().optional(),
  /** A rejected reading's reason code; an addition to v1 (1.3), so that a device need not read the English. */
  reason: z.enum(rejectionReasons).optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Receipt = z.infer<typeof receiptSchema>;

// ---- notices to the patient (hub -> device, on the receipts topic; an addition to v1) ----

/**
 * A message for the patient rather than a receipt: measure again (a borderline value, before
 * the care team is alerted) or a reminder of a planned measurement. Told apart from receipts by
 * `notice`; a device that cannot show messages ignores it.
 */
export const patientNoticeSchema = z.object({
  notice: z.enum(['remeasure', 'reminder']),
  /** The kind of measurement asked for. */
  type: z.enum(readingTypes),
  /** What to tell the patient, in Swedish and English. */
  text: z.object({ sv: z.string(), en: z.string() }),
  /** remeasure: measure again before this; reminder: the measurement was due then. */
  by: z.string(),
  /** The reading that asked for a repeat (remeasure only). */
  messageId: z.string().optional(),
});
export type PatientNotice = z.infer<typeof patientNoticeSchema>;
