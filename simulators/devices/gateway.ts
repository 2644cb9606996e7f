// A home gateway: the one connection a patient's home has to the hub. It forwards what the
// virtual devices measure (JSON, or GATT bytes as they came from the device) with QoS 1 and
// keeps every message until its receipt says the hub has it. When its network is down it keeps
// a backlog; back online, it delivers the backlog in measurement order with the original
// measurement times, as `{ readings: [...] }` batches of at most 500 (GATT values one by one).
// A revoked gateway keeps trying, as real ones do, but backs off: 1 s, 2 s, 4 s ... up to a cap.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  MAX_READINGS_PER_MESSAGE,
  topics,
  type PatientNotice,
  type Receipt,
} from '../../devices/contract.js';
import type { Outbound } from './messages.js';
import { isRevokedReceipt, isUnknownDeviceReceipt, parseInbound } from './receipts.js';

export interface GatewayOptions {
  url: string;
  deviceId: string;
  secret: string;
  /** Publish again (same messageId) when no receipt came after this long; the contract says about a minute. */
  receiptTimeoutMs?: number;
  /** Attempts per message before it counts as lost. */
  maxAttempts?: number;
  /** First wait after the hub refused this device; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  clientOptions?: Partial<IClientOptions>;
}

export type GatewayState = 'online' | 'offline' | 'refused' | 'closed';

export interface GatewayStats {
  published: number;
  resent: number;
  lost: number;
  batches: number;
  connects: number;
  /** Connections or publishes the hub refused because the device is revoked (or unknown). */
  refusals: number;
  /** The waits between refused or unreachable attempts, in ms: they grow. */
  backoffsMs: number[];
  unreadable: number;
  /** Receipts no message waited for (late ones, or another hub's on a shared broker). */
  stray: number;
  /** Connection attempts that found no broker (kept, and tried again with the same back-off). */
  unreachable: number;
}

interface Waiter {
  resolve(r: Receipt | null): void;
  provisional: Receipt | null;
}

/** QoS 1 publish that fails when the connection closes first (the hub dropped a revoked device). */
function publishOrDrop(client: MqttClient, topic: string, body: string | Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // a connection already gone fires no 'close' again, and mqtt.js without reconnection would
    // hold the message for ever: the gateway's resend would wait on it
    if (!client.connected) return reject(new Error('not connected'));
    const onClose = () => reject(new Error('connection closed'));
    client.once('close', onClose);
    client.publish(topic, body, { qos: 1 }, (err) => {
      client.off('close', onClose);
      if (err) reject(err);
      else resolve();
    });
  });
}

export class HomeGateway {
  readonly deviceId: string;
  /** The receipt each delivered message ended with, in delivery order. */
  readonly receipts: Receipt[] = [];
  readonly notices: PatientNotice[] = [];
  /** Every message this gateway published, in publish order (a batch counts each reading). */
  readonly sent: Outbound[] = [];
  private readonly published = new WeakSet<Outbound>();
  readonly stats: GatewayStats = {
    published: 0,
    resent: 0,
    lost: 0,
    batches: 0,
    connects: 0,
    refusals: 0,
    backoffsMs: [],
    unreadable: 0,
    stray: 0,
    unreachable: 0,
  };
  private client: MqttClient | null = null;
  private network = true;
  private closed = false;
  private refusedUntil = 0;
  private backoff = 0;
  private backlog: Outbound[] = [];
  /** The backlog built up while offline or refused: it goes in batches, not one by one. */
  private delayed = false;
  private readonly waiters = new Map<string, Waiter[]>();
  /** Sends run one after the other, so that messages leave in the order they were handed in. */
  private chain: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: GatewayOptions) {
    this.deviceId = o.deviceId;
  }

  get state(): GatewayState {
    if (this.closed) return 'closed';
    if (!this.network) return 'offline';
    if (this.refusedUntil > 0) return 'refused';
    return 'online';
  }

  /** Messages waiting for the network or for the hub to take them again. */
  get pending(): number {
    return this.backlog.length;
  }

  /** Hands measurements' messages to the gateway; resolves once they are delivered or queued. */
  send(messages: Outbound[]): Promise<void> {
    return this.enqueue(async () => {
      this.backlog.push(...messages);
      await this.flush();
    });
  }

  /** The home's network goes down: nothing leaves until setOnline(). */
  setOffline(): Promise<void> {
    return this.enqueue(async () => {
      this.network = false;
      this.delayed = true;
      await this.disconnect();
    });
  }

  /** Back online: the backlog goes out, oldest measurement first. */
  setOnline(): Promise<void> {
    return this.enqueue(async () => {
      this.network = true;
      await this.flush();
    });
  }

  /** Resolves when everything handed in so far has been dealt with. */
  idle(): Promise<void> {
    return this.enqueue(async () => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.chain.catch(() => {});
    await this.disconnect();
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => {});
    return next;
  }

  private async flush(): Promise<void> {
    if (this.closed || !this.network || this.backlog.length === 0) return;
    if (Date.now() < this.refusedUntil) return; // the retry timer comes back
    // a backlog goes in measurement order (stable: equal times keep the order handed in)
    const backlog = this.backlog.map((m, i) => ({ m, i }));
    backlog.sort((a, b) => a.m.measuredAt.getTime() - b.m.measuredAt.getTime() || a.i - b.i);
    this.backlog = backlog.map((x) => x.m);
    const batching = this.delayed;
    while (this.backlog.length && this.network && !this.closed) {
      if (!(await this.ensureConnected())) return;
      const head = this.backlog[0]!;
      let group: Outbound[];
      if (head.kind === 'json' && batching) {
        group = [];
        for (const m of this.backlog) {
          if (m.kind !== 'json' || group.length === MAX_READINGS_PER_MESSAGE) break;
          // a duplicate fault repeats a message: it goes in a message of its own
          if (group.some((g) => g.messageId === m.messageId)) break;
          group.push(m);
        }
      } else group = [head];
      const receipts = await this.deliver(group);
      if (receipts === 'refused') return;
      this.backlog.splice(0, group.length);
    }
    if (!this.backlog.length) this.delayed = false;
  }

  /** Publishes one message (a batch when several) until its receipts come; 'refused' if the hub refuses the device. */
  private async deliver(group: Outbound[]): Promise<Receipt[] | 'refused'> {
    const maxAttempts = this.o.maxAttempts ?? 3;
    const timeoutMs = this.o.receiptTimeoutMs ?? 30_000;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const client = this.client;
      if (!client) return 'refused';
      const waits = group.map((m) => this.waitFor(m.messageId, timeoutMs));
      try {
        await this.publish(client, group);
      } catch {
        this.dropWaiters(group);
        if (!(await this.ensureConnected())) return 'refused';
        continue;
      }
      if (attempt > 1) this.stats.resent += group.length;
      const got = await Promise.all(waits);
      if (got.some((r) => r === null)) continue; // the same messageIds again: harmless
      const receipts = got as Receipt[];
      this.receipts.push(...receipts);
      if (receipts.some(isRevokedReceipt)) {
        this.refused();
        return 'refused';
      }
      this.backoff = 0;
      return receipts;
    }
    this.stats.lost += group.length;
    return [];
  }

  private async publish(client: MqttClient, group: Outbound[]) {
    const head = group[0]!;
    if (head.kind === 'gatt') {
      const topic = topics.gatt(this.deviceId, head.uuid);
      await publishOrDrop(client, topic, Buffer.from(head.bytes));
    } else {
      const body =
        group.length === 1
          ? head.reading
          : { readings: group.map((m) => (m.kind === 'json' ? m.reading : null)) };
      if (group.length > 1) this.stats.batches++;
      const topic = topics.readings(this.deviceId);
      await publishOrDrop(client, topic, JSON.stringify(body));
    }
    this.stats.published += group.length;
    // once each, when it first went out: a message published before a connection was lost
    // comes round again as the first attempt of a later flush
    for (const m of group) {
      if (!this.published.has(m)) {
        this.published.add(m);
        this.sent.push(m);
      }
    }
  }

  /**
   * The receipt for a messageId, or null when none came in time. Another hub on a shared
   * broker that does not know this device answers "not registered": that answer is kept only
   * in case no other comes (the device really is unknown).
   */
  private waitFor(messageId: string, timeoutMs: number): Promise<Receipt | null> {
    return new Promise((resolve) => {
      const w: Waiter = {
        provisional: null,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        const list = this.waiters.get(messageId);
        const i = list?.indexOf(w) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
        if (list && !list.length) this.waiters.delete(messageId);
        resolve(w.provisional);
      }, timeoutMs);
      const list = this.waiters.get(messageId) ?? [];
      list.push(w);
      this.waiters.set(messageId, list);
    });
  }

  private dropWaiters(group: Outbound[]) {
    for (const m of group) {
      for (const w of this.waiters.get(m.messageId) ?? []) w.resolve(null);
      this.waiters.delete(m.messageId);
    }
  }

  private onMessage(payload: Buffer) {
    const inbound = parseInbound(payload);
    if (inbound.kind === 'unreadable') {
      this.stats.unreadable++;
      return;
    }
    if (inbound.kind === 'notice') {
      this.notices.push(inbound.notice);
      return;
    }
    const r = inbound.receipt;
    const list = r.messageId === null ? undefined : this.waiters.get(r.messageId);
    const w = list?.[0];
    if (!w || !list) {
      this.stats.stray++;
      return;
    }
    if (isUnknownDeviceReceipt(r)) {
      w.provisional ??= r;
      return;
    }
    list.shift();
    if (!list.length) this.waiters.delete(r.messageId!);
    w.resolve(r);
  }

  /** Connects if need be; false when the hub refuses this device (and a retry is scheduled). */
  private async ensureConnected(): Promise<boolean> {
    if (this.client?.connected) return true;
    await this.disconnect();
    try {
      const client = await mqtt.connectAsync(this.o.url, {
        username: this.deviceId,
        password: this.o.secret,
        clientId: `${this.deviceId}-${Math.random().toString(36).slice(2, 8)}`,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        ...this.o.clientOptions,
      });
      this.stats.connects++;
      // a reading is a few hundred bytes and waits for its receipt: send it now, not after
      // the broker's delayed TCP ACK (Nagle)
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      client.on('message', (_t, payload) => this.onMessage(payload));
      await client.subscribeAsync(topics.receipts(this.deviceId), { qos: 1 });
      this.client = client;
      return true;
    } catch (err) {
      // CONNACK 4 / 5: bad credentials or not authorised (a revoked device)
      const code = (err as { code?: unknown }).code;
      if (code === 4 || code === 5 || code === 134 || code === 135) {
        this.refused();
        return false;
      }
      // the broker is down or restarting: keep everything, try again later, like a real gateway
      this.stats.unreachable++;
      this.retryLater();
      return false;
    }
  }

  /** The hub refused this device: wait, doubling each time, then try the backlog again. */
  private refused() {
    this.stats.refusals++;
    this.retryLater();
  }

  private retryLater() {
    this.delayed = true;
    const base = this.o.backoffMs ?? 1000;
    this.backoff = Math.min(this.o.maxBackoffMs ?? 60_000, this.backoff ? this.backoff * 2 : base);
    this.stats.backoffsMs.push(this.backoff);
    this.refusedUntil = Date.now() + this.backoff;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.refusedUntil = 0;
      void this.enqueue(() => this.flush()).catch(() => {});
    }, this.backoff);
    this.retryTimer.unref?.();
  }

  private async disconnect() {
    const c = this.client;
    this.client = null;
    if (!c) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      c.end(true, {}, () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
