// The hub's writes to an external broker, gathered into one buffer per tick. mqtt-packet writes
// a packet as six to eight small chunks (header, length, topic, id, properties, payload), so a
// commit's receipts and PUBACKs were over a thousand chunks: Node's stream bookkeeping per
// chunk and a writev of as many pieces were a sixth of the services hub's CPU under load
// (docs/benchmarks.md). Copied into one buffer, they leave as one write.
import type { Duplex } from 'node:stream';

type Callback = (err?: Error | null) => void;

const coalesced = new WeakSet<Duplex>();

/**
 * Replaces `stream.write` so that chunks written in one tick go to the stream as one buffer, in
 * order, at the next tick (and before `end`). The return value is the stream's own
 * back-pressure signal, as a write would give it. The stream can no longer be corked.
 */
export function coalesceWrites(stream: Duplex): void {
  if (coalesced.has(stream)) return;
  coalesced.add(stream);
  const write = stream.write.bind(stream) as (chunk: Buffer, cb?: Callback) => boolean;
  const end = stream.end.bind(stream) as (cb?: () => void) => Duplex;
  let chunks: Buffer[] = [];
  let bytes = 0;
  let callbacks: Callback[] = [];
  let scheduled = false;

  function flush() {
    scheduled = false;
    if (!chunks.length) return;
    const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes);
    const waiting = callbacks;
    chunks = [];
    bytes = 0;
    callbacks = [];
    if (stream.destroyed) {
      const err = new Error('the broker connection is closed');
      for (const cb of waiting) cb(err);
      return;
    }
    write(
      data,
      waiting.length
        ? (err) => {
            for (const cb of waiting) cb(err);
          }
        : undefined,
    );
  }

  stream.write = ((chunk: Buffer | string, encoding?: BufferEncoding | Callback, cb?: Callback) => {
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : chunk;
    chunks.push(buf);
    bytes += buf.length;
    if (cb) callbacks.push(cb);
    if (!scheduled) {
      scheduled = true;
      process.nextTick(flush);
    }
    return !stream.writableNeedDrain;
  }) as Duplex['write'];

  // mqtt-packet corks the stream for each packet it writes and uncorks it on the next tick (a
  // nextTick per packet, two per reading): with the writes gathered here that buys nothing.
  // Without `cork` it writes straight through.
  (stream as { cork?: unknown }).cork = undefined;

  stream.end = ((...args: unknown[]) => {
    if (typeof args[0] === 'string' || Buffer.isBuffer(args[0])) {
      stream.write(args[0], typeof args[1] === 'string' ? (args[1] as BufferEncoding) : 'utf8');
    }
    flush();
    return end(args.find((a): a is () => void => typeof a === 'function'));
  }) as Duplex['end'];
}
