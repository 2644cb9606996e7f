// A load generator: many device clients, each a real mqtt.js connection, publishing one-reading
// JSON messages with QoS 1. By default in a closed loop: each device keeps at most `window`
// messages in flight (published, not yet complete), so the rate settles at what the system
// sustains. With `ratePerSecond` it publishes at that steady rate instead, round robin over the
// devices, `window` still capping each device's messages in flight (an overloaded system then
// shows as a rate below the target, not as an ever-growing queue).
// "Complete" is chosen per run: the broker's PUBACK, the hub's receipt (published after the
// commit), or a call to complete() by whoever sees the message arrive (a bare subscriber).
// The connect phase is timed per client, so that a reconnect storm can reuse it.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { topics, type Receipt } from '../../devices/contract.js';

export interface LoadDevice {
  deviceId: string;
  /** MQTT password (the device secret); absent for an anonymous broker. */
  secret?: string;
}

export interface ConnectOptions {
  url: string;
  devices: LoadDevice[];
  /** Subscribe every device to its receipts topic (QoS 1); needed for completion 'receipt'. */
  receipts: boolean;
  /** Connections opened at once (the embedded hub checks each secret with scrypt). */
  concurrency?: number;
  /** The topic a device publishes on; the contract's readings topic by default. */
  topic?: (deviceId: string) => string;
  clientOptions?: Partial<IClientOptions>;
}

export type Completion = 'puback' | 'receipt' | 'external';

export interface RunOptions {
  /** Messages in flight per device. */
  window: number;
  /** How long new messages are published. */
  durationMs: number;
  /** The first part of the run, left out of the rate and the latencies (JIT, caches, batching). */
  warmupMs?: number;
  completion: Completion;
  /** How long to wait, after publishing stops, for what is still in flight. */
  drainTimeoutMs?: number;
  /**
   * A message not complete after this long is given up (counted in `timedOut`) and its slot
   * freed, so that a message the system lost does not stall its device for the rest of the run.
   */
  completionTimeoutMs?: number;
  /**
   * Message body for a messageId, built just before it is published (so a payload function may
   * note the publish time); a ~190-byte heart-rate reading by default. `device` is the index of
   * the publishing device in the devices given to connectLoad.
   */
  payload?: (messageId: string, device: number) => string | Buffer;
  /**
   * Publish at this many messages per second in all (open loop, paced every few ms) instead of
   * as fast as the windows allow. A device whose window is full is skipped for the next one; a
   * backlog of more than a second's messages is dropped from the schedule (`rateSkipped`).
   */
  ratePerSecond?: number;
}

export interface RunResult {
  devices: number;
  window: number;
  completion: Completion;
  durationMs: number;
  warmupMs: number;
  published: number;
  /** Publishes the broker acknowledged (PUBACK). */
  pubacked: number;
  completed: number;
  /** Completions between the end of the warm-up and the end of publishing. */
  completedMeasured: number;
  measuredMs: number;
  /** completedMeasured per second: the sustained rate. */
  ratePerSecond: number;
  /** From the first publish to the last completion, over everything completed. */
  overallRatePerSecond: number;
  drainMs: number;
  /** Still in flight when the drain gave up. */
  unfinished: number;
  /** Given up after completionTimeoutMs (lost or stuck somewhere). */
  timedOut: number;
  /** Publish to completion, for messages published after the warm-up. */
  latenciesMs: Float64Array;
  /** Completions per second of the run. */
  timeline: number[];
  /** Messages in flight, sampled every 100 ms while publishing (Little's law: rate x latency). */
  inFlightMean: number;
  /** The paced rate asked for (`ratePerSecond`), or null for a closed loop. */
  targetRatePerSecond: number | null;
  /** Publishes per second between the end of the warm-up and the end of publishing. */
  publishRatePerSecond: number;
  /** Paced publishes never made: every window was full for over a second's worth of them. */
  rateSkipped: number;
  /** CPU used by this whole process while publishing, in % of one core. */
  processCpuPercent: number;
  receiptsByStatus: Record<string, number>;
  /** Receipts for a message already complete, or not ours. */
  strayReceipts: number;
  /** Notices to the patient (measure again, reminders) that came on the receipts topic. */
  notices: Record<string, number>;
  publishErrors: number;
  /** messageIds the broker acknowledged, for the "nothing lost" check. */
  ackedIds: string[];
  payloadBytes: number;
}

interface Device {
  index: number;
  deviceId: string;
  topic: string;
  client: MqttClient;
  inFlight: number;
}

interface InFlight {
  device: Device;
  publishedAt: number;
}

export interface Load {
  readonly devices: readonly { deviceId: string; client: MqttClient }[];
  /** Milliseconds each connection took (CONNACK and SUBACK), in device order. */
  readonly connectMs: number[];
  run(o: RunOptions): Promise<RunResult>;
  /** Marks a message complete (completion 'external'). */
  complete(messageId: string): void;
  close(): Promise<void>;
}

const runTag = () => Math.random().toString(36).slice(2, 8);

/** A heart-rate reading of about 190 bytes, measured a minute ago. */
export function heartRatePayload(messageId: string): string {
  const measuredAt = new Date(Date.now() - 60_000).toISOString();
  const value = 55 + (messageId.charCodeAt(messageId.length - 1) % 40);
  return `{"messageId":"${messageId}","measuredAt":"${measuredAt}","type":"heart_rate","value":${value},"unit":"/min","context":{"position":"sitting","note":"synthetic load-test reading"}}`;
}

/** Opens one connection per device, `concurrency` at a time. */
export async function connectLoad(o: ConnectOptions): Promise<Load> {
  const concurrency = Math.max(1, o.concurrency ?? 16);
  const topicOf = o.topic ?? topics.readings;
  const devices: Device[] = new Array(o.devices.length);
  const connectMs: number[] = new Array(o.devices.length);
  let current: ActiveRun | null = null;

  let next = 0;
  async function worker() {
    while (next < o.devices.length) {
      const index = next++;
      const d = o.devices[index]!;
      const started = performance.now();
      const client = await mqtt.connectAsync(o.url, {
        clientId: `${d.deviceId}-${runTag()}`,
        ...(d.secret ? { username: d.deviceId, password: d.secret } : {}),
        reconnectPeriod: 0,
        connectTimeout: 60_000,
        keepalive: 120,
        ...o.clientOptions,
      });
      const device: Device = {
        index,
        deviceId: d.deviceId,
        topic: topicOf(d.deviceId),
        client,
        inFlight: 0,
      };
      if (o.receipts) {
        client.on('message', (_topic, payload) => current?.onReceipt(payload));
        await client.subscribeAsync(topics.receipts(d.deviceId), { qos: receiptQos() });
      }
      devices[index] = device;
      connectMs[index] = performance.now() - started;
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } catch (err) {
    await Promise.all(devices.filter(Boolean).map((d) => endClient(d.client)));
    throw err;
  }

  return {
    devices,
    connectMs,
    async run(r) {
      if (current) throw new Error('a run is already going');
      current = new ActiveRun(devices, r);
      try {
        return await current.start();
      } finally {
        current = null;
      }
    },
    complete(messageId) {
      current?.complete(messageId);
    },
    close: () =>
      Promise.all(devices.filter(Boolean).map((d) => endClient(d.client))).then(() => {}),
  };
}

class ActiveRun {
  private readonly pending = new Map<string, InFlight>();
  private readonly latencies: number[] = [];
  private readonly timeline: number[] = [];
  private readonly ackedIds: string[] = [];
  private readonly receiptsByStatus: Record<string, number> = {};
  private readonly notices: Record<string, number> = {};
  private readonly tag = runTag();
  private readonly payload: (messageId: string, device: number) => string | Buffer;
  private seq = 0;
  private published = 0;
  private publishedMeasured = 0;
  /** Paced mode: publishes scheduled so far (made or skipped), and skipped. */
  private scheduled = 0;
  private rateSkipped = 0;
  private nextDevice = 0;
  private pubacked = 0;
  private completed = 0;
  private completedMeasured = 0;
  private strayReceipts = 0;
  private timedOut = 0;
  private publishErrors = 0;
  private payloadBytes = 0;
  private startedAt = 0;
  private warmEnd = 0;
  private publishEnd = Infinity;
  private lastCompletion = 0;
  private publishing = false;
  private drained: (() => void) | null = null;

  private readonly paced: boolean;

  constructor(
    private readonly devices: Device[],
    private readonly o: RunOptions,
  ) {
    this.payload = o.payload ?? heartRatePayload;
    this.paced = (o.ratePerSecond ?? 0) > 0;
  }

  async start(): Promise<RunResult> {
    const warmupMs = Math.min(this.o.warmupMs ?? 0, this.o.durationMs / 2);
    this.startedAt = performance.now();
    const cpuAtStart = process.cpuUsage();
    this.warmEnd = this.startedAt + warmupMs;
    this.publishing = true;
    const pacer = this.paced ? setInterval(() => this.pace(), 2) : null;
    if (!this.paced) for (const d of this.devices) this.pump(d);
    let samples = 0;
    let inFlightSum = 0;
    const sampler = setInterval(() => {
      samples++;
      inFlightSum += this.pending.size;
    }, 100);
    const sweeper = setInterval(() => this.expire(), 500);

    await sleep(this.o.durationMs);
    clearInterval(sampler);
    if (pacer) clearInterval(pacer);
    this.publishing = false;
    this.publishEnd = performance.now();
    const cpu = process.cpuUsage(cpuAtStart);
    const drainStarted = this.publishEnd;
    if (this.pending.size) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.drainTimeoutMs ?? 30_000);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    clearInterval(sweeper);
    const drainMs = performance.now() - drainStarted;
    const measuredMs = this.publishEnd - this.warmEnd;
    return {
      devices: this.devices.length,
      window: this.o.window,
      completion: this.o.completion,
      durationMs: this.o.durationMs,
      warmupMs,
      published: this.published,
      pubacked: this.pubacked,
      completed: this.completed,
      completedMeasured: this.completedMeasured,
      measuredMs,
      ratePerSecond: measuredMs > 0 ? (this.completedMeasured * 1000) / measuredMs : 0,
      overallRatePerSecond:
        this.lastCompletion > this.startedAt
          ? (this.completed * 1000) / (this.lastCompletion - this.startedAt)
          : 0,
      drainMs,
      unfinished: this.pending.size,
      timedOut: this.timedOut,
      latenciesMs: Float64Array.from(this.latencies),
      timeline: Array.from(this.timeline, (n) => n ?? 0),
      inFlightMean: samples ? inFlightSum / samples : 0,
      targetRatePerSecond: this.paced ? this.o.ratePerSecond! : null,
      publishRatePerSecond: measuredMs > 0 ? (this.publishedMeasured * 1000) / measuredMs : 0,
      rateSkipped: this.rateSkipped,
      processCpuPercent: (cpu.user + cpu.system) / 10 / (this.publishEnd - this.startedAt),
      receiptsByStatus: this.receiptsByStatus,
      strayReceipts: this.strayReceipts,
      notices: this.notices,
      publishErrors: this.publishErrors,
      ackedIds: this.ackedIds,
      payloadBytes: this.published ? Math.round(this.payloadBytes / this.published) : 0,
    };
  }

  /** Closed loop: fills the device's window. Paced runs publish from pace() only. */
  private pump(d: Device) {
    if (this.paced) return;
    while (this.publishing && d.inFlight < this.o.window && d.client.connected) this.publishOne(d);
  }

  /** Paced: publishes what the schedule owes by now, round robin over devices with room. */
  private pace() {
    if (!this.publishing) return;
    const rate = this.o.ratePerSecond!;
    const due = Math.floor(((performance.now() - this.startedAt) * rate) / 1000);
    let owed = due - this.scheduled;
    if (owed > rate) {
      this.rateSkipped += owed - Math.ceil(rate);
      this.scheduled += owed - Math.ceil(rate);
      owed = Math.ceil(rate);
    }
    const n = this.devices.length;
    while (owed > 0) {
      let d: Device | null = null;
      for (let tries = 0; tries < n && !d; tries++) {
        const c = this.devices[this.nextDevice]!;
        this.nextDevice = (this.nextDevice + 1) % n;
        if (c.inFlight < this.o.window && c.client.connected) d = c;
      }
      if (!d) return; // every window full: owed until completions free a slot
      this.publishOne(d);
      this.scheduled++;
      owed--;
    }
  }

  private publishOne(d: Device) {
    const messageId = `${this.tag}-${d.index}-${this.seq++}`;
    const body = this.payload(messageId, d.index);
    const now = performance.now();
    d.inFlight++;
    this.published++;
    if (now >= this.warmEnd) this.publishedMeasured++;
    this.payloadBytes += body.length;
    this.pending.set(messageId, { device: d, publishedAt: now });
    d.client.publish(d.topic, body, { qos: 1 }, (err) => {
      if (err) {
        this.publishErrors++;
        return;
      }
      this.pubacked++;
      this.ackedIds.push(messageId);
      if (this.o.completion === 'puback') this.complete(messageId);
    });
  }

  onReceipt(payload: Buffer) {
    let receipt: Receipt | { notice: string };
    const accepted = acceptedMessageId(payload);
    if (accepted !== null) receipt = { messageId: accepted, status: 'accepted' };
    else {
      try {
        receipt = JSON.parse(payload.toString()) as Receipt | { notice: string };
      } catch {
        this.strayReceipts++;
        return;
      }
    }
    // the receipts topic also carries notices to the patient (contract v1.2): not a receipt
    if ('notice' in receipt) {
      this.notices[receipt.notice] = (this.notices[receipt.notice] ?? 0) + 1;
      return;
    }
    this.receiptsByStatus[receipt.status] = (this.receiptsByStatus[receipt.status] ?? 0) + 1;
    // A rejection may come from another hub on a shared broker that does not know our devices;
    // only "accepted" (or "duplicate": stored before) says that our message is committed.
    if (this.o.completion !== 'receipt' || receipt.status === 'rejected' || !receipt.messageId) {
      return;
    }
    if (!this.pending.has(receipt.messageId)) this.strayReceipts++;
    else this.complete(receipt.messageId);
  }

  /** Frees the slots of messages that waited too long; the map is in publish order. */
  private expire() {
    const limit = performance.now() - (this.o.completionTimeoutMs ?? 10_000);
    for (const [messageId, p] of this.pending) {
      if (p.publishedAt > limit) break;
      this.pending.delete(messageId);
      this.timedOut++;
      p.device.inFlight--;
      if (this.publishing) this.pump(p.device);
    }
    if (!this.publishing && !this.pending.size) this.drained?.();
  }

  complete(messageId: string) {
    const p = this.pending.get(messageId);
    if (!p) return;
    this.pending.delete(messageId);
    const now = performance.now();
    this.completed++;
    this.lastCompletion = now;
    if (p.publishedAt >= this.warmEnd) this.latencies.push(now - p.publishedAt);
    if (now >= this.warmEnd && now <= this.publishEnd) this.completedMeasured++;
    const second = Math.floor((now - this.startedAt) / 1000);
    this.timeline[second] = (this.timeline[second] ?? 0) + 1;
    p.device.inFlight--;
    if (this.publishing) this.pump(p.device);
    else if (!this.pending.size) this.drained?.();
  }
}

const ACCEPTED_HEAD = '{"messageId":"';
const ACCEPTED_TAIL = '","status":"accepted"}';

/**
 * The messageId of an "accepted" receipt in the hub's exact serialisation, without parsing the
 * JSON (as the ceiling's subscriber reads its messages, so that the generator costs the same in
 * both phases); null for anything else (parsed in full).
 */
export function acceptedMessageId(payload: Buffer): string | null {
  const text = payload.toString('latin1');
  if (!text.startsWith(ACCEPTED_HEAD) || !text.endsWith(ACCEPTED_TAIL)) return null;
  const id = text.slice(ACCEPTED_HEAD.length, text.length - ACCEPTED_TAIL.length);
  // an escape, a quote or a non-ASCII byte: JSON.parse decides what the id is
  return /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/.test(id) ? id : null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function endClient(client: MqttClient): Promise<void> {
  // end() never calls back on a client the broker already disconnected
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 2000);
    client.end(true, {}, () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * QoS of the devices' receipt subscriptions: the contract publishes receipts at QoS 1 and a
 * device may take them at 0 (cheaper for the broker and the device). BENCH_RECEIPT_QOS=0 measures that.
 */
function receiptQos(): 0 | 1 {
  return process.env.BENCH_RECEIPT_QOS === '0' ? 0 : 1;
}
