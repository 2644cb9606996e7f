// The composition root: reads nothing itself, wires the stages from a Config. Tests create hubs
// here with their own config; main.ts adds the process concerns (signals, exit codes).
// It starts the hub in named steps (boot.ts), each registering what undoes it: a failed start
// and stop() unwind through that one list (docs/architecture.md, "Boot and shutdown").
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
import { startInSteps } from './boot.js';
import { dashboardRouter } from './http/dashboard.js';
import { createSessions } from './auth/sessions.js';
import { createSignIn } from './auth/signIn.js';
import { createAlerts, type Alerts } from './alerts/lifecycle.js';
import { escalationCheckMs, startEscalationTimer } from './alerts/escalationTimer.js';
import { emailNotifier } from './notify/email.js';
import { webPushNotifier } from './notify/webPush.js';
import type { Notifier } from './notify/notifier.js';
import { startOnCallNotifications } from './notify/onCall.js';
import { createIngest, type Ingest } from './ingest/pipeline.js';
import { createRuleRunner, type RuleRunner } from './rules/runner.js';
import { startRuleTimers } from './rules/timers.js';
import type { StoredReading } from './shapes/reading.js';
import { assertPortFree, listen } from './ops/listen.js';
import { createLogger, type Logger } from './ops/log.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { openPglite, openPostgres, type Db } from './store/db.js';
import { migrate } from './store/migrate.js';
import { startPruning } from './store/readings.js';

const API_CONNECTIONS = 4;
/** A LISTEN client lost in a database outage is never released: the pool's end waits no longer. */
const ADAPTER_POOL_END_MS = 2_000;

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
  /**
   * Stops intake, commits and acknowledges what is held, lets the rules finish, closes
   * everything (the broker and the database last). Runs once; later calls wait for the first.
   */
  stop(): Promise<void>;
}

export async function startHub(config: Config, opts: { log?: Logger } = {}): Promise<Hub> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const metrics = createMetrics();
  const adminSocket = adminSocketPath(config);

  return startInSteps(log, async (step, stop) => {
    // fails fast, before the slow work, when a fixed port is taken
    await step('ports', async () => {
      await assertPortFree(config.HTTP_PORT, config.HTTP_HOST, 'HTTP_PORT');
      if (!config.MQTT_URL) await assertPortFree(config.MQTT_PORT, config.MQTT_HOST, 'MQTT_PORT');
    });

    const { db, migration } = await step('store', async (s) => {
      const db = config.DATABASE_URL
        ? // a connection for each commit lane and each patient the rules evaluate at once, and a
          // few for the API, realtime and timers, so that none of them waits on another's
          await openPostgres(config.DATABASE_URL, {
            max: config.INGEST_CONCURRENCY + config.RULES_CONCURRENCY + API_CONNECTIONS,
          })
        : await openPglite(config.DATA_DIR);
      s.close(() => db.close());
      const migration = await migrate(db);
      if (migration.applied.length) log.info({ applied: migration.applied }, 'database migrated');
      return { db, migration };
    });

    // connected (external) or made (embedded), but taking no messages until the intake step
    const broker = await step('broker', async (s) => {
      const broker: BrokerLink = config.MQTT_URL
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
      s.close(() => broker.close());
      return broker;
    });

    // before ingest, which hands it committed readings: it finishes after ingest has drained
    const { alerts, rules } = await step('rules', (s) => {
      const alerts = createAlerts(db, { limits: config.ESCALATION_MINUTES });
      const rules = createRuleRunner({
        db,
        alerts,
        log,
        concurrency: config.RULES_CONCURRENCY,
        notify: (deviceId, notice) => broker.notify(deviceId, notice),
        evaluator: config.RULES_THREAD === 'worker' ? threadEvaluator() : mainThreadEvaluator(),
      });
      s.drain(() => rules.idle());
      s.close(() => rules.close()); // the evaluator's thread, if it has one
      return { alerts, rules };
    });

    // Who is told when an alert reaches the on-call level (an email to the person on call; the
    // alert that nobody is). Before the timers that escalate, and drained after them.
    let publicUrl = config.PUBLIC_URL ?? '';
    await step('notify', (s) => {
      const notifiers: Notifier[] = [];
      if (config.SMTP_URL && config.NOTIFY_FROM) {
        notifiers.push(emailNotifier({ smtpUrl: config.SMTP_URL, from: config.NOTIFY_FROM }));
      }
      if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY && config.VAPID_SUBJECT) {
        const vapid = {
          subject: config.VAPID_SUBJECT,
          publicKey: config.VAPID_PUBLIC_KEY,
          privateKey: config.VAPID_PRIVATE_KEY,
        };
        notifiers.push(webPushNotifier({ db, vapid }));
      }
      s.drain(
        startOnCallNotifications({ db, alerts, notifiers, publicUrl: () => publicUrl, log }),
        {
          label: 'notifications',
        },
      );
    });

    const listeners: ((r: StoredReading[]) => void)[] =
      config.RULES === 'on' ? [(r) => rules.onReadings(r)] : [];
    const ingest = await step('ingest', (s) => {
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
      s.drain(() => ingest.close()); // commits and acknowledges what it holds
      return ingest;
    });

    // Each domain's own timers; every hub may run them (each says why). Their stop waits for a
    // check going, so none is left querying the database as it closes.
    await step('timers', (s) => {
      s.drain(
        startEscalationTimer(alerts, log, {
          everyMs: escalationCheckMs(config.ESCALATION_MINUTES),
        }),
        { label: 'escalation' },
      );
      if (config.RULES === 'on') s.drain(startRuleTimers(rules, log), { label: 'rules' });
      s.drain(
        startPruning(
          db,
          {
            retentionDays: config.REJECTED_RETENTION_DAYS,
            perDevice: config.REJECTED_MAX_PER_DEVICE,
          },
          log,
        ),
        { label: 'pruning' },
      );
    });

    // The API and its server; it listens once realtime is attached to it.
    const { http, sessions } = await step('http', (s) => {
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
          pushPublicKey: config.VAPID_PUBLIC_KEY,
          planChanged: (id) => rules.planChanged(id),
          deviceRevoked: (id) => broker.deviceRevoked(id),
          log,
          now: () => new Date(),
          checkResponses: config.API_CHECK_RESPONSES,
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
      // after realtime's closer, which closes it with socket.io, this finds it closed
      s.close(() => closeServer(http));
      return { http, sessions };
    });

    const realtime = await step('realtime', (s) => {
      // Several hubs share pushes through PostgreSQL (LISTEN/NOTIFY) in services mode.
      const adapterPool = config.DATABASE_URL
        ? new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 })
        : null;
      if (adapterPool) {
        adapterPool.on('error', (err) => log.warn({ err }, 'realtime adapter error'));
        // the adapter holds a LISTEN client out of the pool: a database blip must not crash the hub
        adapterPool.on('connect', (client) =>
          client.on('error', (err) => log.warn({ err }, 'realtime adapter connection lost')),
        );
        s.close(() => adapterPool.end(), { label: 'adapter pool', limitMs: ADAPTER_POOL_END_MS });
      }
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
      // socket.io closes the HTTP server too, and waits for its connections; closeServer drops
      // the idle keep-alive ones meanwhile, so the two close together
      s.close(() => Promise.all([realtime.close(), closeServer(http)]), { label: 'with http' });
      listeners.push((r) => realtime.onReadings(r));
      return realtime;
    });

    // the server's closers are the http and realtime steps' (socket.io must close with it)
    const httpPort = await step('http listen', () =>
      listen(http, config.HTTP_PORT, config.HTTP_HOST, 'HTTP_PORT'),
    );
    publicUrl ||= `http://${config.HTTP_HOST}:${httpPort}`;

    await step('admin socket', async (s) => {
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
      s.close(() => closeServer(admin));
    });

    // Last to open, first to stop: devices' messages reach ingest only once all else is up.
    await step('intake', async (s) => {
      await broker.start((msg, ack) => ingest.submit(msg, ack));
      s.drain(() => broker.stopIntake());
    });

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
      stop,
    };
    return hub;
  });
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}
