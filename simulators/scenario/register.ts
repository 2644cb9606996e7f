// Registers a scenario's organisations, care units, staff, patients and their home gateways with
// the hub through the admin commands, and creates each patient's physiology from a seed of its
// own (the scenario seed and the patient's name), so that one patient's draws do not depend on
// how many others there are.
import { z } from 'zod';
import type { ProfileName, VirtualPatient } from '../patients/types.js';
import type { DeviceUnits } from '../devices/messages.js';
import type { Transport } from '../devices/kinds.js';
import type { Admin } from './admin.js';
import { hashSeed } from '../patients/random.js';
import { patientKeys, type Scenario } from './schema.js';

export type PatientFactory = (
  profile: ProfileName,
  o: {
    seed: number;
    start: Date;
    days: number;
    quietDays?: number;
    decompensationsPerYear?: number;
    acute?: Date[];
  },
) => VirtualPatient;

export interface RegisteredPatient {
  key: string;
  displayName: string;
  profile: ProfileName;
  seed: number;
  unitKey: string;
  patientId: string;
  /** The home gateway: the one device the hub knows for this home. */
  deviceId: string;
  secret: string;
  transport: Transport;
  units: Partial<DeviceUnits>;
  patient: VirtualPatient;
}

export interface Login {
  username: string;
  password: string;
  staffId: string;
  unitKey: string;
  unitName: string;
}

export interface RegisteredScenario {
  units: Map<string, { id: string; name: string }>;
  logins: Login[];
  patients: RegisteredPatient[];
}

// Pseudonymous names a Swedish ward would see: first name and initial, never a real person.
const FIRST = [
  'Astrid',
  'Bengt',
  'Birgitta',
  'Gunnar',
  'Ingrid',
  'Karl',
  'Margareta',
  'Lars',
  'Elsa',
  'Sven',
  'Karin',
  'Nils',
  'Maj',
  'Göran',
  'Ulla',
  'Rolf',
  'Solveig',
  'Stig',
  'Gun',
  'Åke',
];
const INITIAL = 'ABDEFGHJKLMNOPRSTUVÅÖ';

function displayName(seed: number, key: string) {
  const first = FIRST[seed % FIRST.length]!;
  const initial = INITIAL[Math.floor(seed / FIRST.length) % INITIAL.length]!;
  return `${first} ${initial}. (${key})`;
}

const idResult = z.object({ id: z.string() });
const deviceResult = z.object({ deviceId: z.string(), secret: z.string() });
const staffResult = z.object({ id: z.string(), password: z.string() });

export interface PatientOptions {
  createPatient: PatientFactory;
  /** The first instant the patients live (history included), and how many days. */
  start: Date;
  days: number;
  /** Patients registered at once. */
  concurrency?: number;
}

/** Everything: organisations, units and staff, then the patients. */
export async function registerScenario(
  s: Scenario,
  admin: Admin,
  o: PatientOptions,
): Promise<RegisteredScenario> {
  const orgs = await registerOrganisations(s, admin);
  return { ...orgs, patients: await registerPatients(s, admin, orgs, o) };
}

const HOUR = 3_600_000;

/**
 * Organisations, care units (with their on-call unit and roster) and staff logins with
 * generated passwords. A roster starts at the hour of `now` (real time: escalation's clock).
 */
export async function registerOrganisations(
  s: Scenario,
  admin: Admin,
  now = new Date(),
): Promise<Omit<RegisteredScenario, 'patients'>> {
  const units = new Map<string, { id: string; name: string }>();
  const logins: Login[] = [];
  for (const org of s.organisations) {
    const { id: orgId } = idResult.parse(
      await admin.run('org add', { name: org.name, kind: org.kind }),
    );
    for (const u of org.units) {
      const { id } = idResult.parse(await admin.run('unit add', { org: orgId, name: u.name }));
      units.set(u.key, { id, name: u.name });
      for (const st of u.staff) {
        const r = staffResult.parse(
          await admin.run('staff add', {
            unit: id,
            username: st.username,
            role: st.role,
            ...(st.name ? { name: st.name } : {}),
          }),
        );
        logins.push({
          username: st.username,
          password: r.password,
          staffId: r.id,
          unitKey: u.key,
          unitName: u.name,
        });
      }
    }
  }
  for (const org of s.organisations) {
    for (const u of org.units) {
      if (u.onCall) {
        await admin.run('unit set', {
          unit: units.get(u.key)!.id,
          onCall: units.get(u.onCall)!.id,
        });
      }
      if (u.roster) await registerRoster(admin, units.get(u.key)!.id, u.roster, logins, now);
    }
  }

  return { units, logins };
}

/** A unit's shifts, taken in turn by its roster's staff from the hour of `now`, for its days. */
async function registerRoster(
  admin: Admin,
  unitId: string,
  roster: NonNullable<Scenario['organisations'][number]['units'][number]['roster']>,
  logins: readonly Login[],
  now: Date,
) {
  const start = Math.floor(now.getTime() / HOUR) * HOUR;
  const end = start + roster.days * 24 * HOUR;
  for (let i = 0, from = start; from < end; i++, from += roster.shiftHours * HOUR) {
    const username = roster.staff[i % roster.staff.length]!;
    const staffId = logins.find((l) => l.username === username)!.staffId;
    await admin.run('oncall add', {
      unit: unitId,
      staff: staffId,
      from: new Date(from).toISOString(),
      to: new Date(Math.min(from + roster.shiftHours * HOUR, end)).toISOString(),
    });
  }
}

/** The patients with their physiology, home gateways, fixed care contacts and plans. */
export async function registerPatients(
  s: Scenario,
  admin: Admin,
  { units, logins }: Omit<RegisteredScenario, 'patients'>,
  o: PatientOptions,
): Promise<RegisteredPatient[]> {
  // each patient's commands run in order; several patients at once, since hashing the device
  // secrets (scrypt) takes most of the time and runs off the main thread
  const jobs: (() => Promise<RegisteredPatient>)[] = [];
  for (const [gi, group] of s.population.entries()) {
    const unit = units.get(group.unit)!;
    // the unit's first nurse is each patient's fixed care contact and signs the plan
    const contact = logins.find((l) => l.unitKey === group.unit);
    for (const [i, key] of patientKeys(group).entries()) {
      jobs.push(async () => {
        const seed = hashSeed(s.seed, key); // a patient's seed from the scenario's
        // the span's hours count from the end of the history
        const acute = s.events.flatMap((e) =>
          e.kind === 'acute' && e.patient === key
            ? [new Date(o.start.getTime() + (s.historyDays * 24 + e.atHour) * HOUR)]
            : [],
        );
        const patient = o.createPatient(group.profile, {
          seed,
          start: o.start,
          days: o.days,
          ...(group.quietDays === undefined ? {} : { quietDays: group.quietDays }),
          ...(group.decompensationsPerYear === undefined
            ? {}
            : { decompensationsPerYear: group.decompensationsPerYear }),
          ...(acute.length ? { acute } : {}),
        });
        const name = displayName(seed, key);
        const { id: patientId } = idResult.parse(
          await admin.run('patient add', { unit: unit.id, name }),
        );
        const device = deviceResult.parse(
          await admin.run('device add', { patient: patientId, label: 'home gateway' }),
        );
        if (contact) {
          await admin.run('patient set', { patient: patientId, contact: contact.staffId });
        }
        if (group.plan && contact && Object.keys(patient.suggestedPlan).length) {
          try {
            await admin.run('patient plan', {
              patient: patientId,
              by: contact.staffId,
              set: JSON.stringify(patient.suggestedPlan),
            });
          } catch (err) {
            throw new Error(
              `${key}: the ${group.profile} plan was refused: ${(err as Error).message}`,
              { cause: err },
            );
          }
        }
        const transport: Transport =
          group.transport === 'mixed' ? ((gi + i) % 2 ? 'gatt' : 'json') : group.transport;
        return {
          key,
          displayName: name,
          profile: group.profile,
          seed,
          unitKey: group.unit,
          patientId,
          deviceId: device.deviceId,
          secret: device.secret,
          transport,
          units: group.units ?? {},
          patient,
        };
      });
    }
  }
  const patients: RegisteredPatient[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      patients[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 4, jobs.length) }, worker));
  return patients;
}
