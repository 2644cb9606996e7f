// What comes back on a device's receipts topic, checked at the boundary: a receipt per reading,
// or a notice for the patient (measure again, a reminder). Anything else is counted, not trusted.
import { z } from 'zod';
import {
  patientNoticeSchema,
  receiptSchema,
  type PatientNotice,
  type Receipt,
} from '../../devices/contract.js';

export type Inbound =
  | { kind: 'receipt'; receipt: Receipt }
  | { kind: 'notice'; notice: PatientNotice }
  | { kind: 'unreadable'; text: string };

const inboundSchema = z.union([patientNoticeSchema, receiptSchema]);

export function parseInbound(payload: Buffer): Inbound {
  const text = payload.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'unreadable', text };
  }
  const parsed = inboundSchema.safeParse(json);
  if (!parsed.success) return { kind: 'unreadable', text };
  return 'notice' in parsed.data
    ? { kind: 'notice', notice: parsed.data }
    : { kind: 'receipt', receipt: parsed.data };
}

/** A rejection because the hub no longer accepts this device (services mode answers so). */
export const isRevokedReceipt = (r: Receipt) => r.reason === 'revoked_device';

/** The device is not registered: possibly another hub's answer on a shared broker. */
export const isUnknownDeviceReceipt = (r: Receipt) => r.reason === 'unknown_device';
