// The on-call roster over the staff API and the admin CLI, against a real hub (embedded and
// services mode alike): who may read and
// change it, and its rules held by the database's contents (overlap, membership, order). Then
// what it is for: an alert escalated to the on-call level reaches the on-call unit and the
// person on call, through the API and the live feed, audited as access by escalation, and an
// email arrives at a real SMTP server; where nobody is on call, the unit's admins are alerted.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { isGranted } from '../../server/alerts/views.js';
import { apiClient, type ApiClient } from './apiClient.js';
import { hubCli, hubJson } from './cli.js';
import { finding } from './finding.js';
import { startTestHub, type Mode, type TestEnv } from './hub.js';
import { openDashboard, signIn, waitFor } from './realtimeSuite.js';
import { startSmtpServer, type TestSmtp } from './smtp.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const PUBLIC_URL = 'https://hemvard.example.se/';
const mailOf = (username: string) => `${username}@example.se`;

export function describeOnCall(mode: Mode) {
  describe(`the on-call roster (${mode} mode)`, () => {
    let env: TestEnv;
    let smtp: TestSmtp;
    let cliEnv: Record<string, string>;
    const units: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
    const ids: Record<string, string> = {};
    const passwords: Record<string, string> = {};
    const as: Record<string, ApiClient> = {};
    let patient = '';
    let patientOfC = '';
    const base = Date.parse('2031-03-02T16:00:00Z'); // far from now: nothing else overlaps
    const at = (h: number) => new Date(base + h * HOUR).toISOString();

    beforeAll(async () => {
      smtp = await startSmtpServer();
      env = await startTestHub(mode, {
        SMTP_URL: smtp.url,
        NOTIFY_FROM: 'Telehealth <noreply@example.se>',
        PUBLIC_URL,
      });
      cliEnv = { DATA_DIR: env.config.DATA_DIR, ADMIN_SOCKET: env.hub.urls.adminSocket };
      const run = async (cmd: string, args: Record<string, unknown>) =>
        (await runCommand({ db: env.hub.db }, cmd, args)) as { id: string; password: string };
      const org = await run('org add', { name: 'Region Roster', kind: 'region' });
      units.a = (await run('unit add', { org: org.id, name: 'VC Roster' })).id;
      units.b = (await run('unit add', { org: org.id, name: 'Jour Roster' })).id;
      units.c = (await run('unit add', { org: org.id, name: 'VC Annan' })).id;
      await run('unit set', { unit: units.a, onCall: units.b });
      patient = (await run('patient add', { unit: units.a, name: 'Karin Lind' })).id;
      patientOfC = (await run('patient add', { unit: units.c, name: 'Per Berg' })).id;
      for (const [username, unit, role] of [
        ['r.nurse.b', units.b, 'nurse'],
        ['r.doc.b', units.b, 'physician'],
        ['r.admin.b', units.b, 'admin'],
        ['r.nurse.a', units.a, 'nurse'],
        ['r.admin.a', units.a, 'admin'],
        ['r.nurse.c', units.c, 'nurse'],
        ['r.admin.c', units.c, 'admin'],
      ] as const) {
        const s = await run('staff add', {
          unit,
          username,
          role,
          name: `Name ${username}`,
          email: mailOf(username),
        });
        ids[username] = s.id;
        passwords[username] = s.password;
        as[username] = apiClient(env.hub.urls.http);
        expect((await as[username].signIn(username, s.password)).status).toBe(200);
      }
    });
    afterAll(async () => {
      await env?.close();
      await smtp?.close();
    });

    describe('over the staff API', () => {
      it("lets the unit's admin add a shift, recorded as theirs, which everyone in the unit reads", async () => {
        const added = await as['r.admin.b']!.call('POST', `/units/${units.b}/oncall`, {
          staffId: ids['r.nurse.b'],
          startsAt: at(0),
          endsAt: at(15),
        });
        expect(added.status).toBe(201);
        expect(added.body).toMatchObject({
          unitId: units.b,
          staff: { id: ids['r.nurse.b'], displayName: 'Name r.nurse.b' },
          startsAt: at(0),
          endsAt: at(15),
          createdBy: { id: ids['r.admin.b'], displayName: 'Name r.admin.b' },
        });
        const window = `from=${encodeURIComponent(at(-24))}&to=${encodeURIComponent(at(48))}`;
        for (const who of ['r.nurse.b', 'r.doc.b', 'r.admin.b']) {
          const list = await as[who]!.call('GET', `/units/${units.b}/oncall?${window}`);
          expect(list.status).toBe(200);
          expect(list.body.map((s) => s.id)).toEqual([added.body.id]);
        }
        const now = await as['r.nurse.b']!.call(
          'GET',
          `/units/${units.b}/oncall/now?at=${encodeURIComponent(at(3))}`,
        );
        expect(now.body).toMatchObject({
          unitId: units.b,
          at: at(3),
          shift: { id: added.body.id },
        });
        const after = await as['r.nurse.b']!.call(
          'GET',
          `/units/${units.b}/oncall/now?at=${encodeURIComponent(at(15))}`,
        );
        expect(after.body.shift).toBeNull(); // [start, end): 07:00 is the next shift's
      });

      it('refuses an overlapping shift (409), an outsider (400) and a backwards one (400)', async () => {
        const add = (body: Record<string, unknown>) =>
          as['r.admin.b']!.call('POST', `/units/${units.b}/oncall`, body);
        const overlap = await add({ staffId: ids['r.doc.b'], startsAt: at(14), endsAt: at(24) });
        expect(overlap.status).toBe(409);
        expect(overlap.body.error).toMatchObject({ code: 'conflict', field: 'startsAt' });
        const outsider = await add({ staffId: ids['r.nurse.a'], startsAt: at(15), endsAt: at(24) });
        expect(outsider.status).toBe(400);
        expect(outsider.body.error).toMatchObject({ code: 'invalid', field: 'staffId' });
        const admin = await add({ staffId: ids['r.admin.b'], startsAt: at(15), endsAt: at(24) });
        expect(admin.body.error).toMatchObject({ code: 'invalid', field: 'staffId' });
        const backwards = await add({ staffId: ids['r.doc.b'], startsAt: at(24), endsAt: at(15) });
        expect(backwards.body.error).toMatchObject({ code: 'invalid', field: 'endsAt' });
        const noTime = await add({ staffId: ids['r.doc.b'], startsAt: 'tonight', endsAt: at(24) });
        expect(noTime.body.error).toMatchObject({ code: 'invalid', field: 'startsAt' });
        // the next shift, starting where the first ends, is fine
        const next = await add({ staffId: ids['r.doc.b'], startsAt: at(15), endsAt: at(24) });
        expect(next.status).toBe(201);
      });

      it("lets only the unit's admins change it (403), and hides it from other units (404)", async () => {
        const body = { staffId: ids['r.nurse.b'], startsAt: at(100), endsAt: at(110) };
        const nurse = await as['r.nurse.b']!.call('POST', `/units/${units.b}/oncall`, body);
        expect(nurse.status).toBe(403);
        const other = await as['r.nurse.c']!.call('GET', `/units/${units.b}/oncall`);
        expect(other.status).toBe(404);
        const otherAdd = await as['r.nurse.c']!.call('POST', `/units/${units.b}/oncall`, body);
        expect(otherAdd.status).toBe(404);
      });

      it('lets only one of two overlapping shifts added at once in', async () => {
        const add = (staff: string) =>
          as['r.admin.b']!.call('POST', `/units/${units.b}/oncall`, {
            staffId: ids[staff],
            startsAt: at(500),
            endsAt: at(510),
          });
        const both = await Promise.all([add('r.nurse.b'), add('r.doc.b')]);
        expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
      });

      it("removes a shift for the unit's admin only", async () => {
        const added = await as['r.admin.b']!.call('POST', `/units/${units.b}/oncall`, {
          staffId: ids['r.nurse.b'],
          startsAt: at(200),
          endsAt: at(210),
        });
        const path = `/units/${units.b}/oncall/${added.body.id as string}`;
        expect((await as['r.nurse.b']!.call('DELETE', path)).status).toBe(403);
        expect((await as['r.admin.b']!.call('DELETE', path)).status).toBe(204);
        expect((await as['r.admin.b']!.call('DELETE', path)).status).toBe(404);
      });
    });

    describe('over the admin CLI', () => {
      it('adds, lists, tells who is on call and removes', async () => {
        const add = (staff: string, from: number, to: number) => [
          'oncall',
          'add',
          '--unit',
          units.b,
          '--staff',
          staff,
          '--from',
          at(from),
          '--to',
          at(to),
        ];
        const shift = await hubJson<{ id: string; staff: { id: string } }>(
          cliEnv,
          ...add(ids['r.doc.b']!, 300, 312),
        );
        expect(shift.staff.id).toBe(ids['r.doc.b']);
        const list = () =>
          hubJson<{ id: string }[]>(
            cliEnv,
            ...['oncall', 'list', '--unit', units.b, '--from', at(290), '--to', at(320)],
          );
        expect((await list()).map((s) => s.id)).toEqual([shift.id]);
        const now = await hubJson<{ id: string } | null>(
          cliEnv,
          'oncall',
          'now',
          '--unit',
          units.b,
          '--at',
          at(305),
        );
        expect(now?.id).toBe(shift.id);
        const people = await hubCli(cliEnv, 'oncall', 'now', '--unit', units.b, '--at', at(400));
        expect(people.stdout.trim()).toBe('nobody is on call');
        const overlap = await hubCli(cliEnv, ...add(ids['r.nurse.b']!, 311, 320));
        expect(overlap.code).not.toBe(0);
        expect(overlap.stderr).toMatch(/overlaps shift/);
        await hubJson(cliEnv, 'oncall', 'remove', shift.id, '--unit', units.b);
        expect(await list()).toEqual([]);
      });
    });

    describe('an alert escalated to the on-call level', () => {
      const now = Date.now();
      let alertId = '';

      beforeAll(async () => {
        // nurse B is on call in B, A's on-call unit, from an hour ago for eight hours
        await as['r.admin.b']!.call('POST', `/units/${units.b}/oncall`, {
          staffId: ids['r.nurse.b'],
          startsAt: new Date(now - HOUR).toISOString(),
          endsAt: new Date(now + 8 * HOUR).toISOString(),
        });
        // raised now: the hub's own escalation timer (real time) leaves it to the test's clock
        alertId = (
          await env.hub.alerts.raise(patient, finding('test.crit', 'critical'), new Date(now))
        ).alertId;
      });

      const listed = async (who: string) =>
        (await as[who]!.call('GET', '/alerts')).body.map((a) => a.id);

      it("is not the on-call unit's before it gets there", async () => {
        await env.hub.alerts.escalateDue(new Date(now + 15 * MINUTE)); // level 1: the care unit
        expect(await listed('r.nurse.b')).not.toContain(alertId);
        expect((await as['r.nurse.b']!.call('GET', `/alerts/${alertId}`)).status).toBe(404);
      });

      it('reaches the on-call unit and the person on call, live, in the list and alone', async () => {
        const cookie = await signIn(env.hub.urls.http, 'r.nurse.b', passwords['r.nurse.b']!);
        const dashboard = await openDashboard(env.hub.urls.http, cookie);
        try {
          const escalated = await env.hub.alerts.escalateDue(new Date(now + 30 * MINUTE));
          expect(escalated.find((c) => c.alertId === alertId)?.data).toEqual({
            level: 2,
            to: 'on_call_unit',
            onCall: [{ unitId: units.b, staffId: ids['r.nurse.b'] }],
          });
          await waitFor(
            () =>
              dashboard.alerts.some(
                (p) => p.change.alertId === alertId && p.change.kind === 'escalated',
              ),
            'the escalation pushed to the on-call unit',
          );
        } finally {
          dashboard.close();
        }
        for (const who of ['r.nurse.b', 'r.doc.b']) expect(await listed(who)).toContain(alertId);
        const read = await as['r.nurse.b']!.call('GET', `/alerts/${alertId}`);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ patientId: patient, escalationLevel: 2 });
        // the alert, not the rest of the patient's record
        expect((await as['r.nurse.b']!.call('GET', `/patients/${patient}`)).status).toBe(404);
      });

      it("stays hidden from an unrelated unit and from the on-call unit's admin (no clinical role)", async () => {
        expect(await listed('r.nurse.c')).not.toContain(alertId);
        expect((await as['r.nurse.c']!.call('GET', `/alerts/${alertId}`)).status).toBe(404);
        expect((await as['r.admin.b']!.call('GET', `/alerts/${alertId}`)).status).toBe(404);
      });

      it("can be acknowledged by the person on call, which the patient's audit trail shows as access by escalation", async () => {
        const ack = await as['r.nurse.b']!.call('POST', `/alerts/${alertId}/acknowledge`, {
          note: 'ringer patienten',
        });
        expect(ack.status).toBe(200);
        expect(ack.body).toMatchObject({
          status: 'acknowledged',
          owner: { id: ids['r.nurse.b'], displayName: 'Name r.nurse.b' },
        });
        const trail = await as['r.nurse.a']!.call('GET', `/patients/${patient}/audit`);
        expect(trail.status).toBe(200);
        const byNurseB = trail.body.filter((e) => e.staffId === ids['r.nurse.b']);
        expect(byNurseB.map((e) => [e.action, e.via])).toEqual(
          expect.arrayContaining([
            ['alert.acknowledge', 'escalation'],
            ['alert.read', 'escalation'],
            ['alerts.list', 'escalation'],
          ]),
        );
        // the patient's own care team reads through their care relationship
        expect(
          trail.body.filter((e) => e.staffId === ids['r.nurse.a']).every((e) => e.via === 'care'),
        ).toBe(true);
      });

      it("emails the person on call the patient's initials, the severity and a link, nothing more", async () => {
        await waitFor(
          () => smtp.mails.some((m) => m.to.includes(mailOf('r.nurse.b'))),
          'the email to the nurse on call',
        );
        const mails = smtp.mails.filter((m) => m.to.includes(mailOf('r.nurse.b')));
        expect(mails).toHaveLength(1);
        const mail = mails[0]!;
        expect(mail.from).toBe('noreply@example.se');
        expect(mail.raw).toContain('patient K. L.');
        expect(mail.raw).toContain('critical');
        expect(mail.raw).toContain(`${PUBLIC_URL}#/alerts/${alertId}`);
        expect(mail.raw).toContain('Jour Roster');
        // privacy: neither the patient's name nor what was measured
        expect(mail.raw).not.toMatch(/Karin|Lind/);
        // nobody else on call, and the unit had someone: no admin was told
        expect(smtp.mails.filter((m) => m.to.includes(mailOf('r.admin.b')))).toEqual([]);
      });

      it('stays theirs after it is resolved for a day, then no longer', async () => {
        const resolved = await as['r.nurse.b']!.call('POST', `/alerts/${alertId}/resolve`, {
          note: 'pratat med patienten, lugnt',
        });
        expect(resolved.body.status).toBe('resolved');
        const list = await as['r.nurse.b']!.call('GET', '/alerts?status=resolved');
        expect(list.body.map((a) => a.id)).toContain(alertId);
        const nurseB = { id: ids['r.nurse.b']!, clinicalUnitIds: [units.b] };
        const after = (hours: number) => new Date(Date.now() + hours * HOUR);
        expect(await isGranted(env.hub.db, nurseB, after(23), alertId)).toBe(true);
        expect(await isGranted(env.hub.db, nurseB, after(25), alertId)).toBe(false);
      });
    });

    describe('an alert escalated where nobody is on call', () => {
      const now = Date.now();
      let alertId = '';

      beforeAll(async () => {
        // unit C names no on-call unit: it is its own, and its roster is empty
        alertId = (
          await env.hub.alerts.raise(patientOfC, finding('test.crit.c', 'critical'), new Date(now))
        ).alertId;
        await env.hub.alerts.escalateDue(new Date(now + 15 * MINUTE));
        const escalated = await env.hub.alerts.escalateDue(new Date(now + 30 * MINUTE));
        expect(escalated.find((c) => c.alertId === alertId)?.data).toEqual({
          level: 2,
          to: 'on_call_unit',
          onCall: [{ unitId: units.c, staffId: null }],
        });
      });

      it("raises an oncall.nobody alert that the unit's admins see and are emailed", async () => {
        const gap = await vi.waitFor(
          async () => {
            const list = await as['r.admin.c']!.call('GET', '/alerts');
            const found = list.body.find((a) => a.rule === 'oncall.nobody');
            if (!found) throw new Error('no oncall.nobody alert yet');
            return found;
          },
          { timeout: 5000, interval: 50 },
        );
        expect(gap).toMatchObject({ patientId: patientOfC, severity: 'high', status: 'open' });
        expect((gap.reason as { en: string }).en).toMatch(/^Nobody was on call in VC Annan at /);
        // the admin is told of the gap, not given the escalated alert itself
        const list = await as['r.admin.c']!.call('GET', '/alerts');
        expect(list.body.map((a) => a.id)).not.toContain(alertId);
        expect((await as['r.admin.c']!.call('GET', `/alerts/${alertId}`)).status).toBe(403);
        // the patient's care team sees both
        const team = (await as['r.nurse.c']!.call('GET', '/alerts')).body.map((a) => a.id);
        expect(team).toEqual(expect.arrayContaining([alertId, gap.id]));
        await waitFor(
          () => smtp.mails.some((m) => m.to.includes(mailOf('r.admin.c'))),
          'the email to the unit admin',
        );
        const mail = smtp.mails.find((m) => m.to.includes(mailOf('r.admin.c')))!;
        expect(mail.raw).toContain('Nobody on call in VC Annan');
        expect(mail.raw).toContain('patient P. B.');
        expect(mail.raw).toContain(`${PUBLIC_URL}#/alerts/${gap.id as string}`);
        expect(mail.raw).not.toMatch(/Per Berg/);
      });

      it('leaves it hidden from a nurse of an unrelated unit', async () => {
        expect((await as['r.nurse.a']!.call('GET', `/alerts/${alertId}`)).status).toBe(404);
        expect((await as['r.nurse.b']!.call('GET', `/alerts/${alertId}`)).status).toBe(404);
      });
    });
  });
}
