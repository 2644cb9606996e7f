// The hub under test, alone in its own process so that its memory is its own: started by
// run.ts (compiled, or through tsx: ./hubChild.ts), configured by BENCH_HUB_CONFIG (JSON for configSchema).
// It registers BENCH_DEVICES devices (BENCH_PATIENTS patients, round robin) through the admin
// commands, tells the parent their credentials over IPC, samples its resident memory every
// 100 ms, notes when each alert change is emitted (the reading that raised it and Date.now(),
// for publish-to-alert latency; parent and child share the machine's clock), notes which
// readings were superseded when committed (BENCH_TRACK_SUPERSEDED=1: the rules raise no alert
// for them), and answers for counts.
import { writeFile, mkdir } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { configSchema } from '../../server/config.js';
import { heapGrowthPercent, limitHeapGrowth } from '../../server/ops/heap.js';
import { startHub, type Hub } from '../../server/hub.js';
import { runCommand } from '../../server/admin/commands/index.js';
import { generateSecret, hashSecret } from '../../server/auth/secrets.js';
import { newId } from '../../server/store/ids.js';
import type { Queryable, QueryOptions } from '../../server/store/db.js';
import { seedDashboard } from './dashboardSeed.js';
import { createSupersededTracker } from './superseded.js';
import type {
  AlertTimes,
  ChangeTime,
  DbCalls,
  FromHub,
  HubPhase,
  HubStats,
  MemoryPeaks,
  ToHub,
} from './ipc.js';

const send = (m: FromHub) =>
  new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });

const memory: MemoryPeaks = {
  rssPeakBytes: 0,
  rssPeakLoadBytes: 0,
  rssPeakByPhase: { start: 0, register: 0, connect: 0, load: 0, check: 0 },
  heapUsedPeakBytes: 0,
  loadCpuSeconds: 0,
  loadWallSeconds: 0,
  rssAtMarkBytes: 0,
  samples: 0,
};
let phase: HubPhase = 'start';
// The resident size alone every 100 ms, the heap's use once a second: process.memoryUsage()
// every 100 ms was 1.5 % of an embedded hub's thread under load (a CPU profile).
function sample() {
  const rss = process.memoryUsage.rss();
  if (memory.samples++ % 10 === 0) {
    memory.heapUsedPeakBytes = Math.max(memory.heapUsedPeakBytes, process.memoryUsage().heapUsed);
  }
  memory.rssPeakBytes = Math.max(memory.rssPeakBytes, rss);
  memory.rssPeakByPhase[phase] = Math.max(memory.rssPeakByPhase[phase], rss);
  memory.rssPeakLoadBytes = memory.rssPeakByPhase.load;
}
function enter(next: HubPhase) {
  sample();
  phase = next;
  sample();
}
const sampler = setInterval(sample, 100);
sample();

// BENCH_CPU_PROF=1: a CPU profile of the load phase only (mark to stats), for Chrome DevTools.
const profileDir = process.env.BENCH_CPU_PROF === '1' ? process.env.BENCH_PROF_DIR : undefined;
const profiler = profileDir ? new Session() : null;
let loadStarted = { cpu: process.cpuUsage(), wall: 0 };

const CONCURRENCY = 4; // scrypt runs on libuv's 4 threads

async function register(hub: Hub, devices: number, patients: number) {
  const ctx = { db: hub.db };
  const org = (await runCommand(ctx, 'org add', { name: 'Bench Region', kind: 'region' })) as {
    id: string;
  };
  const unit = (await runCommand(ctx, 'unit add', { org: org.id, name: 'Bench Unit' })) as {
    id: string;
  };
  const patientIds: string[] = [];
  for (let i = 0; i < patients; i++) {
    const p = (await runCommand(ctx, 'patient add', { unit: unit.id, name: `P${i}` })) as {
      id: string;
    };
    patientIds.push(p.id);
  }
  const out: { deviceId: string; secret: string }[] = new Array(devices);
  if (process.env.BENCH_REGISTER === 'shared-secret') {
    // Thousands of gateways (the reconnect storm): one scrypt hash for all, rows in one
    // statement; each still has its own id and patient, and connecting still checks the hash.
    const secret = generateSecret();
    const ids = Array.from({ length: devices }, () => newId('dev'));
    await hub.db.query(
      `INSERT INTO devices (id, patient_id, secret_hash)
       SELECT d.id, d.patient_id, $3 FROM unnest($1::text[], $2::text[]) AS d(id, patient_id)`,
      [ids, ids.map((_, i) => patientIds[i % patientIds.length]!), await hashSecret(secret)],
    );
    return ids.map((deviceId) => ({ deviceId, secret }));
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < devices) {
        const i = next++;
        out[i] = (await runCommand(ctx, 'device add', {
          patient: patientIds[i % patientIds.length],
        })) as { deviceId: string; secret: string };
      }
    }),
  );
  return out;
}

/**
 * Counts the hub's database calls (the rules and ingest share hub.db, a plain object, so its
 * methods can be wrapped in place). Counting starts at `reset`.
 */
function countDbCalls(hub: Hub) {
  const db = hub.db;
  let c = { queries: 0, transactions: 0, inTx: 0, queryMs: 0, txMs: 0 };
  let byStatement: Record<string, number> = {};
  const key = (sql: string) => {
    const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '?';
    const table = /\b(?:FROM|INTO|UPDATE)\s+(\w+)/i.exec(sql)?.[1] ?? '';
    return `${verb} ${table}`.trim();
  };
  const note = (sql: string) => (byStatement[key(sql)] = (byStatement[key(sql)] ?? 0) + 1);
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = (async (sql: string, params?: unknown[], opts?: QueryOptions) => {
    const t = performance.now();
    note(sql);
    try {
      return await query(sql, params, opts);
    } finally {
      c.queries++;
      c.queryMs += performance.now() - t;
    }
  }) as typeof db.query;
  db.transaction = (async <T>(fn: (tx: Queryable) => Promise<T>) => {
    const t = performance.now();
    try {
      return await transaction((tx) =>
        fn({
          query: ((sql: string, params?: unknown[], opts?: QueryOptions) => {
            c.inTx++;
            note(sql);
            return tx.query(sql, params, opts);
          }) as Queryable['query'],
        }),
      );
    } finally {
      c.transactions++;
      c.txMs += performance.now() - t;
    }
  }) as typeof db.transaction;
  return {
    reset() {
      c = { queries: 0, transactions: 0, inTx: 0, queryMs: 0, txMs: 0 };
      byStatement = {};
    },
    read(): DbCalls {
      return {
        queries: c.queries,
        transactions: c.transactions,
        statementsInTransactions: c.inTx,
        queryMeanMs: c.queries ? c.queryMs / c.queries : NaN,
        transactionMeanMs: c.transactions ? c.txMs / c.transactions : NaN,
        byStatement: { ...byStatement },
      };
    },
  };
}

async function stats(hub: Hub, db: DbCalls): Promise<HubStats> {
  const { rows } = await hub.db.query<{ rows: number; keys: number }>(
    'SELECT count(*)::int AS rows, count(DISTINCT (device_id, message_id))::int AS keys FROM readings',
  );
  const rejected = await hub.db.query<{ reason: string; n: number }>(
    'SELECT reason, count(*)::int AS n FROM rejected_messages GROUP BY reason',
  );
  const total = async (m: { get(): Promise<{ values: { value: number }[] }> }) =>
    (await m.get()).values.reduce((s, v) => s + v.value, 0);
  const part = async (
    m: { get(): Promise<{ values: { value: number; metricName?: string }[] }> },
    suffix: string,
  ) => (await m.get()).values.find((v) => v.metricName?.endsWith(suffix))?.value ?? 0;
  const M = hub.metrics;
  return {
    rows: rows[0]!.rows,
    distinctKeys: rows[0]!.keys,
    rejectedRows: Object.fromEntries(rejected.rows.map((r) => [r.reason, r.n])),
    metrics: {
      accepted: await total(M.accepted),
      duplicate: await total(M.duplicate),
      rejected: await total(M.rejected),
      received: await total(M.received),
    },
    commit: {
      batches: await part(M.commitSeconds, '_count'),
      seconds: await part(M.commitSeconds, '_sum'),
      readings: await part(M.batchSize, '_sum'),
    },
    db,
  };
}

async function missing(hub: Hub, deviceIds: string[], messageIds: string[]) {
  const { rows } = await hub.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM unnest($1::text[], $2::text[]) AS a(device_id, message_id)
     WHERE NOT EXISTS (SELECT 1 FROM readings r
       WHERE r.device_id = a.device_id AND r.message_id = a.message_id)`,
    [deviceIds, messageIds],
  );
  return rows[0]!.n;
}

/** Listens to the hub's alert changes from now on. */
function watchAlerts(hub: Hub) {
  const seen = new Set<string>();
  let changes: ChangeTime[] = [];
  let alerts: AlertTimes = { triggers: [], byKind: {}, byRule: {}, untriggered: 0, repeated: 0 };
  hub.alerts.events.on('change', (c) => {
    const at = Date.now();
    const trigger = c.data.trigger as { messageId?: unknown } | undefined;
    changes.push([
      c.seq,
      at,
      c.kind,
      typeof trigger?.messageId === 'string' ? trigger.messageId : null,
    ]);
    alerts.byKind[c.kind] = (alerts.byKind[c.kind] ?? 0) + 1;
    const rule = `${c.kind} ${typeof c.data.rule === 'string' ? c.data.rule : '(rule not named)'}`;
    alerts.byRule[rule] = (alerts.byRule[rule] ?? 0) + 1;
    if (c.kind !== 'opened' && c.kind !== 'updated') return;
    const t = c.data.trigger as { deviceId?: unknown; messageId?: unknown } | undefined;
    if (typeof t?.deviceId !== 'string' || typeof t.messageId !== 'string') {
      alerts.untriggered++;
      return;
    }
    const key = `${t.deviceId} ${t.messageId}`;
    if (seen.has(key)) {
      alerts.repeated++;
      return;
    }
    seen.add(key);
    alerts.triggers.push([t.deviceId, t.messageId, at]);
  });
  return {
    takeChanges(): ChangeTime[] {
      const out = changes;
      changes = [];
      return out;
    },
    take(): AlertTimes {
      const out = alerts;
      alerts = { ...out, triggers: [] };
      return out;
    },
  };
}

async function main() {
  const raw = JSON.parse(process.env.BENCH_HUB_CONFIG ?? '{}') as Record<string, string>;
  const config = configSchema.parse(raw);
  limitHeapGrowth(heapGrowthPercent(config)); // as server/main.ts does
  const t0 = performance.now();
  const hub = await startHub(config);
  const startMs = performance.now() - t0;
  const alertTimes = watchAlerts(hub);
  // BENCH_TRACK_SUPERSEDED=1 (the rules benchmark): after the rules' own listener, each commit
  // in the order the rules get them; other benchmarks keep the memory
  const superseded = createSupersededTracker();
  if (process.env.BENCH_TRACK_SUPERSEDED === '1' && config.RULES === 'on') {
    hub.onReadings((readings) => superseded.add(readings));
  }
  const dbCalls = countDbCalls(hub);
  enter('register');
  const t1 = performance.now();
  const devices = await register(
    hub,
    Number(process.env.BENCH_DEVICES ?? 200),
    Number(process.env.BENCH_PATIENTS ?? 10),
  );
  const registerMs = performance.now() - t1;
  enter('connect');

  process.on('message', (m: ToHub) => {
    void handle(m).catch((err: Error) => send({ type: 'error', message: err.message }));
  });
  async function handle(m: ToHub) {
    if (m.cmd === 'mark') {
      memory.rssAtMarkBytes = process.memoryUsage().rss;
      enter('load');
      if (profiler) {
        profiler.connect();
        const heapProf = process.env.BENCH_HEAP_PROF;
        if (heapProf === '1' || heapProf === 'live') {
          // '1': every allocation sampled, also what the collector has freed since (where the
          // garbage comes from); 'live': only what is still held when the load ends
          const collected = heapProf === '1';
          await profiler.post('HeapProfiler.startSampling', {
            samplingInterval: 16384,
            includeObjectsCollectedByMajorGC: collected,
            includeObjectsCollectedByMinorGC: collected,
          } as never);
        } else {
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
        }
      }
      loadStarted = { cpu: process.cpuUsage(), wall: performance.now() };
      dbCalls.reset();
    } else if (m.cmd === 'stats') {
      const cpu = process.cpuUsage(loadStarted.cpu);
      memory.loadCpuSeconds = (cpu.user + cpu.system) / 1e6;
      memory.loadWallSeconds = (performance.now() - loadStarted.wall) / 1000;
      if (profiler && profileDir) {
        const heap = ['1', 'live'].includes(process.env.BENCH_HEAP_PROF ?? '');
        const { profile } = heap
          ? await profiler.post('HeapProfiler.stopSampling')
          : await profiler.post('Profiler.stop');
        await mkdir(profileDir, { recursive: true });
        const file = `${profileDir}/hub-${config.HUB_ID}.${heap ? 'heapprofile' : 'cpuprofile'}`;
        await writeFile(file, JSON.stringify(profile));
        profiler.disconnect();
      }
      enter('check'); // the counting queries below are not the load
      const db = dbCalls.read();
      await send({ type: 'stats', stats: await stats(hub, db), memory: structuredClone(memory) });
    } else if (m.cmd === 'rulesIdle') {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const idle = await Promise.race([
        hub.rules.idle().then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), m.timeoutMs))),
      ]);
      clearTimeout(timer);
      await send({ type: 'rulesIdle', idle, ms: performance.now() - started });
    } else if (m.cmd === 'dashboardSeed') {
      const result = await seedDashboard(hub.db, m.options, (line) => console.log(line));
      await send({ type: 'dashboardSeeded', result });
    } else if (m.cmd === 'addDevices') {
      const out = [];
      for (const patientId of m.patientIds) {
        const d = (await runCommand({ db: hub.db }, 'device add', { patient: patientId })) as {
          deviceId: string;
          secret: string;
        };
        out.push({ ...d, patientId });
      }
      await send({ type: 'devices', devices: out });
    } else if (m.cmd === 'changes') {
      await send({ type: 'changes', changes: alertTimes.takeChanges() });
    } else if (m.cmd === 'alerts') {
      await send({ type: 'alerts', alerts: alertTimes.take() });
    } else if (m.cmd === 'verify') {
      await send({
        type: 'verify',
        checked: m.messageIds.length,
        missing: await missing(hub, m.deviceIds, m.messageIds),
      });
    } else if (m.cmd === 'rejected') {
      const { rows } = await hub.db.query<{ reason: string; n: number }>(
        'SELECT reason, count(*)::int AS n FROM rejected_messages WHERE device_id = $1 GROUP BY reason',
        [m.deviceId],
      );
      await send({
        type: 'rejected',
        rows: rows.reduce((n, r) => n + r.n, 0),
        byReason: Object.fromEntries(rows.map((r) => [r.reason, r.n])),
      });
    } else if (m.cmd === 'superseded') {
      await send({
        type: 'superseded',
        superseded: m.messageIds.map((id, i) => superseded.has(m.deviceIds[i]!, id)),
      });
    } else if (m.cmd === 'stop') {
      clearInterval(sampler);
      await hub.stop();
      await send({ type: 'stopped', memory });
      process.exit(0);
    }
  }
  // The parent gone means nobody will stop us: do not linger.
  process.on('disconnect', () => {
    void hub.stop().finally(() => process.exit(1));
  });

  await send({
    type: 'ready',
    mqttUrl: hub.urls.mqtt,
    httpUrl: hub.urls.http,
    devices,
    startMs,
    registerMs,
    mode: hub.mode,
  });
}

main().catch(async (err: Error) => {
  await send({ type: 'error', message: err.stack ?? err.message });
  process.exit(1);
});
