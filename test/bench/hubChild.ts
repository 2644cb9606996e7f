// The hub under test in a child process (./hubProcess.ts), and a way to ask it things over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromRoot } from '../../server/ops/packageRoot.js';
import type { FromHub, ToHub } from './ipc.js';

/**
 * The hub runs as a deployment runs it: compiled (`npm run build:server`, the hub's part of
 * `npm run build`, which ./run.ts does first), with `npm run start:built`'s flags.
 * BENCH_HUB_FROM=source runs the TypeScript through tsx instead (its closures each cost a
 * `__name` call: the rules' evaluation is ~20 % slower).
 */
export const hubFromSource = process.env.BENCH_HUB_FROM === 'source';

/** Every hub process still running, for the benchmark's hard cap to kill. */
export const children = new Set<ChildProcess>();

/** The hub in a child process, and a way to ask it things. */
export class HubChild {
  private readonly child: ChildProcess;
  private waiting: ((m: FromHub) => void) | null = null;
  private readonly early: FromHub[] = [];
  private exited: Error | null = null;

  /** `patients`: devices are given to them round robin (as many as devices: one each). */
  constructor(
    config: Record<string, string>,
    o: { devices: number; patients: number; env?: Record<string, string> },
  ) {
    const script = hubFromSource
      ? fileURLToPath(new URL('./hubProcess.ts', import.meta.url))
      : fromRoot('dist', 'test', 'bench', 'hubProcess.js');
    const profDir = join(process.cwd(), 'test-results', 'bench-prof');
    this.child = fork(script, [], {
      execArgv: [
        ...(hubFromSource ? ['--import', 'tsx'] : ['--enable-source-maps']),
        ...(process.env.BENCH_HUB_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ],
      env: {
        ...process.env,
        ...(process.env.BENCH_CPU_PROF === '1' ? { BENCH_PROF_DIR: profDir } : {}),
        BENCH_HUB_CONFIG: JSON.stringify(config),
        BENCH_DEVICES: String(o.devices),
        BENCH_PATIENTS: String(o.patients),
        ...o.env,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(this.child);
    this.child.on('message', (m: FromHub) => {
      if (this.waiting) this.waiting(m);
      else this.early.push(m);
    });
    this.child.on('exit', (code, signal) => {
      children.delete(this.child);
      this.exited = new Error(`hub process exited (${signal ?? code})`);
      this.waiting?.({ type: 'error', message: this.exited.message });
    });
  }

  next<T extends FromHub['type']>(type: T, timeoutMs = 120_000): Promise<FromHub & { type: T }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`hub process: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const take = (m: FromHub) => {
        clearTimeout(timer);
        this.waiting = null;
        if (m.type === 'error') reject(new Error(`hub process: ${m.message}`));
        else if (m.type !== type) reject(new Error(`hub process: expected ${type}, got ${m.type}`));
        else resolve(m as FromHub & { type: T });
      };
      const queued = this.early.shift();
      if (queued) take(queued);
      else if (this.exited) take({ type: 'error', message: this.exited.message });
      else this.waiting = take;
    });
  }

  ask<T extends FromHub['type']>(msg: ToHub, type: T, timeoutMs?: number) {
    const answer = this.next(type, timeoutMs);
    this.child.send(msg);
    return answer;
  }

  /** Load starts now: the hub's "peak under load" counts from here. */
  mark() {
    this.child.send({ cmd: 'mark' } satisfies ToHub);
  }

  /** Waits a little for the process to end by itself (it writes its CPU profile then). */
  async kill(graceMs = 10_000) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
      this.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
