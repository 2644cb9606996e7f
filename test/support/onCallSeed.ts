// A health centre whose on-call unit has a nurse on call now, and a patient of the centre: the
// setting of the tests where an alert escalates to a person. Through the registry's functions.
import type { Db } from '../../server/store/db.js';
import {
  addOrganisation,
  addShift,
  addStaff,
  addUnit,
  registerPatient,
  setUnitOnCall,
} from '../../server/registry/index.js';

const HOUR = 3_600_000;

export interface OnCallSeed {
  units: { vc: string; jour: string };
  patientId: string;
  /** eva.jour, a nurse of the on-call unit, on call from an hour ago for eight hours. */
  onCall: { id: string; password: string; email: string };
  /** anna.vc, a nurse of the patient's own health centre. */
  ownNurse: { id: string; password: string };
}

export async function seedOnCall(db: Db): Promise<OnCallSeed> {
  const org = await addOrganisation(db, { name: 'Region Uppsala', kind: 'region' });
  const vc = await addUnit(db, { organisationId: org.id, name: 'Vårdcentral Gränby' });
  const jour = await addUnit(db, { organisationId: org.id, name: 'Närakut Uppsala (jour)' });
  await setUnitOnCall(db, { unitId: vc.id, onCallUnitId: jour.id });
  const patientId = (await registerPatient(db, { unitId: vc.id, name: 'Karin Lind' })).id;
  const email = 'eva.jour@example.se';
  const onCall = await addStaff(db, {
    unitId: jour.id,
    username: 'eva.jour',
    role: 'nurse',
    displayName: 'Eva Jour',
    email,
  });
  const ownNurse = await addStaff(db, {
    unitId: vc.id,
    username: 'anna.vc',
    role: 'nurse',
    displayName: 'Anna VC',
  });
  const now = Date.now();
  await addShift(db, {
    unitId: jour.id,
    staffId: onCall.id,
    startsAt: new Date(now - HOUR),
    endsAt: new Date(now + 8 * HOUR),
    createdBy: null,
  });
  return { units: { vc: vc.id, jour: jour.id }, patientId, onCall: { ...onCall, email }, ownNurse };
}
