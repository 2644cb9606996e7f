// The rules benchmark (issue 3): what rules cost on the ingest path, and how soon an abnormal
// reading becomes an alert. Three phases per mode, each with a hub of its own (a child process,
// ./hubProcess.ts) on a fresh database, the same load generator and the same workload:
//   max-off    readings/s at the highest rate the generator gets through, RULES=off
//   max-on     the same with RULES=on; rules cost = 1 - on/off
//   steady-on  a paced 2,000 readings/s with RULES=on; publish-to-alert latency of the abnormal
//              readings: Date.now() here when the reading is published, to Date.now() in the
//              hub when it emits the alert change (opened/updated) that names the reading as
//              its trigger (one machine, one clock)
// The workload (simulators/load/homeReadings.ts) is one patient per device measuring at home in
// simulated time (a reading every ~2 h per device), with ~1 % clearly abnormal values; the
// spine benchmark's flood of one heart rate after another for 10 patients is not what rules see.
import { loadavg } from 'node:os';
import { createHomeWorkload, type AbnormalKind } from '../../simulators/load/homeReadings.js';
import { connectLoad } from '../../simulators/load/publisher.js';
import { benchHub } from './benchHub.js';
import { HubChild } from './hubChild.js';
import type { AlertTimes, DbCalls } from './ipc.js';
import { commitFigures, countNotStored, loadCpuPercent, loadRun, storedOnce } from './phase.js';
import type { CommitFigures, PhaseOptions, StoredCounts } from './phase.js';
import { busiest, cpuBetween, cpuSnapshot, processTicks } from './procCpu.js';
import { fmt, markdownTable, mb, summarize, type LatencySummary } from './stats.js';
import { tallyAbnormal } from './superseded.js';

export type Mode = 'embedded' | 'services';
export type PhaseName = 'max-off' | 'max-on' | 'steady-on';

/** The paced phase (steadyWarmupSeconds) is steady-on. */
export interface RulesOptions extends PhaseOptions<PhaseName> {
  /** In-flight messages per device in the max-rate phases. */
  window: number;
  /** The steady phase: readings per second in all, and the per-device cap on messages in flight. */
  steadyRate: number;
  steadyWindow: number;
  abnormalFraction: number;
  stepHours: number;
  /** Simulated time starts at least this many days ago (further back when the run needs it). */
  spanDays: number;
  /** An upper bound of the max-rate phases' rate, to start simulated time far enough back. */
  rateBound: number;
  /** How long to wait, after the load, for the rules to catch up. */
  drainTimeoutSeconds: number;
  seed: number;
}

export const RULES_TARGETS = { maxCost: 0.2, alertP99Ms: 200, steadyRate: 2000 } as const;

export interface AlertLatency {
  /** Abnormal readings published in the whole phase, and after the warm-up. */
  abnormalPublished: number;
  abnormalMeasured: number;
  /** Abnormal readings that raised an alert change (opened/updated naming them). */
  raised: number;
  /**
   * Abnormal readings that raised none because a newer reading of their type came in the same
   * commit or before (./superseded.ts): the rules flag them late and alert no one, by design.
   */
  superseded: number;
  supersededByKind: Partial<Record<AbnormalKind, number>>;
  /** Abnormal readings that raised no alert change and were not superseded. */
  missing: number;
  /** Of the missing: not stored at all (then the ingest, not the rules, lost them). */
  missingNotStored: number;
  missingExamples: string[];
  missingByKind: Partial<Record<AbnormalKind, number>>;
  /** Publish (here) to alert change (in the hub), for abnormal readings published after the warm-up. */
  latencyMs: LatencySummary;
  /** Alert changes raised by readings that were not abnormal (the rules' own view of normal noise). */
  otherTriggers: number;
  byKind: Record<string, number>;
  byRule: Record<string, number>;
  untriggered: number;
  repeated: number;
}

export interface RulesPhase {
  name: PhaseName;
  rules: 'on' | 'off';
  window: number;
  targetRatePerSecond: number | null;
  seconds: number;
  warmupSeconds: number;
  /** Readings committed per second (receipts), after the warm-up. */
  ratePerSecond: number;
  /** Readings committed per second from the first publish to the last receipt, warm-up included. */
  overallRatePerSecond: number;
  /**
   * RULES=on: readings committed and evaluated per second, from the first publish until the
   * rules were idle (rules that fall behind the ingest cost here, not in ratePerSecond); an
   * upper bound when they were not idle within the drain timeout. RULES=off: overallRatePerSecond.
   */
  evaluatedRatePerSecond: number;
  publishRatePerSecond: number;
  rateSkipped: number;
  receiptLatencyMs: LatencySummary;
  /** Notices to the patient the devices got (measure again after a borderline value, reminders). */
  notices: Record<string, number>;
  /** After the load: how long until the rules had evaluated everything committed. */
  rulesIdle: { idle: boolean; ms: number } | null;
  alerts: AlertLatency | null;
  workload: {
    startedDaysAgo: number;
    stepHours: number;
    abnormalFraction: number;
    readings: number;
    byType: Record<string, number>;
    abnormal: number;
    clampedToNow: number;
  };
  startMs: number;
  registerMs: number;
  /** 1-minute load average before the hub started and after the load: other work on the machine shows here. */
  loadAverage: [number, number];
  /** How long the phase waited for a quiet machine, and how busy it was when the load began (% of all cores). */
  quiet: {
    waitedMs: number;
    busyPercent: number;
    reached: boolean;
    busiest: { pid: string; name: string; percent: number }[];
  };
  cpuPercent: Record<string, number>;
  rssPeakLoadMb: number;
  rssPeakMb: number;
  commit: CommitFigures;
  /** The hub's database calls during the load (ingest and rules share the database). */
  db: DbCalls & { statementsPerReading: number };
  check: StoredCounts & {
    noReceipt: number;
    publishErrors: number;
    receiptsByStatus: Record<string, number>;
    ok: boolean;
  };
}

export interface RulesResult {
  mode: Mode;
  devices: number;
  patients: number;
  phases: RulesPhase[];
  /**
   * 1 - (max-on / max-off) in readings committed and evaluated per second (first publish until
   * the rules are idle; RULES=off: until the last receipt).
   */
  rulesCost: number;
  /** 1 - (max-on / max-off) in readings committed per second alone, the rules' backlog left out. */
  ingestOnlyCost: number;
  /** The steady phase held its rate: published and committed within 2 % of the target, none skipped. */
  sustained: boolean | null;
  targets: {
    maxCost: number;
    alertP99Ms: number;
    steadyRate: number;
    costMet: boolean | null;
    alertMet: boolean | null;
    allRaised: boolean | null;
  };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

export async function benchRules(o: RulesOptions): Promise<RulesResult> {
  o.log(
    `\n## rules, ${o.mode}: ${o.devices} devices (one patient each), ${o.seconds} s per phase; max-rate window ${o.window}, steady ${fmt(o.steadyRate)}/s`,
  );
  const phases: RulesPhase[] = [];
  for (const name of o.phases) phases.push(await runPhase(o, name));
  const off = phases.find((p) => p.name === 'max-off');
  const on = phases.find((p) => p.name === 'max-on');
  const steady = phases.find((p) => p.name === 'steady-on');
  const rulesCost = off && on ? 1 - on.evaluatedRatePerSecond / off.evaluatedRatePerSecond : NaN;
  const ingestOnlyCost = off && on ? 1 - on.ratePerSecond / off.ratePerSecond : NaN;
  const sustained = steady
    ? steady.publishRatePerSecond >= 0.98 * o.steadyRate &&
      steady.ratePerSecond >= 0.98 * o.steadyRate &&
      steady.rateSkipped === 0
    : null;
  const a = steady?.alerts;
  return {
    mode: o.mode,
    devices: o.devices,
    patients: o.devices,
    phases,
    rulesCost,
    ingestOnlyCost,
    sustained,
    targets: {
      ...RULES_TARGETS,
      steadyRate: o.steadyRate,
      costMet: Number.isFinite(rulesCost) ? rulesCost < RULES_TARGETS.maxCost : null,
      alertMet: a ? a.latencyMs.p99 < RULES_TARGETS.alertP99Ms && a.missing === 0 : null,
      allRaised: a ? a.missing === 0 : null,
    },
  };
}

async function runPhase(o: RulesOptions, name: PhaseName): Promise<RulesPhase> {
  const rules = name === 'max-off' ? 'off' : 'on';
  const steady = name === 'steady-on';
  const window = steady ? o.steadyWindow : o.window;
  const durationMs = o.seconds * 1000;
  const warmupMs = (steady ? o.steadyWarmupSeconds : o.warmupSeconds) * 1000;
  // BENCH_HUB_ENV may not turn rules around
  const bench = await benchHub({ ...o, name: 'rules', fixed: { RULES: rules } });
  const hubConfig = bench.settings;

  // Simulated time: far enough back that no device reaches the present during the phase.
  const perDevice = ((steady ? o.steadyRate : o.rateBound) * (o.seconds + 5)) / o.devices;
  const spanDays = Math.max(o.spanDays, Math.ceil((1.2 * perDevice * o.stepHours) / 24));
  const workload = createHomeWorkload({
    devices: o.devices,
    startMs: Date.now() - spanDays * DAY,
    stepMs: o.stepHours * HOUR,
    abnormalFraction: o.abnormalFraction,
    seed: o.seed,
  });

  o.log(
    `- ${name}: RULES=${rules}, ${steady ? `paced at ${fmt(o.steadyRate)}/s, window ${window}` : `closed loop, window ${window}`}; simulated time from ${spanDays} days ago`,
  );
  const loadBefore = loadavg()[0]!;
  const hub = new HubChild(hubConfig, {
    devices: o.devices,
    patients: o.devices,
    env: { BENCH_TRACK_SUPERSEDED: '1' },
  });
  let stopped = false;
  try {
    const ready = await hub.next('ready', 300_000);
    const mqttUrl = o.mode === 'embedded' ? ready.mqttUrl : o.brokerUrl;
    const load = await connectLoad({
      url: mqttUrl,
      devices: ready.devices,
      receipts: true,
      concurrency: 8,
    });
    const quiet = await waitForQuiet(o);
    hub.mark();
    const before = await cpuSnapshot();
    const runStartWall = Date.now();
    let run;
    try {
      run = await load.run(
        loadRun({
          window,
          durationMs,
          warmupMs,
          payload: workload.payload,
          ...(steady ? { ratePerSecond: o.steadyRate } : {}),
        }),
      );
    } finally {
      await load.close();
    }
    const cpu = cpuBetween(before, await cpuSnapshot());
    const loadAfter = loadavg()[0]!;
    const warmEndWall = runStartWall + run.warmupMs;

    let rulesIdle: RulesPhase['rulesIdle'] = null;
    let rulesDoneWall = 0;
    let alertTimes: AlertTimes | null = null;
    if (rules === 'on') {
      const r = await hub.ask(
        { cmd: 'rulesIdle', timeoutMs: o.drainTimeoutSeconds * 1000 },
        'rulesIdle',
        o.drainTimeoutSeconds * 1000 + 30_000,
      );
      rulesIdle = { idle: r.idle, ms: r.ms };
      rulesDoneWall = Date.now();
      alertTimes = (await hub.ask({ cmd: 'alerts' }, 'alerts')).alerts;
    }
    const { stats, memory } = await hub.ask({ cmd: 'stats' }, 'stats', 300_000);

    const deviceIds = ready.devices.map((d) => d.deviceId);
    const notStored = (ids: string[]) => countNotStored(hub, deviceIds, ids);
    const acked = [...new Set(run.ackedIds)];
    const ackedNotStored = await notStored(acked);

    let alerts: AlertLatency | null = null;
    if (alertTimes) {
      const raisedAt = new Map(alertTimes.triggers.map(([d, m, at]) => [`${d} ${m}`, at]));
      const asked = [...workload.abnormal].map(([messageId, a]) => ({
        deviceId: deviceIds[a.device]!,
        messageId,
      }));
      const { superseded } = await hub.ask(
        {
          cmd: 'superseded',
          deviceIds: asked.map((r) => r.deviceId),
          messageIds: asked.map((r) => r.messageId),
        },
        'superseded',
      );
      const supersededKeys = new Set(
        asked.filter((_, i) => superseded[i]).map((r) => `${r.deviceId} ${r.messageId}`),
      );
      const t = tallyAbnormal({
        abnormal: workload.abnormal,
        deviceIds,
        raisedAt,
        superseded: (deviceId, messageId) => supersededKeys.has(`${deviceId} ${messageId}`),
        warmEndWall,
      });
      alerts = {
        abnormalPublished: workload.abnormal.size,
        abnormalMeasured: t.measured,
        raised: t.raised,
        superseded: t.superseded,
        supersededByKind: t.supersededByKind,
        missing: t.missingIds.length,
        missingNotStored: t.missingIds.length ? await notStored(t.missingIds) : 0,
        missingExamples: t.missingIds.slice(0, 5),
        missingByKind: t.missingByKind,
        latencyMs: summarize(t.latencies),
        otherTriggers: raisedAt.size,
        byKind: alertTimes.byKind,
        byRule: alertTimes.byRule,
        untriggered: alertTimes.untriggered,
        repeated: alertTimes.repeated,
      };
    }

    if (rulesIdle?.idle !== false) {
      await hub.ask({ cmd: 'stop' }, 'stopped', 60_000);
      stopped = true;
    }
    const stored = storedOnce(run.published, acked.length, ackedNotStored, stats);
    const check = {
      ...stored.counts,
      noReceipt: run.timedOut + run.unfinished,
      publishErrors: run.publishErrors,
      receiptsByStatus: run.receiptsByStatus,
      ok: stored.ok && !run.receiptsByStatus.rejected,
    };
    const phase: RulesPhase = {
      name,
      rules,
      window,
      targetRatePerSecond: run.targetRatePerSecond,
      seconds: o.seconds,
      warmupSeconds: run.warmupMs / 1000,
      ratePerSecond: run.ratePerSecond,
      overallRatePerSecond: run.overallRatePerSecond,
      evaluatedRatePerSecond: rulesIdle
        ? (run.completed * 1000) / (rulesDoneWall - runStartWall)
        : run.overallRatePerSecond,
      publishRatePerSecond: run.publishRatePerSecond,
      rateSkipped: run.rateSkipped,
      receiptLatencyMs: summarize(run.latenciesMs),
      notices: run.notices,
      rulesIdle,
      alerts,
      workload: {
        startedDaysAgo: spanDays,
        stepHours: o.stepHours,
        abnormalFraction: o.abnormalFraction,
        ...workload.counts,
      },
      startMs: ready.startMs,
      registerMs: ready.registerMs,
      loadAverage: [loadBefore, loadAfter],
      quiet,
      cpuPercent: loadCpuPercent(memory, run, cpu),
      rssPeakLoadMb: mb(memory.rssPeakLoadBytes),
      rssPeakMb: mb(memory.rssPeakBytes),
      commit: commitFigures(stats.commit),
      db: {
        ...stats.db,
        statementsPerReading:
          (stats.db.queries + stats.db.statementsInTransactions) / Math.max(1, stats.rows),
      },
      check,
    };
    o.log(`  ${phaseLine(phase)}`);
    return phase;
  } finally {
    // rules still busy: the hub would wait for them on stop, so it is killed instead
    await hub.kill(stopped ? 10_000 : 0);
    await bench.cleanup();
  }
}

/** Waits until the machine is quiet (see RulesOptions.quietBusyPercent). */
export async function waitForQuiet(
  o: Pick<RulesOptions, 'quietBusyPercent' | 'quietWaitSeconds' | 'log'>,
): Promise<RulesPhase['quiet']> {
  const started = performance.now();
  for (;;) {
    const a = await cpuSnapshot();
    const ta = await processTicks();
    await new Promise((r) => setTimeout(r, 3000));
    const b = cpuBetween(a, await cpuSnapshot());
    const top = busiest(ta, await processTicks(), performance.now() - a.at);
    const busyPercent = (100 * b.machine!) / b.cores!;
    const waitedMs = performance.now() - started;
    const reached = busyPercent <= o.quietBusyPercent;
    if (reached || waitedMs >= o.quietWaitSeconds * 1000) {
      const busy = top.map((p) => `${p.name} (${p.pid}) ${fmt(p.percent)} %`).join(', ');
      if (!reached || waitedMs > 5000)
        o.log(
          `  machine ${fmt(busyPercent)} % busy after waiting ${fmt(waitedMs / 1000)} s for it to be under ${o.quietBusyPercent} %${reached ? '' : `; busiest: ${busy}`}`,
        );
      return { waitedMs, busyPercent, reached, busiest: top };
    }
  }
}

function phaseLine(p: RulesPhase): string {
  const parts = [
    `${fmt(p.ratePerSecond)} readings/s committed (published ${fmt(p.publishRatePerSecond)}/s)`,
    `${fmt(p.evaluatedRatePerSecond)}/s first publish to ${p.rulesIdle ? 'rules idle' : 'last receipt'}`,
    `receipt p50 ${fmt(p.receiptLatencyMs.p50, 1)} ms`,
  ];
  if (p.rulesIdle)
    parts.push(
      p.rulesIdle.idle
        ? `rules idle ${fmt(p.rulesIdle.ms)} ms after the load`
        : `rules NOT idle ${fmt(p.rulesIdle.ms / 1000)} s after the load`,
    );
  if (p.alerts)
    parts.push(
      `alerts for ${fmt(p.alerts.raised)}/${fmt(p.alerts.abnormalPublished)} abnormal (${fmt(p.alerts.superseded)} superseded, no alert by design; ${fmt(p.alerts.missing)} missing), p50/p99 ${fmt(p.alerts.latencyMs.p50)}/${fmt(p.alerts.latencyMs.p99)} ms`,
    );
  parts.push(
    `${fmt(p.db.statementsPerReading, 2)} database statements per reading, commits ${fmt(p.commit.meanMs)} ms for ${fmt(p.commit.meanSize)} readings`,
  );
  parts.push(
    `hub ${fmt(p.cpuPercent.hub ?? NaN)} % CPU, machine ${fmt(p.cpuPercent.machine ?? NaN)} of ${fmt(p.cpuPercent.cores ?? NaN)}, load average ${fmt(p.loadAverage[0], 1)} -> ${fmt(p.loadAverage[1], 1)}`,
  );
  if (!p.check.ok) parts.push('CHECK FAILED');
  return parts.join('; ');
}

const mark = (ok: boolean | null) => (ok === null ? '-' : ok ? 'met' : 'NOT met');

function idleText(p: RulesPhase | undefined) {
  if (!p?.rulesIdle) return '-';
  return p.rulesIdle.idle
    ? `${fmt(p.rulesIdle.ms / 1000, 1)} s`
    : `not idle after ${fmt(p.rulesIdle.ms / 1000)} s`;
}

/** One markdown table, a column per mode. */
export function rulesTable(results: RulesResult[]): string {
  const phase = (r: RulesResult, n: PhaseName) => r.phases.find((p) => p.name === n);
  const col = (f: (r: RulesResult) => string) => results.map(f);
  const alerts = (r: RulesResult, n: PhaseName) => phase(r, n)?.alerts ?? null;
  const lat = (a: AlertLatency | null) =>
    a
      ? `${fmt(a.latencyMs.p50)} / ${fmt(a.latencyMs.p99)} / ${fmt(a.latencyMs.max)} ms (n ${fmt(a.latencyMs.count)})`
      : '-';
  const raised = (a: AlertLatency | null) =>
    a
      ? `${fmt(a.abnormalPublished)} / ${fmt(a.raised)} / ${fmt(a.superseded)} / ${fmt(a.missing)}${a.missingNotStored ? ` (${fmt(a.missingNotStored)} not stored)` : ''}`
      : '-';
  const t = results[0]?.targets ?? { ...RULES_TARGETS };
  const upTo = (p: RulesPhase | undefined) => (p?.rulesIdle && !p.rulesIdle.idle ? '<= ' : '');
  const rows: string[][] = [
    [
      'max rate, RULES=off: readings committed/s (after warm-up) / first publish to last receipt',
      ...col((r) => {
        const p = phase(r, 'max-off');
        return `${fmt(p?.ratePerSecond ?? NaN)} / ${fmt(p?.evaluatedRatePerSecond ?? NaN)}`;
      }),
    ],
    [
      'max rate, RULES=on: readings committed/s (after warm-up) / committed and evaluated, first publish to rules idle',
      ...col((r) => {
        const p = phase(r, 'max-on');
        return `${fmt(p?.ratePerSecond ?? NaN)} / ${upTo(p)}${fmt(p?.evaluatedRatePerSecond ?? NaN)}`;
      }),
    ],
    [
      `rules cost = 1 - on/off, committed and evaluated (target < ${t.maxCost * 100} %); ingest alone`,
      ...col(
        (r) =>
          `**${fmt(r.rulesCost * 100, 1)} %** (${mark(r.targets.costMet)}); ${fmt(r.ingestOnlyCost * 100, 1)} %`,
      ),
    ],
    [
      'max rate, RULES=on: rules busy after the load / publish->alert p50 / p99 / max',
      ...col((r) => `${idleText(phase(r, 'max-on'))}; ${lat(alerts(r, 'max-on'))}`),
    ],
    [
      `steady ${fmt(t.steadyRate)}/s, RULES=on: published / committed per s (sustained)`,
      ...col((r) => {
        const p = phase(r, 'steady-on');
        if (!p) return '-';
        return `${fmt(p.publishRatePerSecond)} / ${fmt(p.ratePerSecond)} (${r.sustained ? 'yes' : 'NO'}${p.rateSkipped ? `, ${fmt(p.rateSkipped)} skipped` : ''})`;
      }),
    ],
    [
      `steady: publish->alert p50 / p99 / max (target p99 < ${t.alertP99Ms} ms)`,
      ...col((r) => `**${lat(alerts(r, 'steady-on'))}** (${mark(r.targets.alertMet)})`),
    ],
    [
      'steady: abnormal readings published / raised an alert change / superseded (no alert by design) / missing',
      ...col((r) => raised(alerts(r, 'steady-on'))),
    ],
    [
      'steady: alert changes from normal readings / notices to re-measure / rules busy after the load',
      ...col((r) => {
        const a = alerts(r, 'steady-on');
        const p = phase(r, 'steady-on');
        return a && p
          ? `${fmt(a.otherTriggers)} / ${fmt(p.notices.remeasure ?? 0)} / ${idleText(p)}`
          : '-';
      }),
    ],
    [
      'steady: publish->receipt p50 / p99 (ms)',
      ...col((r) => {
        const p = phase(r, 'steady-on');
        return p ? `${fmt(p.receiptLatencyMs.p50, 1)} / ${fmt(p.receiptLatencyMs.p99, 1)}` : '-';
      }),
    ],
    [
      'CPU % of a core, hub: max off / max on / steady (machine during steady)',
      ...col((r) => {
        const c = (n: PhaseName) => fmt(phase(r, n)?.cpuPercent.hub ?? NaN);
        const m = phase(r, 'steady-on')?.cpuPercent;
        return `${c('max-off')} / ${c('max-on')} / ${c('steady-on')} (${fmt(m?.machine ?? NaN)} of ${fmt(m?.cores ?? NaN)})`;
      }),
    ],
    [
      'database statements per reading: max off / max on / steady',
      ...col((r) =>
        (['max-off', 'max-on', 'steady-on'] as const)
          .map((n) => fmt(phase(r, n)?.db.statementsPerReading ?? NaN, 2))
          .join(' / '),
      ),
    ],
    [
      'mean commit ms (readings per commit): max off / max on / steady',
      ...col((r) =>
        (['max-off', 'max-on', 'steady-on'] as const)
          .map((n) => {
            const c = phase(r, n)?.commit;
            return c ? `${fmt(c.meanMs)} (${fmt(c.meanSize)})` : '-';
          })
          .join(' / '),
      ),
    ],
    [
      'hub peak RSS under load: max off / max on / steady (MiB)',
      ...col((r) =>
        (['max-off', 'max-on', 'steady-on'] as const)
          .map((n) => fmt(phase(r, n)?.rssPeakLoadMb ?? NaN))
          .join(' / '),
      ),
    ],
    [
      'machine busy before the load, % of all cores: max off / max on / steady',
      ...col((r) =>
        (['max-off', 'max-on', 'steady-on'] as const)
          .map((n) => fmt(phase(r, n)?.quiet.busyPercent ?? NaN))
          .join(' / '),
      ),
    ],
    [
      'load average before / after: max off; max on; steady (other work shows here)',
      ...col((r) =>
        (['max-off', 'max-on', 'steady-on'] as const)
          .map((n) => {
            const l = phase(r, n)?.loadAverage;
            return l ? `${fmt(l[0], 1)} / ${fmt(l[1], 1)}` : '-';
          })
          .join('; '),
      ),
    ],
    [
      'stored exactly once, no rejections (all phases)',
      ...col((r) => (r.phases.every((p) => p.check.ok) ? 'ok' : 'CHECK FAILED')),
    ],
    [
      'devices = patients, window (max / steady), seconds (warm-up)',
      ...col((r) => {
        const p = r.phases[0];
        const s = phase(r, 'steady-on');
        return `${r.devices}, ${phase(r, 'max-on')?.window ?? '-'} / ${s?.window ?? '-'}, ${p?.seconds ?? '-'} s (${p?.warmupSeconds ?? '-'} s)`;
      }),
    ],
  ];
  return markdownTable(['measure', ...results.map((r) => r.mode)], rows);
}
