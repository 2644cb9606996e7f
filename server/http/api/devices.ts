// A patient's devices: listed and added by the units that follow the patient (admins manage
// devices too), revoked at once. Adding prints the secret once.
import { Router } from 'express';
import { z } from 'zod';
import {
  addDeviceSchema,
  addedDeviceSchema,
  deviceSchema,
  revokedDeviceSchema,
} from '../../../contract/devices.js';
import { audit, requirePatient, viewerOf, type ApiDeps } from './context.js';
import { DomainError } from '../../errors.js';
import { parseInput } from './errors.js';
import type { RouteDoc } from './openapiTypes.js';
import { addDevice, listDevices, patientOfDevice, revokeDevice } from '../../registry/index.js';

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
];

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
    const patientId = await patientOfDevice(db, deviceId);
    const notFound = new DomainError('not_found', `device ${deviceId} does not exist`);
    if (!patientId) throw notFound;
    await requirePatient(deps, viewer, patientId, 'manage').catch((err: unknown) => {
      throw err instanceof DomainError && err.code === 'not_found' ? notFound : err;
    });
    const out = await revokeDevice(db, deviceId);
    deps.deviceRevoked(deviceId);
    await audit(deps, req, viewer, [patientId], 'device.revoke', { deviceId });
    res.json({ id: out.deviceId, revokedAt: new Date(out.revokedAt).toISOString() });
  });

  return r;
}
