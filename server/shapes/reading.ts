// The shapes that flow from ingest through the store to the rules and the dashboards: a reading
// in canonical units, and a rejection with the reason a person (or a device log) can act on.
// A low module: it imports nothing of the stages (docs/architecture.md).
import type { ReadingType, RejectionReason } from '../../devices/contract.js';

// what the API and the pushes show of a reading is the contract's
export type { MeasuredValues, ReadingValues } from '../../contract/readings.js';
import type { MeasuredValues, ReadingValues } from '../../contract/readings.js';

export interface CanonicalReading extends MeasuredValues {
  deviceId: string;
  messageId: string;
  type: ReadingType;
  measuredAt: Date;
  receivedAt: Date;
  details: ReadingDetails;
}

export const readingValues = (r: MeasuredValues, measuredAt: Date): ReadingValues => ({
  value: r.value,
  systolic: r.systolic,
  diastolic: r.diastolic,
  pulse: r.pulse,
  code: r.code,
  unit: r.unit,
  measuredAt: measuredAt.toISOString(),
});

/** A reading as stored: with the patient its device belongs to. */
export interface StoredReading extends CanonicalReading {
  patientId: string;
}

export interface ReadingDetails {
  source: 'json' | 'gatt';
  gattUuid?: string;
  /** What the device sent, when it was converted to the canonical unit. */
  sourceUnit?: string;
  sourceValues?: Record<string, number>;
  context?: { position?: string; note?: string };
  deviceStatus?: string[];
  supplementalOxygen?: boolean;
  /** The device sent no usable time stamp: measuredAt is when the hub received it. */
  timeFromReceipt?: true;
}

// the reason codes are part of the device contract: receipts carry them
export { rejectionReasons, type RejectionReason } from '../../devices/contract.js';

export interface FieldError {
  path: string;
  message: string;
}

export interface Rejection {
  deviceId: string;
  messageId: string | null;
  index?: number;
  reason: RejectionReason;
  errors: FieldError[];
  /** What was refused, for staff to inspect (cut to a few KiB); size is the full size. */
  raw?: Buffer;
  receivedAt?: Date;
}
