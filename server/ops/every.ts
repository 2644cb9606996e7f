/**
 * Runs `run` every `ms` ms (and once at once with `now`) on a timer that never keeps the process
 * alive. The returned stop clears the timer and waits for the runs still going, so that nothing
 * the timer started is left querying a database that closes next. Runs may overlap, as with
 * setInterval. `run` reports its own failures; one it lets through is handed to `onError`.
 */
export function every(
  ms: number,
  run: () => Promise<unknown>,
  onError: (err: unknown) => void,
  opts: { now?: boolean } = {},
): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  const tick = () => {
    const p: Promise<unknown> = Promise.resolve()
      .then(run)
      .catch(onError)
      .finally(() => running.delete(p));
    running.add(p);
  };
  const timer = setInterval(tick, ms);
  timer.unref();
  if (opts.now) tick();
  return async () => {
    clearInterval(timer);
    await Promise.all(running);
  };
}
