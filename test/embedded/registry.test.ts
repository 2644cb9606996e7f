// The registry's functions where neither the admin CLI's nor the staff API's tests reach: what
// the broker and the rules read of devices, revoking twice, and what an update leaves alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySecret } from '../../server/auth/secrets.js';
import { DomainError } from '../../server/errors.js';
import {
  addDevice,
  addOrganisation,
  addStaff,
  addUnit,
  deviceCredentials,
  deviceOf,
  devicesOfPatient,
  listDevices,
  registerPatient,
  revokeDevice,
  setPatientCare,
  setUnitOnCall,
} from '../../server/registry/index.js';
import { openPglite, type Db } from '../../server/store/db.js';
import { migrate } from '../../server/store/migrate.js';

/** The refusal `p` ends with, as code and field. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; field?: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return { code: err.code, ...(err.field ? { field: err.field } : {}) };
}

describe('the registry', () => {
  let db: Db;
  let unit: string;
  let patient: string;
  beforeAll(async () => {
    db = await openPglite('memory');
    await migrate(db);
    const org = await addOrganisation(db, { name: 'R', kind: 'region' });
    unit = (await addUnit(db, { organisationId: org.id, name: 'U' })).id;
    patient = (await registerPatient(db, { unitId: unit, name: 'P' })).id;
  });
  afterAll(() => db.close());

  it("gives the broker a device's hash of its secret and whether it is revoked", async () => {
    const { deviceId, secret } = await addDevice(db, { patientId: patient });
    const credentials = await deviceCredentials(db, deviceId);
    expect(credentials?.revoked).toBe(false);
    expect(await verifySecret(secret, credentials!.secretHash)).toBe(true);
    await revokeDevice(db, deviceId);
    expect((await deviceCredentials(db, deviceId))?.revoked).toBe(true);
    expect(await deviceCredentials(db, 'dev_unknown')).toBeNull();
  });

  it('lists every device of a patient, but reaches only those not revoked', async () => {
    const other = (await registerPatient(db, { unitId: unit, name: 'Q' })).id;
    const a = await addDevice(db, { patientId: other, label: 'scale' });
    const b = await addDevice(db, { patientId: other });
    const c = await addDevice(db, { patientId: other, label: null });
    await revokeDevice(db, b.deviceId);

    const listed = await listDevices(db, other);
    expect(new Set(listed.map((d) => d.id))).toEqual(new Set([a.deviceId, b.deviceId, c.deviceId]));
    expect(listed.find((d) => d.id === a.deviceId)).toMatchObject({
      label: 'scale',
      revokedAt: null,
    });
    expect(listed.find((d) => d.id === b.deviceId)?.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(listed.find((d) => d.id === c.deviceId)?.label).toBeNull();
    expect(new Set(await devicesOfPatient(db, other))).toEqual(new Set([a.deviceId, c.deviceId]));

    expect(await deviceOf(db, b.deviceId)).toEqual({
      ...listed.find((d) => d.id === b.deviceId),
      patientId: other,
      timeZone: 'Europe/Stockholm',
    });
    expect(await deviceOf(db, 'dev_unknown')).toBeNull();
  });

  it('keeps the first time a device was revoked when it is revoked again', async () => {
    const { deviceId } = await addDevice(db, { patientId: patient });
    const first = await revokeDevice(db, deviceId);
    await new Promise((r) => setTimeout(r, 20));
    const again = await revokeDevice(db, deviceId);
    expect(again).toEqual(first);
    expect(await refusal(revokeDevice(db, 'dev_unknown'))).toEqual({
      code: 'not_found',
      field: 'deviceId',
    });
  });

  it('refuses what names something it does not know, naming the input at fault', async () => {
    expect(await refusal(addDevice(db, { patientId: 'pat_unknown' }))).toEqual({
      code: 'not_found',
      field: 'patient',
    });
    expect(await refusal(addUnit(db, { organisationId: 'org_unknown', name: 'U' }))).toEqual({
      code: 'not_found',
      field: 'org',
    });
    expect(await refusal(registerPatient(db, { unitId: 'unit_unknown', name: 'P' }))).toEqual({
      code: 'not_found',
      field: 'unit',
    });
    expect(await refusal(setUnitOnCall(db, { unitId: unit, onCallUnitId: 'unit_x' }))).toEqual({
      code: 'not_found',
      field: 'onCall',
    });
    expect(await refusal(setPatientCare(db, { patientId: patient, contactId: 'staff_x' }))).toEqual(
      { code: 'not_found', field: 'contact' },
    );
    expect(
      await refusal(addStaff(db, { unitId: 'unit_x', username: 'nn', role: 'nurse' })),
    ).toEqual({ code: 'not_found', field: 'unit' });
  });

  it("changes only the part of a patient's care that is given", async () => {
    const nurse = await addStaff(db, { unitId: unit, username: 'care.nurse', role: 'nurse' });
    const care = async () =>
      (
        await db.query<{ fixed_contact_id: string | null; frailty_level: number | null }>(
          'SELECT fixed_contact_id, frailty_level FROM patients WHERE id = $1',
          [patient],
        )
      ).rows[0];
    await setPatientCare(db, { patientId: patient, contactId: nurse.id });
    expect(await care()).toEqual({ fixed_contact_id: nurse.id, frailty_level: null });
    await setPatientCare(db, { patientId: patient, frailty: 6 });
    expect(await care()).toEqual({ fixed_contact_id: nurse.id, frailty_level: 6 });
    await setPatientCare(db, { patientId: patient });
    expect(await care()).toEqual({ fixed_contact_id: nurse.id, frailty_level: 6 });
  });

  it('names the staff member by the username when no name is given, and refuses a taken one', async () => {
    const { id } = await addStaff(db, { unitId: unit, username: 'no.name', role: 'physician' });
    const { rows } = await db.query<{ display_name: string }>(
      'SELECT display_name FROM staff WHERE id = $1',
      [id],
    );
    expect(rows[0]?.display_name).toBe('no.name');
    expect(
      await refusal(addStaff(db, { unitId: unit, username: 'no.name', role: 'nurse' })),
    ).toEqual({ code: 'conflict', field: 'username' });
  });
});
