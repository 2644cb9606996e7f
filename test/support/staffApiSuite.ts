// The staff API over real HTTP against a real hub: sign-in, sessions, care-unit scoping, the
// audit trail and every endpoint of docs/api.md (embedded and services mode alike).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { reason } from '../../contract/reasons.js';
import type { Finding } from '../../server/rules/types.js';
import { apiClient as client, type Json } from './apiClient.js';
import { hubJson } from './cli.js';
import { startTestHub, type Mode, type TestEnv } from './hub.js';

const DAY = 86_400_000;

const finding = (rule: string, severity: Finding['severity']): Finding => ({
  rule,
  severity,
  reason: reason('pulse.high', { pulse: 120, limit: 110 }),
  values: {},
  threshold: { value: 1, source: 'default', reference: 'test' },
  readings: [],
});

interface Setup {
  units: { vc: string; home: string; other: string };
  patients: { shared: string; vcOnly: string; other: string };
  passwords: Record<string, string>;
  ids: Record<string, string>;
}

async function seed(env: TestEnv): Promise<Setup> {
  const ctx = { db: env.hub.db };
  const run = async (cmd: string, args: Record<string, unknown>) =>
    (await runCommand(ctx, cmd, args)) as { id: string; password: string };
  const region = await run('org add', { name: 'Region Test', kind: 'region' });
  const muni = await run('org add', { name: 'Kommun Test', kind: 'municipality' });
  const vc = (await run('unit add', { org: region.id, name: 'VC Gränby' })).id;
  const home = (await run('unit add', { org: muni.id, name: 'Hemsjukvård Norr' })).id;
  const other = (await run('unit add', { org: region.id, name: 'VC Annan' })).id;
  const shared = (await run('patient add', { unit: vc, name: 'Delad Patient' })).id;
  await env.hub.db.query(
    'INSERT INTO care_relationships (patient_id, care_unit_id) VALUES ($1, $2)',
    [shared, home],
  );
  const vcOnly = (await run('patient add', { unit: vc, name: 'Bara VC' })).id;
  const otherP = (await run('patient add', { unit: other, name: 'Annan Patient' })).id;
  const passwords: Record<string, string> = {};
  const ids: Record<string, string> = {};
  for (const [username, unit, role] of [
    ['nurse.vc', vc, 'nurse'],
    ['nurse.home', home, 'nurse'],
    ['admin.vc', vc, 'admin'],
    ['doc.other', other, 'physician'],
    ['locked.user', vc, 'nurse'],
  ] as const) {
    const s = await run('staff add', { unit, username, role, name: `Name ${username}` });
    passwords[username] = s.password;
    ids[username] = s.id;
  }
  return {
    units: { vc, home, other },
    patients: { shared, vcOnly, other: otherP },
    passwords,
    ids,
  };
}

async function insertReadings(
  env: TestEnv,
  patientId: string,
  rows: { type: string; at: Date; value: number }[],
) {
  for (const [i, r] of rows.entries()) {
    await env.hub.db.query(
      `INSERT INTO readings (device_id, message_id, patient_id, type, measured_at, received_at, value, unit)
       VALUES ('dev_seed', $1, $2, $3, $4, $4, $5, $6)`,
      [
        `seed-${patientId}-${i}`,
        patientId,
        r.type,
        r.at.toISOString(),
        r.value,
        r.type === 'body_weight' ? 'kg' : '/min',
      ],
    );
    // what the ingest keeps beside each batch it stores (migration 008)
    await env.hub.db.query(
      `INSERT INTO latest_readings (patient_id, type, measured_at, value, unit)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (patient_id, type) DO UPDATE SET measured_at = EXCLUDED.measured_at,
         value = EXCLUDED.value, unit = EXCLUDED.unit
       WHERE latest_readings.measured_at < EXCLUDED.measured_at`,
      [patientId, r.type, r.at.toISOString(), r.value, r.type === 'body_weight' ? 'kg' : '/min'],
    );
  }
}

export function describeStaffApi(mode: Mode) {
  describe(`the staff API (${mode} mode)`, () => {
    let env: TestEnv;
    let s: Setup;
    let base: string;
    const as: Record<string, ReturnType<typeof client>> = {};

    beforeAll(async () => {
      env = await startTestHub(mode, { LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_S: '600' });
      base = env.hub.urls.http;
      s = await seed(env);
      for (const u of ['nurse.vc', 'nurse.home', 'admin.vc', 'doc.other']) {
        as[u] = client(base);
        expect((await as[u].signIn(u, s.passwords[u]!)).status).toBe(200);
      }
      const now = Date.now();
      const days = (d: number, h = 8) => new Date(now - d * DAY + h * 3_600_000 - 12 * 3_600_000);
      await insertReadings(env, s.patients.shared, [
        ...Array.from({ length: 12 }, (_, i) => ({
          type: 'body_weight',
          at: days(12 - i),
          value: 80 + (i % 2) * 0.2,
        })),
        // a high pulse on two days in a row, a normal day, then again: two alerts by default
        { type: 'heart_rate', at: days(10), value: 118 },
        { type: 'heart_rate', at: days(9), value: 119 },
        { type: 'heart_rate', at: days(8), value: 70 },
        { type: 'heart_rate', at: days(5), value: 121 },
      ]);
    });
    afterAll(() => env?.close());

    const auditActions = async (patientId: string) =>
      (
        await env.hub.db.query<{ action: string; staff_id: string; ip: string | null }>(
          'SELECT action, staff_id, ip FROM audit_log WHERE patient_id = $1 ORDER BY id',
          [patientId],
        )
      ).rows;

    describe('signing in', () => {
      it('gives the person and an httpOnly, SameSite=Strict session cookie', async () => {
        const c = client(base);
        const r = await c.signIn('nurse.vc', s.passwords['nurse.vc']!);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({
          id: s.ids['nurse.vc'],
          username: 'nurse.vc',
          displayName: 'Name nurse.vc',
          units: [{ id: s.units.vc, name: 'VC Gränby', role: 'nurse' }],
        });
        expect(r.setCookie).toMatch(/^th_session=[^;]+;/);
        expect(r.setCookie).toMatch(/HttpOnly/i);
        expect(r.setCookie).toMatch(/SameSite=Strict/i);
        const me = await c.call('GET', '/me');
        expect(me.status).toBe(200);
        expect(me.body.username).toBe('nurse.vc');
      });

      it('refuses a wrong password and an unknown name with the same 401', async () => {
        const wrong = await client(base).signIn('nurse.home', 'not-the-password');
        const unknown = await client(base).signIn('nobody.here', 'whatever');
        expect(wrong.status).toBe(401);
        expect(unknown.status).toBe(401);
        expect(wrong.body.error).toEqual(unknown.body.error);
        expect(wrong.body.error!.code).toBe('unauthenticated');
        expect(wrong.setCookie).toBeNull();
      });

      it('names the missing field of a sign-in', async () => {
        const r = await client(base).call('POST', '/session', { password: 'x' });
        expect(r.status).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'invalid', field: 'username' });
        const notJson = await fetch(`${base}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{nope',
        });
        expect(notJson.status).toBe(400);
        expect(((await notJson.json()) as Json).error!.code).toBe('invalid');
      });

      it('locks a username out after repeated failures with 429 and Retry-After, even for the right password', async () => {
        const c = client(base);
        for (let i = 0; i < 3; i++)
          expect((await c.signIn('locked.user', 'wrong')).status).toBe(401);
        const locked = await c.signIn('locked.user', s.passwords['locked.user']!);
        expect(locked.status).toBe(429);
        expect(locked.body.error!.code).toBe('too_many');
        expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(600);
        // another person is not held up by it
        expect((await client(base).signIn('nurse.home', s.passwords['nurse.home']!)).status).toBe(
          200,
        );
      });

      it('signs out: the session is gone on the server, not only in the browser', async () => {
        const c = client(base);
        await c.signIn('nurse.vc', s.passwords['nurse.vc']!);
        const kept = c.cookie;
        const out = await c.call('DELETE', '/session');
        expect(out.status).toBe(204);
        expect(out.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
        c.cookie = kept; // a copy of the old cookie no longer works
        expect((await c.call('GET', '/me')).status).toBe(401);
        // signing out again, or without a session, is harmless
        expect((await client(base).call('DELETE', '/session')).status).toBe(204);
      });

      it('a new password from the CLI (staff password) ends the old sessions and replaces the old password', async () => {
        const c = client(base);
        const old = s.passwords['nurse.home']!;
        await c.signIn('nurse.home', old);
        const cliEnv = {
          DATA_DIR: env.config.DATA_DIR,
          ADMIN_SOCKET: env.hub.urls.adminSocket,
          DATABASE_URL: env.config.DATABASE_URL,
          HUB_ID: env.config.HUB_ID,
        };
        const r = await hubJson<{ id: string; password: string }>(
          cliEnv,
          'staff',
          'password',
          'nurse.home',
        );
        expect(r.id).toBe(s.ids['nurse.home']);
        expect(r.password).not.toBe(old);
        expect((await c.call('GET', '/me')).status).toBe(401);
        expect((await client(base).signIn('nurse.home', old)).status).toBe(401);
        s.passwords['nurse.home'] = r.password;
        as['nurse.home'] = client(base);
        expect((await as['nurse.home'].signIn('nurse.home', r.password)).status).toBe(200);
      });
    });

    describe('without a session', () => {
      it('answers 401 on every endpoint but sign-in and the OpenAPI document', async () => {
        const anon = client(base);
        const p = s.patients.shared;
        for (const [method, path, body] of [
          ['GET', '/me'],
          ['GET', '/patients'],
          ['GET', `/patients/${p}`],
          ['GET', `/patients/${p}/readings?type=body_weight`],
          ['GET', `/patients/${p}/audit`],
          ['PUT', `/patients/${p}/frailty`, { level: 5 }],
          ['GET', `/patients/${p}/plan`],
          ['PUT', `/patients/${p}/plan`, { plan: {} }],
          ['POST', `/patients/${p}/plan/what-if`, { plan: {} }],
          ['GET', `/patients/${p}/devices`],
          ['POST', `/patients/${p}/devices`, {}],
          ['POST', '/devices/dev_x/revoke'],
          ['GET', '/alerts'],
          ['GET', '/alerts/alert_x'],
          ['POST', '/alerts/alert_x/acknowledge', {}],
          ['POST', '/alerts/alert_x/snooze', { minutes: 5, reason: 'r' }],
          ['POST', '/alerts/alert_x/resolve', { note: 'n' }],
        ] as [string, string, unknown?][]) {
          const r = await anon.call(method, path, body);
          expect(r.status, `${method} ${path}`).toBe(401);
          expect(r.body.error!.code).toBe('unauthenticated');
        }
        const doc = await anon.call('GET', '/openapi.json');
        expect(doc.status).toBe(200);
      });
    });

    describe('care-unit scoping', () => {
      it('lists only the patients a unit of the person follows; two units may follow one patient', async () => {
        const vc = await as['nurse.vc']!.call('GET', '/patients');
        expect(vc.status).toBe(200);
        expect(vc.body.map((p) => p.id).sort()).toEqual(
          [s.patients.shared, s.patients.vcOnly].sort(),
        );
        const home = await as['nurse.home']!.call('GET', '/patients');
        expect(home.body.map((p) => p.id)).toEqual([s.patients.shared]);
        const shared = home.body[0]!;
        expect((shared.units as { id: string }[]).map((u) => u.id).sort()).toEqual(
          [s.units.vc, s.units.home].sort(),
        );
        expect((shared.latest as Record<string, { value: number }>).heart_rate!.value).toBe(121);
      });

      it("answers 404, not 403, for another unit's patient on every patient endpoint", async () => {
        const c = as['nurse.vc']!;
        const p = s.patients.other;
        for (const [method, path, body] of [
          ['GET', `/patients/${p}`],
          ['GET', `/patients/${p}/readings?type=body_weight`],
          ['GET', `/patients/${p}/audit`],
          ['PUT', `/patients/${p}/frailty`, { level: 5 }],
          ['GET', `/patients/${p}/plan`],
          ['PUT', `/patients/${p}/plan`, { plan: {} }],
          ['POST', `/patients/${p}/plan/what-if`, { plan: {} }],
          ['GET', `/patients/${p}/devices`],
          ['POST', `/patients/${p}/devices`, {}],
          ['GET', '/patients/pat_doesnotexist'],
          ['PUT', '/patients/pat_doesnotexist/frailty', { level: 5 }],
        ] as [string, string, unknown?][]) {
          const r = await c.call(method, path, body);
          expect(r.status, `${method} ${path}`).toBe(404);
          expect(r.body.error!.code).toBe('not_found');
        }
        const alert = await env.hub.alerts.raise(p, finding('test.other', 'high'), new Date());
        expect((await c.call('GET', `/alerts/${alert.alertId}`)).status).toBe(404);
        expect((await c.call('POST', `/alerts/${alert.alertId}/acknowledge`, {})).status).toBe(404);
        const list = await c.call('GET', '/alerts');
        expect(list.body.some((a) => a.id === alert.alertId)).toBe(false);
        // the unit that follows the patient sees it
        const doc = await as['doc.other']!.call('GET', `/alerts/${alert.alertId}`);
        expect(doc.status).toBe(200);
      });

      it('refuses an admin without a clinical role clinical reads (403), but lets them manage devices and read the audit', async () => {
        const a = as['admin.vc']!;
        expect((await a.call('GET', '/patients')).body).toEqual([]);
        for (const path of [
          `/patients/${s.patients.shared}`,
          `/patients/${s.patients.shared}/readings?type=heart_rate`,
          `/patients/${s.patients.shared}/plan`,
        ]) {
          const r = await a.call('GET', path);
          expect(r.status, path).toBe(403);
          expect(r.body.error!.code).toBe('forbidden');
        }
        // nor assess frailty, a clinical judgement
        const frailty = await a.call('PUT', `/patients/${s.patients.vcOnly}/frailty`, { level: 4 });
        expect(frailty.status).toBe(403);
        expect(frailty.body.error!.code).toBe('forbidden');
        expect((await a.call('GET', `/patients/${s.patients.shared}/audit`)).status).toBe(200);
        const added = await a.call('POST', `/patients/${s.patients.vcOnly}/devices`, {
          label: 'våg',
        });
        expect(added.status).toBe(200);
        expect(added.body).toMatchObject({
          deviceId: expect.any(String),
          secret: expect.any(String),
        });
        const list = await a.call('GET', `/patients/${s.patients.vcOnly}/devices`);
        expect(list.body).toEqual([
          { id: added.body.deviceId, label: 'våg', createdAt: expect.any(String), revokedAt: null },
        ]);
        const revoked = await a.call('POST', `/devices/${String(added.body.deviceId)}/revoke`);
        expect(revoked.status).toBe(200);
        expect(revoked.body).toMatchObject({
          id: added.body.deviceId,
          revokedAt: expect.any(String),
        });
        // but not another unit's devices
        expect(
          (await as['doc.other']!.call('POST', `/devices/${String(added.body.deviceId)}/revoke`))
            .status,
        ).toBe(404);
      });
    });

    describe('patients', () => {
      it('shows one patient with the plan the rules use and the time zone', async () => {
        const r = await as['nurse.vc']!.call('GET', `/patients/${s.patients.shared}`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({
          id: s.patients.shared,
          displayName: 'Delad Patient',
          timeZone: 'Europe/Stockholm',
          frailty: null,
          frailtyAssessment: null,
          fixedContact: null,
          plannedMeasurements: [],
        });
        expect((r.body.plan as { weight: { gain3dKg: number } }).weight.gain3dKg).toBe(2);
      });

      it('gives raw readings with the weight reference, and names a bad query field', async () => {
        const c = as['nurse.home']!;
        const r = await c.call('GET', `/patients/${s.patients.shared}/readings?type=body_weight`);
        expect(r.status).toBe(200);
        expect(r.body.bucket).toBeNull();
        const points = r.body.points as { t: string; value: number; n: number }[];
        expect(points.length).toBe(12);
        expect(points[0]).toMatchObject({ value: expect.any(Number), n: 1 });
        const ref = r.body.reference as {
          baseline: { mean: number } | null;
          lines: { value: number }[];
        };
        expect(ref.baseline?.mean).toBeCloseTo(80.1, 0);
        expect(ref.lines[0]!.value).toBeCloseTo(ref.baseline!.mean + 2, 5);
        const hourly = await c.call(
          'GET',
          `/patients/${s.patients.shared}/readings?type=heart_rate&from=${new Date(Date.now() - 60 * DAY).toISOString()}`,
        );
        expect(hourly.body.bucket).toBe('hour');
        expect(hourly.body.reference).toBeNull();
        const daily = await c.call(
          'GET',
          `/patients/${s.patients.shared}/readings?type=heart_rate&from=${new Date(Date.now() - 200 * DAY).toISOString()}`,
        );
        expect(daily.body.bucket).toBe('day');
        expect((daily.body.points as unknown[]).length).toBe(4);
        for (const [q, field] of [
          ['', 'type'],
          ['type=sugar', 'type'],
          ['type=heart_rate&from=yesterday', 'from'],
        ]) {
          const bad = await c.call('GET', `/patients/${s.patients.shared}/readings?${q}`);
          expect(bad.status, q).toBe(400);
          expect(bad.body.error).toMatchObject({ code: 'invalid', field });
        }
      });

      it('reads and changes the plan, naming the field at fault', async () => {
        const c = as['nurse.vc']!;
        const p = s.patients.shared;
        const put = await c.call('PUT', `/patients/${p}/plan`, {
          plan: { weight: { gain3dKg: 1.5 } },
        });
        expect(put.status).toBe(200);
        expect(put.body.plan).toEqual({ weight: { gain3dKg: 1.5 } });
        expect((put.body.changes as { changedBy: string }[])[0]!.changedBy).toBe(s.ids['nurse.vc']);
        const get = await c.call('GET', `/patients/${p}/plan`);
        expect((get.body.resolved as { overridden: string[] }).overridden).toContain(
          'weight.gain3dKg',
        );
        for (const [plan, field] of [
          [{ weight: { gain3dKg: -1 } }, 'plan.weight.gain3dKg'],
          [{ wieght: {} }, 'plan.wieght'],
        ] as const) {
          const bad = await c.call('PUT', `/patients/${p}/plan`, { plan });
          expect(bad.status).toBe(400);
          expect(bad.body.error).toMatchObject({ code: 'invalid', field });
        }
        expect((await c.call('PUT', `/patients/${p}/plan`, {})).body.error!.field).toBe('plan');
      });

      it("refuses a plan whose MACD short span is not below its long one, the other span set or the default's, and stores nothing", async () => {
        const c = as['nurse.vc']!;
        const p = s.patients.shared;
        const before = await c.call('GET', `/patients/${p}/plan`);
        expect(before.status).toBe(200);
        for (const [macd, field] of [
          [{ shortDays: 9, longDays: 4 }, 'plan.weight.macd.shortDays'],
          [{ shortDays: 10, longDays: 10 }, 'plan.weight.macd.shortDays'],
          // the other span is the default's (3 / 10)
          [{ shortDays: 12 }, 'plan.weight.macd.shortDays'],
          [{ longDays: 3 }, 'plan.weight.macd.longDays'],
        ] as const) {
          const bad = await c.call('PUT', `/patients/${p}/plan`, { plan: { weight: { macd } } });
          expect(bad.status, JSON.stringify(macd)).toBe(400);
          expect(bad.body.error).toMatchObject({ code: 'invalid', field });
          expect(bad.body.error!.message).toMatch(/shortDays must be below longDays/);
          // and a plan nobody may store is no plan to replay either
          const whatIf = await c.call('POST', `/patients/${p}/plan/what-if`, {
            plan: { weight: { macd } },
          });
          expect(whatIf.status).toBe(400);
          expect(whatIf.body.error).toMatchObject({ code: 'invalid', field });
        }
        expect((await c.call('GET', `/patients/${p}/plan`)).body).toEqual(before.body);
        const good = await c.call('PUT', `/patients/${p}/plan`, {
          plan: {
            ...(before.body.plan as object),
            weight: { macd: { shortDays: 5, longDays: 12 } },
          },
        });
        expect(good.status).toBe(200);
        expect((good.body.resolved as { weight: { macd: object } }).weight.macd).toMatchObject({
          shortDays: 5,
          longDays: 12,
        });
        // put back what the later tests expect
        const back = await c.call('PUT', `/patients/${p}/plan`, { plan: before.body.plan });
        expect(back.status).toBe(200);
      });

      it('replays the last 90 days under the current and a proposed plan', async () => {
        const c = as['nurse.vc']!;
        const r = await c.call('POST', `/patients/${s.patients.shared}/plan/what-if`, {
          plan: { vitals: { pulse: { contactHigh: 125 } } },
        });
        expect(r.status).toBe(200);
        expect(r.body.days).toBe(90);
        expect((r.body.current as { byRule: Record<string, number> }).byRule['pulse.high']).toBe(2);
        expect(
          (r.body.proposed as { byRule: Record<string, number> }).byRule['pulse.high'],
        ).toBeUndefined();
        const bad = await c.call('POST', `/patients/${s.patients.shared}/plan/what-if`, {
          plan: { vitals: { pulse: { contactHigh: 'high' } } },
        });
        expect(bad.body.error).toMatchObject({
          code: 'invalid',
          field: 'plan.vitals.pulse.contactHigh',
        });
      });
    });

    describe('frailty', () => {
      /** Today where the seeded patients live, as the hub dates an assessment. */
      const today = () =>
        new Intl.DateTimeFormat('sv-SE', {
          timeZone: 'Europe/Stockholm',
          dateStyle: 'short',
        }).format(new Date());

      it('records an assessment dated today and signed by the nurse, and shows it with the patient', async () => {
        const c = as['nurse.vc']!;
        const p = s.patients.vcOnly;
        const put = await c.call('PUT', `/patients/${p}/frailty`, { level: 6 });
        expect(put.status).toBe(200);
        const nurse = { id: s.ids['nurse.vc'], displayName: 'Name nurse.vc' };
        expect(put.body).toEqual({
          level: 6,
          assessedAt: today(),
          assessedBy: nurse,
          recordedAt: expect.any(String),
        });
        expect(Date.now() - Date.parse(put.body.recordedAt as string)).toBeLessThan(60_000);
        const read = await c.call('GET', `/patients/${p}`);
        expect(read.body).toMatchObject({ frailty: 6, frailtyAssessment: put.body });
        const listed = (await c.call('GET', '/patients')).body.find((x) => x.id === p);
        expect(listed!.frailty).toBe(6);
        // the triage list's cards read the same level
        const alert = await env.hub.alerts.raise(p, finding('test.frail', 'low'), new Date());
        expect((await c.call('GET', `/alerts/${alert.alertId}`)).body.frailty).toBe(6);
        await env.hub.alerts.resolve(alert.alertId, s.ids['nurse.vc']!, 'test', new Date());
      });

      it('keeps the newest by assessment day as the level: a back-dated one joins the history only', async () => {
        const c = as['nurse.home']!;
        const p = s.patients.shared;
        const older = await c.call('PUT', `/patients/${p}/frailty`, {
          level: 3,
          assessedAt: '2025-01-15',
        });
        expect(older.body).toMatchObject({ level: 3, assessedAt: '2025-01-15' });
        const now = await c.call('PUT', `/patients/${p}/frailty`, { level: 7 });
        expect(now.body).toMatchObject({ level: 7, assessedAt: today() });
        const backDated = await c.call('PUT', `/patients/${p}/frailty`, {
          level: 2,
          assessedAt: '2025-03-01',
        });
        expect(backDated.status).toBe(200);
        expect(backDated.body).toEqual(now.body); // the current one: still today's
        const read = await as['nurse.vc']!.call('GET', `/patients/${p}`);
        expect(read.body).toMatchObject({
          frailty: 7,
          frailtyAssessment: { level: 7, assessedBy: { id: s.ids['nurse.home'] } },
        });
        const { rows } = await env.hub.db.query<{ level: number; assessed_on: string }>(
          `SELECT level, assessed_on::text AS assessed_on FROM frailty_assessments
           WHERE patient_id = $1 ORDER BY id`,
          [p],
        );
        expect(rows).toEqual([
          { level: 3, assessed_on: '2025-01-15' },
          { level: 7, assessed_on: today() },
          { level: 2, assessed_on: '2025-03-01' },
        ]);
      });

      it('audits each assessment as frailty.change with the level and the day', async () => {
        const p = s.patients.vcOnly;
        await as['nurse.vc']!.call('PUT', `/patients/${p}/frailty`, {
          level: 5,
          assessedAt: '2025-06-02',
        });
        const { rows } = await env.hub.db.query<{
          staff_id: string;
          detail: unknown;
          ip: string | null;
        }>(
          `SELECT staff_id, detail, ip FROM audit_log
           WHERE patient_id = $1 AND action = 'frailty.change' ORDER BY id`,
          [p],
        );
        expect(rows.map((r) => r.detail)).toEqual([
          { level: 6, assessedAt: today() },
          { level: 5, assessedAt: '2025-06-02' },
        ]);
        expect(rows.every((r) => r.staff_id === s.ids['nurse.vc'] && r.ip)).toBe(true);
        const trail = await as['admin.vc']!.call('GET', `/patients/${p}/audit`);
        expect(trail.body.some((e) => e.action === 'frailty.change')).toBe(true);
      });

      it('refuses a level outside 1-9, a day that is no day or after today, naming the field', async () => {
        const c = as['nurse.vc']!;
        const p = s.patients.vcOnly;
        const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
        for (const [body, field] of [
          [{ level: 0 }, 'level'],
          [{ level: 10 }, 'level'],
          [{ level: 4.5 }, 'level'],
          [{ level: '6' }, 'level'],
          [{}, 'level'],
          [{ level: 4, assessedAt: '2025-13-01' }, 'assessedAt'],
          [{ level: 4, assessedAt: 'yesterday' }, 'assessedAt'],
          [{ level: 4, assessedAt: tomorrow }, 'assessedAt'],
        ] as const) {
          const r = await c.call('PUT', `/patients/${p}/frailty`, body);
          expect(r.status, JSON.stringify(body)).toBe(400);
          expect(r.body.error).toMatchObject({ code: 'invalid', field });
        }
        // nothing of it was kept
        expect((await c.call('GET', `/patients/${p}`)).body.frailty).toBe(6);
      });

      it('lists the measurements each patient is planned to take', async () => {
        const c = as['nurse.vc']!;
        const p = s.patients.vcOnly;
        const plan = {
          measurements: [
            { type: 'body_weight' },
            { type: 'blood_pressure', dueBy: '09:00' },
            { type: 'body_weight', dueBy: '20:00' },
          ],
        };
        expect((await c.call('PUT', `/patients/${p}/plan`, { plan })).status).toBe(200);
        const list = (await c.call('GET', '/patients')).body;
        expect(list.find((x) => x.id === p)!.plannedMeasurements).toEqual([
          'body_weight',
          'blood_pressure',
        ]);
        expect(list.find((x) => x.id === s.patients.shared)!.plannedMeasurements).toEqual([]);
      });
    });

    describe('alerts', () => {
      it('lists unowned first, then by severity, and acknowledges, snoozes and resolves as the signed-in person', async () => {
        const c = as['nurse.home']!;
        const low = await env.hub.alerts.raise(
          s.patients.shared,
          finding('test.low', 'low'),
          new Date(),
        );
        const crit = await env.hub.alerts.raise(
          s.patients.shared,
          finding('test.crit', 'critical'),
          new Date(),
        );
        const list = await c.call('GET', '/alerts');
        expect(list.status).toBe(200);
        const ids = list.body.map((a) => a.id);
        expect(ids.indexOf(crit.alertId)).toBeLessThan(ids.indexOf(low.alertId));
        expect(list.body.find((a) => a.id === crit.alertId)).toMatchObject({
          patientId: s.patients.shared,
          patientName: 'Delad Patient',
          rule: 'test.crit',
          severity: 'critical',
          status: 'open',
          owner: null,
          // said in both languages from the stored code and parameters, which it carries too
          reason: {
            sv: 'Puls 120 slag/min: hög (över 110)',
            en: 'Pulse 120 beats/min: high (over 110)',
          },
          reasonCode: 'pulse.high',
          reasonParams: { pulse: 120, limit: 110 },
          reasonNotes: [],
          snoozedUntil: null,
        });

        const ack = await c.call('POST', `/alerts/${crit.alertId}/acknowledge`, { note: 'ringer' });
        expect(ack.status).toBe(200);
        expect(ack.body).toMatchObject({
          status: 'acknowledged',
          owner: { id: s.ids['nurse.home'], displayName: 'Name nurse.home' },
        });
        const badSnooze = await c.call('POST', `/alerts/${low.alertId}/snooze`, {
          minutes: 'ten',
          reason: 'x',
        });
        expect(badSnooze.body.error).toMatchObject({ code: 'invalid', field: 'minutes' });
        const tooLong = await c.call('POST', `/alerts/${crit.alertId}/snooze`, {
          minutes: 60,
          reason: 'x',
        });
        expect(tooLong.body.error).toMatchObject({ code: 'invalid', field: 'minutes' });
        const snoozed = await c.call('POST', `/alerts/${low.alertId}/snooze`, {
          minutes: 30,
          reason: 'väntar',
        });
        expect(snoozed.status).toBe(200);
        expect(snoozed.body.snoozedUntil).toEqual(expect.any(String));
        // the snooze is this person's: the other unit's nurse is still reminded
        const other = await as['nurse.vc']!.call('GET', `/alerts/${low.alertId}`);
        expect(other.body.snoozedUntil).toBeNull();
        expect(
          (await c.call('POST', `/alerts/${crit.alertId}/resolve`, {})).body.error!.field,
        ).toBe('note');
        const resolved = await c.call('POST', `/alerts/${crit.alertId}/resolve`, { note: 'klart' });
        expect(resolved.body.status).toBe('resolved');
        expect(
          (await c.call('POST', `/alerts/${crit.alertId}/resolve`, { note: 'igen' })).status,
        ).toBe(409);
        const one = await c.call('GET', `/alerts/${crit.alertId}`);
        expect((one.body.history as { kind: string }[]).map((h) => h.kind)).toEqual([
          'opened',
          'acknowledged',
          'resolved',
        ]);
        expect((one.body.history as { actor: unknown }[])[1]!.actor).toEqual({
          id: s.ids['nurse.home'],
          displayName: 'Name nurse.home',
        });
        const done = await c.call('GET', '/alerts?status=resolved');
        expect(done.body.map((a) => a.id)).toContain(crit.alertId);
        expect((await c.call('GET', '/alerts?status=gone')).body.error!.field).toBe('status');
        expect((await c.call('GET', '/alerts/alert_nope')).status).toBe(404);
      });
    });

    describe('the audit trail', () => {
      it('records every read of a patient by a person, with where from, for the unit and its admins to list', async () => {
        const p = s.patients.vcOnly;
        const c = as['nurse.vc']!;
        await c.call('GET', `/patients/${p}`);
        await c.call('GET', `/patients/${p}/readings?type=spo2`);
        await c.call('GET', `/patients/${p}/plan`);
        await c.call('GET', `/patients/${p}/devices`);
        const actions = (await auditActions(p)).filter((a) => a.staff_id === s.ids['nurse.vc']);
        expect(actions.map((a) => a.action)).toEqual(
          expect.arrayContaining([
            'patients.list',
            'patient.read',
            'readings.read',
            'plan.read',
            'devices.read',
          ]),
        );
        expect(actions.every((a) => a.ip)).toBe(true);
        const listed = await as['admin.vc']!.call('GET', `/patients/${p}/audit`);
        expect(listed.status).toBe(200);
        expect(listed.body[0]).toMatchObject({
          staffId: expect.any(String),
          staffName: expect.any(String),
          at: expect.any(String),
        });
        const readsByNurse = listed.body.filter((e) => e.staffId === s.ids['nurse.vc']);
        expect(readsByNurse[0]!.action).toBe('devices.read'); // newest first
        expect(readsByNurse[0]!.ip).toEqual(expect.any(String));
        // the shared patient's reads by the other unit are there too
        const shared = await as['nurse.vc']!.call('GET', `/patients/${s.patients.shared}/audit`);
        expect(
          shared.body.some(
            (e) => e.staffId === s.ids['nurse.home'] && e.action === 'readings.read',
          ),
        ).toBe(true);
      });

      it('cannot be changed, not even in the database', async () => {
        await expect(env.hub.db.query("UPDATE audit_log SET action = 'nothing'")).rejects.toThrow(
          /append-only/,
        );
        await expect(env.hub.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      });
    });

    it('serves an OpenAPI document generated from the schemas', async () => {
      const r = await client(base).call('GET', '/openapi.json');
      const paths = r.body.paths as Record<string, Record<string, { requestBody?: unknown }>>;
      expect(r.body.openapi).toBe('3.1.0');
      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining([
          '/session',
          '/me',
          '/patients/{id}/plan/what-if',
          '/alerts/{id}/snooze',
        ]),
      );
      expect(JSON.stringify(paths['/alerts/{id}/snooze']!.post!.requestBody)).toContain('minutes');
    });
  });

  describe(`staff sessions end (${mode} mode)`, () => {
    let env: TestEnv;
    let password: string;
    beforeAll(async () => {
      env = await startTestHub(mode, {
        // seconds apart, so that a slow request on a busy machine does not look like idleness
        SESSION_IDLE_TIMEOUT_S: '2',
        SESSION_MAX_AGE_S: '6',
        LOGIN_MAX_FAILURES: '100',
        LOGIN_MAX_FAILURES_PER_IP: '4',
      });
      const ctx = { db: env.hub.db };
      const org = (await runCommand(ctx, 'org add', { name: 'R', kind: 'region' })) as {
        id: string;
      };
      const unit = (await runCommand(ctx, 'unit add', { org: org.id, name: 'U' })) as {
        id: string;
      };
      password = (
        (await runCommand(ctx, 'staff add', {
          unit: unit.id,
          username: 'idle.nurse',
          role: 'nurse',
        })) as {
          password: string;
        }
      ).password;
    });
    afterAll(() => env?.close());
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('after the idle timeout without a request', async () => {
      const c = client(env.hub.urls.http);
      expect((await c.signIn('idle.nurse', password)).status).toBe(200);
      expect((await c.call('GET', '/me')).status).toBe(200);
      await sleep(2300);
      expect((await c.call('GET', '/me')).status).toBe(401);
    });

    it('after the maximum age even while in use', async () => {
      const c = client(env.hub.urls.http);
      await c.signIn('idle.nurse', password);
      const signedIn = Date.now(); // the session began before this: it ends by signedIn + 6 s
      let uses = 0;
      // in use every half second, well inside the idle timeout, until shortly before the maximum
      while (Date.now() - signedIn < 4000) {
        await sleep(500);
        expect((await c.call('GET', '/me')).status).toBe(200);
        uses++;
      }
      expect(uses).toBeGreaterThanOrEqual(3);
      await sleep(Math.max(0, 6300 - (Date.now() - signedIn)));
      expect((await c.call('GET', '/me')).status).toBe(401);
    });

    it('and one address is slowed down after repeated failures across usernames', async () => {
      const c = client(env.hub.urls.http);
      for (const name of ['a1', 'a2', 'a3', 'a4'])
        expect((await c.signIn(name, 'x')).status).toBe(401);
      const r = await c.signIn('idle.nurse', password);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
}
