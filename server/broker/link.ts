// What the rest of the hub needs from a broker, embedded or external: device messages in, with
// an acknowledgement the hub controls, and receipts out.
import type { PatientNotice, Receipt } from '../../devices/contract.js';
import type { InboundMessage } from '../shapes/message.js';

export type Deliver = (msg: InboundMessage, ack: () => void) => void;

export interface BrokerLink {
  /** Where devices connect, for people reading the start-up lines. */
  readonly url: string;
  /** Starts handing device messages to `deliver`. */
  start(deliver: Deliver): Promise<void>;
  publishReceipts(deviceId: string, receipts: Receipt[]): void;
  /** A message for the patient (measure again, a reminder) on the device's receipts topic. */
  notify(deviceId: string, notice: PatientNotice): void;
  /** Runs `fn`, sending what it writes to the broker in as few writes as possible. */
  together(fn: () => void): void;
  /** True while device messages can reach the hub: `notReady()` is null. */
  ready(): boolean;
  /**
   * Why device messages cannot reach the hub now (for /readyz), or null. External: not
   * connected, or this connection's SUBACK has not (yet) granted every filter.
   */
  notReady(): string | null;
  /** Stops taking new connections and messages; what is held can still be acknowledged. */
  stopIntake(): Promise<void>;
  /** Drops a revoked device's connections at once. */
  deviceRevoked(deviceId: string): void;
  close(): Promise<void>;
}
