import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { hashSecret } from '../../server/auth/secrets.js';
import { createDeviceAuth } from '../../server/broker/deviceAuth.js';
import { openPglite, type Db } from '../../server/store/db.js';
import { migrate } from '../../server/store/migrate.js';

const DAY = 86_400_000;

describe('device sign-in at the embedded broker', () => {
  let db: Db;
  let device: { deviceId: string; secret: string };
  beforeAll(async () => {
    db = await openPglite('memory');
    await migrate(db);
    const ctx = { db };
    const org = (await runCommand(ctx, 'org add', { name: 'R', kind: 'region' })) as { id: string };
    const unit = (await runCommand(ctx, 'unit add', { org: org.id, name: 'U' })) as { id: string };
    const patient = (await runCommand(ctx, 'patient add', { unit: unit.id, name: 'P' })) as {
      id: string;
    };
    device = (await runCommand(ctx, 'device add', { patient: patient.id })) as typeof device;
  });
  afterAll(() => db.close());

  /** Makes the stored hash useless: only a remembered secret can still sign in. */
  const spoilStoredHash = async () =>
    db.query('UPDATE devices SET secret_hash = $2 WHERE id = $1', [
      device.deviceId,
      await hashSecret('another secret'),
    ]);
  const restoreHash = (hash: string) =>
    db.query('UPDATE devices SET secret_hash = $2 WHERE id = $1', [device.deviceId, hash]);

  it('lets a gateway back after days offline without checking its slow hash again, for a week', async () => {
    let now = Date.UTC(2026, 10, 1);
    const auth = createDeviceAuth(db, () => now);
    const secret = Buffer.from(device.secret);
    expect(await auth.check(device.deviceId, secret)).toBe('ok');
    const { rows } = await db.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM devices WHERE id = $1',
      [device.deviceId],
    );
    await spoilStoredHash();
    now += 3 * DAY; // a three-day outage
    expect(await auth.check(device.deviceId, secret)).toBe('ok');
    expect(await auth.check(device.deviceId, Buffer.from('a wrong secret'))).toBe(
      'bad_credentials',
    );
    now += 4 * DAY + 1; // past the week: the stored hash decides again
    expect(await auth.check(device.deviceId, secret)).toBe('bad_credentials');
    await restoreHash(rows[0]!.secret_hash);
  });

  it('forgets a revoked device at once', async () => {
    const auth = createDeviceAuth(db);
    const secret = Buffer.from(device.secret);
    expect(await auth.check(device.deviceId, secret)).toBe('ok');
    await runCommand({ db }, 'device revoke', { deviceId: device.deviceId });
    auth.forget(device.deviceId); // what the hub does on revocation
    expect(await auth.check(device.deviceId, secret)).toBe('revoked');
  });
});
