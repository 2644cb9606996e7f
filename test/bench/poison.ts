// The slow-poison benchmark (issue 16): does one device sending garbage slow everyone else down?
// Before the fix, a payload beginning with a NUL byte was refused `not_json` with an error text
// that quoted the NUL; PostgreSQL refused the text, so the whole batch's commit failed and the
// hub split it message by message: one device sending 50 such 2-byte messages a second cut
// the others' ingest from 1,000 readings/s to ~240. Target: one such device lowers the others'
// rate by at most 10 %.
//
// Per mode, each phase with a hub of its own (a child process, ./hubProcess.ts) on a fresh
// database, RULES=off as in the spine (the ingest is what a poison message reaches; BENCH_HUB_ENV
// may turn them on), the spine's devices and messages (~190-byte heart rates, 200 devices, 10
// patients), one more device registered for the poison:
//   clean       the good devices offer a fixed rate (1,000 readings/s), QoS 1
//   poison      the same, and the extra device publishes `\x00{` at QoS 1 fifty times a second
//   max-clean   the good devices as fast as their windows allow (closed loop): a fixed offered
//   max-poison  rate hides a slowdown until the hub saturates; these show it at saturation
// Measured: accepted receipts per second of the good devices (after the warm-up), their
// publish-to-receipt latency and backlog (messages in flight), the poison messages answered
// (rejected receipts) and recorded (rejected_messages rows of the poison device), and the
// others' rate change = 1 - poison / clean. Then, as the spine checks: every good reading the
// broker acknowledged is stored exactly once, and every poison message has its row.
import { loadavg } from 'node:os';
import { topics } from '../../devices/contract.js';
import { connectLoad, type RunResult } from '../../simulators/load/publisher.js';
import { benchHub } from './benchHub.js';
import { HubChild } from './hubChild.js';
import { commitFigures, countNotStored, loadCpuPercent, loadRun, storedOnce } from './phase.js';
import type { CommitFigures, PhaseOptions, StoredCounts } from './phase.js';
import { cpuBetween, cpuSnapshot } from './procCpu.js';
import { waitForQuiet } from './rules.js';
import { fmt, markdownTable, mb, summarize, type LatencySummary } from './stats.js';

export type Mode = 'embedded' | 'services';
export type PoisonPhaseName = 'clean' | 'poison' | 'max-clean' | 'max-poison';
export const POISON_PHASES: PoisonPhaseName[] = ['clean', 'poison', 'max-clean', 'max-poison'];

/** What the poison device sends: a NUL byte, then `{` (2 bytes). */
export const POISON_PAYLOAD = Buffer.from([0x00, 0x7b]);

/** The issue's target: the others' readings/s at most 10 % lower with the poison device on. */
export const POISON_TARGET = { maxRateChange: 0.1 } as const;

/** `devices`: the well-behaved ones; the paced phases (steadyWarmupSeconds) are clean and poison. */
export interface PoisonOptions extends PhaseOptions<PoisonPhaseName> {
  /** The patients the good devices belong to (round robin). */
  patients: number;
  /** Readings per second the good devices offer in all in the fixed-rate phases. */
  rate: number;
  /** In-flight cap per good device at the fixed rate, and at the highest rate (closed loop). */
  window: number;
  maxWindow: number;
  /** Poison messages per second, and the poison device's own in-flight cap. */
  poisonPerSecond: number;
  poisonWindow: number;
  /** After the load, how long to wait for the hub to store what the broker acknowledged. */
  settleSeconds: number;
}

export interface PoisonStats {
  published: number;
  publishRatePerSecond: number;
  rateSkipped: number;
  /** PUBACKed: by the hub after the rejection is recorded (embedded), by Mosquitto (services). */
  pubacked: number;
  /** Rejected receipts the poison device got, and their reasons. */
  answered: number;
  answeredByReason: Record<string, number>;
  /** Publish to rejected receipt, matched in order (a rejection names no messageId). */
  latencyMs: LatencySummary;
  /** Rows of the poison device in rejected_messages, and their reasons. */
  recorded: number;
  recordedByReason: Record<string, number>;
}

export interface PoisonPhase {
  name: PoisonPhaseName;
  poisoned: boolean;
  /** The good devices' offered rate, or null for the closed loop. */
  targetRatePerSecond: number | null;
  window: number;
  seconds: number;
  warmupSeconds: number;
  good: {
    /** Accepted receipts per second, between the warm-up's end and the end of publishing. */
    ratePerSecond: number;
    publishRatePerSecond: number;
    /** Paced publishes never made: every good device's window was full. */
    rateSkipped: number;
    latencyMs: LatencySummary;
    /** Messages published and not yet answered, mean while publishing (the backlog). */
    inFlightMean: number;
    /** After publishing stopped, until the last receipt (or the drain timeout). */
    drainMs: number;
    /** No receipt within 10 s (given up) or by the end of the drain. */
    noReceipt: number;
    receiptsByStatus: Record<string, number>;
    timeline: number[];
  };
  poison: PoisonStats | null;
  commit: CommitFigures;
  /** Database statements during the load (a refused batch is tried again message by message). */
  dbStatements: number;
  cpuPercent: Record<string, number>;
  rssPeakLoadMb: number;
  /** 1-minute load average before the hub started and after the load. */
  loadAverage: [number, number];
  quiet: { waitedMs: number; busyPercent: number; reached: boolean };
  check: StoredCounts & {
    metricsAccepted: number;
    /** Good readings answered other than accepted (there should be none). */
    goodRefused: number;
    /** How long after the load the hub had stored what was acknowledged (services: a backlog in Mosquitto). */
    settledMs: number;
    /** Every poison message published has its rejected_messages row (null: no poison phase). */
    poisonRecorded: boolean | null;
    ok: boolean;
  };
}

export interface PoisonResult {
  mode: Mode;
  devices: number;
  patients: number;
  ratePerSecond: number;
  poisonPerSecond: number;
  phases: PoisonPhase[];
  /** 1 - poison / clean in the good devices' readings/s (fixed rate), and at the highest rate. */
  rateChange: number;
  maxRateChange: number;
  targets: { maxRateChange: number; met: boolean | null; maxMet: boolean | null };
}

/** 1 - after / before: the share of the rate lost (negative: a gain); NaN when either is missing. */
export function rateChange(before: number | undefined, after: number | undefined): number {
  if (before === undefined || after === undefined || !(before > 0)) return NaN;
  return 1 - after / before;
}

export async function benchPoison(o: PoisonOptions): Promise<PoisonResult> {
  o.log(
    `\n## slow poison, ${o.mode}: ${o.devices} devices at ${fmt(o.rate)} readings/s (window ${o.window}; closed loop window ${o.maxWindow}), one more sending ${o.poisonPerSecond} x \`\\x00{\` a second; ${o.seconds} s per phase`,
  );
  const phases: PoisonPhase[] = [];
  for (const name of o.phases) phases.push(await runPhase(o, name));
  const rate = (n: PoisonPhaseName) => phases.find((p) => p.name === n)?.good.ratePerSecond;
  const change = rateChange(rate('clean'), rate('poison'));
  const maxChange = rateChange(rate('max-clean'), rate('max-poison'));
  const met = (c: number) => (Number.isFinite(c) ? c <= POISON_TARGET.maxRateChange : null);
  return {
    mode: o.mode,
    devices: o.devices,
    patients: o.patients,
    ratePerSecond: o.rate,
    poisonPerSecond: o.poisonPerSecond,
    phases,
    rateChange: change,
    maxRateChange: maxChange,
    targets: { ...POISON_TARGET, met: met(change), maxMet: met(maxChange) },
  };
}

/**
 * The poison device's side of a run: a payload function that notes each publish, and a
 * receipts listener that matches rejected receipts to publishes in order.
 */
function poisonWatch() {
  const sentAt: number[] = [];
  const latencies: number[] = [];
  const byReason: Record<string, number> = {};
  let answered = 0;
  return {
    payload: () => {
      sentAt.push(performance.now());
      return POISON_PAYLOAD;
    },
    onReceipt(payload: Buffer) {
      let r: { status?: unknown; reason?: unknown };
      try {
        r = JSON.parse(payload.toString()) as typeof r;
      } catch {
        return;
      }
      if (r.status !== 'rejected') return;
      const at = sentAt[answered++];
      if (at !== undefined) latencies.push(performance.now() - at);
      const reason = typeof r.reason === 'string' ? r.reason : '?';
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    },
    answered: () => answered,
    byReason,
    latencies,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function runPhase(o: PoisonOptions, name: PoisonPhaseName): Promise<PoisonPhase> {
  const poisoned = name === 'poison' || name === 'max-poison';
  const paced = name === 'clean' || name === 'poison';
  const window = paced ? o.window : o.maxWindow;
  const bench = await benchHub({ ...o, name: 'poison', hubEnv: { RULES: 'off', ...o.hubEnv } });
  o.log(
    `- ${name}: ${paced ? `${fmt(o.rate)} readings/s offered, window ${window}` : `closed loop, window ${window}`}${poisoned ? `, poison ${o.poisonPerSecond}/s` : ''}`,
  );
  const loadBefore = loadavg()[0]!;
  // the poison device is registered like the others (the last one); the clean phases leave it idle
  const hub = new HubChild(bench.settings, { devices: o.devices + 1, patients: o.patients });
  let stopped = false;
  try {
    const ready = await hub.next('ready', 300_000);
    const url = o.mode === 'embedded' ? ready.mqttUrl : o.brokerUrl;
    const goodDevices = ready.devices.slice(0, o.devices);
    const poisonDevice = ready.devices[o.devices]!;
    const good = await connectLoad({ url, devices: goodDevices, receipts: true, concurrency: 8 });
    const bad = poisoned
      ? await connectLoad({ url, devices: [poisonDevice], receipts: false })
      : null;
    const watch = poisonWatch();
    if (bad) {
      const client = bad.devices[0]!.client;
      client.on('message', (_topic, payload) => watch.onReceipt(payload));
      await client.subscribeAsync(topics.receipts(poisonDevice.deviceId), { qos: 1 });
    }
    const quiet = await waitForQuiet(o);
    hub.mark();
    const before = await cpuSnapshot();
    const durationMs = o.seconds * 1000;
    const warmupMs = (paced ? o.steadyWarmupSeconds : o.warmupSeconds) * 1000;
    let run: RunResult;
    let poisonRun: RunResult | null = null;
    try {
      [run, poisonRun] = await Promise.all([
        good.run(
          loadRun({ window, durationMs, warmupMs, ...(paced ? { ratePerSecond: o.rate } : {}) }),
        ),
        bad
          ? bad.run(
              loadRun({
                window: o.poisonWindow,
                durationMs,
                completion: 'puback',
                ratePerSecond: o.poisonPerSecond,
                payload: watch.payload,
              }),
            )
          : null,
      ]);
      const cpu = cpuBetween(before, await cpuSnapshot());
      const loadAfter = loadavg()[0]!;

      // the hub may still hold (services: Mosquitto may still queue) what the broker acknowledged
      const settleStart = performance.now();
      const settleBy = settleStart + o.settleSeconds * 1000;
      while (poisonRun && watch.answered() < poisonRun.published && performance.now() < settleBy) {
        await sleep(200);
      }
      const deviceIds = goodDevices.map((d) => d.deviceId);
      const acked = [...new Set(run.ackedIds)];
      const notStored = () => countNotStored(hub, deviceIds, acked);
      let ackedNotStored = await notStored();
      while (ackedNotStored > 0 && performance.now() < settleBy) {
        await sleep(1000);
        ackedNotStored = await notStored();
      }
      const settledMs = performance.now() - settleStart;

      const { stats, memory } = await hub.ask({ cmd: 'stats' }, 'stats', 300_000);
      const rejected = bad
        ? await hub.ask({ cmd: 'rejected', deviceId: poisonDevice.deviceId }, 'rejected')
        : null;
      await hub.ask({ cmd: 'stop' }, 'stopped', 60_000);
      stopped = true;

      const poison: PoisonStats | null =
        poisonRun && rejected
          ? {
              published: poisonRun.published,
              publishRatePerSecond: poisonRun.publishRatePerSecond,
              rateSkipped: poisonRun.rateSkipped,
              pubacked: poisonRun.pubacked,
              answered: watch.answered(),
              answeredByReason: { ...watch.byReason },
              latencyMs: summarize(watch.latencies),
              recorded: rejected.rows,
              recordedByReason: rejected.byReason,
            }
          : null;
      const goodRefused = Object.entries(run.receiptsByStatus)
        .filter(([status]) => status !== 'accepted')
        .reduce((n, [, v]) => n + v, 0);
      const poisonRecorded = poison ? poison.recorded === poison.published : null;
      const stored = storedOnce(run.published, acked.length, ackedNotStored, stats);
      const check = {
        ...stored.counts,
        metricsAccepted: stats.metrics.accepted,
        goodRefused,
        settledMs,
        poisonRecorded,
        ok:
          stored.ok && stats.rows <= run.published && goodRefused === 0 && poisonRecorded !== false,
      };
      const phase: PoisonPhase = {
        name,
        poisoned,
        targetRatePerSecond: run.targetRatePerSecond,
        window,
        seconds: o.seconds,
        warmupSeconds: run.warmupMs / 1000,
        good: {
          ratePerSecond: run.ratePerSecond,
          publishRatePerSecond: run.publishRatePerSecond,
          rateSkipped: run.rateSkipped,
          latencyMs: summarize(run.latenciesMs),
          inFlightMean: run.inFlightMean,
          drainMs: run.drainMs,
          noReceipt: run.timedOut + run.unfinished,
          receiptsByStatus: run.receiptsByStatus,
          timeline: run.timeline,
        },
        poison,
        commit: commitFigures(stats.commit),
        dbStatements: stats.db.queries + stats.db.statementsInTransactions,
        cpuPercent: loadCpuPercent(memory, run, cpu),
        rssPeakLoadMb: mb(memory.rssPeakLoadBytes),
        loadAverage: [loadBefore, loadAfter],
        quiet: { waitedMs: quiet.waitedMs, busyPercent: quiet.busyPercent, reached: quiet.reached },
        check,
      };
      o.log(`  ${phaseLine(phase)}`);
      return phase;
    } finally {
      await Promise.all([good.close(), bad?.close()]);
    }
  } finally {
    await hub.kill(stopped ? 10_000 : 0);
    await bench.cleanup();
  }
}

function phaseLine(p: PoisonPhase): string {
  const g = p.good;
  const parts = [
    `${fmt(g.ratePerSecond)} good readings/s committed (published ${fmt(g.publishRatePerSecond)}/s)`,
    `p50 / p99 ${fmt(g.latencyMs.p50, 1)} / ${fmt(g.latencyMs.p99, 1)} ms`,
    `in flight ${fmt(g.inFlightMean)}`,
  ];
  if (p.poison) {
    parts.push(
      `poison ${fmt(p.poison.published)} sent, ${fmt(p.poison.answered)} answered, ${fmt(p.poison.recorded)} recorded`,
    );
  }
  parts.push(`load ${fmt(p.loadAverage[0], 1)} -> ${fmt(p.loadAverage[1], 1)}`);
  parts.push(p.check.ok ? 'check ok' : 'CHECK FAILED');
  return parts.join('; ');
}

const pct = (x: number) => (Number.isFinite(x) ? `${fmt(100 * x, 1)} %` : '-');

/** One column per mode and phase. */
export function poisonTable(results: PoisonResult[]): string {
  const cols = results.flatMap((r) => r.phases.map((p) => ({ r, p })));
  const rows: [string, (p: PoisonPhase) => string][] = [
    [
      'good devices offer',
      (p) =>
        p.targetRatePerSecond === null
          ? `closed loop, window ${p.window}`
          : `${fmt(p.targetRatePerSecond)}/s, window ${p.window}`,
    ],
    ['good readings committed/s (accepted receipts)', (p) => fmt(p.good.ratePerSecond)],
    [
      'good published/s (skipped: windows full)',
      (p) => `${fmt(p.good.publishRatePerSecond)} (${fmt(p.good.rateSkipped)})`,
    ],
    [
      'good publish->receipt p50 / p99 / max (ms)',
      (p) =>
        `${fmt(p.good.latencyMs.p50, 1)} / ${fmt(p.good.latencyMs.p99, 1)} / ${fmt(p.good.latencyMs.max)}`,
    ],
    [
      'good in flight (mean) / no receipt in 10 s / drain after publishing',
      (p) => `${fmt(p.good.inFlightMean)} / ${fmt(p.good.noReceipt)} / ${fmt(p.good.drainMs)} ms`,
    ],
    [
      'poison sent (/s; not sent: its window full)',
      (p) =>
        p.poison
          ? `${fmt(p.poison.published)} (${fmt(p.poison.publishRatePerSecond, 1)}/s; ${fmt(p.poison.rateSkipped)})`
          : 'none',
    ],
    [
      'poison answered rejected / recorded in rejected_messages',
      (p) =>
        p.poison
          ? `${fmt(p.poison.answered)} / ${fmt(p.poison.recorded)}${reasons(p.poison.answeredByReason)}`
          : '-',
    ],
    [
      'poison publish->rejected receipt p50 / p99 (ms)',
      (p) =>
        p.poison ? `${fmt(p.poison.latencyMs.p50, 1)} / ${fmt(p.poison.latencyMs.p99, 1)}` : '-',
    ],
    [
      'commit batches / mean size / mean ms',
      (p) => `${fmt(p.commit.batches)} / ${fmt(p.commit.meanSize, 1)} / ${fmt(p.commit.meanMs, 1)}`,
    ],
    ['database statements during the load', (p) => fmt(p.dbStatements)],
    [
      'CPU % of a core: hub / generator / mosquitto + postgres / other work; machine',
      (p) =>
        `${fmt(p.cpuPercent.hub ?? NaN)} / ${fmt(p.cpuPercent.generator ?? NaN)} / ${fmt((p.cpuPercent.mosquitto ?? 0) + (p.cpuPercent.postgres ?? 0))} / ${fmt(otherWork(p.cpuPercent))}; ${fmt(p.cpuPercent.machine ?? NaN)} of ${fmt(p.cpuPercent.cores ?? NaN)}`,
    ],
    [
      'load average before / after; busy % at start',
      (p) =>
        `${fmt(p.loadAverage[0], 1)} / ${fmt(p.loadAverage[1], 1)}; ${fmt(p.quiet.busyPercent)} %`,
    ],
    [
      'acked / stored / duplicate rows / acked not stored',
      (p) =>
        `${fmt(p.check.acked)} / ${fmt(p.check.stored)} / ${fmt(p.check.duplicateRows)} / ${fmt(p.check.ackedNotStored)}`,
    ],
    [
      'check (stored once; every poison recorded)',
      (p) =>
        `${p.check.ok ? 'ok' : 'FAILED'}${p.check.poisonRecorded === false ? ' (poison not recorded)' : ''}`,
    ],
  ];
  const table = markdownTable(
    ['', ...cols.map(({ r, p }) => `${r.mode} ${p.name}`)],
    rows.map(([label, f]) => [label, ...cols.map(({ p }) => f(p))]),
  );
  const mark = (m: boolean | null) => (m === null ? '' : m ? ' (met)' : ' (NOT met)');
  const summary = markdownTable(
    ['', ...results.map((r) => r.mode)],
    [
      [
        `others' rate change at ${fmt(results[0]?.ratePerSecond ?? NaN)}/s, 1 - poison/clean (target <= ${fmt(100 * POISON_TARGET.maxRateChange)} %)`,
        ...results.map((r) => `${pct(r.rateChange)}${mark(r.targets.met)}`),
      ],
      [
        "others' rate change at the highest rate, 1 - max-poison/max-clean",
        ...results.map((r) => `${pct(r.maxRateChange)}${mark(r.targets.maxMet)}`),
      ],
      [
        'good p99 latency clean -> poison (ms)',
        ...results.map((r) => {
          const p99 = (n: PoisonPhaseName) =>
            r.phases.find((p) => p.name === n)?.good.latencyMs.p99;
          return `${fmt(p99('clean') ?? NaN, 1)} -> ${fmt(p99('poison') ?? NaN, 1)}`;
        }),
      ],
    ],
  );
  return `${table}\n\n${summary}`;
}

/**
 * The machine's CPU not spent by the hub, the generator or the servers (on a shared machine:
 * other people's work), in % of one core. An estimate: the hub's share is over its whole load
 * phase, the others' over the publishing, and another user's PostgreSQL or Mosquitto counts as ours.
 */
export function otherWork(cpu: Record<string, number>): number {
  if (cpu.machine === undefined || cpu.hub === undefined || cpu.generator === undefined) return NaN;
  const ours = cpu.hub + cpu.generator + (cpu.mosquitto ?? 0) + (cpu.postgres ?? 0);
  return Math.max(0, cpu.machine - ours);
}

const reasons = (by: Record<string, number>) => {
  const e = Object.entries(by);
  return e.length ? ` (${e.map(([k, v]) => `${k} ${fmt(v)}`).join(', ')})` : '';
};
