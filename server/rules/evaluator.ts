// Where the rules judge. On the hub's main thread a judge answers at once; on a thread of its
// own (the default, RULES_THREAD) it gets one turn's jobs together, in one message each way, and
// leaves the main thread (the ingest, and in embedded mode the broker and the database's
// messages) the rest. The runner decides what the judge loads and forgets, so both hold the
// same and find the same.
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../ops/thread.js';
import type { EvaluatedFinding } from './evaluate.js';
import type { EvaluationBatch, EvaluationReply } from './evaluatorWorker.js';
import { createJudge, type EvaluationJob } from './judge.js';

export interface Evaluator {
  /** Findings for the job: at once on the main thread, a promise from a thread of its own. */
  judge(job: EvaluationJob): EvaluatedFinding[] | Promise<EvaluatedFinding[]>;
  /** The patient's history and plan are no longer needed. */
  forget(patientId: string): void;
  /**
   * How many times what the judge held was lost (its thread ended): a history held under an
   * older count must be loaded again.
   */
  readonly generation: number;
  close(): Promise<void>;
}

export function mainThreadEvaluator(): Evaluator {
  const j = createJudge();
  return {
    judge: (job) => j.judge(job),
    forget: (patientId) => j.forget(patientId),
    generation: 0,
    close: async () => {},
  };
}

/** An error thrown on the rules' thread, with the stack it had there. */
function threadError(r: { error: string; stack?: string }): Error {
  const err = new Error(r.error);
  if (r.stack) err.stack = r.stack;
  return err;
}

interface Caller {
  resolve(findings: EvaluatedFinding[]): void;
  reject(err: Error): void;
}

const threads = new WeakMap<Evaluator, () => Worker | null>();
/** The thread behind a thread evaluator, once started (tests use it to play a crash). */
export const evaluatorThreadOf = (e: Evaluator): Worker | null => threads.get(e)?.() ?? null;

export function threadEvaluator(): Evaluator {
  let worker: Worker | null = null;
  let generation = 0;
  let nextId = 1;
  let ops: EvaluationBatch['ops'] = [];
  let callers: Caller[] = [];
  let scheduled = false;
  const sent = new Map<number, Caller[]>();

  function start(): Worker {
    const w = startModuleWorker(import.meta.url, 'evaluatorWorker', null);
    w.on('message', (reply: EvaluationReply) => {
      const waiting = sent.get(reply.id)!;
      sent.delete(reply.id);
      reply.results.forEach((r, i) => {
        if ('error' in r) waiting[i]!.reject(threadError(r));
        else waiting[i]!.resolve(r.findings);
      });
    });
    const lost = (err: Error) => {
      if (worker !== w) return;
      worker = null;
      generation++;
      for (const waiting of sent.values()) for (const c of waiting) c.reject(err);
      sent.clear();
    };
    w.on('error', lost);
    w.on('exit', (code) => lost(new Error(`the rules' thread ended (exit code ${code})`)));
    return w;
  }

  // the jobs of one turn (the patients of a commit) go in one message
  function flush() {
    scheduled = false;
    if (!callers.length) return; // forgetting alone waits for the next jobs
    const id = nextId++;
    sent.set(id, callers);
    worker ??= start();
    worker.postMessage({ id, ops } satisfies EvaluationBatch);
    ops = [];
    callers = [];
  }

  const evaluator: Evaluator = {
    judge(job) {
      return new Promise<EvaluatedFinding[]>((resolve, reject) => {
        ops.push(job);
        callers.push({ resolve, reject });
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(flush);
        }
      });
    },
    forget(patientId) {
      ops.push({ forget: patientId }); // in its place among the jobs, sent with the next ones
    },
    get generation() {
      return generation;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
  threads.set(evaluator, () => worker);
  return evaluator;
}
