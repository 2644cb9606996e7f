// Dashboards receive alert changes and readings live, only of their own care units' patients,
// and catch up after a reconnect; in services mode across hub processes.
import { formatEscalation, type EscalationLimits } from '../../server/alerts/escalationLimits.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { runCommand } from '../../server/admin/commands/index.js';
import { configSchema } from '../../server/config.js';
import { startHub, type Hub } from '../../server/hub.js';
import { createLogger } from '../../server/ops/log.js';
import { finding } from './finding.js';
import { weight, type TestDevice } from './device.js';
import { type Mode, type Registered, type TestEnv } from './hub.js';
import { hubWithPatientDevice } from './hubSuite.js';

interface AlertPush {
  change: { seq: number; patientId: string; kind: string; alertId: string };
  /** The alert as the API shows it (server/http/api/alerts.ts alertView). */
  alert: Record<string, unknown> | null;
}
interface ReadingsPush {
  items: {
    patientId: string;
    reading: { type: string; measuredAt: string; value: number | null };
    count: number;
  }[];
}

/** A signed-in dashboard: its socket and everything pushed to it. */
export interface TestDashboard {
  socket: Socket;
  alerts: AlertPush[];
  readings: ReadingsPush['items'];
  close(): void;
}

/** Signs a person in through the API and returns the session cookie. */
export async function signIn(httpUrl: string, username: string, password: string) {
  const res = await fetch(`${httpUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${res.status}: ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('th_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

export function openDashboard(httpUrl: string, cookie: string | null): Promise<TestDashboard> {
  const socket = connectSocket(httpUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  const d: TestDashboard = {
    socket,
    alerts: [],
    readings: [],
    close: () => socket.close(),
  };
  socket.on('alert', (p: AlertPush) => d.alerts.push(p));
  socket.on('readings', (p: ReadingsPush) => d.readings.push(...p.items));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(d));
    socket.once('connect_error', (err) => reject(err));
  });
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const spo2 = (value: number) => ({ ...weight(0), type: 'spo2', value, unit: '%' });

export function describeRealtime(mode: Mode) {
  describe(`live dashboards (${mode} mode)`, () => {
    const t = hubWithPatientDevice(mode, { patients: 2 });
    let a: Registered;
    let b: Registered;
    let deviceA: TestDevice;
    let deviceB: TestDevice;
    let cookieA: string;
    let cookieB: string;
    let nurseA: string;

    beforeAll(async () => {
      [a, b] = t.patients as [Registered, Registered];
      [deviceA, deviceB] = t.devices as [TestDevice, TestDevice];
      const ctx = { db: t.env.hub.db };
      const nurse = async (unit: string, username: string) =>
        (await runCommand(ctx, 'staff add', { unit, username, role: 'nurse' })) as {
          id: string;
          password: string;
        };
      const na = await nurse(a.unitId, 'nurse-a');
      const nb = await nurse(b.unitId, 'nurse-b');
      nurseA = na.id;
      cookieA = await signIn(t.env.hub.urls.http, 'nurse-a', na.password);
      cookieB = await signIn(t.env.hub.urls.http, 'nurse-b', nb.password);
    });

    it('refuses a socket without a signed-in session', async () => {
      await expect(openDashboard(t.env.hub.urls.http, null)).rejects.toThrow('unauthenticated');
      await expect(openDashboard(t.env.hub.urls.http, 'th_session=forged')).rejects.toThrow(
        'unauthenticated',
      );
    });

    it('prepares no alert push while no dashboard is open on any hub, and pushes once one is', async () => {
      const views = countAlertViews(t.env.hub);
      try {
        await t.env.hub.alerts.raise(a.patientId, finding('test.listening', 'low'), new Date());
        await new Promise((r) => setTimeout(r, 100));
        // no socket is open yet (the sockets above were refused), and no other hub runs
        expect(views.count).toBe(0);

        const dash = await openDashboard(t.env.hub.urls.http, cookieA);
        const raised = await t.env.hub.alerts.raise(
          a.patientId,
          finding('test.listening', 'medium'),
          new Date(),
        );
        await waitFor(
          () => dash.alerts.some((p) => p.change.seq === raised.seq),
          'the push of the update',
        );
        expect(views.count).toBeGreaterThan(0);
        expect(dash.alerts.find((p) => p.change.seq === raised.seq)!.alert).toMatchObject({
          rule: 'test.listening',
          severity: 'medium',
        });
        dash.close();
      } finally {
        views.stop();
      }
    });

    it("pushes a unit's new alert and readings to that unit's dashboard, never to another unit's", async () => {
      const dashA = await openDashboard(t.env.hub.urls.http, cookieA);
      const dashB = await openDashboard(t.env.hub.urls.http, cookieB);
      await deviceA.publish(spo2(85));
      await waitFor(() => dashA.alerts.some((p) => p.change.kind === 'opened'), 'the alert on A');
      await waitFor(() => dashA.readings.length > 0, 'the reading on A');
      expect(dashA.alerts.every((p) => p.change.patientId === a.patientId)).toBe(true);
      expect(dashA.readings.every((r) => r.patientId === a.patientId)).toBe(true);

      // B's dashboard works (it gets B's own alert) and has seen nothing of patient A
      await deviceB.publish(spo2(84));
      await waitFor(() => dashB.alerts.length > 0, 'the alert on B');
      expect(dashB.alerts.map((p) => p.change.patientId)).toEqual([b.patientId]);
      expect(dashB.readings.every((r) => r.patientId === b.patientId)).toBe(true);
      dashA.close();
      dashB.close();
    });

    it("sends a patient's newest reading of a type and how many came, not every reading", async () => {
      const dash = await openDashboard(t.env.hub.urls.http, cookieA);
      const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
      // one batch, so one commit and one push: the newest of the three is the one carried
      await deviceA.publish({
        readings: [
          { ...weight(80.1), messageId: `gather-${Date.now()}-1`, measuredAt: at(30) },
          { ...weight(80.3), messageId: `gather-${Date.now()}-2`, measuredAt: at(10) },
          { ...weight(80.2), messageId: `gather-${Date.now()}-3`, measuredAt: at(20) },
        ],
      });
      await waitFor(
        () => dash.readings.some((r) => r.reading.type === 'body_weight'),
        'the weights pushed',
      );
      const weights = dash.readings.filter((r) => r.reading.type === 'body_weight');
      expect(weights).toHaveLength(1);
      expect(weights[0]).toMatchObject({
        patientId: a.patientId,
        count: 3,
        reading: { value: 80.3 },
      });
      dash.close();
    });

    it('carries the alert as the API shows it, so that no dashboard has to fetch it', async () => {
      const dash = await openDashboard(t.env.hub.urls.http, cookieB);
      // a lower SpO2 updates B's alert opened above: the push shows the updated alert
      await deviceB.publish(spo2(80));
      await waitFor(() => dash.alerts.length > 0, 'an alert push');
      const push = dash.alerts[0]!;
      const res = await fetch(`${t.env.hub.urls.http}/api/v1/alerts/${push.change.alertId}`, {
        headers: { cookie: cookieB },
      });
      const { history: _history, ...shown } = (await res.json()) as Record<string, unknown>;
      expect(push.alert).toEqual(shown);
      expect(push.alert).toMatchObject({ seq: push.change.seq, snoozedUntil: null });
      dash.close();
    });

    it('gives a dashboard that reconnects every alert change it missed, in order', async () => {
      const dash = await openDashboard(t.env.hub.urls.http, cookieA);
      await deviceA.publish(spo2(83));
      await waitFor(() => dash.alerts.length > 0, 'a live alert');
      const lastSeen = dash.alerts.at(-1)!.change.seq;
      dash.close();

      // while away: an update and an acknowledgement. Another dashboard that stays connected
      // sees each pushed live: only then has the push gone out (and the rules' update is in
      // before the acknowledgement), so the dashboard coming back gets them from the resume alone
      const stayed = await openDashboard(t.env.hub.urls.http, cookieA);
      await deviceA.publish(spo2(82));
      await waitFor(
        () => stayed.alerts.some((p) => p.change.kind === 'updated' && p.change.seq > lastSeen),
        'the update pushed live',
      );
      const { rows } = await t.env.hub.db.query<{ id: string }>(
        "SELECT id FROM alerts WHERE patient_id = $1 AND rule = 'spo2.very_low'",
        [a.patientId],
      );
      await t.env.hub.alerts.acknowledge(rows[0]!.id, nurseA, null, new Date());
      await waitFor(
        () => stayed.alerts.some((p) => p.change.kind === 'acknowledged'),
        'the acknowledgement pushed live',
      );
      stayed.close();

      const back = await openDashboard(t.env.hub.urls.http, cookieA);
      const resumed = new Promise<{ seq: number }>((r) => back.socket.once('resumed', r));
      back.socket.emit('resume', { sinceSeq: lastSeen });
      const { seq } = await resumed;
      const kinds = back.alerts.map((p) => p.change.kind);
      expect(kinds).toEqual(['updated', 'acknowledged']);
      const seqs = back.alerts.map((p) => p.change.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(seqs.every((s) => s > lastSeen)).toBe(true);
      expect(seq).toBeGreaterThanOrEqual(seqs.at(-1)!);
      back.close();
    });

    if (mode === 'services') {
      it('reaches a dashboard connected to another hub process, alerts and readings', async () => {
        const second: Hub = await startHub(
          configSchema.parse({
            ...rawConfig(t.env),
            HUB_ID: `${t.env.config.HUB_ID}-2`,
            HTTP_PORT: '0',
            DATA_DIR: await mkdtemp(join(tmpdir(), 'hub-')),
          }),
          { log: createLogger('silent') },
        );
        const views = countAlertViews(t.env.hub);
        try {
          // each hub knows the other from its heartbeat once it listens for the other's pushes
          await waitUntil(async () => (await hubsKnownTo(t.env.hub)) === 2, 'the first hub seen');
          await waitUntil(async () => (await hubsKnownTo(second)) === 2, 'the second hub seen');

          // with no dashboard open here, a change is still prepared: the other hub's may follow
          await t.env.hub.alerts.raise(a.patientId, finding('test.cross_hub', 'low'), new Date());
          await waitFor(() => views.count > 0, 'the push prepared for the other hub');

          const dash = await openDashboard(second.urls.http, cookieA);
          const change = await t.env.hub.alerts.raise(
            a.patientId,
            finding('test.cross_hub', 'high'),
            new Date(),
          );
          await waitFor(
            () => dash.alerts.some((p) => p.change.seq === change.seq),
            'the change from the other hub',
          );
          // and a reading, whichever hub the shared subscription gives it to
          await deviceA.publish(spo2(97));
          await waitFor(
            () =>
              dash.readings.some(
                (r) =>
                  r.patientId === a.patientId &&
                  r.reading.type === 'spo2' &&
                  r.reading.value === 97,
              ),
            'the reading on the other hub',
          );
          dash.close();
        } finally {
          views.stop();
          await second.stop();
        }
      });
    }
  });
}

/** Counts the alert views a hub reads for its pushes (server/http/api/alerts.ts alertView). */
function countAlertViews(hub: Hub) {
  const counter = { count: 0, stop: () => {} };
  const query = hub.db.query.bind(hub.db);
  hub.db.query = ((sql: string, ...rest: unknown[]) => {
    if (/JOIN patients p ON p\.id = a\.patient_id/.test(sql)) counter.count++;
    return (query as (...args: unknown[]) => unknown)(sql, ...rest);
  }) as typeof hub.db.query;
  counter.stop = () => {
    hub.db.query = query;
  };
  return counter;
}

/** The hubs this one knows of (itself included), as its socket.io adapter has heard them. */
const hubsKnownTo = (hub: Hub) => hub.realtime.io.of('/').adapter.serverCount();

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The test hub's settings as environment strings, to start a second hub beside it. */
function rawConfig(env: TestEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env.config)
      .filter(([, v]) => v !== undefined)
      // a setting parsed into an object is written back as the variable is written
      .map(([k, v]) => [
        k,
        k === 'ESCALATION_MINUTES' ? formatEscalation(v as EscalationLimits) : String(v),
      ]),
  );
}
