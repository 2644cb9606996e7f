// The realtime stage: alert changes and new readings pushed to the dashboards of the people
// whose care units follow the patient, over socket.io. A signed-in person's socket joins one
// room per clinical care unit; every push goes to the rooms of the units following its patient,
// so a socket never receives a patient outside its units; an alert escalated to an on-call
// unit is pushed to that unit's room too, as the API shows it to them (server/access/scope.ts).
// Across several hubs the socket.io
// adapter (PostgreSQL in services mode) carries each push to the sockets of the other hubs.
// After a reconnect a dashboard asks to `resume` from the last alert sequence number it saw.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  resumeSchema,
  type AlertEvent,
  type ClientToServerEvents,
  type LiveReadingItem,
  type ServerToClientEvents,
} from '../../contract/realtime.js';
import type { Alert } from '../../contract/alerts.js';
import type { AlertChange, Alerts } from '../alerts/lifecycle.js';
import { grantedAlertIds, grantedUnits } from '../alerts/views.js';
import { readingValues, type StoredReading } from '../shapes/reading.js';
import type { Logger } from '../ops/log.js';
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../auth/sessions.js';
import { clinicalUnitIds, unitsFollowing, visiblePatientIds } from '../access/scope.js';

export interface RealtimeDeps {
  http: HttpServer;
  db: Queryable;
  alerts: Alerts;
  log: Logger;
  /** The signed-in person behind a Cookie header, or null. */
  authenticate(cookieHeader: string | undefined): Promise<Viewer | null>;
  /**
   * The alert as the API shows it, for the push (server/http/api/alerts.ts `alertView`); without
   * it, or when it answers null, the push carries `alert: null` and the dashboard fetches it.
   */
  alertView?(alertId: string): Promise<Alert | null>;
  /** socket.io adapter for several hub processes (PostgreSQL in services mode). */
  adapter?: Parameters<Server['adapter']>[0];
  /** How often open sockets are checked against their session (sign-out, expiry). */
  recheckMs?: number;
  /** How long committed readings gather before they are pushed, one message per unit. */
  readingsFlushMs?: number;
}

const UNITS_TTL_MS = 60_000;
/**
 * Readings are pushed a quarter of a second at most after their commit, gathered per unit: with
 * several hubs every push is a round through PostgreSQL (pg_notify, and over 8 kB a row in the
 * adapter's table), and one per commit at thousands of readings a second queued up behind the
 * adapter's connections and held the hub's memory. Alerts are pushed at once.
 */
const READINGS_FLUSH_MS = 250;

const room = (unitId: string) => `unit:${unitId}`;

export function createRealtime(d: RealtimeDeps) {
  const log = d.log.child({ stage: 'realtime' });
  const io = new Server<ClientToServerEvents, ServerToClientEvents, object, SocketData>(d.http, {
    path: '/socket.io',
    serveClient: false,
    // same origin only: the dashboard is served by the hub itself
    cors: { origin: false },
  });
  if (d.adapter) io.adapter(d.adapter);

  /**
   * Whether a push could reach anyone: a dashboard open on this hub, or another hub (the adapter
   * knows the others from their heartbeats, sent as they start and every few seconds) whose
   * dashboards may follow the patient. With nobody there a hub prepares nothing: the alert's
   * view is a query, and a readings push through the adapter a round through PostgreSQL, for
   * every change and every quarter second. A dashboard that opens later loads what it shows
   * and then resumes.
   */
  const anyoneHere = () => io.of('/').sockets.size > 0;
  /** Without asking the adapter: false when surely nobody is listening. */
  const mayBeListening = () => !!d.adapter || anyoneHere();
  const anyoneListening = async () =>
    anyoneHere() || (!!d.adapter && (await io.of('/').adapter.serverCount()) > 1);

  const followers = new Map<string, { units: string[]; until: number }>();
  /** The care units following a patient (cached briefly: pushes happen per reading). */
  const cachedFollowers = (patientId: string, now = Date.now()) => {
    const hit = followers.get(patientId);
    return hit && hit.until > now ? hit.units : undefined;
  };
  async function followersOf(patientId: string): Promise<string[]> {
    const hit = cachedFollowers(patientId);
    if (hit) return hit;
    const units = ((await unitsFollowing(d.db, [patientId])).get(patientId) ?? []).map((u) => u.id);
    followers.set(patientId, { units, until: Date.now() + UNITS_TTL_MS });
    return units;
  }

  io.use((socket, next) => {
    d.authenticate(socket.handshake.headers.cookie).then(
      (viewer) => {
        if (!viewer) return next(new Error('unauthenticated'));
        socket.data.viewer = viewer;
        next();
      },
      (err: Error) => next(new Error(`authentication failed: ${err.message}`)),
    );
  });

  io.on('connection', (socket: HubSocket) => {
    const viewer = socket.data.viewer!;
    void socket.join(clinicalUnitIds(viewer).map(room));
    socket.on('resume', (raw: unknown) => {
      resume(socket, viewer, raw).catch((err: Error) => {
        log.warn({ err }, 'resume failed');
        socket.emit('error', { code: 'resume_failed', message: err.message });
      });
    });
  });

  async function resume(socket: HubSocket, viewer: Viewer, raw: unknown) {
    const parsed = resumeSchema.safeParse(raw);
    if (!parsed.success) {
      socket.emit('error', {
        code: 'invalid',
        message: 'resume takes { sinceSeq: a whole number >= 0 }',
        field: 'sinceSeq',
      });
      return;
    }
    const visible = new Set(await visiblePatientIds(d.db, viewer));
    const grantee = { id: viewer.id, clinicalUnitIds: clinicalUnitIds(viewer) };
    const granted = await grantedAlertIds(d.db, grantee, new Date());
    let seq = parsed.data.sinceSeq;
    for (;;) {
      const changes = await d.alerts.changesSince(seq, 500);
      for (const change of changes) {
        if (visible.has(change.patientId) || granted.has(change.alertId)) {
          socket.emit('alert', await payload(change));
        }
      }
      if (changes.length) seq = changes.at(-1)!.seq;
      if (changes.length < 500) break;
    }
    socket.emit('resumed', { seq });
  }

  async function payload(change: AlertChange): Promise<AlertEvent> {
    return { change, alert: d.alertView ? ((await d.alertView(change.alertId)) ?? null) : null };
  }

  // Each push is prepared at once (units, the alert view: a query each) but sent in the order
  // of the changes: prepared concurrently, a later change could otherwise overtake an earlier
  // one, and a dashboard resumes from the highest seq it saw.
  let sent: Promise<void> = Promise.resolve();
  /** The on-call units an alert was granted to: its changes go to their rooms too. */
  const unitsGranted = grantedUnits(d.db);
  const onChange = (change: AlertChange) => {
    if (!mayBeListening()) return;
    const ready = anyoneListening().then((yes) =>
      yes
        ? Promise.all([
            followersOf(change.patientId),
            unitsGranted(change.alertId),
            payload(change),
          ])
        : null,
    );
    sent = sent
      .then(() => ready)
      .then((prepared) => {
        if (!prepared) return;
        const [followers, granted, event] = prepared;
        const units = [...new Set([...followers, ...granted])];
        if (units.length) io.to(units.map(room)).emit('alert', event);
      })
      .catch((err: Error) => log.warn({ err }, 'alert push failed'));
  };
  d.alerts.events.on('change', onChange);

  // A signed-out or expired session must not keep receiving patient data.
  const recheck = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      d.authenticate(socket.handshake.headers.cookie).then(
        (viewer) => {
          if (!viewer) socket.disconnect(true);
        },
        () => {},
      );
    }
  }, d.recheckMs ?? 60_000);
  recheck.unref();

  // Per patient and type, the newest reading since the last push and how many came: the list
  // and the open patient view need the newest, and a chart that was sent fewer readings than
  // were committed reloads its series. A push so stays as small as the unit's patients x types
  // whatever the rate (a gateway's backlog, or the benchmark's 16,000/s that once sent half a
  // megabyte through the adapter's table four times a second). Gathered per patient, a reading
  // costs two look-ups; the units following each patient are found once per push.
  let gathered = new Map<string, Map<string, { newest: StoredReading; count: number }>>();
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let closed = false;

  async function flushReadings() {
    flushTimer = null;
    const held = gathered;
    gathered = new Map();
    if (!held.size || !(await anyoneListening())) return;
    const byUnit = new Map<string, LiveItem[]>();
    const now = Date.now();
    for (const [patientId, types] of held) {
      const units = cachedFollowers(patientId, now) ?? (await followersOf(patientId));
      for (const unit of units) {
        let items = byUnit.get(unit);
        if (!items) byUnit.set(unit, (items = []));
        for (const { newest, count } of types.values()) items.push(liveItem(newest, count));
      }
    }
    for (const [unit, items] of byUnit) io.to(room(unit)).emit('readings', { items });
  }

  function gather(readings: StoredReading[]) {
    for (const r of readings) {
      let types = gathered.get(r.patientId);
      if (!types) gathered.set(r.patientId, (types = new Map()));
      const h = types.get(r.type);
      if (!h) types.set(r.type, { newest: r, count: 1 });
      else {
        h.count++;
        if (h.newest.measuredAt < r.measuredAt) h.newest = r;
      }
    }
    flushSoon(d.readingsFlushMs ?? READINGS_FLUSH_MS);
  }

  function flushSoon(delayMs: number) {
    flushTimer ??= setTimeout(() => {
      flushing = flushing
        .then(flushReadings)
        .catch((err: Error) => log.warn({ err }, 'reading push failed'));
    }, delayMs);
  }

  return {
    io,
    /** Pushes committed readings to the units following each patient (gathered, see above). */
    onReadings(readings: StoredReading[]) {
      if (anyoneHere()) return gather(readings);
      // With no dashboard here, gathered only once the adapter knows of another hub (from its
      // heartbeats): a hub alone held every reading a quarter of a second for nobody.
      if (d.adapter) {
        anyoneListening().then(
          (yes) => yes && !closed && gather(readings),
          () => {},
        );
      }
    },
    async close() {
      closed = true;
      clearInterval(recheck);
      if (flushTimer) clearTimeout(flushTimer);
      await flushing;
      await flushReadings().catch((err: Error) => log.warn({ err }, 'reading push failed'));
      d.alerts.events.off('change', onChange);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
    },
  };
}
export type Realtime = ReturnType<typeof createRealtime>;

/** One item of a `readings` push (docs/api.md): a patient's newest reading of a type, and how
 * many of that type were committed since the last push. */
type LiveItem = LiveReadingItem;

/** What a socket carries: the signed-in person, set at the handshake. */
interface SocketData {
  viewer?: Viewer;
}
type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, object, SocketData>;

const liveItem = (r: StoredReading, count: number): LiveItem => ({
  patientId: r.patientId,
  reading: { type: r.type, ...readingValues(r, r.measuredAt) },
  count,
});
