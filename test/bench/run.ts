// `npm run bench`: suites `spine`, `rules`, `dashboard`, `storm` and `poison` (BENCH_SUITES=spine,
// rules,dashboard,storm,poison; the first three by default: the storm takes minutes of its own,
// `npm run bench:storm`, and the poison is a question of its own, `npm run bench:poison`).
//
// spine: how many readings per second the hub commits, against what its broker alone
// carries (the ceiling), with publish-to-receipt latency (receipts are published after the
// commit, so this is an upper bound of publish-to-commit), the hub's peak memory (the hub runs
// in a child process, test/bench/hubProcess.ts) and a check that every acknowledged publish is
// stored exactly once. Both modes by default:
//   embedded  aedes + PGlite (temp DATA_DIR) in the hub process
//   services  this machine's Mosquitto + PostgreSQL (a database of its own)
// Environment: BENCH_SECONDS (60 per phase), BENCH_MODES (embedded,services), BENCH_DEVICES
// (200), BENCH_WINDOW (in-flight messages per device, default 4 embedded / 2 services; a comma
// list runs each and reports the best), BENCH_WARMUP_SECONDS, BENCH_CEILING=0 (skip the
// ceiling), BENCH_HUB_ENV (JSON of extra hub settings, e.g. {"INGEST_BATCH_SIZE":"1000"}),
// BENCH_CPU_PROF=1 (a CPU profile of the hub during the load, in test-results/bench-prof),
// BENCH_HUB_FROM=source (the hub's TypeScript through tsx; by default it is built first and
// runs compiled, as a deployment runs it: `npm run build:server`, the hub's part of
// `npm run build`, then `npm run start:built`).
//
// rules (./rules.ts): readings/s at the highest rate with RULES=off and RULES=on (rules cost =
// 1 - on/off), and publish-to-alert latency at a steady 2,000 readings/s with RULES=on, on a
// home-monitoring workload (simulators/load/homeReadings.ts) with one patient per device.
// Environment: BENCH_SECONDS, BENCH_MODES, BENCH_DEVICES, BENCH_WARMUP_SECONDS and BENCH_HUB_ENV
// as above; BENCH_RULES_PHASES (max-off,max-on,steady-on), BENCH_RULES_WINDOW (in-flight per
// device at the highest rate: 4 embedded / 16 services), BENCH_STEADY_RATE (2000),
// BENCH_STEADY_WINDOW (32), BENCH_STEADY_WARMUP_SECONDS (10, at most a third of the phase: a cold
// hub drains a start-up backlog first, ~6 s on a slow 2-core machine), BENCH_ABNORMAL (share of abnormal readings, 0.01),
// BENCH_STEP_HOURS (simulated time between a device's readings, 2), BENCH_SPAN_DAYS (simulated
// time starts at least this long ago, 200), BENCH_RULES_DRAIN_SECONDS (how long to wait for the
// rules to catch up after the load: 5 x BENCH_SECONDS, at least 120), BENCH_SEED (1), BENCH_QUIET_PERCENT and
// BENCH_QUIET_WAIT_SECONDS (before each phase, wait up to 180 s for the machine to be under 15 %
// busy: other work on a shared machine skews the figures; the wait is reported).
//
// storm (./storm.ts): 10,000 gateways reconnect at once, each with 3 days of readings; how long
// the hub takes to answer, store and judge them all, nothing lost or duplicated. Environment:
// BENCH_STORM_GATEWAYS (10000), BENCH_STORM_DAYS (3), BENCH_STORM_PER_DAY (readings a day, 5),
// BENCH_STORM_CONCURRENCY (connections opening at once, 1000), BENCH_STORM_RESEND (share of
// gateways that send a batch twice, 0.1), BENCH_MODES and BENCH_HUB_ENV as above.
//
// poison (./poison.ts, issue 16): one device sending a 2-byte payload that begins with a NUL
// (`\x00{`, refused not_json) fifty times a second beside well-behaved devices at a fixed rate;
// the others' readings/s committed, their latency and backlog, with and without it (target: at
// most 10 % lower), and at the highest rate; every poison message answered and recorded.
// Phases (BENCH_POISON_PHASES): clean, poison, max-clean, max-poison, a hub of its own each.
// Environment: BENCH_SECONDS, BENCH_MODES, BENCH_DEVICES, BENCH_PATIENTS, BENCH_WARMUP_SECONDS and
// BENCH_HUB_ENV as above (RULES=off unless BENCH_HUB_ENV says otherwise); BENCH_POISON_RATE (the good
// devices' readings/s in all, 1000), BENCH_POISON_PER_SECOND (50), BENCH_POISON_WINDOW (in flight
// per good device at the fixed rate, 16), BENCH_POISON_MAX_WINDOW (in the closed loop: 4 embedded
// / 16 services), BENCH_POISON_DEVICE_WINDOW (the poison device's, 100),
// BENCH_POISON_WARMUP_SECONDS (at the fixed rate: a third of the phase, 10 s at most),
// BENCH_POISON_SETTLE_SECONDS (after the load, how long to wait for every acknowledged message to
// be stored and answered, 60), BENCH_QUIET_PERCENT / BENCH_QUIET_WAIT_SECONDS before each phase.
//
// dashboard (./dashboard.ts): 2,000 patients with a year of home readings each, seeded inside the
// database; the triage list and a 90-day trend over HTTP with a signed-in nurse's cookie
// (p50/p95/p99), and commit-to-socket latency of new alerts at 200 signed-in socket.io
// dashboards. Environment: BENCH_MODES as above; BENCH_DASH_PATIENTS (2000), BENCH_DASH_DAYS
// (365), BENCH_DASH_CENTRES (health centres, as many home-care units again: 8),
// BENCH_DASH_SOCKETS (200), BENCH_DASH_REQUESTS (300 per kind), BENCH_DASH_WARMUP (30),
// BENCH_DASH_ALERTS (abnormal readings published: 60), BENCH_DASH_INTERVAL_MS (between them:
// 250), BENCH_DASH_CHUNK (patients per seeding statement: 100), BENCH_SEED, and
// BENCH_QUIET_PERCENT / BENCH_QUIET_WAIT_SECONDS before the http and realtime phases, as above.
//
// Results also go to test-results/bench.json.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../server/config.js';
import { connectLoad, type RunResult } from '../../simulators/load/publisher.js';
import { createTestDatabase } from '../support/hub.js';
import { forgetSession, startBenchBroker } from './broker.js';
import { benchStorm, stormTable, type StormBenchResult } from './storm.js';
import {
  benchPoison,
  POISON_PHASES,
  poisonTable,
  type PoisonPhaseName,
  type PoisonResult,
} from './poison.js';
import { withBenchBroker } from './benchHub.js';
import { embeddedCeiling, servicesCeiling, type MeasuredRun } from './ceiling.js';
import { cpuBetween, cpuSnapshot } from './procCpu.js';
import { children, HubChild, hubFromSource } from './hubChild.js';
import type { HubStats, MemoryPeaks } from './ipc.js';
import { countNotStored, loadCpuPercent, loadRun, type PhaseOptions } from './phase.js';
import { benchRules, rulesTable, type PhaseName, type RulesResult } from './rules.js';
import { benchDashboard, dashboardTable, type DashboardResult } from './dashboard.js';
import { fmt, markdownTable, mb, ratio, summarize, type LatencySummary } from './stats.js';

type Mode = 'embedded' | 'services';

const env = process.env;
const SUITES = (env.BENCH_SUITES ?? 'spine,rules,dashboard').split(',').map((m) => m.trim());
for (const s of SUITES) {
  if (!['spine', 'rules', 'dashboard', 'storm', 'poison'].includes(s)) {
    throw new Error(`BENCH_SUITES: unknown ${s}`);
  }
}
const SECONDS = Number(env.BENCH_SECONDS ?? 60);
const MODES = (env.BENCH_MODES ?? 'embedded,services').split(',').map((m) => m.trim()) as Mode[];
const DEVICES = Number(env.BENCH_DEVICES ?? 200);
const PATIENTS = Number(env.BENCH_PATIENTS ?? 10);
// In-flight messages per device. Throughput hardly changes above 200 x 4 while latency grows
// with the window (Little's law). Services runs 200 x 2 and 200 x 16 and reports the best, on
// a Mosquitto with the production queue settings (./broker.ts).
const DEFAULT_WINDOW: Record<Mode, string> = { embedded: '4', services: '2,16' };
const windowsFor = (mode: Mode) =>
  (env.BENCH_WINDOW ?? DEFAULT_WINDOW[mode]).split(',').map(Number);
const CEILING = env.BENCH_CEILING !== '0';
const WARMUP_S = Number(env.BENCH_WARMUP_SECONDS ?? Math.min(5, SECONDS / 10));
const HUB_ENV = JSON.parse(env.BENCH_HUB_ENV ?? '{}') as Record<string, string>;
const TARGETS = {
  embedded: { ratio: 0.5, rssMb: 1024 },
  services: { ratio: 0.6, rssMb: 300 },
} as const;

const RULES_PHASES = (env.BENCH_RULES_PHASES ?? 'max-off,max-on,steady-on')
  .split(',')
  .map((p) => p.trim()) as PhaseName[];
for (const p of RULES_PHASES) {
  if (!['max-off', 'max-on', 'steady-on'].includes(p)) {
    throw new Error(`BENCH_RULES_PHASES: unknown ${p}`);
  }
}
const RULES_WINDOW: Record<Mode, number> = {
  embedded: Number(env.BENCH_RULES_WINDOW ?? 4),
  services: Number(env.BENCH_RULES_WINDOW ?? 16),
};
// A rules backlog after a max-rate phase has taken four times the phase to clear (services).
const RULES_DRAIN_S = Number(env.BENCH_RULES_DRAIN_SECONDS ?? Math.max(120, 5 * SECONDS));

const POISON_PHASES_RUN = (env.BENCH_POISON_PHASES ?? POISON_PHASES.join(','))
  .split(',')
  .map((p) => p.trim()) as PoisonPhaseName[];
for (const p of POISON_PHASES_RUN) {
  if (!POISON_PHASES.includes(p)) throw new Error(`BENCH_POISON_PHASES: unknown ${p}`);
}
const POISON_MAX_WINDOW: Record<Mode, number> = {
  embedded: Number(env.BENCH_POISON_MAX_WINDOW ?? 4),
  services: Number(env.BENCH_POISON_MAX_WINDOW ?? 16),
};
const POISON_SETTLE_S = Number(env.BENCH_POISON_SETTLE_SECONDS ?? 60);

// Whatever happens, the benchmark ends: every phase plus start-up, drain and checks.
const spinePhases = SUITES.includes('spine')
  ? MODES.reduce((n, m) => n + windowsFor(m).length * 2, 0)
  : 0;
const rulesPhases = SUITES.includes('rules') ? MODES.length * RULES_PHASES.length : 0;
// The dashboard suite's seeding is most of its time: PGlite seeds far slower than PostgreSQL.
const dashboardSeconds = SUITES.includes('dashboard')
  ? MODES.reduce(
      (n, m) =>
        n + (m === 'embedded' ? 3600 : 1200) + 2 * Number(env.BENCH_QUIET_WAIT_SECONDS ?? 180),
      0,
    )
  : 0;
// The storm: every gateway's first connection costs a scrypt (~0.1 s of a core) in embedded
// mode; the storm itself and the rules after it wait at most 10 minutes each.
const STORM_GATEWAYS = Number(env.BENCH_STORM_GATEWAYS ?? 10_000);
const stormSeconds = SUITES.includes('storm') ? MODES.length * (1500 + 0.15 * STORM_GATEWAYS) : 0;
const poisonSeconds = SUITES.includes('poison')
  ? MODES.length *
    POISON_PHASES_RUN.length *
    (SECONDS + 120 + POISON_SETTLE_S + Number(env.BENCH_QUIET_WAIT_SECONDS ?? 180))
  : 0;
const HARD_CAP_S = Number(
  env.BENCH_HARD_CAP_SECONDS ??
    spinePhases * (SECONDS + 45) +
      rulesPhases * (SECONDS + 90 + RULES_DRAIN_S + Number(env.BENCH_QUIET_WAIT_SECONDS ?? 180)) +
      dashboardSeconds +
      stormSeconds +
      poisonSeconds +
      240,
);
setTimeout(() => {
  console.error(`bench: hard cap of ${HARD_CAP_S} s reached; stopping`);
  for (const c of children) c.kill('SIGKILL');
  process.exit(2);
}, HARD_CAP_S * 1000).unref();

const log = (line: string) => console.log(line);
const rand = () => randomBytes(4).toString('hex');

interface ModeResult {
  mode: Mode;
  devices: number;
  seconds: number;
  warmupSeconds: number;
  window: number;
  ceiling: {
    ratePerSecond: number;
    latencyMs: LatencySummary;
    byWindow: Record<number, number>;
    /** Messages the subscriber never got (the broker dropped them). */
    lost: number;
    /** % of one core while the best window ran: machine (all cores), broker, database. */
    cpuPercent: Record<string, number>;
  };
  hub: {
    ratePerSecond: number;
    overallRatePerSecond: number;
    latencyMs: LatencySummary;
    latencyKind: 'publish->receipt';
    byWindow: Record<number, number>;
    startMs: number;
    registerMs: number;
    connectMs: LatencySummary;
    timeline: number[];
    inFlightMean: number;
    /** % of one core: the hub process during the load, the generator process while publishing. */
    cpuPercent: { hub: number; generator: number } & Record<string, number>;
    receiptsByStatus: Record<string, number>;
  };
  /** 1-minute load average at the start, after the ceiling and after the hub: other work on the machine shows here. */
  loadAverage: number[][];
  ratio: number;
  memory: MemoryPeaks;
  check: {
    published: number;
    acked: number;
    completed: number;
    stored: number;
    distinctStored: number;
    duplicateRows: number;
    duplicatesAbsorbed: number;
    ackedNotStored: number;
    metricsAccepted: number;
    unfinished: number;
    timedOut: number;
    publishErrors: number;
    ok: boolean;
  };
  commit: HubStats['commit'] & { rejectedRows: Record<string, number> };
  targets: { ratio: number; rssMb: number; ratioMet: boolean; rssMet: boolean };
}

function best<R extends RunResult>(results: R[]): R {
  return results.reduce((a, b) => (b.ratePerSecond > a.ratePerSecond ? b : a));
}

async function benchMode(mode: Mode): Promise<ModeResult> {
  const tag = rand();
  const durationMs = SECONDS * 1000;
  const warmupMs = WARMUP_S * 1000;
  const WINDOWS = windowsFor(mode);
  const loadAverage: number[][] = [loadavg()];
  log(`\n## ${mode}: ${DEVICES} devices, ${SECONDS} s per phase, window ${WINDOWS.join('/')}`);

  const hubConfig: Record<string, string> = {
    HTTP_PORT: '0',
    MQTT_PORT: '0',
    LOG_LEVEL: 'silent',
    HUB_ID: `bench-${tag}`,
    // The spine (issue 2) is measured alone: the generator sends a patient thousands of
    // readings a minute, which no home does, and the rules' cost is a benchmark of its own.
    RULES: 'off',
  };
  const dataDir = await mkdtemp(join(tmpdir(), 'hub-bench-'));
  hubConfig.DATA_DIR = dataDir;
  let dropDb: (() => Promise<void>) | null = null;
  const broker = mode === 'services' ? await startBenchBroker() : null;
  const brokerUrl = broker?.url ?? '';
  if (mode === 'services') {
    const db = await createTestDatabase();
    dropDb = db.drop;
    hubConfig.DATABASE_URL = db.url;
    hubConfig.MQTT_URL = brokerUrl;
    hubConfig.MQTT_SHARE_GROUP = `bench-${tag}`;
  }
  Object.assign(hubConfig, HUB_ENV);
  const config = configSchema.parse(hubConfig); // fail here, not in the child

  try {
    // 1. the ceiling
    log('- ceiling: broker alone, same generator and messages, QoS 1, no-op subscriber');
    const ceilingOpts = { devices: DEVICES, windows: WINDOWS, durationMs, warmupMs, log };
    const ceilingRuns = !CEILING
      ? []
      : mode === 'embedded'
        ? await embeddedCeiling(ceilingOpts)
        : await servicesCeiling(brokerUrl, tag, config.MQTT_RECEIVE_MAXIMUM, ceilingOpts);
    const ceiling = ceilingRuns.length ? best(ceilingRuns) : null;
    loadAverage.push(loadavg());

    // 2. the hub, in its own process
    log('- hub: starting in its own process, registering devices');
    const hub = new HubChild(hubConfig, { devices: DEVICES, patients: PATIENTS });
    try {
      const ready = await hub.next('ready', 300_000);
      log(
        `  hub up in ${fmt(ready.startMs)} ms (${ready.mode.broker} broker, ${ready.mode.database}); ${DEVICES} devices registered in ${fmt(ready.registerMs)} ms`,
      );
      const mqttUrl = mode === 'embedded' ? ready.mqttUrl : brokerUrl;
      const load = await connectLoad({
        url: mqttUrl,
        devices: ready.devices,
        receipts: true,
        concurrency: 8,
      });
      const connect = summarize(load.connectMs);
      log(`  ${DEVICES} devices connected (connect p50 ${fmt(connect.p50)} ms)`);
      hub.mark();
      const hubRuns: MeasuredRun[] = [];
      try {
        for (const window of WINDOWS) {
          const before = await cpuSnapshot();
          const r = await load.run(loadRun({ window, durationMs, warmupMs }));
          log(
            `  hub window ${window}: ${Math.round(r.ratePerSecond)} readings/s, p50 ${fmt(summarize(r.latenciesMs).p50, 1)} ms`,
          );
          hubRuns.push({ ...r, cpu: cpuBetween(before, await cpuSnapshot()) });
        }
      } finally {
        await load.close();
      }
      const run = best(hubRuns);
      const { stats } = await hub.ask({ cmd: 'stats' }, 'stats');

      // every acknowledged publish stored exactly once
      const deviceIds = ready.devices.map((d) => d.deviceId);
      const acked = hubRuns.flatMap((r) => r.ackedIds);
      const ackedNotStored = await countNotStored(hub, deviceIds, acked);
      const stopped = await hub.ask({ cmd: 'stop' }, 'stopped', 60_000);
      const peaks = stopped.memory;

      const sum = (f: (r: RunResult) => number) => hubRuns.reduce((s, r) => s + f(r), 0);
      const check = {
        published: sum((r) => r.published),
        acked: new Set(acked).size,
        completed: sum((r) => r.completed),
        stored: stats.rows,
        distinctStored: stats.distinctKeys,
        duplicateRows: stats.rows - stats.distinctKeys,
        duplicatesAbsorbed: stats.metrics.duplicate,
        ackedNotStored,
        metricsAccepted: stats.metrics.accepted,
        unfinished: sum((r) => r.unfinished),
        timedOut: sum((r) => r.timedOut),
        publishErrors: sum((r) => r.publishErrors),
        ok: false,
      };
      check.ok =
        check.ackedNotStored === 0 &&
        check.duplicateRows === 0 &&
        check.metricsAccepted === check.stored &&
        check.stored <= check.published;
      loadAverage.push(loadavg());
      const r = ratio(run.ratePerSecond, ceiling?.ratePerSecond ?? NaN);
      const rssMb = mb(Math.max(peaks.rssPeakBytes, peaks.rssPeakLoadBytes));
      return {
        mode,
        devices: DEVICES,
        seconds: SECONDS,
        warmupSeconds: WARMUP_S,
        window: run.window,
        ceiling: {
          ratePerSecond: ceiling?.ratePerSecond ?? NaN,
          latencyMs: summarize(ceiling?.latenciesMs ?? []),
          byWindow: Object.fromEntries(ceilingRuns.map((c) => [c.window, c.ratePerSecond])),
          lost: ceilingRuns.reduce((n, c) => n + c.timedOut + c.unfinished, 0),
          cpuPercent: ceiling ? { ...ceiling.cpu, generator: ceiling.processCpuPercent } : {},
        },
        hub: {
          ratePerSecond: run.ratePerSecond,
          overallRatePerSecond: run.overallRatePerSecond,
          latencyMs: summarize(run.latenciesMs),
          latencyKind: 'publish->receipt',
          byWindow: Object.fromEntries(hubRuns.map((h) => [h.window, h.ratePerSecond])),
          startMs: ready.startMs,
          registerMs: ready.registerMs,
          connectMs: connect,
          timeline: run.timeline,
          inFlightMean: run.inFlightMean,
          cpuPercent: loadCpuPercent(peaks, run, run.cpu),
          receiptsByStatus: run.receiptsByStatus,
        },
        loadAverage,
        ratio: r,
        memory: peaks,
        check,
        commit: { ...stats.commit, rejectedRows: stats.rejectedRows },
        targets: {
          ...TARGETS[mode],
          ratioMet: r >= TARGETS[mode].ratio,
          rssMet: rssMb < TARGETS[mode].rssMb,
        },
      };
    } finally {
      await hub.kill();
    }
  } finally {
    if (mode === 'services')
      await forgetSession(brokerUrl, `telehealth-${config.HUB_ID}`).catch(() => {});
    await broker?.stop();
    await dropDb?.().catch((err: Error) => console.error(`bench: drop database: ${err.message}`));
    await rm(dataDir, { recursive: true, force: true });
  }
}

function table(r: ModeResult): string {
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const c = r.check;
  const batches = r.commit.batches;
  return markdownTable(
    ['measure', 'value'],
    [
      ['hub rate (readings committed/s, steady)', fmt(r.hub.ratePerSecond)],
      [
        'ceiling (broker alone, msg/s, QoS 1)',
        `${fmt(r.ceiling.ratePerSecond)}${r.ceiling.lost ? ` (broker dropped ${fmt(r.ceiling.lost)} for the subscriber)` : ''}`,
      ],
      [
        `ratio hub/ceiling (target >= ${r.targets.ratio})`,
        `${fmt(r.ratio, 2)} (${mark(r.targets.ratioMet)})`,
      ],
      [
        'latency publish->receipt p50 / p99 (ms)',
        `${fmt(r.hub.latencyMs.p50, 1)} / ${fmt(r.hub.latencyMs.p99, 1)}`,
      ],
      [
        'ceiling latency publish->subscriber p50 / p99 (ms)',
        `${fmt(r.ceiling.latencyMs.p50, 1)} / ${fmt(r.ceiling.latencyMs.p99, 1)}`,
      ],
      [
        `hub peak RSS under load / whole run (target < ${r.targets.rssMb} MiB)`,
        `${fmt(mb(r.memory.rssPeakLoadBytes))} / ${fmt(mb(r.memory.rssPeakBytes))} MiB (${mark(r.targets.rssMet)})`,
      ],
      [
        'sent / PUBACKed / stored / duplicate rows',
        `${fmt(c.published)} / ${fmt(c.acked)} / ${fmt(c.stored)} / ${fmt(c.duplicateRows)}`,
      ],
      [
        'lost: PUBACKed but not stored / no receipt in 10 s',
        `${fmt(c.ackedNotStored)} / ${fmt(c.timedOut + c.unfinished)} (${c.ok ? 'ok' : 'CHECK FAILED'}; accepted metric ${fmt(c.metricsAccepted)})`,
      ],
      [
        'commit batches / mean size / mean commit ms',
        `${fmt(batches)} / ${fmt(batches ? r.commit.readings / batches : NaN)} / ${fmt(batches ? (r.commit.seconds * 1000) / batches : NaN, 1)}`,
      ],
      [
        'devices x window, seconds (warm-up excluded)',
        `${r.devices} x ${r.window}, ${r.seconds} s (${r.warmupSeconds} s)`,
      ],
      [
        'CPU % of a core during ceiling: bench process / mosquitto / machine',
        `${fmt(r.ceiling.cpuPercent.generator ?? NaN)} / ${fmt(r.ceiling.cpuPercent.mosquitto ?? NaN)} / ${fmt(r.ceiling.cpuPercent.machine ?? NaN)} of ${fmt(r.ceiling.cpuPercent.cores ?? NaN)}`,
      ],
      [
        'CPU % of a core under hub load: hub / generator / mosquitto / postgres / machine',
        `${fmt(r.hub.cpuPercent.hub)} / ${fmt(r.hub.cpuPercent.generator)} / ${fmt(r.hub.cpuPercent.mosquitto ?? NaN)} / ${fmt(r.hub.cpuPercent.postgres ?? NaN)} / ${fmt(r.hub.cpuPercent.machine ?? NaN)} of ${fmt(r.hub.cpuPercent.cores ?? NaN)}`,
      ],
      [
        'load average (start / after ceiling / after hub)',
        r.loadAverage.map((l) => fmt(l[0]!, 1)).join(' / '),
      ],
    ],
  );
}

/**
 * What the rules and poison benchmarks both take from the environment; `steadyWarmup` is the
 * variable of the paced phases' warm-up (by default a third of the phase, at most 10 s and at
 * least the warm-up of the other phases).
 */
function phaseOptions<P extends string>(
  mode: Mode,
  brokerUrl: string,
  phases: P[],
  steadyWarmup: string | undefined,
): PhaseOptions<P> {
  return {
    mode,
    brokerUrl,
    devices: DEVICES,
    seconds: SECONDS,
    warmupSeconds: WARMUP_S,
    steadyWarmupSeconds: Number(steadyWarmup ?? Math.max(WARMUP_S, Math.min(10, SECONDS / 3))),
    phases,
    hubEnv: HUB_ENV,
    quietBusyPercent: Number(env.BENCH_QUIET_PERCENT ?? 15),
    quietWaitSeconds: Number(env.BENCH_QUIET_WAIT_SECONDS ?? 180),
    log,
  };
}

function rulesMode(mode: Mode): Promise<RulesResult> {
  return withBenchBroker(mode, (brokerUrl) =>
    benchRules({
      ...phaseOptions(mode, brokerUrl, RULES_PHASES, env.BENCH_STEADY_WARMUP_SECONDS),
      window: RULES_WINDOW[mode],
      steadyRate: Number(env.BENCH_STEADY_RATE ?? 2000),
      steadyWindow: Number(env.BENCH_STEADY_WINDOW ?? 32),
      abnormalFraction: Number(env.BENCH_ABNORMAL ?? 0.01),
      stepHours: Number(env.BENCH_STEP_HOURS ?? 2),
      spanDays: Number(env.BENCH_SPAN_DAYS ?? 200),
      rateBound: 15_000,
      drainTimeoutSeconds: RULES_DRAIN_S,
      seed: Number(env.BENCH_SEED ?? 1),
    }),
  );
}

function dashboardMode(mode: Mode): Promise<DashboardResult> {
  return withBenchBroker(mode, (brokerUrl) =>
    benchDashboard({
      mode,
      brokerUrl,
      patients: Number(env.BENCH_DASH_PATIENTS ?? 2000),
      healthCentres: Number(env.BENCH_DASH_CENTRES ?? 8),
      days: Number(env.BENCH_DASH_DAYS ?? 365),
      sockets: Number(env.BENCH_DASH_SOCKETS ?? 200),
      requests: Number(env.BENCH_DASH_REQUESTS ?? 300),
      warmup: Number(env.BENCH_DASH_WARMUP ?? 30),
      alerts: Number(env.BENCH_DASH_ALERTS ?? 60),
      alertIntervalMs: Number(env.BENCH_DASH_INTERVAL_MS ?? 250),
      chunk: Number(env.BENCH_DASH_CHUNK ?? 100),
      hubEnv: HUB_ENV,
      seed: Number(env.BENCH_SEED ?? 1),
      quietBusyPercent: Number(env.BENCH_QUIET_PERCENT ?? 15),
      quietWaitSeconds: Number(env.BENCH_QUIET_WAIT_SECONDS ?? 180),
      log,
    }),
  );
}

function stormMode(mode: Mode): Promise<StormBenchResult> {
  return withBenchBroker(mode, (brokerUrl) =>
    benchStorm({
      mode,
      brokerUrl,
      gateways: STORM_GATEWAYS,
      backlogDays: Number(env.BENCH_STORM_DAYS ?? 3),
      readingsPerDay: Number(env.BENCH_STORM_PER_DAY ?? 5),
      connectConcurrency: Number(env.BENCH_STORM_CONCURRENCY ?? 1_000),
      resendFraction: Number(env.BENCH_STORM_RESEND ?? 0.1),
      hubEnv: HUB_ENV,
      seed: Number(env.BENCH_SEED ?? 1),
      log,
    }),
  );
}

function poisonMode(mode: Mode): Promise<PoisonResult> {
  return withBenchBroker(mode, (brokerUrl) =>
    benchPoison({
      ...phaseOptions(mode, brokerUrl, POISON_PHASES_RUN, env.BENCH_POISON_WARMUP_SECONDS),
      patients: PATIENTS,
      rate: Number(env.BENCH_POISON_RATE ?? 1000),
      window: Number(env.BENCH_POISON_WINDOW ?? 16),
      maxWindow: POISON_MAX_WINDOW[mode],
      poisonPerSecond: Number(env.BENCH_POISON_PER_SECOND ?? 50),
      poisonWindow: Number(env.BENCH_POISON_DEVICE_WINDOW ?? 100),
      settleSeconds: POISON_SETTLE_S,
    }),
  );
}

/** The code measured: the commit, and files of the hub changed but not committed (others at work). */
function codeUnderTest() {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return '';
    }
  };
  const uncommitted = git('status', '--porcelain', '--', 'server', 'devices')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  return { commit: git('rev-parse', '--short', 'HEAD').trim() || null, uncommitted };
}

async function main() {
  const code = codeUnderTest();
  log(
    `code under test: ${code.commit ?? 'unknown commit'}${code.uncommitted.length ? `, with uncommitted changes in ${code.uncommitted.join(', ')}` : ''}; the hub ${hubFromSource ? 'from source (tsx)' : 'compiled (npm run build:server)'}`,
  );
  if (!hubFromSource)
    execFileSync('npm', ['run', '--silent', 'build:server'], { stdio: 'inherit' });
  const results: ModeResult[] = [];
  const rules: RulesResult[] = [];
  const storms: StormBenchResult[] = [];
  const dashboard: DashboardResult[] = [];
  const poison: PoisonResult[] = [];
  for (const mode of MODES) {
    if (mode !== 'embedded' && mode !== 'services') throw new Error(`BENCH_MODES: unknown ${mode}`);
  }
  for (const mode of MODES) {
    if (SUITES.includes('spine')) {
      results.push(await benchMode(mode));
      log(`\n### ${mode}\n\n${table(results.at(-1)!)}`);
    }
    if (SUITES.includes('rules')) {
      rules.push(await rulesMode(mode));
      log(`\n### rules, ${mode}\n\n${rulesTable(rules.slice(-1))}`);
    }
    if (SUITES.includes('dashboard')) {
      dashboard.push(await dashboardMode(mode));
      log(`\n### dashboard, ${mode}\n\n${dashboardTable(dashboard.slice(-1))}`);
    }
    if (SUITES.includes('storm')) storms.push(await stormMode(mode));
    if (SUITES.includes('poison')) {
      poison.push(await poisonMode(mode));
      log(`\n### slow poison, ${mode}\n\n${poisonTable(poison.slice(-1))}`);
    }
  }
  if (dashboard.length > 1) log(`\n### dashboard\n\n${dashboardTable(dashboard)}`);
  if (storms.length) log(`\n### reconnect storm\n\n${stormTable(storms)}`);
  if (rules.length > 1) log(`\n### rules\n\n${rulesTable(rules)}`);
  if (poison.length > 1) log(`\n### slow poison\n\n${poisonTable(poison)}`);
  await mkdir('test-results', { recursive: true });
  await writeFile(
    'test-results/bench.json',
    JSON.stringify(
      {
        at: new Date().toISOString(),
        code,
        suites: SUITES,
        results,
        rules,
        dashboard,
        storms,
        poison,
      },
      null,
      2,
    ),
  );
  log('\nresults: test-results/bench.json');
  const failed = [
    ...results.filter((r) => !r.check.ok).map((r) => r.mode),
    ...rules.filter((r) => r.phases.some((p) => !p.check.ok)).map((r) => `rules ${r.mode}`),
    ...storms.filter((r) => !r.check.ok).map((r) => `storm ${r.mode}`),
    ...poison.filter((r) => r.phases.some((p) => !p.check.ok)).map((r) => `poison ${r.mode}`),
  ];
  if (failed.length) {
    console.error(`bench: the stored-exactly-once check failed in ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().then(
  () => process.exit(),
  (err: Error) => {
    console.error(`bench: ${err.stack ?? err.message}`);
    for (const c of children) c.kill('SIGKILL');
    process.exit(1);
  },
);
