// Whether the hub holds a live subscription at an external broker: connected, and the SUBACK of
// this very connection granted every filter. A CONNACK with sessionPresent=true is not enough:
// Mosquitto 2.0 restores a persistent session from its persistence file without its `$share`
// subscriptions (issue 16), so the hub subscribes again on every connection and counts itself
// ready only once that connection's SUBACK has granted them. Pure: external.ts feeds it events.
import { ReasonCodes } from 'mqtt';

export type SubscriptionPhase = 'disconnected' | 'subscribing' | 'live' | 'refused';

/** What one SUBACK (or the failure to get one) meant. */
export type SubackOutcome =
  /** For an earlier connection, or after it closed: nothing changes. */
  | { kind: 'stale' }
  /** Every filter granted; `downgraded` lists those granted QoS 0 (no PUBACK: at most once). */
  | { kind: 'live'; downgraded: string[] }
  /** Some filter refused (a reason code of 128 or more), or no SUBACK came. */
  | { kind: 'refused'; reason: string };

/** A SUBACK reason code as the MQTT 5 specification names it. */
export function reasonName(code: number): string {
  const name = (ReasonCodes as Record<number, string | undefined>)[code];
  return `0x${code.toString(16).padStart(2, '0')}${name ? ` ${name}` : ''}`;
}

export class SubscriptionState {
  private connection = 0;
  private current: SubscriptionPhase = 'disconnected';
  private refusal = '';

  /** `onChange(live)` runs whenever the subscription becomes live or stops being so. */
  constructor(
    private readonly filters: readonly string[],
    private readonly onChange: (live: boolean) => void = () => {},
  ) {}

  get phase(): SubscriptionPhase {
    return this.current;
  }

  /** A connection was made: returns its number, which its SUBACK is matched against. */
  connected(): number {
    this.connection++;
    this.set('subscribing');
    return this.connection;
  }

  /** The connection closed (or the client is closing): nothing is received until the next. */
  disconnected(): void {
    this.connection++;
    this.set('disconnected');
  }

  /** A new SUBSCRIBE went out on connection `at` (a retry after a refusal). */
  subscribing(at: number): void {
    if (at === this.connection && this.current === 'refused') this.set('subscribing');
  }

  /** The SUBACK's reason codes for connection `at`, one per filter in order. */
  suback(at: number, codes: readonly number[]): SubackOutcome {
    if (at !== this.connection || this.current === 'disconnected') return { kind: 'stale' };
    if (codes.length !== this.filters.length) {
      return this.refuse(`SUBACK has ${codes.length} codes for ${this.filters.length} filters`);
    }
    const refused = this.filters.flatMap((f, i) =>
      codes[i]! >= 0x80 ? [`${f} (${reasonName(codes[i]!)})`] : [],
    );
    if (refused.length)
      return this.refuse(`broker refused the subscription: ${refused.join(', ')}`);
    this.set('live');
    return { kind: 'live', downgraded: this.filters.filter((_, i) => codes[i] === 0) };
  }

  /** No SUBACK came for connection `at` (the connection closed first, say). */
  failed(at: number, message: string): SubackOutcome {
    if (at !== this.connection || this.current === 'disconnected') return { kind: 'stale' };
    return this.refuse(`subscribe failed: ${message}`);
  }

  /** Why the hub is not ready to receive device messages; null when it is. */
  notReady(): string | null {
    switch (this.current) {
      case 'live':
        return null;
      case 'disconnected':
        return 'broker not connected';
      case 'subscribing':
        return 'subscribing to device topics';
      case 'refused':
        return this.refusal;
    }
  }

  private refuse(reason: string): SubackOutcome {
    this.refusal = reason;
    this.set('refused');
    return { kind: 'refused', reason };
  }

  private set(phase: SubscriptionPhase) {
    const was = this.current === 'live';
    this.current = phase;
    if (was !== (phase === 'live')) this.onChange(phase === 'live');
  }
}
