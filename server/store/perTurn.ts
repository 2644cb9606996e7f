// What the code asks of the database within one turn of the event loop, gathered into one
// statement (dataloader): the rules judge a commit's patients together, and a statement each
// (a raise, an alert's view, a plan, a history) was a round trip each under load.
import DataLoader from 'dataloader';

/** A loader whose loads of one turn go to `load` together; nothing is cached between turns. */
export function perTurn<K, V>(load: DataLoader.BatchLoadFn<K, V>): DataLoader<K, V> {
  return new DataLoader(load, { cache: false, batchScheduleFn: (run) => setImmediate(run) });
}
