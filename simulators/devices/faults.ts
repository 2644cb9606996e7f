// Faults real homes produce, applied on demand to a message before it leaves: the hub must
// answer each with the right receipt and never let it disturb the valid readings around it.
// A faulty message is always JSON (a gateway or app that got it wrong); GATT bytes cannot carry
// most of these mistakes.
import { MAX_FUTURE_MS, type ReadingPayload } from '../../devices/contract.js';
import { toJsonReading, type Outbound } from './messages.js';
import type { SimMeasurement } from '../patients/types.js';

export const faultKinds = ['duplicate', 'implausible', 'wrong_unit', 'clock_offset'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface Fault {
  kind: FaultKind;
  /** clock_offset: how far the device clock is off (positive: ahead). */
  hours?: number;
}

/**
 * What the hub should answer to a message with this fault, measured at `measuredAt` and
 * received at `now`: a clock that is off is refused only when it puts the reading more than
 * 5 minutes into the hub's future; otherwise the reading is stored at the wrong time.
 */
export function expectedStatus(
  f: Fault,
  measuredAt: Date = new Date(),
  now: Date = new Date(),
): 'accepted' | 'duplicate' | 'rejected' {
  if (f.kind === 'duplicate') return 'accepted'; // the first copy; the second is a duplicate
  if (f.kind === 'clock_offset') {
    const stamped = measuredAt.getTime() + (f.hours ?? 0) * 3_600_000;
    return stamped > now.getTime() + MAX_FUTURE_MS ? 'rejected' : 'accepted';
  }
  return 'rejected';
}

// Values no body produces, and unit spellings that are not UCUM (what people type).
const IMPLAUSIBLE: Partial<Record<string, (r: ReadingPayload) => ReadingPayload>> = {
  body_weight: (r) => ({ ...r, value: 655.3 }) as ReadingPayload, // 0xFFFF / 100: a stuck scale
  blood_pressure: (r) => ({ ...r, systolic: 320, diastolic: 310 }) as ReadingPayload,
  spo2: (r) => ({ ...r, value: 127 }) as ReadingPayload,
  heart_rate: (r) => ({ ...r, value: 0 }) as ReadingPayload,
  body_temperature: (r) => ({ ...r, value: 4.2 }) as ReadingPayload,
};
const WRONG_UNIT: Record<string, string> = {
  body_weight: 'kgs',
  blood_pressure: 'mmHg',
  spo2: 'percent',
  heart_rate: 'bpm',
  body_temperature: 'C',
  respiratory_rate: 'breaths/min',
  blood_glucose: 'mmol',
};

/**
 * The message(s) a faulty device sends for `m` instead of `clean`: two identical copies for a
 * duplicate, one altered JSON reading otherwise. The altered reading keeps the clean messageId
 * with a suffix, so that a faulty value never takes the place of a good one.
 */
export function applyFault(clean: Outbound, m: SimMeasurement, fault: Fault): Outbound[] {
  if (fault.kind === 'duplicate') return [clean, clean];
  const messageId = `${clean.messageId}-${fault.kind}`;
  let reading = toJsonReading(m, messageId);
  switch (fault.kind) {
    case 'implausible':
      reading = (IMPLAUSIBLE[m.type] ?? ((r) => r))(reading);
      break;
    case 'wrong_unit':
      if ('unit' in reading) reading = { ...reading, unit: WRONG_UNIT[m.type] ?? 'units' };
      break;
    case 'clock_offset': {
      const shifted = new Date(m.measuredAt.getTime() + (fault.hours ?? 0) * 3_600_000);
      reading = { ...reading, measuredAt: shifted.toISOString() };
      break;
    }
  }
  return [{ kind: 'json', messageId, measuredAt: m.measuredAt, type: m.type, reading }];
}
