// The embedded broker (aedes), for a hub that runs alone with no services. The hub enforces the
// device contract's access rules here: who may connect, publish and subscribe. A device's QoS 1
// message is acknowledged (PUBACK) only when ingest says its readings are committed, and aedes
// reads no more from that connection meanwhile, which is the back-pressure.
// first: mqtt-packet must find the quiet debug logger when it loads
import '../ops/quietDebug.js';
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { parseTopic, topics, type PatientNotice, type Receipt } from '../../devices/contract.js';
import type { Logger } from '../ops/log.js';
import type { Metrics } from '../ops/metrics.js';
import type { DeviceAuth } from './deviceAuth.js';
import type { BrokerLink, Deliver } from './link.js';
import { listen } from '../ops/listen.js';

export interface EmbeddedOptions {
  host: string;
  port: number;
  tls?: { certFile: string; keyFile: string };
  auth: DeviceAuth;
  log: Logger;
  metrics: Metrics;
}

type DeviceClient = Client & { deviceId?: string };

const LOOPBACK = /^(127\.|::1$|localhost$)/;

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export async function createEmbeddedBroker(o: EmbeddedOptions): Promise<BrokerLink> {
  const log = o.log.child({ stage: 'broker', broker: 'embedded' });
  let deliver: Deliver | null = null;
  let intakeOpen = true;
  const byDevice = new Map<string, Set<DeviceClient>>();

  const aedes = await Aedes.createBroker({
    authenticate(client: DeviceClient, username, password, done) {
      if (!intakeOpen) return done(authError('hub is shutting down', 5), false);
      if (!username || !password) {
        o.metrics.authFailures.inc({ reason: 'missing_credentials' });
        return done(authError('username (device id) and password (secret) are required', 4), false);
      }
      o.auth.check(username, password).then(
        (result) => {
          if (result === 'ok') {
            client.deviceId = username;
            return done(null, true);
          }
          o.metrics.authFailures.inc({ reason: result });
          log.info({ deviceId: username, reason: result }, 'device refused at connect');
          done(
            authError(
              result === 'revoked' ? 'device revoked' : 'bad device id or secret',
              result === 'revoked' ? 5 : 4,
            ),
            false,
          );
        },
        (err: Error) => {
          log.error({ err }, 'device authentication failed');
          done(authError('hub cannot check credentials now', 5), false);
        },
      );
    },
    // Ingest happens here rather than in `published`: aedes writes a QoS 1 PUBACK right after
    // this hook calls back (and before `published`), so holding the callback until the commit is
    // what makes the device's PUBACK mean "stored".
    authorizePublish(client: DeviceClient | null, packet, done) {
      if (!client) return done(null); // the hub's own receipts
      const t = parseTopic(packet.topic);
      if (!t || t.kind === 'receipts' || t.deviceId !== client.deviceId) {
        o.metrics.authFailures.inc({ reason: 'publish_denied' });
        log.warn(
          { deviceId: client.deviceId, topic: packet.topic },
          'publish outside own topics refused',
        );
        return done(
          new Error(
            `device ${client.deviceId} may publish only under ${topics.readings(client.deviceId ?? '')} and .../gatt/{uuid}`,
          ),
        );
      }
      if (!intakeOpen || !deliver) return; // no PUBACK: the device sends it again later
      o.metrics.delivered();
      deliver(
        {
          deviceId: t.deviceId,
          kind: t.kind,
          ...(t.kind === 'gatt' ? { uuid: t.uuid } : {}),
          payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
          receivedAt: new Date(),
        },
        () => done(null),
      );
    },
    authorizeSubscribe(client: DeviceClient, sub, done) {
      if (sub.topic === topics.receipts(client.deviceId ?? '')) return done(null, sub);
      o.metrics.authFailures.inc({ reason: 'subscribe_denied' });
      done(null, null); // SUBACK failure for this filter; the connection stays
    },
  });

  aedes.on('clientReady', (client: DeviceClient) => {
    if (!client.deviceId) return;
    let set = byDevice.get(client.deviceId);
    if (!set) byDevice.set(client.deviceId, (set = new Set()));
    set.add(client);
    o.metrics.connectedDevices.inc();
  });
  aedes.on('clientDisconnect', (client: DeviceClient) => {
    if (!client.deviceId) return;
    if (byDevice.get(client.deviceId)?.delete(client)) o.metrics.connectedDevices.dec();
  });
  aedes.on('clientError', (client: DeviceClient, err) => {
    log.debug({ deviceId: client.deviceId, err }, 'device connection error');
  });

  let server: Server;
  if (o.tls) {
    server = createTlsServer(
      { cert: readFileSync(o.tls.certFile), key: readFileSync(o.tls.keyFile), noDelay: true },
      aedes.handle,
    );
  } else {
    // no Nagle: a PUBACK or receipt is a few bytes, and waiting for the device's delayed TCP
    // ACK added ~40 ms to every QoS 1 round trip
    server = createTcpServer({ noDelay: true }, aedes.handle);
    if (!LOOPBACK.test(o.host)) {
      log.warn(
        { host: o.host },
        'embedded MQTT broker listens in clear text on a non-loopback address: device secrets cross the network unencrypted; set MQTT_TLS_CERT and MQTT_TLS_KEY',
      );
    }
  }
  let url = '';
  let serverClosed: Promise<void> | undefined;

  /** Receipts and notices, one message each, on the device's receipts topic. */
  function publishTo(deviceId: string, receipts: (Receipt | PatientNotice)[]) {
    const topic = topics.receipts(deviceId);
    for (const r of receipts) {
      aedes.publish(
        {
          cmd: 'publish',
          topic,
          payload: Buffer.from(JSON.stringify(r)),
          qos: 1,
          retain: false,
          dup: false,
        },
        () => {},
      );
    }
  }

  return {
    get url() {
      return url;
    },
    async start(d) {
      deliver = d;
      const port = await listen(server, o.port, o.host, 'MQTT_PORT');
      url = `${o.tls ? 'mqtts' : 'mqtt'}://${o.host}:${port}`;
      o.metrics.subscribed.set(1);
    },
    publishReceipts: (deviceId: string, receipts: Receipt[]) => publishTo(deviceId, receipts),
    notify: (deviceId: string, notice: PatientNotice) => publishTo(deviceId, [notice]),
    together: (fn) => fn(), // each device has its own connection: nothing to gather
    ready: () => server.listening && !aedes.closed,
    notReady: () => (server.listening && !aedes.closed ? null : 'broker not listening'),
    async stopIntake() {
      intakeOpen = false;
      o.metrics.subscribed.set(0);
      // Stop accepting; connected devices stay until close() so that they still get the
      // PUBACKs of what ingest commits meanwhile.
      serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    },
    deviceRevoked(deviceId: string) {
      o.auth.forget(deviceId);
      for (const client of byDevice.get(deviceId) ?? []) client.close();
    },
    async close() {
      intakeOpen = false;
      o.metrics.subscribed.set(0);
      serverClosed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await serverClosed;
    },
  };
}
