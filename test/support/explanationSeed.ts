// A patient with two weight alerts that explain themselves differently (issue 18, item 4): a
// nurse, by name, lowers the patient's 3-day gain limit through the plan API, then four daily
// weights arrive over MQTT. The last is 1.8 kg above the lowest of the three days before it
// (weight.gain_3d, her personal 1.5 kg) and 1.4 kg above the day before (weight.gain_1d, the
// default 1.36 kg). Shared by the API's test and the dashboard's.
import { runCommand } from '../../server/admin/commands/index.js';
import type { Hub } from '../../server/hub.js';
import {
  addDevice,
  addOrganisation,
  addUnit,
  registerPatient,
} from '../../server/registry/index.js';
import { apiClient } from './apiClient.js';
import { connectDevice, weight } from './device.js';

const DAY = 86_400_000;

export interface WeightAlertsSeed {
  patientId: string;
  nurse: { username: string; password: string; name: string };
  /** A nurse of another care unit: she does not follow the patient. */
  outsider: { username: string; password: string };
  /** The weights sent, oldest first, and when the plan was changed (between the clocks). */
  weights: { value: number; measuredAt: string }[];
  planChangedBetween: [Date, Date];
}

export async function seedWeightAlerts(hub: Hub, patientName = 'Greta Lindqvist') {
  const org = await addOrganisation(hub.db, { name: 'Region Test', kind: 'region' });
  const unit = await addUnit(hub.db, { organisationId: org.id, name: 'VC Gränby' });
  const other = await addUnit(hub.db, { organisationId: org.id, name: 'VC Annan' });
  const patient = await registerPatient(hub.db, { unitId: unit.id, name: patientName });
  const device = await addDevice(hub.db, { patientId: patient.id });
  const staff = async (unitId: string, username: string, name: string) =>
    (await runCommand({ db: hub.db }, 'staff add', {
      unit: unitId,
      username,
      role: 'nurse',
      name,
    })) as {
      password: string;
    };
  const nurse = { username: 'karin.s', name: 'Karin Sjöberg', password: '' };
  nurse.password = (await staff(unit.id, nurse.username, nurse.name)).password;
  const outsider = { username: 'olle.a', password: '' };
  outsider.password = (await staff(other.id, outsider.username, 'Olle Annan')).password;

  const api = apiClient(hub.urls.http);
  const signedIn = await api.signIn(nurse.username, nurse.password);
  if (signedIn.status !== 200) throw new Error(`sign-in: ${signedIn.status}`);
  const before = new Date();
  const put = await api.call('PUT', `/patients/${patient.id}/plan`, {
    plan: { weight: { gain3dKg: 1.5 } },
  });
  if (put.status !== 200) throw new Error(`plan: ${put.status} ${JSON.stringify(put.body)}`);
  const after = new Date();

  const now = Date.now();
  const weights = [80.0, 80.2, 80.4, 81.8].map((value, i) => ({
    value,
    measuredAt: new Date(now - (3 - i) * DAY - 60_000).toISOString(),
  }));
  const dev = await connectDevice(hub.urls.mqtt, device.deviceId, device.secret);
  try {
    for (const w of weights) await dev.publish(weight(w.value, { measuredAt: w.measuredAt }));
    await dev.waitForReceipts(weights.length);
  } finally {
    await dev.close();
  }
  await hub.rules.idle();
  return {
    patientId: patient.id,
    nurse,
    outsider,
    weights,
    planChangedBetween: [before, after],
  } satisfies WeightAlertsSeed;
}
