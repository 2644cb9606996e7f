// Messages between the benchmark (parent) and the hub it runs in a child process.

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
}

export type ToHub =
  | { cmd: 'mark' }
  | { cmd: 'stats' }
  /** Pairs of (deviceId, messageId) the broker acknowledged; answered with how many are not stored. */
  | { cmd: 'verify'; deviceIds: string[]; messageIds: string[] }
  | { cmd: 'stop' };

export type FromHub =
  | {
      type: 'ready';
      mqttUrl: string;
      devices: { deviceId: string; secret: string }[];
      startMs: number;
      registerMs: number;
      mode: { database: string; broker: string };
    }
  | { type: 'stats'; stats: HubStats; memory: MemoryPeaks }
  | { type: 'verify'; checked: number; missing: number }
  | { type: 'stopped'; memory: MemoryPeaks }
  | { type: 'error'; message: string };
