// The ingest pipeline: decode -> validate -> batch -> commit -> receipts -> acknowledge.
// A message is acknowledged only after its readings are committed or its rejection recorded;
// while the database is down nothing is acknowledged, batches are retried with back-off, and
// the broker's flow control (unacknowledged messages) bounds what the hub holds in memory.
import type { Receipt } from '../../devices/contract.js';
import type { Logger } from '../ops/log.js';
import type { Metrics } from '../ops/metrics.js';
import { isConflictRollback, type Db } from '../store/db.js';
import { storeBatch, type BatchOutcome, type StoreStatus } from '../store/readings.js';
import { decodeMessage, type DecodeOptions, type Decoded } from './decode.js';
import type { InboundMessage } from '../shapes/message.js';
import type { CanonicalReading, Rejection, StoredReading } from '../shapes/reading.js';

export interface IngestOptions extends DecodeOptions {
  db: Db;
  log: Logger;
  metrics: Metrics;
  batchSize: number;
  batchDelayMs: number;
  /** Batches committing at once; PGlite has one connection, PostgreSQL a pool. */
  concurrency: number;
  publishReceipts(deviceId: string, receipts: Receipt[]): void;
  /** Runs the receipts and acknowledgements of one batch so that they leave together. */
  together?(fn: () => void): void;
  /** Told after each commit with what was stored (the rules stage subscribes here). */
  onCommitted?(readings: StoredReading[]): void;
}

interface Pending {
  queuedAt: number;
  /** Of the message, only what is needed after decoding: its payload (and the network chunk
   * it is a view of) is not held while the batch waits for its commit. */
  msg: Pick<InboundMessage, 'deviceId' | 'receivedAt'>;
  readings: CanonicalReading[];
  rejections: Rejection[];
  ack: () => void;
}

export interface Ingest {
  /** Takes one message; `ack` is called once it is committed or its rejection recorded. */
  submit(msg: InboundMessage, ack: () => void): void;
  /** Readings received and not yet committed. */
  pending(): number;
  /** Stops taking messages (later ones are left unacknowledged for redelivery) and commits what it holds. */
  close(): Promise<void>;
}

const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 5_000;

export function createIngest(o: IngestOptions): Ingest {
  const queue: Pending[] = [];
  let queuedReadings = 0;
  let inFlight = 0;
  let timer: NodeJS.Timeout | null = null;
  let backoffMs = 0;
  let waitingToRetry = false;
  let closing = false;
  let drained: (() => void) | null = null;
  const log = o.log.child({ stage: 'ingest' });

  function submit(msg: InboundMessage, ack: () => void) {
    if (closing) return; // unacknowledged: the broker redelivers it to the next hub
    o.metrics.received.inc({ kind: msg.kind });
    const { readings, rejections } = decodeSafely(msg);
    for (const r of rejections) r.receivedAt ??= msg.receivedAt;
    const pending: Pending = {
      queuedAt: performance.now(),
      msg: { deviceId: msg.deviceId, receivedAt: msg.receivedAt },
      readings,
      rejections,
      ack,
    };
    queue.push(pending);
    queuedReadings += size(pending);
    o.metrics.pending.set(queuedReadings);
    schedule();
  }

  /**
   * Decodes one message; whatever fails while doing so stays with that message. It is refused
   * (`hub_error`), recorded and acknowledged like any refusal, so that the broker does not
   * deliver it again: an exception let out here ended the process, and the broker's redelivery
   * of the same message ended the next one.
   */
  function decodeSafely(msg: InboundMessage): Decoded {
    try {
      return decodeMessage(msg, o);
    } catch (err) {
      log.error({ err, deviceId: msg.deviceId, bytes: msg.payload.length }, 'message not decoded');
      return {
        readings: [],
        rejections: [
          {
            deviceId: msg.deviceId,
            messageId: null,
            raw: msg.payload,
            reason: 'hub_error',
            errors: [
              {
                path: '(payload)',
                message: 'the hub could not process this message; it has been logged for support',
              },
            ],
          },
        ],
      };
    }
  }

  function schedule() {
    while (!waitingToRetry && inFlight < o.concurrency && queue.length) {
      // A partial batch waits for company, but only INGEST_BATCH_DELAY_MS from its first
      // reading's arrival, so readings that came in during a commit do not wait twice.
      const waited = performance.now() - queue[0]!.queuedAt;
      if (queuedReadings < o.batchSize && !closing && waited < o.batchDelayMs) {
        timer ??= setTimeout(() => {
          timer = null;
          schedule();
        }, o.batchDelayMs - waited);
        return;
      }
      if (timer) clearTimeout(timer);
      timer = null;
      void flush();
    }
  }

  function take(): Pending[] {
    const batch: Pending[] = [];
    let n = 0;
    while (queue.length && (n === 0 || n + size(queue[0]!) <= o.batchSize)) {
      const p = queue.shift()!;
      n += size(p);
      batch.push(p);
    }
    queuedReadings -= n;
    return batch;
  }

  async function flush() {
    const batch = take();
    if (!batch.length) return maybeDrained();
    inFlight++;
    try {
      await commit(batch);
      backoffMs = 0;
    } catch (err) {
      if (isTransient(err)) {
        o.metrics.storeFailures.inc();
        backoffMs = Math.min(BACKOFF_MAX_MS, Math.max(BACKOFF_MIN_MS, backoffMs * 2));
        waitingToRetry = true;
        log.warn(
          { err, retryInMs: backoffMs },
          'database unavailable; holding batch and not acknowledging',
        );
        queue.unshift(...batch);
        queuedReadings += batch.reduce((n, p) => n + size(p), 0);
        setTimeout(() => {
          waitingToRetry = false;
          schedule();
        }, backoffMs);
      } else {
        // A batch the database refuses for its content: find the message at fault so that it
        // cannot hold up the others.
        log.error({ err, messages: batch.length }, 'batch refused by the database');
        await isolate(batch);
      }
    } finally {
      inFlight--;
      o.metrics.pending.set(queuedReadings);
      schedule();
      maybeDrained();
    }
  }

  async function commit(batch: Pending[]) {
    const readings = batch.flatMap((p) => p.readings);
    const rejections = batch.flatMap((p) => p.rejections);
    const started = performance.now();
    const outcome = await storeBatch(o.db, readings, rejections);
    const seconds = (performance.now() - started) / 1000;
    o.metrics.commitSeconds.observe(seconds);
    o.metrics.batchSize.observe(readings.length);

    // Committed: from here on nothing may send the batch round again.
    try {
      if (o.together) o.together(() => settle(batch, outcome));
      else settle(batch, outcome);
    } catch (err) {
      log.error({ err }, 'receipts or acknowledgements failed after commit');
    }
  }

  function settle(batch: Pending[], { statuses, patientIds }: BatchOutcome) {
    const now = Date.now();
    const stored: StoredReading[] = [];
    let accepted = 0;
    let duplicate = 0;
    let i = 0;
    for (const p of batch) {
      const receipts: Receipt[] = [];
      for (const r of p.readings) {
        const status = statuses[i]!;
        const patientId = patientIds[i++];
        receipts.push(receiptFor(r, status));
        if (status === 'accepted') {
          accepted++;
          if (patientId) stored.push({ ...r, patientId });
        } else if (status === 'duplicate') duplicate++;
        else o.metrics.rejected.inc({ reason: status.reason });
      }
      for (const rej of p.rejections) {
        receipts.push(rejectionReceipt(rej));
        o.metrics.rejected.inc({ reason: rej.reason });
      }
      o.metrics.lagSeconds.observe((now - p.msg.receivedAt.getTime()) / 1000);
      if (receipts.length) o.publishReceipts(p.msg.deviceId, receipts);
      p.ack();
    }
    // counted once a batch: a counter's inc was a call per reading
    if (accepted) o.metrics.accepted.inc(accepted);
    if (duplicate) o.metrics.duplicate.inc(duplicate);
    if (stored.length) o.onCommitted?.(stored);
  }

  async function isolate(batch: Pending[]) {
    for (const p of batch) {
      if ((await storeAlone(p)) === 'transient') {
        queue.unshift(p); // the whole message again: what was stored of it comes back a duplicate
        queuedReadings += size(p);
      }
    }
  }

  /**
   * Commits one message alone. Refused for its content, each of its readings is tried alone (one
   * at fault must not take the others with it), and a reading the database refuses is answered
   * `store_error` and recorded; if even the record is refused, it is answered and logged.
   */
  async function storeAlone(p: Pending): Promise<'done' | 'transient'> {
    try {
      await commit([p]);
      return 'done';
    } catch (err) {
      if (isTransient(err)) return 'transient';
      if (p.readings.length > 1) {
        const quiet = { ...p, ack: () => {} };
        for (const [i, r] of p.readings.entries()) {
          const part = { ...quiet, readings: [r], rejections: i === 0 ? p.rejections : [] };
          if ((await storeAlone(part)) === 'transient') return 'transient';
        }
        p.ack();
        return 'done';
      }
      log.error({ err, deviceId: p.msg.deviceId }, 'message refused by the database');
      const refused = [
        ...p.rejections,
        ...p.readings.map((r): Rejection => ({
          deviceId: r.deviceId,
          messageId: r.messageId,
          reason: 'store_error',
          errors: [
            {
              path: '(reading)',
              message: 'the hub could not store this reading; it has been logged for support',
            },
          ],
          receivedAt: r.receivedAt,
        })),
      ];
      try {
        await commit([{ ...p, readings: [], rejections: refused }]);
      } catch (again) {
        if (isTransient(again)) return 'transient';
        // Even the record of its refusal is refused: answered and logged, not retried forever
        // (that held up every message behind it).
        log.error(
          {
            err: again,
            deviceId: p.msg.deviceId,
            messageIds: refused.map((r) => r.messageId),
          },
          'rejection could not be recorded; answered without a record',
        );
        for (const r of refused) o.metrics.rejected.inc({ reason: r.reason });
        try {
          o.publishReceipts(p.msg.deviceId, refused.map(rejectionReceipt));
        } finally {
          p.ack();
        }
      }
      return 'done';
    }
  }

  function maybeDrained() {
    if (drained && !queue.length && inFlight === 0) drained();
  }

  return {
    submit,
    pending: () => queuedReadings,
    async close() {
      closing = true;
      if (!queue.length && inFlight === 0) return;
      await new Promise<void>((resolve) => {
        drained = resolve;
        schedule();
      });
    },
  };
}

const size = (p: Pending) => Math.max(1, p.readings.length + p.rejections.length);

function receiptFor(r: CanonicalReading, status: StoreStatus | Rejection): Receipt {
  if (typeof status === 'string') return { messageId: r.messageId, status };
  return rejectionReceipt(status);
}

function rejectionReceipt(r: Rejection): Receipt {
  return {
    messageId: r.messageId,
    status: 'rejected',
    ...(r.index === undefined ? {} : { index: r.index }),
    reason: r.reason,
    errors: r.errors,
  };
}

// Connection loss, server shutdown, resource exhaustion, serialization failures: worth waiting
// for. Anything else is about the data and would fail again.
function isTransient(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (!e || typeof e !== 'object') return false;
  if (isConflictRollback(err)) return true;
  const code = e.code ?? '';
  if (/^(08|53|57P)/.test(code)) return true;
  if (/^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NOTFOUND)$/.test(code)) return true;
  return /Connection terminated|connection|timeout|not queryable|closed/i.test(e.message ?? '');
}
