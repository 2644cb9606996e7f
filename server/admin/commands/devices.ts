// The admin commands for patients' devices: registering one (its secret shown once) and revoking
// it, which a running hub is told of so that it drops the connection at once.
import { z } from 'zod';
import { addDevice, revokeDevice } from '../../registry/index.js';
import { define, id } from './define.js';

export const deviceCommands = {
  'device add': define({
    summary: 'register a device to a patient; prints its secret once',
    args: z.object({ patient: id, label: z.string().max(100).optional() }),
    run: ({ db }, a) => addDevice(db, { patientId: a.patient, label: a.label }),
    describe: (r) =>
      `device ${r.deviceId}\nsecret ${r.secret}\n(the secret is shown only this once: give it to the device as its MQTT password)`,
  }),

  'device revoke': define({
    summary: 'revoke a device: it can no longer connect or deliver readings',
    positional: ['deviceId'],
    args: z.object({ deviceId: id }),
    async run(ctx, a) {
      const revoked = await revokeDevice(ctx.db, a.deviceId);
      ctx.onDeviceRevoked?.(a.deviceId);
      return revoked;
    },
    describe: (r) => `device ${r.deviceId} revoked at ${r.revokedAt}`,
  }),
};
