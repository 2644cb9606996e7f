// The dashboard benchmark (issue 4): with 2,000 patients and a year of home readings each, how
// fast the API answers what a nurse's dashboard loads, and how soon 200 open dashboards get a
// new alert. One hub per mode, in a child process of its own (./hubProcess.ts), on a fresh
// database seeded inside the database (./dashboardSeed.ts). Then:
//   http      one nurse signed in through POST /api/v1/session, her cookie on every request,
//             one request at a time: the triage list (GET /alerts?status=open and
//             GET /patients, as the dashboard loads them) and 90-day trends of random patients
//             of hers (GET /patients/{id}/readings?type=&from=&to=); p50/p95/p99 after a warm-up
//   realtime  200 nurses signed in the same way, each with a socket.io-client socket carrying
//             her cookie, in the two care units that follow the same patients; devices of those
//             patients publish clearly abnormal SpO2 readings over MQTT, the rules open alerts,
//             and each change is timed from the moment the hub's alert lifecycle emits it (right
//             after its transaction commits: Date.now() in the hub process) to its arrival at
//             each socket (Date.now() here; one machine, one clock)
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { topics } from '../../devices/contract.js';
import { benchHub } from './benchHub.js';
import { mulberry32 } from '../../simulators/patients/random.js';
import type { SeedResult } from './dashboardSeed.js';
import { HubChild } from './hubChild.js';
import { waitForQuiet, type RulesPhase } from './rules.js';
import { cpuBetween, cpuSnapshot } from './procCpu.js';
import { fmt, markdownTable, mb, percentiles, summarize, type LatencySummary } from './stats.js';

export type Mode = 'embedded' | 'services';

export interface DashboardOptions {
  mode: Mode;
  /** services: the bench's Mosquitto; embedded: unused. */
  brokerUrl: string;
  patients: number;
  healthCentres: number;
  days: number;
  /** Signed-in dashboards (sockets) in the realtime phase. */
  sockets: number;
  /** Measured requests per kind, after `warmup` unmeasured ones. */
  requests: number;
  warmup: number;
  /** Abnormal readings published in the realtime phase, one every `alertIntervalMs`. */
  alerts: number;
  alertIntervalMs: number;
  /** Patients per seeding statement. */
  chunk: number;
  hubEnv: Record<string, string>;
  seed: number;
  /** Before each measured phase, wait (at most quietWaitSeconds) for the machine to be this quiet (% of all cores). */
  quietBusyPercent: number;
  quietWaitSeconds: number;
  log: (line: string) => void;
}

type Quiet = RulesPhase['quiet'];

export const DASHBOARD_TARGETS = { httpP95Ms: 50, pushP99Ms: 250 } as const;

export interface HttpMeasure {
  path: string;
  latencyMs: LatencySummary & { p95: number };
  /** Items in the answer (alerts, patients, points), mean. */
  itemsMean: number;
  bytesMean: number;
  errors: number;
}

export interface DashboardResult {
  mode: Mode;
  patients: number;
  days: number;
  seed: Omit<SeedResult, 'nurses' | 'sharedPatients' | 'visiblePatients'> & {
    visiblePatients: number;
    sharedPatients: number;
    totalMs: number;
  };
  signIn: { count: number; latencyMs: LatencySummary };
  http: Record<'alertsOpen' | 'patients' | 'triageView' | 'trend90d', HttpMeasure>;
  realtime: {
    sockets: number;
    connectMs: number;
    published: number;
    /** Alert changes the hub emitted during the phase (opened, and any others the rules raised). */
    changes: number;
    byKind: Record<string, number>;
    expected: number;
    received: number;
    missing: number;
    /** Pushes that carried the alert itself (not null). */
    withAlert: number;
    /** Commit (the lifecycle's event) to receipt at each socket. */
    commitToSocketMs: LatencySummary;
    /** Publish of the abnormal reading to receipt of its alert at each socket. */
    publishToSocketMs: LatencySummary;
  };
  cpuPercent: { http: Record<string, number>; realtime: Record<string, number> };
  loadAverage: { beforeSeed: number; beforeHttp: number; beforeRealtime: number; after: number };
  /** How busy the machine was (% of all cores) when each phase began, after waiting for quiet. */
  quiet: { http: Quiet; realtime: Quiet };
  hubRssPeakMb: number;
  targets: {
    httpP95Ms: number;
    pushP99Ms: number;
    httpMet: boolean;
    pushMet: boolean;
  };
}

const DAY = 86_400_000;
const rand = () => randomBytes(4).toString('hex');
const PASSWORD = `bench-${rand()}-password`;
const TREND_TYPES = ['body_weight', 'blood_pressure', 'spo2', 'heart_rate'] as const;

function withP95(values: number[]): LatencySummary & { p95: number } {
  return { ...summarize(values), p95: percentiles(values, [95])[0]! };
}

async function signIn(httpUrl: string, username: string): Promise<string> {
  const res = await fetch(`${httpUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200 && res.status !== 201 && res.status !== 204) {
    throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
  }
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('th_session='));
  if (!cookie) throw new Error(`sign-in of ${username}: no session cookie`);
  return cookie.split(';')[0]!;
}

/** One GET with the session cookie: milliseconds to the whole body, items and bytes. */
async function timedGet(url: string, cookie: string) {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const text = await res.text();
  const ms = performance.now() - t;
  let items = 0;
  if (res.ok) {
    const body = JSON.parse(text) as unknown;
    items = Array.isArray(body)
      ? body.length
      : ((body as { points?: unknown[] }).points?.length ?? 0);
  }
  return { ms, ok: res.ok, status: res.status, items, bytes: text.length };
}

async function measure(
  o: DashboardOptions,
  label: string,
  next: () => Promise<{ ms: number; ok: boolean; status: number; items: number; bytes: number }>,
  path: string,
): Promise<HttpMeasure> {
  const ms: number[] = [];
  let items = 0;
  let bytes = 0;
  let errors = 0;
  let firstError = '';
  for (let i = 0; i < o.warmup + o.requests; i++) {
    const r = await next();
    if (!r.ok) {
      errors++;
      firstError ||= String(r.status);
    }
    if (i < o.warmup) continue;
    ms.push(r.ms);
    items += r.items;
    bytes += r.bytes;
  }
  const m = {
    path,
    latencyMs: withP95(ms),
    itemsMean: items / o.requests,
    bytesMean: bytes / o.requests,
    errors,
  };
  o.log(
    `  ${label}: p50 ${fmt(m.latencyMs.p50, 1)} / p95 ${fmt(m.latencyMs.p95, 1)} / p99 ${fmt(m.latencyMs.p99, 1)} ms (${fmt(m.itemsMean)} items, ${fmt(m.bytesMean / 1024)} KiB${errors ? `; ${errors} errors, first ${firstError}` : ''})`,
  );
  return m;
}

export async function benchDashboard(o: DashboardOptions): Promise<DashboardResult> {
  const tag = rand();
  o.log(
    `\n## dashboard, ${o.mode}: ${fmt(o.patients)} patients x ${o.days} days, ${o.sockets} dashboards, ${o.requests} requests per kind`,
  );
  const bench = await benchHub({ ...o, name: 'dash' });
  const hubConfig = bench.settings;
  const loadAverage = { beforeSeed: loadavg()[0]!, beforeHttp: 0, beforeRealtime: 0, after: 0 };

  const hub = new HubChild(hubConfig, { devices: 0, patients: 0 });
  const sockets: Socket[] = [];
  const devices: MqttClient[] = [];
  let stopped = false;
  try {
    const ready = await hub.next('ready', 300_000);
    const base = ready.httpUrl;

    // 1. the world, seeded in the database
    o.log(`- seeding in the database (${o.chunk} patients per statement)`);
    const t0 = performance.now();
    const seeded = (
      await hub.ask(
        {
          cmd: 'dashboardSeed',
          options: {
            patients: o.patients,
            healthCentres: o.healthCentres,
            days: o.days,
            nurses: o.sockets,
            password: PASSWORD,
            chunk: o.chunk,
          },
        },
        'dashboardSeeded',
        3 * 3600_000,
      )
    ).result;
    const seedMs = performance.now() - t0;
    o.log(
      `  ${fmt(seeded.readings)} readings in ${fmt(seeded.ms.readings! / 1000, 1)} s (${fmt(seeded.rowsPerSecond)} rows/s); alerts ${JSON.stringify(seeded.alerts)}; all in ${fmt(seedMs / 1000, 1)} s`,
    );

    // 2. staff sign in through the API (scrypt per sign-in, four at a time like libuv's pool)
    const cookies: string[] = new Array(seeded.nurses.length);
    const signInMs: number[] = [];
    let nextNurse = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (nextNurse < seeded.nurses.length) {
          const i = nextNurse++;
          const t = performance.now();
          cookies[i] = await signIn(base, seeded.nurses[i]!);
          signInMs.push(performance.now() - t);
        }
      }),
    );
    o.log(`- ${cookies.length} nurses signed in (p50 ${fmt(summarize(signInMs).p50)} ms)`);

    // 3. HTTP, one nurse, one request at a time
    const cookie = cookies[0]!;
    const random = mulberry32(o.seed); // two runs ask for the same patients and types
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const quietHttp = await waitForQuiet(o);
    loadAverage.beforeHttp = loadavg()[0]!;
    o.log(`- http: nurse 1 sees ${seeded.visiblePatients.length} patients`);
    const httpCpu = await cpuSnapshot();
    const alertsOpen = await measure(
      o,
      'GET /alerts?status=open',
      () => timedGet(`${base}/api/v1/alerts?status=open`, cookie),
      '/api/v1/alerts?status=open',
    );
    const patients = await measure(
      o,
      'GET /patients',
      () => timedGet(`${base}/api/v1/patients`, cookie),
      '/api/v1/patients',
    );
    const triageView = await measure(
      o,
      'triage view (both at once)',
      async () => {
        const t = performance.now();
        const [a, p] = await Promise.all([
          timedGet(`${base}/api/v1/alerts?status=open`, cookie),
          timedGet(`${base}/api/v1/patients`, cookie),
        ]);
        return {
          ms: performance.now() - t,
          ok: a.ok && p.ok,
          status: a.ok ? p.status : a.status,
          items: a.items + p.items,
          bytes: a.bytes + p.bytes,
        };
      },
      '/api/v1/alerts?status=open + /api/v1/patients',
    );
    const trend90d = await measure(
      o,
      'GET /patients/{id}/readings, 90 days',
      () => {
        const to = new Date();
        const from = new Date(to.getTime() - 90 * DAY);
        const q = new URLSearchParams({
          type: pick(TREND_TYPES),
          from: from.toISOString(),
          to: to.toISOString(),
        });
        return timedGet(
          `${base}/api/v1/patients/${pick(seeded.visiblePatients)}/readings?${q}`,
          cookie,
        );
      },
      '/api/v1/patients/{id}/readings?type=&from=&to= (90 days, random patient and type)',
    );
    const httpCpuPercent = cpuBetween(httpCpu, await cpuSnapshot());

    // 4. realtime: the dashboards connect, devices publish, alerts open
    const quietRealtime = await waitForQuiet(o);
    loadAverage.beforeRealtime = loadavg()[0]!;
    const received = new Map<number, number[]>(); // seq -> receipt times, one per socket
    let withAlert = 0;
    const tc = performance.now();
    for (let i = 0; i < cookies.length; i += 20) {
      const batch = cookies.slice(i, i + 20).map(
        (c) =>
          new Promise<Socket>((resolve, reject) => {
            // websocket at once: the dashboard's polling start and upgrade are not the measure
            const s = connectSocket(base, {
              path: '/socket.io',
              transports: ['websocket'],
              extraHeaders: { cookie: c },
              reconnection: false,
            });
            s.on('alert', (m: { change: { seq: number }; alert: unknown }) => {
              const at = Date.now();
              const list = received.get(m.change.seq);
              if (list) list.push(at);
              else received.set(m.change.seq, [at]);
              if (m.alert) withAlert++;
            });
            s.once('connect', () => resolve(s));
            s.once('connect_error', (err) => reject(err));
          }),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    const connectMs = performance.now() - tc;
    o.log(`- realtime: ${sockets.length} dashboards connected in ${fmt(connectMs)} ms`);

    const alertPatients = seeded.sharedPatients.slice(0, o.alerts);
    if (alertPatients.length < o.alerts)
      o.log(`  only ${alertPatients.length} patients are followed by both units`);
    const creds = (
      await hub.ask({ cmd: 'addDevices', patientIds: alertPatients }, 'devices', 600_000)
    ).devices;
    const mqttUrl = o.mode === 'embedded' ? ready.mqttUrl : o.brokerUrl;
    for (const d of creds) {
      devices.push(
        await mqtt.connectAsync(mqttUrl, {
          username: d.deviceId,
          password: d.secret,
          clientId: `${d.deviceId}-bench`,
          reconnectPeriod: 0,
        }),
      );
    }
    hub.mark(); // the alert changes measured are those from here on
    const published = new Map<string, number>();
    const rtCpu = await cpuSnapshot();
    for (let k = 0; k < devices.length; k++) {
      const messageId = `dash-${tag}-${k}`;
      const body = JSON.stringify({
        messageId,
        measuredAt: new Date(Date.now() - 1000).toISOString(),
        type: 'spo2',
        value: 85,
        unit: '%',
      });
      published.set(messageId, Date.now());
      await devices[k]!.publishAsync(topics.readings(creds[k]!.deviceId), body, { qos: 1 });
      await new Promise((r) => setTimeout(r, o.alertIntervalMs));
    }
    // wait until every change emitted so far reached every socket (or 30 s of nothing new)
    let changes = (await hub.ask({ cmd: 'changes' }, 'changes')).changes;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const triggered = new Set(changes.map((c) => c[3]).filter(Boolean));
      const allRaised = [...published.keys()].every((m) => triggered.has(m));
      const allReceived = changes.every((c) => (received.get(c[0])?.length ?? 0) >= sockets.length);
      if ((allRaised && allReceived) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
      changes = changes.concat((await hub.ask({ cmd: 'changes' }, 'changes')).changes);
    }
    const rtCpuPercent = cpuBetween(rtCpu, await cpuSnapshot());
    loadAverage.after = loadavg()[0]!;

    const commitToSocket: number[] = [];
    const publishToSocket: number[] = [];
    const byKind: Record<string, number> = {};
    let got = 0;
    for (const [seq, at, kind, messageId] of changes) {
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      const times = received.get(seq) ?? [];
      got += Math.min(times.length, sockets.length);
      const pub = messageId ? published.get(messageId) : undefined;
      for (const r of times) {
        commitToSocket.push(r - at);
        if (pub !== undefined) publishToSocket.push(r - pub);
      }
    }
    const expected = changes.length * sockets.length;
    const realtime = {
      sockets: sockets.length,
      connectMs,
      published: published.size,
      changes: changes.length,
      byKind,
      expected,
      received: got,
      missing: expected - got,
      withAlert,
      commitToSocketMs: summarize(commitToSocket),
      publishToSocketMs: summarize(publishToSocket),
    };
    o.log(
      `  ${realtime.changes} alert changes x ${realtime.sockets} sockets: ${fmt(got)}/${fmt(expected)} received, commit->socket p50/p99/max ${fmt(realtime.commitToSocketMs.p50)}/${fmt(realtime.commitToSocketMs.p99)}/${fmt(realtime.commitToSocketMs.max)} ms; ${fmt(withAlert)} pushes carried the alert`,
    );

    for (const s of sockets) s.disconnect();
    await Promise.all(devices.map((d) => d.endAsync()));
    const { memory } = await hub.ask({ cmd: 'stats' }, 'stats', 300_000);
    await hub.ask({ cmd: 'stop' }, 'stopped', 60_000);
    stopped = true;

    const { nurses: _n, sharedPatients, visiblePatients, ...seedFigures } = seeded;
    const httpMet = [alertsOpen, patients, trend90d].every(
      (m) => m.latencyMs.p95 < DASHBOARD_TARGETS.httpP95Ms && m.errors === 0,
    );
    return {
      mode: o.mode,
      patients: o.patients,
      days: o.days,
      seed: {
        ...seedFigures,
        visiblePatients: visiblePatients.length,
        sharedPatients: sharedPatients.length,
        totalMs: seedMs,
      },
      signIn: { count: signInMs.length, latencyMs: summarize(signInMs) },
      http: { alertsOpen, patients, triageView, trend90d },
      realtime,
      cpuPercent: { http: httpCpuPercent, realtime: rtCpuPercent },
      loadAverage,
      quiet: { http: quietHttp, realtime: quietRealtime },
      hubRssPeakMb: mb(memory.rssPeakBytes),
      targets: {
        ...DASHBOARD_TARGETS,
        httpMet,
        pushMet:
          realtime.commitToSocketMs.p99 < DASHBOARD_TARGETS.pushP99Ms &&
          realtime.missing === 0 &&
          realtime.changes > 0,
      },
    };
  } finally {
    for (const s of sockets) s.disconnect();
    for (const d of devices) d.end(true);
    await hub.kill(stopped ? 10_000 : 0);
    await bench.cleanup();
  }
}

const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
const lat = (l: LatencySummary & { p95?: number }) =>
  `${fmt(l.p50, 1)} / ${l.p95 === undefined ? '-' : fmt(l.p95, 1)} / ${fmt(l.p99, 1)}`;

/** One markdown table, a column per mode. */
export function dashboardTable(results: DashboardResult[]): string {
  const col = (f: (r: DashboardResult) => string) => results.map(f);
  const http = (k: keyof DashboardResult['http'], label: string): string[] => [
    `${label}: p50 / p95 / p99 ms (target p95 < ${DASHBOARD_TARGETS.httpP95Ms})`,
    ...col((r) => {
      const m = r.http[k];
      const star =
        k === 'triageView' ? '' : ` (${mark(m.latencyMs.p95 < DASHBOARD_TARGETS.httpP95Ms)})`;
      return `**${lat(m.latencyMs)}**${star}; ${fmt(m.itemsMean)} items, ${fmt(m.bytesMean / 1024)} KiB${m.errors ? `; ${m.errors} ERRORS` : ''}`;
    }),
  ];
  const rows: string[][] = [
    [
      'seeded: patients x days, readings, alerts open / acknowledged / resolved',
      ...col(
        (r) =>
          `${fmt(r.patients)} x ${r.days}, ${fmt(r.seed.readings)}, ${fmt(r.seed.alerts.open ?? 0)} / ${fmt(r.seed.alerts.acknowledged ?? 0)} / ${fmt(r.seed.alerts.resolved ?? 0)}`,
      ),
    ],
    [
      'seeding: readings s (rows/s) / everything s',
      ...col(
        (r) =>
          `${fmt((r.seed.ms.readings ?? NaN) / 1000, 1)} (${fmt(r.seed.rowsPerSecond)}) / ${fmt(r.seed.totalMs / 1000, 1)}`,
      ),
    ],
    [
      'the measured nurse sees (patients); sign-in p50 ms (scrypt)',
      ...col((r) => `${fmt(r.seed.visiblePatients)}; ${fmt(r.signIn.latencyMs.p50)}`),
    ],
    http('alertsOpen', 'GET /alerts?status=open'),
    http('patients', 'GET /patients'),
    http('triageView', 'triage view, both at once'),
    http('trend90d', "one patient's 90-day trend, random patient and type"),
    [
      `realtime: dashboards; alert changes; received / expected`,
      ...col(
        (r) =>
          `${r.realtime.sockets}; ${r.realtime.changes} (${Object.entries(r.realtime.byKind)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ')}); ${fmt(r.realtime.received)} / ${fmt(r.realtime.expected)}`,
      ),
    ],
    [
      `commit -> each socket p50 / p99 / max ms (target p99 < ${DASHBOARD_TARGETS.pushP99Ms})`,
      ...col(
        (r) =>
          `**${fmt(r.realtime.commitToSocketMs.p50)} / ${fmt(r.realtime.commitToSocketMs.p99)} / ${fmt(r.realtime.commitToSocketMs.max)}** (${mark(r.targets.pushMet)})`,
      ),
    ],
    [
      'publish over MQTT -> each socket p50 / p99 / max ms',
      ...col(
        (r) =>
          `${fmt(r.realtime.publishToSocketMs.p50)} / ${fmt(r.realtime.publishToSocketMs.p99)} / ${fmt(r.realtime.publishToSocketMs.max)}`,
      ),
    ],
    [
      'pushes carrying the alert itself',
      ...col((r) => `${fmt(r.realtime.withAlert)} of ${fmt(r.realtime.received)}`),
    ],
    [
      'CPU % of a core during http / realtime: machine (of cores), postgres',
      ...col((r) => {
        const h = r.cpuPercent.http;
        const t = r.cpuPercent.realtime;
        return `${fmt(h.machine ?? NaN)} of ${fmt(h.cores ?? NaN)}, ${fmt(h.postgres ?? NaN)} / ${fmt(t.machine ?? NaN)} of ${fmt(t.cores ?? NaN)}, ${fmt(t.postgres ?? NaN)}`;
      }),
    ],
    [
      'machine busy when http / realtime began, % of all cores (waited s)',
      ...col(
        (r) =>
          `${fmt(r.quiet.http.busyPercent)} (${fmt(r.quiet.http.waitedMs / 1000)}) / ${fmt(r.quiet.realtime.busyPercent)} (${fmt(r.quiet.realtime.waitedMs / 1000)})`,
      ),
    ],
    [
      'load average before seeding / http / realtime / after',
      ...col(
        (r) =>
          `${fmt(r.loadAverage.beforeSeed, 1)} / ${fmt(r.loadAverage.beforeHttp, 1)} / ${fmt(r.loadAverage.beforeRealtime, 1)} / ${fmt(r.loadAverage.after, 1)}`,
      ),
    ],
    ['hub peak RSS (MiB)', ...col((r) => fmt(r.hubRssPeakMb))],
  ];
  return markdownTable(['measure', ...results.map((r) => r.mode)], rows);
}
