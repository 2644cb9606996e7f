// An external broker (Mosquitto, EMQX) for production. The broker authenticates devices (see
// the README for the password file and ACL); the hub subscribes through an MQTT 5 shared
// subscription so that several hubs split the traffic, in a persistent session so that
// messages wait for a hub that restarts. A message is acknowledged to the broker only after
// its readings are committed; the broker's in-flight window (our Receive Maximum) is the
// back-pressure. The hub subscribes again on every connection, whatever CONNACK's
// sessionPresent says (Mosquitto 2.0 restores a session without its `$share` subscriptions), and
// is ready only once that connection's SUBACK granted every filter (./subscription.ts).
// first: mqtt-packet must find the quiet debug logger when it loads
import '../ops/quietDebug.js';
import mqtt, { type IPublishPacket, type ISubscriptionMap, type MqttClient } from 'mqtt';
import { writeToStream, type Packet } from 'mqtt-packet';
import { parseTopic, topics, type PatientNotice, type Receipt } from '../../devices/contract.js';
import type { Logger } from '../ops/log.js';
import type { Metrics } from '../ops/metrics.js';
import { coalesceWrites } from './coalesce.js';
import type { BrokerLink, Deliver } from './link.js';
import { SubscriptionState } from './subscription.js';

export interface ExternalOptions {
  url: string;
  username?: string;
  password?: string;
  hubId: string;
  receiveMaximum: number;
  sessionExpirySeconds: number;
  log: Logger;
  metrics: Metrics;
  /** The shared-subscription group; hubs in one group split the messages between them. */
  group?: string;
  /** First wait before subscribing again after a refusal; doubles up to a minute. */
  resubscribeAfterMs?: number;
}

/** Mutes mqtt.js's automatic PUBACK for a message; we send it ourselves after the commit. */
const DEFERRED = Object.assign(new Error('acknowledged after commit'), { deferred: true });

const V5 = { protocolVersion: 5 };
const MAX_RESUBSCRIBE_WAIT_MS = 60_000;

/**
 * Writes a packet on the client's connection, behind mqtt.js's back: our PUBACKs (mqtt.js sends
 * its own at once, not after a commit) and the receipts. Through `publish` each receipt was also
 * deep-copied into mqtt.js's store of unacknowledged messages, to be sent again after a
 * reconnect, and its PUBACK looked up there (a tenth of the hub's CPU under load, see
 * docs/benchmarks.md). A receipt needs none of it: it leaves before its reading's PUBACK on the
 * same connection, so a broker that lost it has not got the PUBACK either and delivers the
 * reading again, which the hub answers again (`duplicate`). mqtt.js ignores the broker's PUBACKs
 * for these packets.
 */
function send(client: MqttClient, packet: Packet) {
  if (client.connected) writeToStream(packet, client.stream, V5);
}

export async function connectExternalBroker(o: ExternalOptions): Promise<BrokerLink> {
  const log = o.log.child({ stage: 'broker', broker: 'external' });
  const group = o.group ?? 'hub';
  const filters = [
    `$share/${group}/${topics.readings('+')}`,
    `$share/${group}/${topics.gatt('+', '+')}`,
  ];
  let deliver: Deliver | null = null;
  let intakeOpen = true;
  // PUBACKs belong to the connection that received the message; after a reconnect the broker
  // resends what we had not acknowledged, and the (device, messageId) key absorbs the repeat.
  let connection = 0;
  const subscription = new SubscriptionState(filters, (live) =>
    o.metrics.subscribed.set(live ? 1 : 0),
  );
  /** The subscription state's number for the current connection. */
  let subscribedOn = 0;
  let retry: NodeJS.Timeout | null = null;
  let retryMs = 0;
  const stopRetry = () => {
    if (retry) clearTimeout(retry);
    retry = null;
  };

  const client = mqtt.connect(o.url, {
    protocolVersion: 5,
    clientId: `telehealth-${o.hubId}`,
    clean: false,
    properties: { sessionExpiryInterval: o.sessionExpirySeconds, receiveMaximum: o.receiveMaximum },
    ...(o.username ? { username: o.username } : {}),
    ...(o.password ? { password: o.password } : {}),
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    manualConnect: true,
    // the 'connect' handler subscribes on every connection; mqtt.js' own resubscription would
    // send a second SUBSCRIBE, and only when the session is not present
    resubscribe: false,
    // mqtt.js's debug logger builds an argument list per call even when off: several calls per
    // packet were 7 % of the hub's allocations under load. DEBUG=mqttjs* still turns it on.
    ...(process.env.DEBUG ? {} : { log: () => {} }),
  });

  /**
   * SUBSCRIBE on connection `at`, forced (`resubscribe: true`: mqtt.js skips a filter it
   * believes it holds). A refusal keeps the hub not ready and is tried again, with back-off,
   * while the connection lasts.
   */
  function subscribe(at: number) {
    subscription.subscribing(at);
    const map = Object.assign(Object.fromEntries(filters.map((f) => [f, { qos: 1 as const }])), {
      resubscribe: true,
    }) as ISubscriptionMap;
    client.subscribe(map, (err, _granted, packet) => {
      const codes = packet?.granted.map((g) => (typeof g === 'number' ? g : 0x80));
      const outcome = codes
        ? subscription.suback(at, codes)
        : subscription.failed(at, err?.message ?? 'no SUBACK');
      if (outcome.kind === 'live') {
        retryMs = 0;
        log.info({ filters }, 'subscribed to device topics');
        if (outcome.downgraded.length) {
          log.warn(
            { filters: outcome.downgraded },
            'broker granted QoS 0: messages are not acknowledged after their commit and can be lost',
          );
        }
      } else if (outcome.kind === 'refused') {
        retryMs = Math.min(
          MAX_RESUBSCRIBE_WAIT_MS,
          retryMs ? retryMs * 2 : (o.resubscribeAfterMs ?? 5000),
        );
        log.error(
          { reason: outcome.reason, retryInMs: retryMs },
          'no subscription to device topics: the hub receives nothing and is not ready',
        );
        stopRetry();
        retry = setTimeout(() => {
          retry = null;
          if (at === subscribedOn && client.connected) subscribe(at);
        }, retryMs);
        retry.unref();
      }
    });
  }

  client.on('connect', (connack) => {
    connection++;
    stopRetry();
    retryMs = 0;
    const at = (subscribedOn = subscription.connected());
    coalesceWrites(client.stream);
    log.info(
      { url: redactUrl(o.url), sessionPresent: connack.sessionPresent },
      'connected to broker',
    );
    // even when the session is present: its subscriptions may not be (Mosquitto 2.0's $share)
    subscribe(at);
  });
  client.on('close', () => {
    stopRetry();
    subscription.disconnected();
  });
  client.on('error', (err) => log.warn({ err }, 'broker connection error'));
  client.on('offline', () => log.warn('broker offline; reconnecting'));

  client.handleMessage = (packet: IPublishPacket, done) => {
    o.metrics.delivered();
    const t = parseTopic(packet.topic);
    if (!deliver || !intakeOpen || !t || t.kind === 'receipts') {
      // Not ours, or shutting down: leave QoS 1 unacknowledged so the broker redelivers it.
      return done(packet.qos > 0 && t ? DEFERRED : undefined);
    }
    const at = connection;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    // the acknowledgement below waits for the commit: it keeps these two, not the packet
    const { messageId, qos } = packet;
    deliver(
      {
        deviceId: t.deviceId,
        kind: t.kind,
        ...(t.kind === 'gatt' ? { uuid: t.uuid } : {}),
        payload,
        receivedAt: new Date(),
      },
      () => {
        if (qos > 0 && messageId !== undefined && at === connection && client.connected) {
          send(client, { cmd: 'puback', messageId });
        }
      },
    );
    // Let mqtt.js read the next message now; the PUBACK follows the commit.
    done(qos > 0 ? DEFERRED : undefined);
  };

  /** Receipts, one message each, on the device's receipts topic (see `send`). */
  function publishReceipts(deviceId: string, receipts: Receipt[]) {
    const topic = topics.receipts(deviceId);
    for (const r of receipts) {
      send(client, {
        cmd: 'publish',
        topic,
        payload: JSON.stringify(r),
        qos: 1,
        // mqtt.js's own numbering, so that its packets never share one; its default provider
        // counts round 1..65535 and never runs out
        messageId: client.messageIdProvider.allocate()!,
        retain: false,
        dup: false,
      });
    }
  }

  return {
    url: redactUrl(o.url),
    start(d) {
      deliver = d;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => fail(new Error('no answer within 10 s')), 10_000);
        const fail = (err: Error) => {
          clearTimeout(timer);
          client.end(true);
          reject(new Error(`MQTT_URL: cannot connect to ${redactUrl(o.url)}: ${err.message}`));
        };
        client.once('connect', () => {
          clearTimeout(timer);
          client.off('error', fail);
          resolve();
        });
        client.once('error', fail);
        client.connect();
      });
    },
    publishReceipts,
    // A notice answers no reading that the broker would deliver again: mqtt.js keeps it until
    // the broker has it, across a reconnect.
    notify(deviceId: string, notice: PatientNotice) {
      client.publish(topics.receipts(deviceId), JSON.stringify(notice), { qos: 1 });
    },
    together(fn) {
      // what fn writes is gathered into one write by coalesceWrites
      fn();
    },
    ready: () => client.connected && subscription.phase === 'live',
    notReady: () => (client.connected ? subscription.notReady() : 'broker not connected'),
    async stopIntake() {
      intakeOpen = false;
    },
    deviceRevoked() {
      // The broker owns device connections in this mode; the hub refuses the readings.
    },
    async close() {
      intakeOpen = false;
      stopRetry();
      await client.endAsync();
      subscription.disconnected();
    },
  };
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
