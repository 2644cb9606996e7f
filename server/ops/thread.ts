// Starting a module of the hub in a worker thread, whether the hub runs compiled or from source.
import { Worker } from 'node:worker_threads';

/**
 * Runs `name` (a module beside `from`, given without extension) in a worker thread: its `.js`
 * when the caller runs compiled, its `.ts` through tsx when it runs from source.
 */
export function startModuleWorker(from: string, name: string, workerData: unknown): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), { workerData });
  // Node 20 does not apply `--import tsx` (inherited or given) to a worker's entry module, and
  // vitest's transform does not reach workers at all; tsx's API registered inside the worker
  // does, so a two-line bootstrap registers it and then imports the TypeScript.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL(`./${name}.ts`, from).href);
  const bootstrap = `import(${tsx}).then((tsx) => { tsx.register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
