// A patient's devices as the staff API lists, adds and revokes them, and a device's log for
// troubleshooting.
import { z } from 'zod';
import { rejectionReasons } from '../devices/contract.js';
import { measuredValuesSchema, readingTypeSchema } from './readings.js';

export const deviceSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type Device = z.infer<typeof deviceSchema>;

export const addDeviceSchema = z.object({ label: z.string().trim().min(1).max(100).optional() });
/** The secret is shown this once; the hub keeps only its hash. */
export const addedDeviceSchema = z.object({ deviceId: z.string(), secret: z.string() });
export const revokedDeviceSchema = z.object({ id: z.string(), revokedAt: z.string() });

/** How many of the newest readings and refused messages a device's log shows (default 50). */
export const deviceLogQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .optional(),
});
export type DeviceLogQuery = z.infer<typeof deviceLogQuerySchema>;

/** A reading the device delivered, as stored (canonical units). */
export const deviceReadingSchema = measuredValuesSchema.extend({
  messageId: z.string(),
  type: readingTypeSchema,
  measuredAt: z.string(),
  receivedAt: z.string(),
  /** The flags the device set about this measurement (loose cuff, low perfusion, ...). */
  deviceStatus: z.array(z.string()),
  /** A flag says the value may be wrong: the rules skip it (the device should measure again). */
  questionable: z.boolean(),
});
export type DeviceReading = z.infer<typeof deviceReadingSchema>;

/** A message the hub refused, as recorded for support. */
export const refusedMessageSchema = z.object({
  receivedAt: z.string(),
  reason: z.enum(rejectionReasons),
  /** null when the message could not be read far enough to find one. */
  messageId: z.string().nullable(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  /**
   * The start of what was sent, printable: non-printable characters escaped (`\n`, `\u{…}`),
   * bytes that are not UTF-8 as `\xNN`. null when nothing was kept (an unknown or revoked
   * device's readings are refused after decoding).
   */
  preview: z.string().nullable(),
  /** The preview is not all that was sent. */
  previewCut: z.boolean(),
  /** Bytes sent. */
  payloadSize: z.number().int(),
});
export type RefusedMessage = z.infer<typeof refusedMessageSchema>;

/**
 * A device for troubleshooting ("my readings don't arrive"): when it last delivered a reading,
 * its newest readings and refused messages (newest received first), and the last 7 days' counts.
 * The device contract has no battery level; what a device reports of itself is `deviceStatus`.
 */
export const deviceLogSchema = z.object({
  device: deviceSchema.extend({
    patientId: z.string(),
    /** The patient's IANA zone: the times are shown in it. */
    timeZone: z.string(),
  }),
  /** When the newest reading arrived; null: none ever did. */
  lastSeenAt: z.string().nullable(),
  readings: z.array(deviceReadingSchema),
  refused: z.array(refusedMessageSchema),
  /** What arrived since `since` (7 days before now): readings stored, messages refused by reason. */
  recent: z.object({
    since: z.string(),
    accepted: z.number().int(),
    refused: z.array(z.object({ reason: z.enum(rejectionReasons), count: z.number().int() })),
  }),
});
export type DeviceLog = z.infer<typeof deviceLogSchema>;
