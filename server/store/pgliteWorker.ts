// The embedded database's own thread: one PGlite instance, driven by messages from db.ts, so
// that PostgreSQL's work (parsing, planning, executing, WAL) runs beside the hub's main thread
// instead of on it. The main side serialises requests and keeps transactions together; this
// side runs what it is sent, in order, and answers with rows exactly as PGlite returns them.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, TransactionAbortedError, protocol } from '@electric-sql/pglite';

export type WorkerOp = 'query' | 'exec' | 'commit' | 'close';

export interface WorkerRequest {
  id: number;
  op: WorkerOp;
  sql?: string;
  params?: unknown[];
}

/** An error as it crosses the thread boundary: class, message and PostgreSQL's fields. */
export interface SerializedError {
  kind: 'database' | 'aborted' | 'error';
  name: string;
  message: string;
  stack?: string;
  /** Own properties: code, detail, constraint, table, ... for errors from PostgreSQL. */
  fields: Record<string, unknown>;
}

export type WorkerReply =
  { id: number; rows?: unknown[]; error?: undefined } | { id: number; error: SerializedError };

/** Sent once at start: `ok` when the database is open. */
export type WorkerReady = { ready: true } | { ready: false; error: SerializedError };

export interface WorkerInit {
  /** `memory://` or a folder, as PGlite.create takes it. */
  dataSource: string;
}

function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error))
    return { kind: 'error', name: 'Error', message: String(err), fields: {} };
  const kind =
    err instanceof TransactionAbortedError
      ? 'aborted'
      : err instanceof protocol.messages.DatabaseError
        ? 'database'
        : 'error';
  return {
    kind,
    name: err.name,
    message: err.message,
    ...(err.stack === undefined ? {} : { stack: err.stack }),
    fields: { ...err },
  };
}

// Only the fields PostgreSQL reports (strings, numbers): for when a field cannot be cloned.
const plainFields = (e: SerializedError): SerializedError => ({
  ...e,
  fields: Object.fromEntries(
    Object.entries(e.fields).filter(([, v]) => v === null || typeof v !== 'object'),
  ),
});

async function main(port: NonNullable<typeof parentPort>, init: WorkerInit) {
  let db: PGlite;
  try {
    db = await PGlite.create(init.dataSource);
  } catch (err) {
    port.postMessage({
      ready: false,
      error: plainFields(serializeError(err)),
    } satisfies WorkerReady);
    return;
  }

  async function run(req: WorkerRequest): Promise<unknown[] | undefined> {
    switch (req.op) {
      case 'query':
        return (await db.query(req.sql!, req.params)).rows;
      case 'exec':
        await db.exec(req.sql!);
        return undefined;
      case 'commit': {
        // As PGlite's own transaction(): a COMMIT of a failed transaction rolls back, and says so.
        const [r] = await db.exec('COMMIT');
        if (r?.command === 'ROLLBACK') {
          const e = new TransactionAbortedError();
          Object.assign(e, { query: 'COMMIT', params: undefined, queryOptions: undefined });
          throw e;
        }
        return undefined;
      }
      case 'close':
        await db.close();
        return undefined;
    }
  }

  // strictly one after another, in the order sent: the main side posts plain statements without
  // waiting for the ones before them to be answered (db.ts), so order is this side's to keep
  let previous: Promise<unknown> = Promise.resolve();
  port.on('message', (req: WorkerRequest) => {
    const answered = previous
      .then(() => run(req))
      .then(
        (rows) => port.postMessage({ id: req.id, rows } satisfies WorkerReply),
        (err: unknown) => {
          const error = serializeError(err);
          try {
            port.postMessage({ id: req.id, error } satisfies WorkerReply);
          } catch {
            port.postMessage({ id: req.id, error: plainFields(error) } satisfies WorkerReply);
          }
        },
      );
    // an answer that could not be sent must not stop the statements after it
    previous = answered.catch(() => {});
  });
  port.postMessage({ ready: true } satisfies WorkerReady);
}

if (parentPort) await main(parentPort, workerData as WorkerInit);
