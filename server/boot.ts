// Starting in named steps, each registering what undoes it, so that a failed start and stop()
// unwind through one list. Every step is logged by name and timed; so is every closer.
//
// Closers come in two phases. A 'drain' closer stops taking work or finishes what is held (stop
// the intake, commit what ingest holds, let the rules finish); a 'close' closer lets go of what a
// step holds (servers, connections, threads). Unwinding runs every drain, newest first, then
// every close, newest first: work still held is finished while everything it needs is open.
import { performance } from 'node:perf_hooks';
import type { Logger } from './ops/log.js';

export type Phase = 'drain' | 'close';

export interface CloserOptions {
  /** Names the closer in the logs beside its step's name (when a step has several). */
  label?: string;
  /** Stops waiting for the closer after this many ms (logged); unwinding goes on. */
  limitMs?: number;
}

/** What a step registers its closers with. */
export interface StepTools {
  /** Lets go of what the step holds; runs after every drain, newest first. */
  close(run: () => unknown, opts?: CloserOptions): void;
  /** Stops taking work or finishes what is held; runs before any close, newest first. */
  drain(run: () => unknown, opts?: CloserOptions): void;
}

export type Step = <T>(name: string, run: (s: StepTools) => Promise<T> | T) => Promise<T>;

interface Closer {
  step: string;
  phase: Phase;
  label: string | undefined;
  limitMs: number | undefined;
  run: () => unknown;
}

export interface Boot {
  /** Runs a named step; what it registers is undone by `unwind`, also when it fails part way. */
  step: Step;
  /**
   * Runs every closer registered so far, drains first, each phase newest first, once: later
   * calls return the first call's promise. A closer that fails is logged and the others still
   * run; the promise then rejects with that failure (an AggregateError for several).
   */
  unwind(): Promise<void>;
  /** The closers in the order `unwind` runs them, as `step:phase[:label]`. */
  order(): string[];
}

export function createBoot(log: Logger): Boot {
  const closers: Closer[] = [];
  let unwinding: Promise<void> | null = null;

  const ordered = () => [
    ...closers.filter((c) => c.phase === 'drain').reverse(),
    ...closers.filter((c) => c.phase === 'close').reverse(),
  ];
  const nameOf = (c: Closer) => `${c.step}:${c.phase}${c.label ? `:${c.label}` : ''}`;

  const step: Step = async (name, run) => {
    if (unwinding) throw new Error(`step ${name}: the start is already being undone`);
    const register =
      (phase: Phase) =>
      (fn: () => unknown, opts: CloserOptions = {}) => {
        closers.push({ step: name, phase, label: opts.label, limitMs: opts.limitMs, run: fn });
      };
    const started = performance.now();
    log.debug({ step: name }, 'starting step');
    try {
      const made = await run({ close: register('close'), drain: register('drain') });
      log.debug({ step: name, ms: elapsed(started) }, 'step started');
      return made;
    } catch (err) {
      log.error({ step: name, ms: elapsed(started), err }, 'step failed');
      throw err;
    }
  };

  async function runAll(): Promise<void> {
    const failures: unknown[] = [];
    const started = performance.now();
    for (const c of ordered()) {
      const at = performance.now();
      const fields = { step: c.step, phase: c.phase, ...(c.label ? { closer: c.label } : {}) };
      try {
        const done = Promise.resolve().then(c.run);
        if (c.limitMs === undefined) await done;
        else if (!(await within(done, c.limitMs))) {
          log.warn({ ...fields, limitMs: c.limitMs }, 'closer took too long; going on without it');
          continue;
        }
        log.debug({ ...fields, ms: elapsed(at) }, 'closed');
      } catch (err) {
        failures.push(err);
        log.error({ ...fields, ms: elapsed(at), err }, 'closing failed; going on');
      }
    }
    log.debug({ ms: elapsed(started), closers: closers.length }, 'unwound');
    if (failures.length === 1) throw failures[0];
    if (failures.length) throw new AggregateError(failures, `${failures.length} closers failed`);
  }

  return {
    step,
    unwind: () => (unwinding ??= runAll()),
    order: () => ordered().map(nameOf),
  };
}

/**
 * Starts in steps: `start` runs them (it gets the `stop` to hand out with what it makes). If
 * it throws, everything started so far is unwound (failures logged) and its error rethrown.
 */
export async function startInSteps<T>(
  log: Logger,
  start: (step: Step, stop: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const boot = createBoot(log);
  try {
    return await start(boot.step, boot.unwind);
  } catch (err) {
    await boot.unwind().catch(() => {}); // each failure is logged as it happens
    throw err;
  }
}

/** Whether `p` settled within `ms` (its rejection is thrown). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    const settled = p.then(() => true as const);
    settled.catch(() => {}); // a failure after the limit is not waited for
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (since: number) => Math.round(performance.now() - since);
