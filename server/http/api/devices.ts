// A patient's devices: listed and added by the units that follow the patient (admins manage
// devices too), revoked at once, and each one's log for troubleshooting (what it delivered, what
// was refused and why). Adding prints the secret once.
import { Router } from 'express';
import { z } from 'zod';
import {
  addDeviceSchema,
  addedDeviceSchema,
  deviceLogQuerySchema,
  deviceLogSchema,
  deviceSchema,
  revokedDeviceSchema,
  type DeviceLog,
} from '../../../contract/devices.js';
import type { Viewer } from '../../auth/sessions.js';
import { audit, requirePatient, viewerOf, type ApiDeps } from './context.js';
import { DomainError } from '../../errors.js';
import { parseInput } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';
import { addDevice, deviceOf, listDevices, revokeDevice } from '../../registry/index.js';
import { deviceLog } from '../../store/deviceLog.js';

/** What a device's log shows by default, and the window of its counts. */
const LOG_LIMIT = 50;
const RECENT_MS = 7 * 86_400_000;

export const deviceRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/patients/{id}/devices',
    summary: "The patient's devices",
    response: z.array(deviceSchema),
  },
  {
    method: 'post',
    path: '/patients/{id}/devices',
    summary: 'Register a device; its secret is shown once',
    body: addDeviceSchema,
    response: addedDeviceSchema,
  },
  {
    method: 'post',
    path: '/devices/{id}/revoke',
    summary: 'Revoke a device at once',
    response: revokedDeviceSchema,
  },
  {
    method: 'get',
    path: '/devices/{id}/log',
    summary:
      "A device's log for troubleshooting: last reading received, newest readings and refused messages with their reasons, the last 7 days' counts",
    query: deviceLogQuerySchema,
    response: deviceLogSchema,
  },
];

/**
 * The device, when the person may manage its patient's devices: 404 alike for no such device
 * and for one of a patient outside the person's units, so that existence does not leak.
 */
async function manageableDevice(deps: ApiDeps, viewer: Viewer, deviceId: string) {
  const device = await deviceOf(deps.db, deviceId);
  const notFound = new DomainError('not_found', `device ${deviceId} does not exist`);
  if (!device) throw notFound;
  await requirePatient(deps, viewer, device.patientId, 'manage').catch((err: unknown) => {
    throw err instanceof DomainError && err.code === 'not_found' ? notFound : err;
  });
  return device;
}

export function devicesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;

  r.get('/patients/:id/devices', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    await requirePatient(deps, viewer, id, 'manage');
    const devices = await listDevices(db, id);
    await audit(deps, req, viewer, [id], 'devices.read');
    res.json(devices);
  });

  r.post('/patients/:id/devices', async (req, res) => {
    const viewer = viewerOf(res);
    const id = req.params.id;
    const body = parseInput(addDeviceSchema, req.body ?? {});
    await requirePatient(deps, viewer, id, 'manage');
    const added = await addDevice(db, { patientId: id, label: body.label });
    await audit(deps, req, viewer, [id], 'device.add', { deviceId: added.deviceId });
    res.json(added);
  });

  r.post('/devices/:id/revoke', async (req, res) => {
    const viewer = viewerOf(res);
    const deviceId = req.params.id;
    const { patientId } = await manageableDevice(deps, viewer, deviceId);
    const out = await revokeDevice(db, deviceId);
    deps.deviceRevoked(deviceId);
    await audit(deps, req, viewer, [patientId], 'device.revoke', { deviceId });
    res.json({ id: out.deviceId, revokedAt: new Date(out.revokedAt).toISOString() });
  });

  r.get('/devices/:id/log', async (req, res) => {
    const viewer = viewerOf(res);
    const q = parseInput(deviceLogQuerySchema, req.query);
    const device = await manageableDevice(deps, viewer, req.params.id);
    const log = await deviceLog(
      db,
      { deviceId: device.id, patientId: device.patientId },
      { limit: q.limit ?? LOG_LIMIT, since: new Date(deps.now().getTime() - RECENT_MS) },
    );
    await audit(deps, req, viewer, [device.patientId], 'device.log.read', { deviceId: device.id });
    res.json({ device, ...log } satisfies DeviceLog);
  });

  return r;
}
