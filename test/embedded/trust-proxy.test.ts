// The audit log's "from where" behind a reverse proxy: the client's address comes from
// X-Forwarded-For only when TRUST_PROXY names the proxy; otherwise the header is ignored, so
// that nobody can write an address of their choosing into the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { registerPatientWithDevice, startTestHub, type TestEnv } from '../support/hub.js';
import { signIn } from '../support/realtimeSuite.js';

const CLIENT = '203.0.113.7'; // TEST-NET-3: a documentation address

async function readAs(env: TestEnv): Promise<(string | null)[]> {
  const reg = await registerPatientWithDevice(env.hub);
  const nurse = (await runCommand({ db: env.hub.db }, 'staff add', {
    unit: reg.unitId,
    username: 'nurse.proxy',
    role: 'nurse',
  })) as { id: string; password: string };
  const cookie = await signIn(env.hub.urls.http, 'nurse.proxy', nurse.password);
  // the proxy (here: this test, on loopback) says who the client is
  const res = await fetch(`${env.hub.urls.http}/api/v1/patients/${reg.patientId}`, {
    headers: { cookie, 'x-forwarded-for': CLIENT },
  });
  expect(res.status).toBe(200);
  const { rows } = await env.hub.db.query<{ ip: string | null }>(
    'SELECT ip FROM audit_log WHERE patient_id = $1 AND staff_id = $2',
    [reg.patientId, nurse.id],
  );
  return rows.map((r) => r.ip);
}

describe('the client address behind a reverse proxy (TRUST_PROXY)', () => {
  const envs: TestEnv[] = [];
  afterAll(async () => {
    for (const e of envs) await e.close();
  });

  describe('with the proxy named', () => {
    let env: TestEnv;
    beforeAll(async () => {
      env = await startTestHub('embedded', { TRUST_PROXY: 'loopback' });
      envs.push(env);
    });

    it("records the client's address from X-Forwarded-For", async () => {
      expect(await readAs(env)).toEqual([CLIENT]);
    });
  });

  describe('unset', () => {
    let env: TestEnv;
    beforeAll(async () => {
      env = await startTestHub('embedded');
      envs.push(env);
    });

    it("ignores X-Forwarded-For and records the connection's own address", async () => {
      const ips = await readAs(env);
      expect(ips).toHaveLength(1);
      expect(ips[0]).not.toBe(CLIENT);
      expect(ips[0]).toMatch(/127\.0\.0\.1|::1/);
    });
  });
});
