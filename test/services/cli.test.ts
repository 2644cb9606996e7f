import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubJson } from '../support/cli.js';
import { describeAdminCli } from '../support/cliSuite.js';
import { createTestDatabase } from '../support/hub.js';

describeAdminCli('services');

describe('the admin CLI with no hub running (services mode)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('migrates and manages the PostgreSQL database directly', async () => {
    const env = { DATABASE_URL: db.url, ADMIN_SOCKET: '/nonexistent/hub.sock' };
    const org = await hubJson(env, 'org', 'add', '--name', 'Region', '--kind', 'region');
    const unit = await hubJson(env, 'unit', 'add', '--org', org.id!, '--name', 'VC');
    const patient = await hubJson(env, 'patient', 'add', '--unit', unit.id!, '--name', 'P');
    expect(await hubJson(env, 'readings', '--patient', patient.id!)).toEqual([]);
  });
});
