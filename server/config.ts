// The hub's configuration, read from the environment once at start and typed from its schema.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MAX_AGE_DAYS } from '../devices/contract.js';
import { timeZoneSchema } from '../devices/timeZone.js';
import { DEFAULT_ESCALATION, escalationMinutesSchema } from './alerts/escalationLimits.js';
import { trustProxySchema } from './http/trustProxy.js';

const port = z.coerce.number().int().min(0).max(65535);
const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((u) => protocols.some((p) => u.startsWith(p)), {
      message: `must start with ${protocols.join(' or ')}`,
    });

export const configSchema = z.object({
  /** PostgreSQL (TimescaleDB when present). Absent: embedded PGlite in DATA_DIR. */
  DATABASE_URL: url(['postgres://', 'postgresql://']).optional(),
  /** External broker. Absent: the embedded aedes broker on MQTT_PORT. */
  MQTT_URL: url(['mqtt://', 'mqtts://', 'tcp://', 'tls://', 'ws://', 'wss://']).optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  MQTT_PORT: port.default(1883),
  MQTT_HOST: z.string().default('127.0.0.1'),
  /** Serve MQTT over TLS from the embedded broker when both are set (PEM files). */
  MQTT_TLS_CERT: z.string().optional(),
  MQTT_TLS_KEY: z.string().optional(),
  HTTP_PORT: port.default(8080),
  HTTP_HOST: z.string().default('127.0.0.1'),
  /**
   * Reverse proxies whose X-Forwarded-For names the client (the audit log's "from where", the
   * sign-in limit per address): addresses, subnets, loopback/linklocal/uniquelocal, or a number
   * of hops. Unset: none, the address is the TCP peer's. See server/http/trustProxy.ts.
   */
  TRUST_PROXY: trustProxySchema.default(false),
  /** Embedded database and the admin socket live here; `memory` keeps the database in memory. */
  DATA_DIR: z.string().default('./data'),
  /** Where the admin CLI reaches a running hub; defaults to DATA_DIR/hub.sock. */
  ADMIN_SOCKET: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Names this hub process among several sharing one broker (its MQTT session). */
  HUB_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default('hub-1'),
  /** Local time zone for device clocks that carry none (GATT time stamps). */
  TIME_ZONE: timeZoneSchema.default('Europe/Stockholm'),
  INGEST_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /**
   * How long a partial batch waits for company. At thousands of readings a second a commit then
   * holds a few hundred, over which PostgreSQL's work for the statement and its commit is spread:
   * 20 ms against 5 cut the database's CPU a reading by 10-25 % (docs/benchmarks.md). When it is
   * quiet, a reading waits up to 20 ms.
   */
  INGEST_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(20),
  /**
   * How old a reading may be when it arrives, in days; older ones (and any measured before
   * 2000) are refused with `old_timestamp`. Five years: a gateway's backlog is days, and a
   * device whose clock reads 1970 or year 0001 must not write into the patient's record.
   */
  INGEST_MAX_AGE_DAYS: z.coerce.number().int().min(1).default(DEFAULT_MAX_AGE_DAYS),
  /** Rejected messages are kept this many days for support to read, then deleted. */
  REJECTED_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  /** ... and at most this many a device, its newest (a device sending garbage fills nothing). */
  REJECTED_MAX_PER_DEVICE: z.coerce.number().int().min(1).default(1000),
  /** Batches committing at once on PostgreSQL (PGlite has one connection, so one there). */
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  /** Hubs in one shared-subscription group split the device traffic between them. */
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .default('hub'),
  /** How long the broker keeps a hub's session (and queues its share) while it is away. */
  MQTT_SESSION_EXPIRY_S: z.coerce.number().int().min(0).default(86_400),
  /** Unacknowledged messages the external broker may send to this hub at once. */
  MQTT_RECEIVE_MAXIMUM: z.coerce.number().int().min(1).max(65535).default(2000),
  /** Evaluate rules and raise alerts on ingest; off measures the ingest spine alone. */
  RULES: z.enum(['on', 'off']).default('on'),
  /**
   * Minutes an open alert nobody acknowledges waits at each level before it escalates (fixed
   * care contact -> care unit -> on-call unit), by severity: `critical=15,high=60,medium=240`
   * (the defaults; one left out keeps its own). Low alerts, late findings among them, never
   * escalate. Down to 0.05 (3 s) so that `npm run demo` shows the on-call step in seconds.
   */
  ESCALATION_MINUTES: escalationMinutesSchema.default({ ...DEFAULT_ESCALATION }),
  /** Patients the rules evaluate at once; bounded so they leave the ingest its connections. */
  RULES_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /**
   * Where the rules judge: `worker`, a thread of their own, or `main`, the hub's thread (which
   * runs the ingest, and in embedded mode the broker too; docs/benchmarks.md).
   */
  RULES_THREAD: z.enum(['main', 'worker']).default('worker'),
  /**
   * How far the heap may grow past the live set, in percent (server/ops/heap.ts); 0: V8's
   * choice. Unset: 50 in services mode, V8's choice in embedded mode (heapGrowthPercent).
   */
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(1000).optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** A staff session ends after this long without a request (seconds). */
  SESSION_IDLE_TIMEOUT_S: z.coerce
    .number()
    .int()
    .min(1)
    .default(30 * 60),
  /** ... and this long after sign-in whatever happens (seconds): a shift, not a week. */
  SESSION_MAX_AGE_S: z.coerce
    .number()
    .int()
    .min(1)
    .default(12 * 60 * 60),
  /** Failed sign-ins for one username within LOGIN_WINDOW_S before it is refused for a while. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** ... and from one address (a ward's shared PC tries many names, so more). */
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_WINDOW_S: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  /**
   * Check every JSON answer of the staff API against its documented schema and statuses; one
   * that differs is logged and answered 500 (server/http/api/responseCheck.ts). On in every
   * test hub, so that a test meeting an undocumented answer fails; off in production.
   */
  API_CHECK_RESPONSES: z.stringbool().default(false),
  /**
   * The SMTP server that mails notifications (server/notify/email.ts): the person on call when an
   * alert escalates to them, a unit's admins when nobody is on call. `smtps://` for TLS from the
   * start; credentials in the URL (`smtp://user:password@host:587`). Unset: no email is sent.
   */
  SMTP_URL: url(['smtp://', 'smtps://']).optional(),
  /** The sender of notifications, `address` or `Name <address>`; needed with SMTP_URL. */
  NOTIFY_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/, 'an address or Name <address>')
    .optional(),
  /**
   * Where people reach the dashboard (behind a proxy, its public address): the links in
   * notifications. Unset: the hub's own HTTP address.
   */
  PUBLIC_URL: url(['http://', 'https://']).optional(),
  /**
   * Web Push to the dashboard (server/notify/webPush.ts): the hub's VAPID key pair, base64url,
   * as `npx web-push generate-vapid-keys` prints it, and who runs it (`mailto:` or `https:`), for
   * the push services. All three or none; unset: no push notifications.
   */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{80,100}$/, 'a base64url P-256 public key')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{40,50}$/, 'a base64url P-256 private key')
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'mailto:address or https:// URL')
    .optional(),
});
export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; a bad value throws one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(configSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = configSchema.safeParse(picked);
  if (parsed.success) {
    const c = parsed.data;
    if (Boolean(c.MQTT_TLS_CERT) !== Boolean(c.MQTT_TLS_KEY)) {
      throw new ConfigError('MQTT_TLS_CERT and MQTT_TLS_KEY: set both or neither');
    }
    const vapid = [c.VAPID_PUBLIC_KEY, c.VAPID_PRIVATE_KEY, c.VAPID_SUBJECT].filter(Boolean).length;
    if (vapid !== 0 && vapid !== 3) {
      throw new ConfigError(
        'VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT: set all three or none',
      );
    }
    if (c.SMTP_URL && !c.NOTIFY_FROM) {
      throw new ConfigError('NOTIFY_FROM: needed with SMTP_URL (the sender of notifications)');
    }
    return c;
  }
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  const got = env[name];
  throw new ConfigError(
    `${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(redact(name, got))})`}`,
  );
}

function redact(name: string, value: string): string {
  if (/PASSWORD|SECRET|KEY/.test(name)) return '***';
  if (name.endsWith('_URL')) return value.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
  return value;
}

export function adminSocketPath(c: Config): string {
  if (c.ADMIN_SOCKET) return c.ADMIN_SOCKET;
  return c.DATA_DIR === 'memory'
    ? join(tmpdir(), `telehealth-${c.HUB_ID}-${process.pid}.sock`)
    : join(c.DATA_DIR, 'hub.sock');
}
