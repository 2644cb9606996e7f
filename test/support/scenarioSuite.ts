// Scenarios against a real hub, in either mode: virtual patients live weeks in seconds over real
// MQTT connections, registered through the admin commands, and the hub's own tables say what
// came of it. The patients come from the physiology (simulators/patients); a test picks, by
// the ground truth, a scenario seed whose decompensation is large enough to be alerted on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reason } from '../../contract/reasons.js';
import { evaluatePatient } from '../../server/rules/evaluate.js';
import { loadRuleReadings } from '../../server/rules/history.js';
import { patientPlanSchema, resolvePlan } from '../../server/plans/plan.js';
import { createPatient } from '../../simulators/patients/index.js';
import type { Episode } from '../../simulators/patients/types.js';
import { hubAdmin } from '../../simulators/scenario/admin.js';
import { hashSeed } from '../../simulators/patients/random.js';
import { registerScenario } from '../../simulators/scenario/register.js';
import { runScenario, type ScenarioRun } from '../../simulators/scenario/runner.js';
import { parseScenario, type ScenarioInput } from '../../simulators/scenario/schema.js';
import { apiClient } from './apiClient.js';
import { startTestHub, type Mode, type TestEnv } from './hub.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAYS = 45;

interface Picked {
  seed: number;
  episode: Episode;
  /** Day index of the episode's start and end in the span. */
  fromDay: number;
  toDay: number;
}

/**
 * The first scenario seed whose hf-decompensating-1 has a decompensation adding at least
 * `minGainKg`, over at most `maxBuildUpDays`, that is over (end) by `endBy` days into the span.
 */
function pickSeed(start: Date, o: { minGainKg: number; maxBuildUpDays: number; endBy: number }) {
  for (let seed = 1; seed < 2000; seed++) {
    const patient = createPatient('hf-decompensating', {
      seed: hashSeed(seed, 'hf-decompensating-1'),
      start,
      days: DAYS,
    });
    for (const e of patient.truth.episodes) {
      if (e.kind !== 'decompensation' || e.weightGainKg < o.minGainKg) continue;
      if (e.hospitalisedUntil) continue; // measured at home the whole way
      const fromDay = (e.start.getTime() - start.getTime()) / DAY;
      const toDay = (e.end.getTime() - start.getTime()) / DAY;
      const buildUp = (e.peak.getTime() - e.start.getTime()) / DAY;
      if (buildUp <= o.maxBuildUpDays && toDay <= o.endBy) {
        return { seed, episode: e, fromDay, toDay } satisfies Picked;
      }
    }
  }
  throw new Error('no seed gives the episode asked for');
}

const organisation = (tag: string) => [
  {
    name: `Region ${tag}`,
    kind: 'region' as const,
    units: [
      {
        key: 'vc',
        name: `Vårdcentral ${tag}`,
        onCall: 'jour',
        staff: [{ username: `nurse.${tag}`, role: 'nurse' as const }],
      },
      {
        key: 'jour',
        name: `Jour ${tag}`,
        staff: [{ username: `jour.${tag}`, role: 'nurse' as const }],
        roster: { staff: [`jour.${tag}`] },
      },
    ],
  },
];

interface AlertRow {
  id: string;
  rule: string;
  severity: string;
  escalate_at: Date | null;
  finding: {
    late?: boolean;
    superseded?: boolean;
    trigger?: { messageId: string };
    reason: Reason;
    window?: { from: string; to: string };
  };
}

export function describeScenarios(mode: Mode) {
  describe(`scenarios against a running hub (${mode} mode)`, () => {
    let env: TestEnv;
    const runs: ScenarioRun[] = [];
    beforeAll(async () => {
      env = await startTestHub(mode);
    });
    afterAll(async () => {
      for (const r of runs) await r.stop();
      await env?.close();
    });

    async function live(input: ScenarioInput, start: Date, gateway = {}) {
      const scenario = parseScenario(input);
      const admin = hubAdmin(env.hub);
      const reg = await registerScenario(scenario, admin, {
        createPatient,
        start,
        days: DAYS,
      });
      const run = runScenario(scenario, reg, {
        mqttUrl: env.mqttUrl,
        admin,
        start,
        gateway: { receiptTimeoutMs: 10_000, ...gateway },
      });
      runs.push(run);
      const truth = await run.done;
      await env.hub.rules.idle();
      return { reg, run, truth };
    }

    const alertsOf = async (patientId: string) =>
      (
        await env.hub.db.query<AlertRow>(
          'SELECT id, rule, severity, escalate_at, finding FROM alerts WHERE patient_id = $1 ORDER BY opened_at',
          [patientId],
        )
      ).rows;

    it('a decompensating patient gains weight and the care team gets the heart-failure alert', async () => {
      const start = new Date(Date.now() - DAYS * DAY);
      const picked = pickSeed(start, { minGainKg: 4, maxBuildUpDays: 14, endBy: DAYS - 1 });
      const { reg, truth } = await live(
        {
          name: 'decompensation',
          seed: picked.seed,
          days: DAYS,
          organisations: organisation(`d${mode[0]}`),
          population: [{ profile: 'hf-decompensating', count: 1, unit: 'vc', transport: 'gatt' }],
        },
        start,
      );
      const p = truth.patients[0]!;
      // the ground truth records who deteriorates, from when
      expect(p.episodes.some((e) => e.start === picked.episode.start.toISOString())).toBe(true);
      expect(p.receipts.rejected).toBe(0);
      expect(p.receipts.accepted).toBeGreaterThan(DAYS);
      // a rising weight, judged on readings from the episode (the scenario lives its 45 days in
      // seconds against the hub's own clock, so what it raises about days past is late): by the
      // heart-failure score once the patient has a baseline, by the weight rules before
      const gainRules = new Set([
        'personal.score',
        'weight.gain_1d',
        'weight.gain_3d',
        'weight.macd',
        'weight.above_dry_weight',
        'personal.weight_up',
      ]);
      const episodeStart = picked.episode.start.getTime();
      const alerts = await alertsOf(reg.patients[0]!.patientId);
      // every finding the weight alert carried, from its events: one alert per patient and
      // problem, and a later loss (the diuretics working) replaces the gains it contradicts
      const { rows: raised } = await env.hub.db.query<{ data: Record<string, string> }>(
        `SELECT data FROM alert_events WHERE patient_id = $1 AND kind IN ('opened', 'updated')
         ORDER BY seq`,
        [reg.patients[0]!.patientId],
      );
      const weightAlerts = raised
        .map((e) => e.data)
        .filter((d) => gainRules.has(d.rule!) && Date.parse(d.measuredAt ?? '') >= episodeStart);
      expect(
        weightAlerts.map((d) => `${d.rule} ${d.severity} measured ${d.measuredAt}`),
        `a ${picked.episode.weightGainKg.toFixed(1)} kg episode from day ${picked.fromDay.toFixed(1)}`,
      ).not.toEqual([]);
      // readings measured days before they arrive: late findings, at low urgency, no escalation
      // (in measurement order, a fresh finding never comes before a late one of the same rule)
      const late = alerts.filter((a) => a.finding.late);
      expect(late.length).toBeGreaterThan(0);
      expect(late.filter((a) => a.severity !== 'low' || a.escalate_at !== null)).toEqual([]);
    });

    it("a COPD patient's acute exacerbation at the end of the span is fresh, escalates, and reaches the on-call nurse's list", async () => {
      // three days ending now, the exacerbation's peak a quarter of an hour before the end: the
      // readings before its last day arrive days late (low, no escalation), its spot check fresh
      const days = 3;
      const start = new Date(Date.now() - days * DAY);
      const { reg, truth } = await live(
        {
          name: 'acute',
          seed: 5,
          days,
          organisations: organisation(`a${mode[0]}`),
          population: [{ profile: 'copd', count: 1, unit: 'vc' }],
          events: [{ kind: 'acute', patient: 'copd-1', atHour: days * 24 - 0.25 }],
        },
        start,
      );
      const peak = new Date(start.getTime() + (days * 24 - 0.25) * HOUR);
      // a true episode, peaking then (the ground truth the quality report counts against)
      expect(truth.patients[0]!.episodes.map((e) => [e.kind, e.peak])).toContainEqual([
        'exacerbation',
        new Date(Math.round(peak.getTime() / 1000) * 1000).toISOString(),
      ]);
      const patient = reg.patients[0]!;
      const urgent = (await alertsOf(patient.patientId)).filter((a) => a.rule === 'spo2.very_low');
      // the rules' own finding on the simulated reading: critical, fresh, with a timer
      expect(urgent.map((a) => [a.severity, a.finding.late ?? false])).toEqual([
        ['critical', false],
      ]);
      expect(urgent[0]!.escalate_at).not.toBeNull();

      // the scenario's roster puts the on-call unit's nurse on call from its start: nobody
      // acknowledges, and the escalation timer's checks (run here at the times they would)
      // take the alert to the care unit, then to the on-call unit and its nurse
      const later = Date.now();
      await env.hub.alerts.escalateDue(new Date(later + 20 * 60_000));
      const escalated = await env.hub.alerts.escalateDue(new Date(later + 40 * 60_000));
      expect(escalated.filter((c) => c.alertId === urgent[0]!.id).map((c) => c.data.to)).toEqual([
        'on_call_unit',
      ]);
      const jour = reg.logins.find((l) => l.unitKey === 'jour')!;
      const nurse = apiClient(env.hub.urls.http);
      expect((await nurse.signIn(jour.username, jour.password)).status).toBe(200);
      const listed = (await nurse.call('GET', '/alerts')).body.find((a) => a.id === urgent[0]!.id);
      expect(listed).toMatchObject({
        rule: 'spo2.very_low',
        severity: 'critical',
        escalationLevel: 2,
        late: false,
        patientId: patient.patientId,
      });
    });

    it('an offline gateway later delivers every reading exactly once, in measurement order, with no alert for the superseded past', async () => {
      const start = new Date(Date.now() - DAYS * DAY);
      // the whole episode happens while the home is offline; it is over when the gateway returns
      const picked = pickSeed(start, { minGainKg: 3, maxBuildUpDays: 14, endBy: DAYS - 8 });
      const fromHour = Math.max(1, Math.floor((picked.fromDay - 3) * 24));
      const toHour = Math.ceil((picked.toDay + 5) * 24);
      const { reg, run, truth } = await live(
        {
          name: 'offline',
          seed: picked.seed,
          days: DAYS,
          organisations: organisation(`o${mode[0]}`),
          population: [{ profile: 'hf-decompensating', count: 1, unit: 'vc' }],
          events: [{ kind: 'gateway_offline', patient: 'hf-decompensating-1', fromHour, toHour }],
        },
        start,
      );
      const p = truth.patients[0]!;
      const patient = reg.patients[0]!;
      const gateway = run.gateways.get('hf-decompensating-1')!;
      expect(p.undelivered).toBe(0);
      expect(gateway.stats.batches).toBeGreaterThan(0);

      // exactly once: one row per measurement (and per repeat the hub asked for), each with its
      // original measurement time
      const measured = patient.patient
        .measurements(start, new Date(start.getTime() + DAYS * DAY))
        .map((m) => m.measuredAt.getTime());
      const { rows } = await env.hub.db.query<{ message_id: string; measured_at: Date }>(
        'SELECT message_id, measured_at FROM readings WHERE device_id = $1',
        [patient.deviceId],
      );
      expect(rows).toHaveLength(measured.length + p.remeasured);
      expect(new Set(rows.map((r) => r.message_id)).size).toBe(rows.length);
      const stored = new Set(rows.map((r) => new Date(r.measured_at).getTime()));
      expect(measured.filter((t) => !stored.has(t))).toEqual([]);
      expect(p.receipts).toEqual({
        accepted: measured.length + p.remeasured,
        duplicate: 0,
        rejected: 0,
      });

      // in measurement order: what the gateway sent, and the backlog above all
      const sentTimes = gateway.sent.map((m) => m.measuredAt.getTime());
      expect(sentTimes).toEqual([...sentTimes].sort((a, b) => a - b));
      const offFrom = start.getTime() + fromHour * HOUR;
      const offTo = start.getTime() + toHour * HOUR;
      const backlog = measured.filter((t) => t >= offFrom && t < offTo);
      expect(backlog.length).toBeGreaterThan(10);

      // the episode is in the backlog: the rules find it, but about a past that newer readings
      // superseded (flagged superseded), and the hub raises no alert for it
      const backlogIds = new Set(
        gateway.sent
          .filter((m) => m.measuredAt.getTime() >= offFrom && m.measuredAt.getTime() < offTo)
          .map((m) => m.messageId),
      );
      const { rows: plans } = await env.hub.db.query<{ plan: unknown }>(
        'SELECT plan FROM patient_plans WHERE patient_id = $1',
        [patient.patientId],
      );
      const plan = resolvePlan(patientPlanSchema.parse(plans[0]?.plan ?? {}));
      const history = await loadRuleReadings(env.hub.db, patient.patientId, new Date(0));
      const judged = evaluatePatient(
        history,
        history.filter((r) => backlogIds.has(r.messageId)),
        plan,
      );
      expect(
        judged.filter((f) => f.superseded && f.rule.startsWith('weight.')).length,
        'the episode in the backlog is judged',
      ).toBeGreaterThan(0);
      const alerts = await alertsOf(patient.patientId);
      expect(alerts.filter((a) => a.finding.superseded)).toEqual([]);
      expect(alerts.filter((a) => a.rule.startsWith('weight.gain'))).toEqual([]);
    });

    it('faults get the receipts the contract promises, and a revoked gateway keeps trying with growing waits', async () => {
      const start = new Date(Date.now() - DAYS * DAY);
      const { reg, run, truth } = await live(
        {
          name: 'faults',
          seed: 11,
          days: 10,
          organisations: organisation(`f${mode[0]}`),
          population: [{ profile: 'hf-stable', count: 2, unit: 'vc' }],
          events: [
            { kind: 'fault', patient: 'hf-stable-1', atHour: 24, fault: 'duplicate' },
            { kind: 'fault', patient: 'hf-stable-1', atHour: 48, fault: 'implausible' },
            { kind: 'fault', patient: 'hf-stable-1', atHour: 60, fault: 'wrong_unit' },
            // 48 hours ahead less than two days before now: in the hub's future
            {
              kind: 'fault',
              patient: 'hf-stable-1',
              atHour: 200,
              fault: 'clock_offset',
              hours: 48,
            },
            // 6 hours ahead a week ago: still the past, stored at the wrong time
            {
              kind: 'fault',
              patient: 'hf-stable-1',
              atHour: 72,
              fault: 'clock_offset',
              hours: 6,
            },
            { kind: 'device_revoked', patient: 'hf-stable-2', atHour: 120 },
          ],
        },
        new Date(start.getTime() + (DAYS - 10) * DAY),
        { backoffMs: 50, maxBackoffMs: 400 },
      );
      const faulty = truth.patients.find((p) => p.key === 'hf-stable-1')!;
      expect(faulty.faults.map((f) => `${f.fault} ${f.expected}`)).toEqual([
        'duplicate accepted',
        'implausible rejected',
        'wrong_unit rejected',
        'clock_offset accepted',
        'clock_offset rejected',
      ]);
      const gateway = run.gateways.get('hf-stable-1')!;
      for (const f of faulty.faults) {
        const receipts = gateway.receipts.filter((r) => r.messageId === f.messageId);
        expect(receipts[0]?.status, `${f.fault} ${f.messageId}`).toBe(f.expected);
        if (f.fault === 'duplicate')
          expect(receipts.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
      }
      const { rows: refused } = await env.hub.db.query<{ reason: string }>(
        'SELECT reason FROM rejected_messages WHERE device_id = $1 ORDER BY id',
        [reg.patients[0]!.deviceId],
      );
      expect(refused.map((r) => r.reason)).toEqual([
        'implausible_value',
        'bad_unit',
        'future_timestamp',
      ]);

      // the revoked gateway: nothing stored after the revocation, attempts spaced ever wider
      const revoked = run.gateways.get('hf-stable-2')!;
      await new Promise((r) => setTimeout(r, 1000));
      const t = run.truth().patients.find((p) => p.key === 'hf-stable-2')!;
      expect(t.revokedAt).not.toBeNull();
      expect(revoked.pending).toBeGreaterThan(0);
      expect(revoked.stats.refusals).toBeGreaterThanOrEqual(3);
      const waits = revoked.stats.backoffsMs;
      expect(waits.slice(0, 4)).toEqual([50, 100, 200, 400]);
      const { rows: late } = await env.hub.db.query(
        'SELECT 1 FROM readings WHERE device_id = $1 AND measured_at >= $2',
        [reg.patients[1]!.deviceId, t.revokedAt],
      );
      expect(late).toEqual([]);
    });
  });
}
