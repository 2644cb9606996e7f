// A patient's devices: registered with a secret shown once, listed, revoked. The embedded broker
// checks credentials here and the rules find the devices a re-measurement request can reach.
// The ingest's batch checks its devices with the query in batchDevices.ts.
import { generateSecret, hashSecret } from '../auth/secrets.js';
import { DomainError } from '../errors.js';
import type { Queryable } from '../store/db.js';
import { newId } from '../store/ids.js';
import { mustExist } from './exists.js';

export interface NewDevice {
  patientId: string;
  label?: string | null | undefined;
}
export interface AddedDevice {
  deviceId: string;
  /** Shown only this once: the device's MQTT password. Only its scrypt hash is stored. */
  secret: string;
}
export interface RevokedDevice {
  deviceId: string;
  /** When it was revoked (the first time, when revoked again), ISO 8601. */
  revokedAt: string;
}
export interface DeviceView {
  id: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}
export interface DeviceCredentials {
  secretHash: string;
  revoked: boolean;
}

/** Registers a device to a patient; `not_found` (field `patient`) when there is no such patient. */
export async function addDevice(db: Queryable, input: NewDevice): Promise<AddedDevice> {
  await mustExist(db, 'patient', input.patientId, 'patient');
  const deviceId = newId('dev');
  const secret = generateSecret();
  await db.query(
    'INSERT INTO devices (id, patient_id, secret_hash, label) VALUES ($1, $2, $3, $4)',
    [deviceId, input.patientId, await hashSecret(secret), input.label ?? null],
  );
  return { deviceId, secret };
}

/**
 * Revokes a device at once: it can no longer connect or deliver readings. Revoking again keeps
 * the first time. `not_found` (field `deviceId`) when there is no such device. The caller tells
 * a running broker to drop its connection.
 */
export async function revokeDevice(db: Queryable, deviceId: string): Promise<RevokedDevice> {
  const { rows } = await db.query<{ revoked_at: string }>(
    `UPDATE devices SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1
     RETURNING to_json(revoked_at)#>>'{}' AS revoked_at`,
    [deviceId],
  );
  if (!rows[0]) throw new DomainError('not_found', `device ${deviceId} does not exist`, 'deviceId');
  return { deviceId, revokedAt: rows[0].revoked_at };
}

type DeviceRow = { id: string; label: string | null; created_at: Date; revoked_at: Date | null };

const deviceView = (d: DeviceRow): DeviceView => ({
  id: d.id,
  label: d.label,
  createdAt: new Date(d.created_at).toISOString(),
  revokedAt: d.revoked_at ? new Date(d.revoked_at).toISOString() : null,
});

/** The patient's devices, revoked ones too, oldest first. */
export async function listDevices(db: Queryable, patientId: string): Promise<DeviceView[]> {
  const { rows } = await db.query<DeviceRow>(
    'SELECT id, label, created_at, revoked_at FROM devices WHERE patient_id = $1 ORDER BY created_at, id',
    [patientId],
  );
  return rows.map(deviceView);
}

/** A device with its patient and the patient's time zone, or null when there is no such device. */
export async function deviceOf(
  db: Queryable,
  deviceId: string,
): Promise<(DeviceView & { patientId: string; timeZone: string }) | null> {
  const { rows } = await db.query<DeviceRow & { patient_id: string; time_zone: string }>(
    `SELECT d.id, d.label, d.created_at, d.revoked_at, d.patient_id, p.time_zone
     FROM devices d JOIN patients p ON p.id = d.patient_id WHERE d.id = $1`,
    [deviceId],
  );
  const d = rows[0];
  return d ? { ...deviceView(d), patientId: d.patient_id, timeZone: d.time_zone } : null;
}

/** What the broker checks a connecting device against, or null when there is no such device. */
export async function deviceCredentials(
  db: Queryable,
  deviceId: string,
): Promise<DeviceCredentials | null> {
  const { rows } = await db.query<{ secret_hash: string; revoked: boolean }>(
    'SELECT secret_hash, revoked_at IS NOT NULL AS revoked FROM devices WHERE id = $1',
    [deviceId],
  );
  const device = rows[0];
  return device ? { secretHash: device.secret_hash, revoked: device.revoked } : null;
}

/** The patient's devices that can still be reached (not revoked), oldest first. */
export async function devicesOfPatient(db: Queryable, patientId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM devices WHERE patient_id = $1 AND revoked_at IS NULL ORDER BY created_at',
    [patientId],
  );
  return rows.map((r) => r.id);
}
