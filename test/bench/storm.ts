// The reconnect-storm benchmark (issue 5): 10,000 home gateways come back at once after three
// days offline, each with its backlog, and some send a batch twice. How long the hub takes to
// absorb it (every reading answered, stored, and judged by the rules), with nothing lost or
// duplicated. One hub per mode, in a child process on a fresh database (./hubProcess.ts), one
// patient per gateway, RULES=on as in production.
import { connectLoad } from '../../simulators/load/publisher.js';
import { reconnectStorm } from '../../simulators/load/reconnectStorm.js';
import { benchHub } from './benchHub.js';
import { HubChild } from './hubChild.js';
import { fmt, markdownTable, mb, summarize, type LatencySummary } from './stats.js';
import { VERIFY_CHUNK } from './ipc.js';

export type Mode = 'embedded' | 'services';

export interface StormBenchOptions {
  mode: Mode;
  brokerUrl: string;
  gateways: number;
  backlogDays: number;
  readingsPerDay: number;
  connectConcurrency: number;
  resendFraction: number;
  hubEnv: Record<string, string>;
  seed: number;
  log: (line: string) => void;
}

export interface StormBenchResult {
  mode: Mode;
  gateways: number;
  readings: number;
  resent: number;
  registerMs: number;
  /** Every gateway's first connection (the embedded broker checks each secret's slow hash). */
  coldConnectMs: number;
  allPublishedMs: number;
  absorbedMs: number;
  /** From the first CONNECT until the rules had judged every reading too. */
  judgedMs: number | null;
  connectMs: LatencySummary;
  gatewayDoneMs: LatencySummary;
  receipts: Record<string, number>;
  unanswered: number;
  connectErrors: number;
  rssPeakMb: number;
  check: { stored: number; duplicateRows: number; notStored: number; ok: boolean };
}

export async function benchStorm(o: StormBenchOptions): Promise<StormBenchResult> {
  const bench = await benchHub({ ...o, name: 'storm' });
  const hubConfig = bench.settings;
  o.log(
    `\n## reconnect storm, ${o.mode}: ${fmt(o.gateways)} gateways back after ${o.backlogDays} days offline, ~${o.readingsPerDay} readings a day each; ${fmt(100 * o.resendFraction)} % send a batch twice`,
  );
  const hub = new HubChild(hubConfig, {
    devices: o.gateways,
    patients: o.gateways,
    env: { BENCH_REGISTER: 'shared-secret' },
  });
  let stopped = false;
  try {
    const ready = await hub.next('ready', 900_000);
    o.log(
      `- ${fmt(o.gateways)} patients and gateways registered in ${fmt(ready.registerMs / 1000, 1)} s`,
    );
    const url = o.mode === 'embedded' ? ready.mqttUrl : o.brokerUrl;
    // the embedded broker checks each gateway's secret; Mosquitto here is anonymous
    const gateways =
      o.mode === 'embedded' ? ready.devices : ready.devices.map((d) => ({ deviceId: d.deviceId }));
    // Before the outage: every gateway connects once, as a hub that has run for a while has
    // seen them (timed: this is what a storm costs a hub that restarted with the outage).
    const c0 = Date.now();
    const before = await connectLoad({
      url,
      devices: gateways,
      receipts: false,
      concurrency: o.connectConcurrency,
    });
    const coldConnectMs = Date.now() - c0;
    await before.close();
    o.log(`- before the outage: ${fmt(o.gateways)} gateways connected in ${s(coldConnectMs)}`);
    hub.mark();
    const t0 = Date.now();
    const storm = await reconnectStorm({
      url,
      gateways,
      backlogDays: o.backlogDays,
      readingsPerDay: o.readingsPerDay,
      connectConcurrency: o.connectConcurrency,
      resendFraction: o.resendFraction,
      seed: o.seed,
      drainTimeoutMs: 600_000,
    });
    const idle = await hub.ask({ cmd: 'rulesIdle', timeoutMs: 600_000 }, 'rulesIdle', 660_000);
    const judgedMs = idle.idle ? Date.now() - t0 : null;
    const { stats, memory } = await hub.ask({ cmd: 'stats' }, 'stats', 300_000);
    let notStored = 0;
    for (let i = 0; i < storm.sent.length; i += VERIFY_CHUNK) {
      const part = storm.sent.slice(i, i + VERIFY_CHUNK);
      const v = await hub.ask(
        {
          cmd: 'verify',
          deviceIds: part.map((s) => s.deviceId),
          messageIds: part.map((s) => s.messageId),
        },
        'verify',
      );
      notStored += v.missing;
    }
    await hub.ask({ cmd: 'stop' }, 'stopped', 120_000);
    stopped = true;
    const duplicateRows = stats.rows - stats.distinctKeys;
    const result: StormBenchResult = {
      mode: o.mode,
      gateways: o.gateways,
      readings: storm.readings,
      resent: storm.resent,
      registerMs: ready.registerMs,
      coldConnectMs,
      allPublishedMs: storm.allPublishedMs,
      absorbedMs: storm.absorbedMs,
      judgedMs,
      connectMs: summarize(storm.connectMs),
      gatewayDoneMs: summarize(storm.gatewayDoneMs),
      receipts: storm.receipts,
      unanswered: storm.unanswered,
      connectErrors: storm.connectErrors,
      rssPeakMb: mb(memory.rssPeakLoadBytes),
      check: {
        stored: stats.rows,
        duplicateRows,
        notStored,
        ok:
          notStored === 0 &&
          duplicateRows === 0 &&
          stats.rows === storm.readings &&
          storm.unanswered === 0 &&
          (storm.receipts.duplicate ?? 0) === storm.resent &&
          !storm.receipts.rejected,
      },
    };
    o.log(`- ${stormLine(result)}`);
    return result;
  } finally {
    await hub.kill(stopped ? 10_000 : 0);
    await bench.cleanup();
  }
}

const s = (ms: number | null) => (ms === null ? 'not within 10 min' : `${fmt(ms / 1000, 1)} s`);

function stormLine(r: StormBenchResult): string {
  return `${fmt(r.readings)} readings (+${fmt(r.resent)} resent): all published after ${s(r.allPublishedMs)}, all answered after ${s(r.absorbedMs)}, all judged by the rules after ${s(r.judgedMs)}; stored ${fmt(r.check.stored)}, duplicates ${r.check.duplicateRows}, not stored ${r.check.notStored}, unanswered ${r.unanswered}, connect errors ${r.connectErrors}: ${r.check.ok ? 'ok' : 'NOT OK'}`;
}

export function stormTable(results: StormBenchResult[]): string {
  const cell = (f: (r: StormBenchResult) => string) => results.map(f);
  const rows: [string, (r: StormBenchResult) => string][] = [
    [
      'gateways; readings (+ sent twice)',
      (r) => `${fmt(r.gateways)}; ${fmt(r.readings)} (+${fmt(r.resent)})`,
    ],
    [
      'before the outage: every gateway connected once (slow hash checked)',
      (r) => s(r.coldConnectMs),
    ],
    ['the storm: first CONNECT to every backlog published', (r) => s(r.allPublishedMs)],
    ['first CONNECT to every reading answered (receipts)', (r) => s(r.absorbedMs)],
    ['first CONNECT to every reading judged by the rules', (r) => s(r.judgedMs)],
    [
      'readings absorbed per second (answered)',
      (r) => fmt((r.readings + r.resent) / (r.absorbedMs / 1000)),
    ],
    [
      'connect p50 / p99 per gateway',
      (r) => `${fmt(r.connectMs.p50)} / ${fmt(r.connectMs.p99)} ms`,
    ],
    [
      "a gateway's backlog, publish to last receipt p50 / p99",
      (r) => `${fmt(r.gatewayDoneMs.p50)} / ${fmt(r.gatewayDoneMs.p99)} ms`,
    ],
    [
      'receipts',
      (r) =>
        Object.entries(r.receipts)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(', '),
    ],
    [
      'stored once; duplicates; lost; unanswered',
      (r) =>
        `${fmt(r.check.stored)}; ${r.check.duplicateRows}; ${r.check.notStored}; ${r.unanswered}: ${r.check.ok ? 'ok' : 'NOT OK'}`,
    ],
    ['hub peak RSS during the storm', (r) => `${fmt(r.rssPeakMb)} MiB`],
  ];
  return markdownTable(
    ['', ...results.map((r) => r.mode)],
    rows.map(([label, f]) => [label, ...cell(f)]),
  );
}
