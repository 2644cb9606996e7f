// The rules' own thread (evaluator.ts): judges each batch of jobs in order and answers with the
// findings, or the error, of each job.
import { parentPort } from 'node:worker_threads';
import { createJudge, type EvaluationJob } from './judge.js';
import type { EvaluatedFinding } from './evaluate.js';

export interface EvaluationBatch {
  id: number;
  /** Jobs, and patients the runner stopped holding, in the order the runner made them. */
  ops: (EvaluationJob | { forget: string })[];
}

export interface EvaluationReply {
  id: number;
  /** One per job, in order. */
  results: ({ findings: EvaluatedFinding[] } | { error: string; stack?: string })[];
}

const judge = createJudge();
parentPort!.on('message', (batch: EvaluationBatch) => {
  const results: EvaluationReply['results'] = [];
  for (const op of batch.ops) {
    if ('forget' in op) {
      judge.forget(op.forget);
      continue;
    }
    try {
      results.push({ findings: judge.judge(op) });
    } catch (err) {
      // the stack says where in the rules it failed: the log keeps it
      results.push(
        err instanceof Error
          ? { error: err.message, ...(err.stack ? { stack: err.stack } : {}) }
          : { error: String(err) },
      );
    }
  }
  parentPort!.postMessage({ id: batch.id, results } satisfies EvaluationReply);
});
