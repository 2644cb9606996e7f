// Messages between the benchmark (parent) and the hub it runs in a child process.
import type { SeedOptions, SeedResult } from './dashboardSeed.js';

export type HubPhase = 'start' | 'register' | 'connect' | 'load' | 'check';

export interface MemoryPeaks {
  /** Highest resident set size over the whole life of the hub process. */
  rssPeakBytes: number;
  /** Highest resident set size while the load ran (from `mark` to `stats`). */
  rssPeakLoadBytes: number;
  /** Highest resident set size in each phase: start-up, registering devices (scrypt), devices
   * connecting (scrypt), the load, the counting afterwards. */
  rssPeakByPhase: Record<HubPhase, number>;
  heapUsedPeakBytes: number;
  /** CPU time of the hub process while the load ran, and that time in wall-clock seconds. */
  loadCpuSeconds: number;
  loadWallSeconds: number;
  rssAtMarkBytes: number;
  samples: number;
}

export interface HubStats {
  rows: number;
  distinctKeys: number;
  rejectedRows: Record<string, number>;
  metrics: { accepted: number; duplicate: number; rejected: number; received: number };
  commit: { batches: number; seconds: number; readings: number };
  /** Database calls the hub made during the load (from `mark`), counted by the bench. */
  db: DbCalls;
}

export interface DbCalls {
  /** Statements outside a transaction, transactions, and statements inside them. */
  queries: number;
  transactions: number;
  statementsInTransactions: number;
  /** Mean wall time of a statement outside a transaction and of a transaction (queueing included). */
  queryMeanMs: number;
  transactionMeanMs: number;
  /** Statements by verb and first table, e.g. "SELECT alerts", in or out of transactions. */
  byStatement: Record<string, number>;
}

/** Alert changes the hub emitted (hub.alerts.events), for publish-to-alert latency. */
export interface AlertTimes {
  /** [deviceId, messageId, Date.now() at the event] of the first opened/updated change each reading raised. */
  triggers: [string, string, number][];
  /** Every change by `kind` and by `kind rule`. */
  byKind: Record<string, number>;
  byRule: Record<string, number>;
  /** Opened/updated changes that named no trigger, or a trigger seen before. */
  untriggered: number;
  repeated: number;
}

export type ToHub =
  | { cmd: 'mark' }
  | { cmd: 'stats' }
  /** Waits until the rules have evaluated everything committed so far (at most timeoutMs). */
  | { cmd: 'rulesIdle'; timeoutMs: number }
  /** The alert changes seen so far (and forgets the triggers it sends). */
  | { cmd: 'alerts' }
  /** Pairs of (deviceId, messageId) the broker acknowledged; answered with how many are not stored. */
  | { cmd: 'verify'; deviceIds: string[]; messageIds: string[] }
  /** Rows in rejected_messages for one device, by reason (the poison benchmark's check). */
  | { cmd: 'rejected'; deviceId: string }
  /** Readings (deviceId, messageId); answered, for each, with whether it was superseded when
   * committed (./superseded.ts; tracked with RULES=on and BENCH_TRACK_SUPERSEDED=1). */
  | { cmd: 'superseded'; deviceIds: string[]; messageIds: string[] }
  /** Seeds the dashboard benchmark's world (./dashboardSeed.ts) in the hub's database. */
  | { cmd: 'dashboardSeed'; options: SeedOptions }
  /** Adds a device to each patient through the admin commands (real secrets). */
  | { cmd: 'addDevices'; patientIds: string[] }
  /** Every alert change emitted since `mark` (and forgets them). */
  | { cmd: 'changes' }
  | { cmd: 'stop' };

/** [seq, Date.now() when hub.alerts.events emitted it (after the commit), kind, trigger messageId]. */
export type ChangeTime = [number, number, string, string | null];

export type FromHub =
  | {
      type: 'ready';
      mqttUrl: string;
      httpUrl: string;
      devices: { deviceId: string; secret: string }[];
      startMs: number;
      registerMs: number;
      mode: { database: string; broker: string };
    }
  | { type: 'stats'; stats: HubStats; memory: MemoryPeaks }
  | { type: 'verify'; checked: number; missing: number }
  | { type: 'rejected'; rows: number; byReason: Record<string, number> }
  | { type: 'superseded'; superseded: boolean[] }
  | { type: 'rulesIdle'; idle: boolean; ms: number }
  | { type: 'alerts'; alerts: AlertTimes }
  | { type: 'stopped'; memory: MemoryPeaks }
  | { type: 'dashboardSeeded'; result: SeedResult }
  | { type: 'devices'; devices: { deviceId: string; secret: string; patientId: string }[] }
  | { type: 'changes'; changes: ChangeTime[] }
  | { type: 'error'; message: string };

/**
 * Message ids per `verify` request. The check runs in the hub's process (PGlite is the hub's in
 * embedded mode) and its memory counts as the hub's: 100,000 at a time once made it a services
 * hub's peak over the whole run (305 MiB, 65 over its load); a smaller part takes no longer.
 */
export const VERIFY_CHUNK = 10_000;
