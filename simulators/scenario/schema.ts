// A scenario file: who lives it (population by profile and count, in which care units), over
// what span and how fast, and what happens on the way (a gateway offline, a device revoked,
// faults). Checked with zod; an error names the field (`population.1.unit: ...`).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { timeZoneSchema } from '../../devices/timeZone.js';
import { faultKinds } from '../devices/faults.js';
import { profileNames } from '../patients/types.js';

const key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -');
const name = z.string().trim().min(1).max(200);
/** Hours from the start of the span. */
const hour = z.number().min(0);

const username = z.string().regex(/^[a-z0-9._-]{2,40}$/, 'lower-case letters, digits, . _ -');

const staffSchema = z.strictObject({
  username,
  role: z.enum(['nurse', 'physician', 'admin']),
  name: name.optional(),
});

const unitSchema = z.strictObject({
  key,
  name,
  /** The unit (by key) that covers this one at nights and weekends. */
  onCall: key.optional(),
  staff: z.array(staffSchema).default([]),
  /**
   * The unit's on-call roster, from the hour the run starts in real time (alerts escalate on the
   * hub's clock, not the scenario's): shifts of `shiftHours` taken in turn by these nurses or
   * physicians of the unit (usernames), for `days`.
   */
  roster: z
    .strictObject({
      staff: z.array(username).min(1),
      shiftHours: z.number().int().min(1).max(168).default(12),
      days: z.number().int().min(1).max(31).default(7),
    })
    .optional(),
});

const organisationSchema = z.strictObject({
  name,
  kind: z.enum(['region', 'municipality']),
  units: z.array(unitSchema).min(1),
});

const unitsSchema = z.strictObject({
  weight: z.enum(['kg', '[lb_av]']).optional(),
  pressure: z.enum(['mm[Hg]', 'kPa']).optional(),
  temperature: z.enum(['Cel', '[degF]']).optional(),
});

const populationSchema = z.strictObject({
  profile: z.enum(profileNames),
  count: z.number().int().min(1).max(10_000),
  /** The care unit (by key) that follows these patients. */
  unit: key,
  /** Patients are called `{name}-1`, `{name}-2` ...; the profile by default. */
  name: key.optional(),
  /** How the home's devices talk: JSON, raw GATT through the gateway, or half and half. */
  transport: z.enum(['json', 'gatt', 'mixed']).default('json'),
  /** Units the devices are set to (the hub converts). */
  units: unitsSchema.optional(),
  /** Register the plan the profile suggests (measurements, personal thresholds). */
  plan: z.boolean().default(true),
  /** Physiology: no episode starts before this day of the whole span (history included). */
  quietDays: z.number().int().min(0).optional(),
  /** Physiology: heart-failure decompensations per patient-year instead of the profile's own. */
  decompensationsPerYear: z.number().min(0).max(20).optional(),
});

const patientRef = z.string().min(1);

const eventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('gateway_offline'),
    patient: patientRef,
    fromHour: hour,
    toHour: hour,
  }),
  z.strictObject({ kind: z.literal('device_revoked'), patient: patientRef, atHour: hour }),
  /**
   * A COPD patient's severe exacerbation peaking at `atHour` (simulators/patients/episodes.ts
   * acuteExacerbation): SpO2 far under the target band and a fast pulse, measured at the peak
   * by the breathless patient. Near the end of the span, it is fresh when the hub judges it.
   */
  z.strictObject({ kind: z.literal('acute'), patient: patientRef, atHour: hour }),
  z.strictObject({
    kind: z.literal('fault'),
    patient: patientRef,
    atHour: hour,
    fault: z.enum(faultKinds),
    /** How many measurements from then on carry it. */
    count: z.number().int().min(1).max(1000).default(1),
    /** clock_offset: hours the device clock is off (positive: ahead). */
    hours: z.number().min(-48).max(48).optional(),
  }),
]);

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    description: z.string().max(2000).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    /** The span lived, ending when the run starts (the hub takes no future time stamps). */
    days: z.number().positive().max(366),
    /**
     * Days the patients were already monitored before the span: delivered as fast as the hub
     * takes them when the run starts, so that baselines and trends exist from the first minute.
     */
    historyDays: z.number().int().min(0).max(366).default(0),
    /** Simulated time per real time (10080: a week in a minute), or as fast as the hub takes it. */
    acceleration: z.union([z.number().min(1), z.literal('max')]).default('max'),
    /** After the span, go on living in real time until stopped (the demo). */
    live: z.boolean().default(false),
    timeZone: timeZoneSchema.default('Europe/Stockholm'),
    organisations: z.array(organisationSchema).min(1),
    population: z.array(populationSchema).min(1),
    events: z.array(eventSchema).default([]),
  })
  .superRefine((s, ctx) => {
    const units = new Set<string>();
    const usernames = new Set<string>();
    s.organisations.forEach((o, oi) =>
      o.units.forEach((u, ui) => {
        if (units.has(u.key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['organisations', oi, 'units', ui, 'key'],
            message: `unit key ${u.key} is used twice`,
          });
        }
        units.add(u.key);
        u.staff.forEach((st, si) => {
          if (usernames.has(st.username)) {
            ctx.addIssue({
              code: 'custom',
              path: ['organisations', oi, 'units', ui, 'staff', si, 'username'],
              message: `username ${st.username} is used twice`,
            });
          }
          usernames.add(st.username);
        });
      }),
    );
    s.organisations.forEach((o, oi) =>
      o.units.forEach((u, ui) => {
        if (u.onCall !== undefined && !units.has(u.onCall)) {
          ctx.addIssue({
            code: 'custom',
            path: ['organisations', oi, 'units', ui, 'onCall'],
            message: `no unit with key ${u.onCall}`,
          });
        }
        u.roster?.staff.forEach((name, ri) => {
          const member = u.staff.find((st) => st.username === name);
          if (!member || member.role === 'admin') {
            ctx.addIssue({
              code: 'custom',
              path: ['organisations', oi, 'units', ui, 'roster', 'staff', ri],
              message: `${name} is not a nurse or physician of unit ${u.key}`,
            });
          }
        });
      }),
    );
    const patients = new Set<string>();
    const copd = new Set<string>();
    s.population.forEach((p, pi) => {
      if (p.profile === 'copd') for (const k of patientKeys(p)) copd.add(k);
      if (!units.has(p.unit)) {
        ctx.addIssue({
          code: 'custom',
          path: ['population', pi, 'unit'],
          message: `no unit with key ${p.unit}`,
        });
      }
      for (const k of patientKeys(p)) {
        if (patients.has(k)) {
          ctx.addIssue({
            code: 'custom',
            path: ['population', pi, 'name'],
            message: `patient ${k} is named twice (give the group a name)`,
          });
          break;
        }
        patients.add(k);
      }
    });
    const lastHour = s.days * 24;
    s.events.forEach((e, ei) => {
      if (!patients.has(e.patient)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', ei, 'patient'],
          message: `no patient ${e.patient} (patients are named {name or profile}-{n}, e.g. ${[...patients][0]})`,
        });
      }
      const times: [string, number][] =
        e.kind === 'gateway_offline'
          ? [
              ['fromHour', e.fromHour],
              ['toHour', e.toHour],
            ]
          : [['atHour', e.atHour]];
      for (const [field, h] of times) {
        if (h > lastHour) {
          ctx.addIssue({
            code: 'custom',
            path: ['events', ei, field],
            message: `${h} is after the end of the span (${lastHour} hours)`,
          });
        }
      }
      if (e.kind === 'acute' && patients.has(e.patient) && !copd.has(e.patient)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', ei, 'patient'],
          message: `an acute exacerbation is modelled for copd patients; ${e.patient} is not one`,
        });
      }
      if (e.kind === 'acute' && e.atHour >= lastHour) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', ei, 'atHour'],
          message: `must be before the end of the span (${lastHour} hours): its spot check is measured then`,
        });
      }
      if (e.kind === 'gateway_offline' && e.toHour <= e.fromHour) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', ei, 'toHour'],
          message: 'must be after fromHour',
        });
      }
      if (e.kind === 'fault' && e.fault === 'clock_offset' && e.hours === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', ei, 'hours'],
          message: 'a clock_offset fault says how many hours the clock is off',
        });
      }
    });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type PopulationGroup = Scenario['population'][number];
export type ScenarioEvent = Scenario['events'][number];

/** The names the patients of a population group go by in events and ground truth. */
export function patientKeys(p: { name?: string | undefined; profile: string; count: number }) {
  return Array.from({ length: p.count }, (_, i) => `${p.name ?? p.profile}-${i + 1}`);
}

export class ScenarioError extends Error {}

/** Parses a scenario; a problem throws one line naming the field and what is wrong. */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const parsed = scenarioSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const path = i.path.map(String).join('.') || '(top level)';
    return `${path}: ${i.message}`;
  });
  throw new ScenarioError(`${source}: ${lines.join('; ')}`);
}

export async function loadScenario(file: string): Promise<Scenario> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(`${file}: ${(err as Error).message}`);
  }
  return parseScenario(json, file);
}
