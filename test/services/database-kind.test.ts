// CI runs this suite twice, against plain PostgreSQL and against TimescaleDB (.ci/run), and says
// which in TEST_DATABASE_KIND: this makes sure each run really tested the one it names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestEnv } from '../support/hub.js';

const expected = process.env.TEST_DATABASE_KIND;

describe('the database the services suite runs on', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestHub('services');
  });
  afterAll(async () => {
    await env?.close();
  });

  it.runIf(expected)(`is ${expected ?? 'what TEST_DATABASE_KIND names'}`, () => {
    expect(env.hub.mode.database).toBe(expected);
  });

  it('is PostgreSQL, with or without TimescaleDB', () => {
    expect(['postgres', 'timescaledb']).toContain(env.hub.mode.database);
  });
});
