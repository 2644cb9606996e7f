// What the benchmarks that run phases against a hub in a child process share (./rules.ts,
// ./poison.ts, and the spine in ./run.ts): their options, the load generator's settings for a
// measured run, and the checks and figures after it.
import type { Completion, RunOptions, RunResult } from '../../simulators/load/publisher.js';
import type { Mode } from './benchHub.js';
import type { HubChild } from './hubChild.js';
import { VERIFY_CHUNK, type HubStats, type MemoryPeaks } from './ipc.js';

/** Options of a benchmark of phases, each with a hub of its own (run.ts fills them in). */
export interface PhaseOptions<P extends string> {
  mode: Mode;
  /** services: the bench's Mosquitto; embedded: unused. */
  brokerUrl: string;
  devices: number;
  seconds: number;
  /** Warm-up of the phases at the highest rate (closed loop), left out of the figures. */
  warmupSeconds: number;
  /**
   * Warm-up of the paced phases, longer: a cold hub's first seconds under a paced load (or those
   * of one that other work on the machine held up) drain a backlog, every patient's first
   * history load and cold code, which would count as rate above the offered one.
   */
  steadyWarmupSeconds: number;
  phases: P[];
  hubEnv: Record<string, string>;
  /**
   * Before each phase's load, wait (at most quietWaitSeconds) until the machine is less than
   * this busy (% of all cores, over 3 s): other work on a shared machine skews the figures.
   */
  quietBusyPercent: number;
  quietWaitSeconds: number;
  log: (line: string) => void;
}

/**
 * A measured run of the load generator: each message complete at its receipt (unless
 * `completion` says otherwise), given up after 10 s without it, and at most 15 s of draining
 * after publishing stops.
 */
export function loadRun(
  o: Omit<RunOptions, 'completion' | 'drainTimeoutMs' | 'completionTimeoutMs'> & {
    completion?: Completion;
  },
): RunOptions {
  return { completion: 'receipt', drainTimeoutMs: 15_000, completionTimeoutMs: 10_000, ...o };
}

/**
 * How many of the messages the broker acknowledged the hub has not stored, asked in parts of
 * VERIFY_CHUNK. A load message id names its device's index in `deviceIds` second (`x-3-…`).
 */
export async function countNotStored(
  hub: HubChild,
  deviceIds: string[],
  messageIds: string[],
): Promise<number> {
  let n = 0;
  for (let i = 0; i < messageIds.length; i += VERIFY_CHUNK) {
    const ids = messageIds.slice(i, i + VERIFY_CHUNK);
    const devs = ids.map((id) => deviceIds[Number(id.split('-')[1])]!);
    n += (await hub.ask({ cmd: 'verify', deviceIds: devs, messageIds: ids }, 'verify')).missing;
  }
  return n;
}

/** What a phase's check counts of the good messages: published, acknowledged, stored. */
export interface StoredCounts {
  published: number;
  /** Distinct messages the broker acknowledged. */
  acked: number;
  /** Rows stored, rows stored more than once, and acknowledged messages not stored. */
  stored: number;
  duplicateRows: number;
  ackedNotStored: number;
}

/**
 * The check every phase makes: each message the broker acknowledged stored, none twice, and
 * every stored reading counted accepted. `ok` is that part of the phase's check.
 */
export function storedOnce(
  published: number,
  acked: number,
  ackedNotStored: number,
  stats: HubStats,
): { counts: StoredCounts; ok: boolean } {
  const duplicateRows = stats.rows - stats.distinctKeys;
  return {
    counts: { published, acked, stored: stats.rows, duplicateRows, ackedNotStored },
    ok: ackedNotStored === 0 && duplicateRows === 0 && stats.metrics.accepted === stats.rows,
  };
}

/** The hub's commits during the load: how many, their mean size and their mean time. */
export interface CommitFigures {
  batches: number;
  meanSize: number;
  meanMs: number;
}

export function commitFigures(commit: HubStats['commit']): CommitFigures {
  const { batches } = commit;
  return {
    batches,
    meanSize: batches ? commit.readings / batches : NaN,
    meanMs: batches ? (commit.seconds * 1000) / batches : NaN,
  };
}

/**
 * % of one core: the hub process during the load, the generator (this process) while it
 * published, and what `cpu` measured beside them (machine, broker, database).
 */
export function loadCpuPercent(
  memory: MemoryPeaks,
  run: Pick<RunResult, 'processCpuPercent'>,
  cpu: Record<string, number>,
) {
  return {
    hub: (100 * memory.loadCpuSeconds) / memory.loadWallSeconds,
    generator: run.processCpuPercent,
    ...cpu,
  };
}
