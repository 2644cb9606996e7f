// The admin CLI against a running hub (embedded: through its admin socket) or, with no hub
// running, against the database itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../../server/auth/secrets.js';
import { hubCli, hubJson } from './cli.js';
import { connectDevice, weight } from './device.js';
import { startTestHub, type Mode, type TestEnv } from './hub.js';

export function describeAdminCli(mode: Mode) {
  describe(`the admin CLI (${mode} mode, hub running)`, () => {
    let env: TestEnv;
    let cliEnv: Record<string, string | undefined>;
    beforeAll(async () => {
      env = await startTestHub(mode);
      cliEnv = {
        DATA_DIR: env.config.DATA_DIR,
        ADMIN_SOCKET: env.hub.urls.adminSocket,
        DATABASE_URL: env.config.DATABASE_URL,
        HUB_ID: env.config.HUB_ID,
      };
    });
    afterAll(() => env?.close());

    it('registers an organisation, a unit, a patient and a device, and lists its readings', async () => {
      const org = await hubJson(
        cliEnv,
        'org',
        'add',
        '--name',
        'Region Uppsala',
        '--kind',
        'region',
      );
      const unit = await hubJson(
        cliEnv,
        'unit',
        'add',
        '--org',
        org.id!,
        '--name',
        'Vårdcentral Gränby',
      );
      const patient = await hubJson(
        cliEnv,
        'patient',
        'add',
        '--unit',
        unit.id!,
        '--name',
        'Patient A',
      );
      const device = await hubJson(cliEnv, 'device', 'add', '--patient', patient.id!);
      expect(org.id).toMatch(/^org_/);
      expect(device.deviceId).toMatch(/^[A-Za-z0-9_-]{4,64}$/);
      expect(device.secret!.length).toBeGreaterThanOrEqual(43);

      const { rows } = await env.hub.db.query<{ secret_hash: string }>(
        'SELECT secret_hash FROM devices WHERE id = $1',
        [device.deviceId],
      );
      expect(rows[0]!.secret_hash).not.toContain(device.secret);
      expect(await verifySecret(device.secret!, rows[0]!.secret_hash)).toBe(true);

      const d = await connectDevice(env.mqttUrl, device.deviceId!, device.secret!);
      await d.publish(weight(82.4));
      await d.publish({ ...weight(0), type: 'body_temperature', value: 98.6, unit: '[degF]' });
      await d.waitForReceipts(2);
      await d.close();

      const readings = await hubJson<{ type: string; value: number; unit: string }[]>(
        cliEnv,
        'readings',
        '--patient',
        patient.id!,
      );
      expect(readings.map((r) => [r.type, r.value, r.unit]).sort()).toEqual([
        ['body_temperature', 37, 'Cel'],
        ['body_weight', 82.4, 'kg'],
      ]);

      const human = await hubCli(cliEnv, 'readings', '--patient', patient.id!);
      expect(human.stdout).toMatch(/body_weight +82\.4 kg/);
    });

    it('revokes a device, which can then no longer deliver readings', async () => {
      const org = await hubJson(
        cliEnv,
        'org',
        'add',
        '--name',
        'Knivsta',
        '--kind',
        'municipality',
      );
      const unit = await hubJson(cliEnv, 'unit', 'add', '--org', org.id!, '--name', 'Hemsjukvård');
      const patient = await hubJson(cliEnv, 'patient', 'add', '--unit', unit.id!, '--name', 'B');
      const device = await hubJson(cliEnv, 'device', 'add', '--patient', patient.id!);
      const revoked = await hubJson(cliEnv, 'device', 'revoke', device.deviceId!);
      expect(revoked).toMatchObject({ deviceId: device.deviceId });
      if (mode === 'embedded') {
        await expect(connectDevice(env.mqttUrl, device.deviceId!, device.secret!)).rejects.toThrow(
          /Not authorized/,
        );
      } else {
        const d = await connectDevice(env.mqttUrl, device.deviceId!, device.secret!);
        await d.publish(weight());
        expect((await d.waitForReceipts(1))[0]).toMatchObject({ status: 'rejected' });
        await d.close();
      }
    });

    it('says what is wrong, on stderr with a non-zero exit, and prints nothing on stdout', async () => {
      const missing = await hubCli(
        cliEnv,
        'unit',
        'add',
        '--org',
        'org_nothere',
        '--name',
        'X',
        '--json',
      );
      expect(missing).toMatchObject({ code: 1, stdout: '' });
      expect(missing.stderr).toMatch(/organisation org_nothere does not exist/);

      const bad = await hubCli(cliEnv, 'org', 'add', '--name', 'X', '--kind', 'county', '--json');
      expect(bad).toMatchObject({ code: 1, stdout: '' });
      expect(bad.stderr).toMatch(/--kind: .*region.*municipality/);

      const unknown = await hubCli(cliEnv, 'org', 'delete');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/usage: npm run hub/);
    });
  });
}
