// Device credentials for the embedded broker: username = device id, password = its secret.
// The slow hash is checked once; a digest of a verified secret is remembered for a while so that
// a reconnect storm of gateways does not cost a scrypt each.
import { createHash } from 'node:crypto';
import { DEVICE_ID } from '../../devices/contract.js';
import { verifySecret } from '../auth/secrets.js';
import { deviceCredentials } from '../registry/index.js';
import type { Queryable } from '../store/db.js';

export type AuthResult = 'ok' | 'bad_credentials' | 'revoked';

// A week: gateways that were offline for days (a rural outage, a patient away) come back
// together, and each scrypt costs ~50 ms of a core (10,000 gateways: minutes of both cores).
// What is kept is a SHA-256 of a 256-bit random secret, only in this process's memory, and a
// revoked device is forgotten at once (`forget`).
const REMEMBER_MS = 7 * 86_400_000;
const REMEMBER_MAX = 100_000;

export function createDeviceAuth(db: Queryable, now: () => number = Date.now) {
  const verified = new Map<string, { digest: string; until: number }>();
  const digest = (secret: Buffer) => createHash('sha256').update(secret).digest('hex');

  async function check(deviceId: string, secret: Buffer): Promise<AuthResult> {
    if (!DEVICE_ID.test(deviceId)) return 'bad_credentials';
    const known = verified.get(deviceId);
    if (known && known.until > now() && known.digest === digest(secret)) return 'ok';

    const device = await deviceCredentials(db, deviceId);
    if (!device) return 'bad_credentials';
    if (device.revoked) return 'revoked';
    if (!(await verifySecret(secret.toString('utf8'), device.secretHash))) {
      return 'bad_credentials';
    }
    if (verified.size >= REMEMBER_MAX) verified.delete(verified.keys().next().value!);
    verified.set(deviceId, { digest: digest(secret), until: now() + REMEMBER_MS });
    return 'ok';
  }

  return {
    check,
    forget: (deviceId: string) => verified.delete(deviceId),
  };
}
export type DeviceAuth = ReturnType<typeof createDeviceAuth>;
