// The composition root: reads nothing itself, wires the stages from a Config. Tests create hubs
// here with their own config; main.ts adds the process concerns (signals, exit codes).
import { createServer, type Server as HttpServer } from 'node:http';
import type { Server } from 'node:net';
import { adminSocketPath, type Config } from './config.js';
import { serveAdminSocket } from './admin/socket.js';
import { createDeviceAuth } from './broker/deviceAuth.js';
import { createEmbeddedBroker } from './broker/embedded.js';
import { connectExternalBroker } from './broker/external.js';
import type { BrokerLink } from './broker/link.js';
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import { createHttpApp } from './http/app.js';
import { createRealtime, type Realtime } from './realtime/realtime.js';
import { mainThreadEvaluator, threadEvaluator } from './rules/evaluator.js';
import { alertView } from './alerts/views.js';
import { dashboardRouter } from './http/dashboard.js';
import { createSessions } from './auth/sessions.js';
import { createSignIn } from './auth/signIn.js';
import { createAlerts, type Alerts } from './alerts/lifecycle.js';
import { createIngest, type Ingest } from './ingest/pipeline.js';
import { createRuleRunner, type RuleRunner } from './rules/runner.js';
import type { StoredReading } from './shapes/reading.js';
import { assertPortFree, listen } from './ops/listen.js';
import { createLogger, type Logger } from './ops/log.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { openPglite, openPostgres, type Db } from './store/db.js';
import { migrate } from './store/migrate.js';
import { pruneRejected } from './store/readings.js';

const ESCALATION_CHECK_MS = 30_000;
const MISSED_CHECK_MS = 5 * 60_000;
const API_CONNECTIONS = 4;
const PRUNE_REJECTED_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

export interface Hub {
  config: Config;
  db: Db;
  broker: BrokerLink;
  ingest: Ingest;
  metrics: Metrics;
  log: Logger;
  /** Where things listen, for the start-up lines and for tests. */
  urls: { mqtt: string; http: string; adminSocket: string };
  mode: { database: 'postgres' | 'timescaledb' | 'pglite'; broker: 'embedded' | 'external' };
  alerts: Alerts;
  rules: RuleRunner;
  /** Live pushes to dashboards (its socket.io server knows the other hubs through the adapter). */
  realtime: Realtime;
  /** Subscribe to committed readings (rules, realtime). */
  onReadings(fn: (readings: StoredReading[]) => void): void;
  /** Stops intake, commits and acknowledges what is held, closes everything. */
  stop(): Promise<void>;
}

export async function startHub(config: Config, opts: { log?: Logger } = {}): Promise<Hub> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const metrics = createMetrics();
  const adminSocket = adminSocketPath(config);
  const cleanup: (() => Promise<unknown>)[] = [];
  const undo = async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => {});
  };

  try {
    await assertPortFree(config.HTTP_PORT, config.HTTP_HOST, 'HTTP_PORT');
    if (!config.MQTT_URL) await assertPortFree(config.MQTT_PORT, config.MQTT_HOST, 'MQTT_PORT');
    const db = config.DATABASE_URL
      ? // a connection for each commit lane and each patient the rules evaluate at once, and a
        // few for the API, realtime and timers, so that none of them waits on another's
        await openPostgres(config.DATABASE_URL, {
          max: config.INGEST_CONCURRENCY + config.RULES_CONCURRENCY + API_CONNECTIONS,
        })
      : await openPglite(config.DATA_DIR);
    cleanup.push(() => db.close());
    const migration = await migrate(db);
    if (migration.applied.length) log.info({ applied: migration.applied }, 'database migrated');

    const broker = config.MQTT_URL
      ? await connectExternalBroker({
          url: config.MQTT_URL,
          ...(config.MQTT_USERNAME ? { username: config.MQTT_USERNAME } : {}),
          ...(config.MQTT_PASSWORD ? { password: config.MQTT_PASSWORD } : {}),
          hubId: config.HUB_ID,
          receiveMaximum: config.MQTT_RECEIVE_MAXIMUM,
          sessionExpirySeconds: config.MQTT_SESSION_EXPIRY_S,
          group: config.MQTT_SHARE_GROUP,
          log,
          metrics,
        })
      : await createEmbeddedBroker({
          host: config.MQTT_HOST,
          port: config.MQTT_PORT,
          ...(config.MQTT_TLS_CERT && config.MQTT_TLS_KEY
            ? { tls: { certFile: config.MQTT_TLS_CERT, keyFile: config.MQTT_TLS_KEY } }
            : {}),
          auth: createDeviceAuth(db),
          log,
          metrics,
        });
    cleanup.push(() => broker.close());

    const alerts = createAlerts(db);
    const rules = createRuleRunner({
      db,
      alerts,
      log,
      concurrency: config.RULES_CONCURRENCY,
      notify: (deviceId, notice) => broker.notify(deviceId, notice),
      evaluator: config.RULES_THREAD === 'worker' ? threadEvaluator() : mainThreadEvaluator(),
    });
    cleanup.push(() => rules.close());
    const listeners: ((r: StoredReading[]) => void)[] =
      config.RULES === 'on' ? [(r) => rules.onReadings(r)] : [];
    // Escalation and re-measure expiry are claimed in the database, so every hub may run this
    // timer; so may the missed-measurement check, which skips what already has an open alert.
    const escalation = setInterval(() => {
      alerts
        .escalateDue(new Date())
        .catch((err: Error) => log.warn({ err }, 'escalation check failed'));
      if (config.RULES === 'on') {
        rules
          .expireRemeasures()
          .catch((err: Error) => log.warn({ err }, 're-measure check failed'));
      }
    }, ESCALATION_CHECK_MS);
    escalation.unref();
    const missed = setInterval(() => {
      if (config.RULES === 'off') return;
      rules
        .checkMissed()
        .catch((err: Error) => log.warn({ err }, 'missed-measurement check failed'));
    }, MISSED_CHECK_MS);
    missed.unref();
    // Rejected messages are pruned by age and per device (every hub may: deleting twice is harmless).
    const pruneRejectedNow = () =>
      pruneRejected(db, {
        before: new Date(Date.now() - config.REJECTED_RETENTION_DAYS * DAY_MS),
        perDevice: config.REJECTED_MAX_PER_DEVICE,
      }).catch((err: Error) => log.warn({ err }, 'pruning rejected messages failed'));
    const prune = setInterval(pruneRejectedNow, PRUNE_REJECTED_MS);
    prune.unref();
    void pruneRejectedNow();
    cleanup.push(async () => {
      clearInterval(escalation);
      clearInterval(missed);
      clearInterval(prune);
    });
    const ingest = createIngest({
      db,
      log,
      metrics,
      maxPayloadBytes: config.INGEST_MAX_PAYLOAD_BYTES,
      timeZone: config.TIME_ZONE,
      maxAgeDays: config.INGEST_MAX_AGE_DAYS,
      batchSize: config.INGEST_BATCH_SIZE,
      batchDelayMs: config.INGEST_BATCH_DELAY_MS,
      concurrency: db.kind === 'postgres' ? config.INGEST_CONCURRENCY : 1,
      publishReceipts: (deviceId, receipts) => broker.publishReceipts(deviceId, receipts),
      together: (fn) => broker.together(fn),
      onCommitted: (readings) => {
        for (const fn of listeners) {
          try {
            fn(readings);
          } catch (err) {
            log.error({ err }, 'reading listener failed');
          }
        }
      },
    });

    // Staff sessions: the API signs people in with them, and `sessions.viewerFromCookie` is
    // what a realtime handshake calls to learn who is connecting.
    const sessions = createSessions({
      db,
      idleTimeoutS: config.SESSION_IDLE_TIMEOUT_S,
      maxAgeS: config.SESSION_MAX_AGE_S,
    });
    const app = createHttpApp({
      metrics,
      trustProxy: config.TRUST_PROXY,
      api: {
        db,
        alerts,
        sessions,
        signIn: createSignIn({
          db,
          maxFailures: config.LOGIN_MAX_FAILURES,
          maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
          windowS: config.LOGIN_WINDOW_S,
        }),
        planChanged: (id) => rules.planChanged(id),
        deviceRevoked: (id) => broker.deviceRevoked(id),
        log,
        now: () => new Date(),
      },
      readiness: {
        database: async () => {
          await db.query('SELECT 1');
        },
        // connected is not enough: the broker must have granted this connection's subscription
        broker: async () => {
          const why = broker.notReady();
          if (why) throw new Error(why);
        },
      },
    });
    app.use(dashboardRouter());
    const http: HttpServer = createServer(app);
    // Several hubs share pushes through PostgreSQL (LISTEN/NOTIFY) in services mode.
    const adapterPool = config.DATABASE_URL
      ? new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 })
      : null;
    adapterPool?.on('error', (err) => log.warn({ err }, 'realtime adapter error'));
    // the adapter holds a LISTEN client out of the pool: a database blip must not crash the hub
    adapterPool?.on('connect', (client) =>
      client.on('error', (err) => log.warn({ err }, 'realtime adapter connection lost')),
    );
    if (adapterPool) cleanup.push(() => adapterPool.end());
    const realtime = createRealtime({
      http,
      db,
      alerts,
      log,
      authenticate: (cookie) => sessions.viewerFromCookie(cookie),
      // pushes carry the alert as the API shows it, so dashboards need not fetch each one
      alertView: alertView(db, () => new Date()),
      ...(adapterPool ? { adapter: createAdapter(adapterPool) } : {}),
    });
    cleanup.push(() => realtime.close());
    listeners.push((r) => realtime.onReadings(r));
    const httpPort = await listen(http, config.HTTP_PORT, config.HTTP_HOST, 'HTTP_PORT');
    cleanup.push(() => closeServer(http));

    const admin = await serveAdminSocket(
      adminSocket,
      {
        db,
        alerts,
        onDeviceRevoked: (id) => broker.deviceRevoked(id),
        onPlanChanged: (id) => rules.planChanged(id),
      },
      log,
    );
    cleanup.push(() => closeServer(admin));

    await broker.start((msg, ack) => ingest.submit(msg, ack));

    const hub: Hub = {
      config,
      db,
      broker,
      ingest,
      metrics,
      log,
      urls: { mqtt: broker.url, http: `http://${config.HTTP_HOST}:${httpPort}`, adminSocket },
      mode: {
        database:
          db.kind === 'pglite' ? 'pglite' : migration.timescale ? 'timescaledb' : 'postgres',
        broker: config.MQTT_URL ? 'external' : 'embedded',
      },
      alerts,
      rules,
      realtime,
      onReadings: (fn) => listeners.push(fn),
      async stop() {
        clearInterval(escalation);
        clearInterval(missed);
        clearInterval(prune);
        await broker.stopIntake();
        await ingest.close();
        await rules.idle();
        await rules.close();
        await closeServer(admin);
        // socket.io closes the HTTP server too; closeServer also drops idle keep-alive sockets
        await Promise.all([realtime.close(), closeServer(http)]);
        // a LISTEN client lost in an outage is never released: do not wait on it for ever
        if (adapterPool) {
          await Promise.race([adapterPool.end(), new Promise((r) => setTimeout(r, 2000).unref())]);
        }
        await broker.close();
        await db.close();
      },
    };
    return hub;
  } catch (err) {
    await undo();
    throw err;
  }
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}
