// The scenario runner: lives a registered scenario against a running hub over MQTT, exactly as
// homes do. Simulated time runs from `days` before the start of the run up to it (the hub takes
// no time stamps from the future), `acceleration` times faster than real time, or as fast as
// the hub takes it ('max': step by step, each step's receipts awaited). Events (a gateway
// offline, a device revoked, faults) happen at their simulated hour; an acute exacerbation is
// the physiology's (registered with the patient), and the runner only says when it comes. It
// records the ground truth: each patient's episodes, what was measured, sent, refused and left
// undelivered.
import type { Receipt } from '../../devices/contract.js';
import { applyFault, expectedStatus, type Fault } from '../devices/faults.js';
import { HomeGateway, type GatewayOptions } from '../devices/gateway.js';
import {
  createVirtualDevice,
  deviceKindFor,
  type DeviceKind,
  type VirtualDevice,
} from '../devices/kinds.js';
import type { Outbound } from '../devices/messages.js';
import type { Episode, SimMeasurement } from '../patients/types.js';
import type { Admin } from './admin.js';
import type { RegisteredPatient, RegisteredScenario } from './register.js';
import type { Scenario } from './schema.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Simulated time per step when running as fast as the hub takes it. */
const MAX_STEP_MS = 6 * HOUR;
/** Days a live run (the demo) goes on after its span; patients are created for them too. */
export const LIVE_DAYS = 30;

/**
 * Local days a scenario's patients are created for: the history, the span and the live days,
 * whether or not this run goes on live. The physiology makes whole local days from the first
 * one's midnight, so without the days after it the span's last hours (after local midnight,
 * where it ends) were never measured; and the episodes are drawn over all of them, so a run
 * that stops at the end of the span (`npm run scenario:quality`) lives the same patients as the
 * live one (`npm run demo`).
 */
export const patientDays = (s: Scenario): number => Math.ceil(s.historyDays + s.days) + LIVE_DAYS;
/** Real time between steps of an accelerated or live run. */
const TICK_MS = 250;

export interface PatientTruth {
  key: string;
  displayName: string;
  profile: string;
  seed: number;
  unitKey: string;
  patientId: string;
  deviceId: string;
  transport: string;
  /** Who deteriorates, from when: the physiology's own record. */
  episodes: {
    kind: Episode['kind'];
    start: string;
    peak: string;
    end: string;
    weightGainKg: number;
  }[];
  offline: { from: string; to: string }[];
  revokedAt: string | null;
  /** Measurements taken in the simulated span so far. */
  measured: number;
  /** Faults injected, with the receipt the hub should give. */
  faults: { fault: Fault['kind']; messageId: string; measuredAt: string; expected: string }[];
  receipts: Record<Receipt['status'], number>;
  /** Repeat measurements the hub asked for (a borderline value), and reminders received. */
  remeasured: number;
  reminders: number;
  /** Messages still held by the gateway (offline, or refused by the hub). */
  undelivered: number;
  /** The gateway's attempts after the hub refused it, and the waits between them (ms). */
  refusals: number;
  backoffsMs: number[];
}

export interface ScenarioTruth {
  scenario: string;
  seed: number;
  start: string;
  end: string;
  acceleration: number | 'max';
  patients: PatientTruth[];
}

export interface RunOptions {
  mqttUrl: string;
  admin: Admin;
  /** Start of the lived span (after the history); it ends `days` later, at most now. */
  start: Date;
  gateway?: Partial<Omit<GatewayOptions, 'url' | 'deviceId' | 'secret'>>;
  /** Told about each event as it happens (for the demo's output). */
  onEvent?: (line: string) => void;
}

interface Home {
  reg: RegisteredPatient;
  gateway: HomeGateway;
  devices: Map<DeviceKind, VirtualDevice>;
  /** Loaded on first use: the whole span (and the live days after it) at once. */
  measurements: SimMeasurement[] | null;
  next: number;
  seq: number;
  faults: { fault: Fault; remaining: number }[];
  /** What each clean message measured, to repeat it when the hub asks. */
  sentMeasurements: Map<string, SimMeasurement>;
  noticesSeen: number;
  truth: PatientTruth;
}

interface TimedAction {
  at: number;
  label: string;
  run(): Promise<void>;
}

export interface ScenarioRun {
  /** Resolves with the ground truth once the span is lived (a live run: once stopped). */
  readonly done: Promise<ScenarioTruth>;
  /** The simulated clock now. */
  simNow(): Date;
  /** The ground truth so far. */
  truth(): ScenarioTruth;
  readonly gateways: ReadonlyMap<string, HomeGateway>;
  stop(): Promise<ScenarioTruth>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (d: Date) => d.toISOString();

export function runScenario(s: Scenario, reg: RegisteredScenario, o: RunOptions): ScenarioRun {
  const start = o.start.getTime();
  const end = start + s.days * DAY;
  const historyStart = start - s.historyDays * DAY;
  const say = o.onEvent ?? (() => {});
  const homes = new Map<string, Home>();

  for (const p of reg.patients) {
    const gateway = new HomeGateway({
      url: o.mqttUrl,
      deviceId: p.deviceId,
      secret: p.secret,
      ...o.gateway,
    });
    const devices = new Map<DeviceKind, VirtualDevice>();
    const truth: PatientTruth = {
      key: p.key,
      displayName: p.displayName,
      profile: p.profile,
      seed: p.seed,
      unitKey: p.unitKey,
      patientId: p.patientId,
      deviceId: p.deviceId,
      transport: p.transport,
      episodes: p.patient.truth.episodes.map((e) => ({
        kind: e.kind,
        start: iso(e.start),
        peak: iso(e.peak),
        end: iso(e.end),
        weightGainKg: e.weightGainKg,
      })),
      offline: [],
      revokedAt: null,
      measured: 0,
      faults: [],
      remeasured: 0,
      reminders: 0,
      receipts: { accepted: 0, duplicate: 0, rejected: 0 },
      undelivered: 0,
      refusals: 0,
      backoffsMs: [],
    };
    homes.set(p.key, {
      reg: p,
      gateway,
      devices,
      measurements: null,
      next: 0,
      seq: 0,
      faults: [],
      sentMeasurements: new Map(),
      noticesSeen: 0,
      truth,
    });
  }

  const actions: TimedAction[] = [];
  for (const e of s.events) {
    const home = homes.get(e.patient)!;
    if (e.kind === 'gateway_offline') {
      const from = start + e.fromHour * HOUR;
      const to = start + e.toHour * HOUR;
      actions.push({
        at: from,
        label: `${e.patient}: home gateway offline`,
        run: () => home.gateway.setOffline(),
      });
      actions.push({
        at: to,
        label: `${e.patient}: home gateway back online, delivering its backlog`,
        run: async () => {
          home.truth.offline.push({ from: iso(new Date(from)), to: iso(new Date(to)) });
          await home.gateway.setOnline();
        },
      });
    } else if (e.kind === 'acute') {
      // the physiology lives it (registered with the patient); the runner only says so
      actions.push({
        at: start + e.atHour * HOUR,
        label: `${e.patient}: acute exacerbation, breathless: measures SpO2 and pulse now`,
        run: async () => {},
      });
    } else if (e.kind === 'device_revoked') {
      actions.push({
        at: start + e.atHour * HOUR,
        label: `${e.patient}: device revoked (it keeps trying)`,
        run: async () => {
          await o.admin.run('device revoke', { deviceId: home.reg.deviceId });
          home.truth.revokedAt = iso(new Date(start + e.atHour * HOUR));
        },
      });
    } else {
      const fault: Fault = { kind: e.fault, ...(e.hours === undefined ? {} : { hours: e.hours }) };
      actions.push({
        at: start + e.atHour * HOUR,
        label: `${e.patient}: fault ${e.fault} on the next ${e.count} measurement(s)`,
        run: async () => {
          home.faults.push({ fault, remaining: e.count });
        },
      });
    }
  }
  actions.sort((a, b) => a.at - b.at);

  function deviceOf(home: Home, kind: DeviceKind): VirtualDevice {
    let d = home.devices.get(kind);
    if (!d) {
      d = createVirtualDevice({
        kind,
        transport: home.reg.transport,
        idPrefix: home.reg.deviceId,
        units: home.reg.units,
        timeZone: s.timeZone,
      });
      home.devices.set(kind, d);
    }
    return d;
  }

  /** The messages for a home's measurements in [from, to), faults applied. */
  function take(home: Home, from: number, to: number): Outbound[] {
    const horizon = s.live ? end + LIVE_DAYS * DAY : end;
    home.measurements ??= home.reg.patient.measurements(new Date(historyStart), new Date(horizon));
    const out: Outbound[] = [];
    const list = home.measurements;
    while (home.next < list.length && list[home.next]!.measuredAt.getTime() < to) {
      const m = list[home.next++]!;
      if (m.measuredAt.getTime() < from) continue;
      home.truth.measured++;
      const clean = deviceOf(home, deviceKindFor(m.type)).encode(m, home.seq++);
      home.sentMeasurements.set(clean.messageId, m);
      const armed = home.faults.find((f) => f.remaining > 0);
      if (!armed) {
        out.push(clean);
        continue;
      }
      armed.remaining--;
      const faulty = applyFault(clean, m, armed.fault);
      home.truth.faults.push({
        fault: armed.fault.kind,
        messageId: faulty[0]!.messageId,
        measuredAt: iso(m.measuredAt),
        expected: expectedStatus(armed.fault, m.measuredAt),
      });
      out.push(...faulty);
    }
    return out;
  }

  /**
   * The patient answers the hub's notices: asked to measure again (a borderline value), they do
   * so a few minutes after the first reading, and the same body gives the same value, so the
   * repeat confirms it. Reminders are counted; the patient measures on their own habit.
   */
  function repeats(home: Home): Outbound[] {
    const notices = home.gateway.notices.slice(home.noticesSeen);
    home.noticesSeen = home.gateway.notices.length;
    const out: Outbound[] = [];
    for (const n of notices) {
      if (n.notice === 'reminder') {
        home.truth.reminders++;
        continue;
      }
      const first = n.messageId ? home.sentMeasurements.get(n.messageId) : undefined;
      if (!first) continue;
      const t = first.measuredAt.getTime();
      const at = Math.max(t + 1000, Math.min(t + 4 * 60_000, Date.now() - 1000));
      const again: SimMeasurement = { ...first, measuredAt: new Date(at) };
      home.truth.remeasured++;
      out.push(deviceOf(home, deviceKindFor(again.type)).encode(again, home.seq++));
    }
    return out;
  }

  let cursor = historyStart;
  let stopped = false;
  let nextAction = 0;
  let realStart = Date.now();

  async function advanceTo(target: number) {
    while (cursor < target && !stopped) {
      const action = actions[nextAction];
      const segmentEnd = action && action.at <= target ? Math.max(action.at, cursor) : target;
      if (segmentEnd > cursor) {
        const from = cursor;
        await Promise.all(
          [...homes.values()].map((h) => {
            const msgs = [...repeats(h), ...take(h, from, segmentEnd)].sort(
              (a, b) => a.measuredAt.getTime() - b.measuredAt.getTime(),
            );
            return msgs.length ? h.gateway.send(msgs) : Promise.resolve();
          }),
        );
        cursor = segmentEnd;
      }
      if (action && action.at <= cursor) {
        nextAction++;
        say(action.label);
        await action.run();
      }
    }
  }

  function target(): number {
    if (s.acceleration === 'max' || cursor < start) {
      return Math.min(cursor + MAX_STEP_MS, cursor < start ? start : end);
    }
    // never ahead of the real clock: the hub refuses time stamps from the future
    return Math.min(start + (Date.now() - realStart) * s.acceleration, end, Date.now());
  }

  async function loop(): Promise<ScenarioTruth> {
    if (s.historyDays > 0) {
      while (!stopped && cursor < start) await advanceTo(target());
      say(`${s.name}: ${s.historyDays} days of history delivered`);
      realStart = Date.now();
    }
    while (!stopped && cursor < end) {
      await advanceTo(target());
      if (s.acceleration !== 'max' && cursor < end) await sleep(TICK_MS);
    }
    if (!stopped)
      say(`${s.name}: ${s.days} simulated days lived${s.live ? '; going on live' : ''}`);
    while (!stopped && s.live) {
      await sleep(TICK_MS * 4);
      await advanceTo(Date.now() - 1000);
    }
    await Promise.all([...homes.values()].map((h) => h.gateway.idle()));
    return snapshot();
  }

  function snapshot(): ScenarioTruth {
    for (const h of homes.values()) {
      const counts = { accepted: 0, duplicate: 0, rejected: 0 };
      for (const r of h.gateway.receipts) counts[r.status]++;
      h.truth.receipts = counts;
      h.truth.undelivered = h.gateway.pending;
      h.truth.refusals = h.gateway.stats.refusals;
      h.truth.backoffsMs = [...h.gateway.stats.backoffsMs];
    }
    return {
      scenario: s.name,
      seed: s.seed,
      start: iso(new Date(start)),
      end: iso(new Date(end)),
      acceleration: s.acceleration,
      patients: [...homes.values()].map((h) => ({ ...h.truth })),
    };
  }

  const done = loop();
  done.catch(() => {});
  return {
    done,
    simNow: () => new Date(cursor),
    truth: snapshot,
    gateways: new Map([...homes].map(([k, h]) => [k, h.gateway])),
    async stop() {
      stopped = true;
      const t = await done.catch(() => snapshot());
      await Promise.all([...homes.values()].map((h) => h.gateway.close()));
      return t;
    },
  };
}
