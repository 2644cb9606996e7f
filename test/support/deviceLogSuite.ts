// A device's log for staff ("my readings don't arrive"): a registered device sends a good
// reading and two that are refused over MQTT; its patient's nurse reads the log through the staff
// API and finds all three, the refusals with their reasons, errors and what was sent. Another
// unit's device is as unknown as one that does not exist, and every read is in the audit trail.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeviceLog } from '../../contract/devices.js';
import { auditOf } from '../../server/audit/log.js';
import { addStaff } from '../../server/registry/index.js';
import { weight } from './device.js';
import type { Mode } from './hub.js';
import { hubWithPatientDevice } from './hubSuite.js';
import { signIn } from './realtimeSuite.js';

export function describeDeviceLog(mode: Mode) {
  describe(`a device's log (${mode} mode)`, () => {
    // two patients, each in a unit of their own, each with a connected device
    const t = hubWithPatientDevice(mode, { patients: 2 });
    const good = weight(82.4, { deviceStatus: ['body_movement'] });
    const implausible = weight(999);
    let nurse: { id: string; cookie: string };
    let admin: { id: string; cookie: string };

    const get = async (path: string, cookie: string) => {
      const res = await fetch(`${t.env.hub.urls.http}/api/v1${path}`, { headers: { cookie } });
      return { status: res.status, body: (await res.json()) as DeviceLog & { error?: unknown } };
    };

    beforeAll(async () => {
      const db = t.env.hub.db;
      const http = t.env.hub.urls.http;
      const unit = t.patients[0]!.unitId;
      const n = await addStaff(db, { unitId: unit, username: 'nurse.log', role: 'nurse' });
      const a = await addStaff(db, { unitId: unit, username: 'admin.log', role: 'admin' });
      nurse = { id: n.id, cookie: await signIn(http, 'nurse.log', n.password) };
      admin = { id: a.id, cookie: await signIn(http, 'admin.log', a.password) };

      await t.device.publish(good);
      await t.device.publish(implausible);
      // a payload that begins with a NUL byte: not JSON
      await t.device.publish(Buffer.from([0x00, 0x7b, 0x22]));
      const receipts = await t.device.waitForReceipts(3);
      expect(receipts.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    });

    it('shows the reading delivered and the messages refused, with their reasons', async () => {
      const before = Date.now();
      const { status, body } = await get(`/devices/${t.reg.deviceId}/log`, nurse.cookie);
      expect(status).toBe(200);
      expect(body.device).toMatchObject({
        id: t.reg.deviceId,
        patientId: t.reg.patientId,
        revokedAt: null,
        timeZone: 'Europe/Stockholm',
      });

      expect(body.readings).toEqual([
        {
          messageId: good.messageId,
          type: 'body_weight',
          value: 82.4,
          systolic: null,
          diastolic: null,
          pulse: null,
          code: null,
          unit: 'kg',
          measuredAt: new Date(good.measuredAt).toISOString(),
          receivedAt: body.lastSeenAt,
          deviceStatus: ['body_movement'],
          questionable: true,
        },
      ]);
      expect(before - Date.parse(body.lastSeenAt!)).toBeLessThan(60_000);

      // newest received first
      const [notJson, refused] = body.refused;
      expect(refused).toMatchObject({
        reason: 'implausible_value',
        messageId: implausible.messageId,
        errors: [{ path: 'value', message: expect.stringContaining('999') }],
        previewCut: false,
        payloadSize: Buffer.byteLength(JSON.stringify(implausible)),
      });
      expect(refused!.preview).toBe(JSON.stringify(implausible));
      expect(notJson).toMatchObject({
        reason: 'not_json',
        messageId: null,
        preview: '\\u{0}{"',
        previewCut: false,
        payloadSize: 3,
      });

      expect(body.recent.accepted).toBe(1);
      expect(body.recent.refused).toEqual([
        { reason: 'implausible_value', count: 1 },
        { reason: 'not_json', count: 1 },
      ]);
      expect(before - Date.parse(body.recent.since)).toBeGreaterThan(7 * 86_400_000 - 60_000);
    });

    it('shows as many of each as asked, and names a bad limit', async () => {
      const { body } = await get(`/devices/${t.reg.deviceId}/log?limit=1`, nurse.cookie);
      expect(body.readings).toHaveLength(1);
      expect(body.refused.map((r) => r.reason)).toEqual(['not_json']);
      for (const limit of ['0', '201', 'ten']) {
        const bad = await get(`/devices/${t.reg.deviceId}/log?limit=${limit}`, nurse.cookie);
        expect(bad.status).toBe(400);
        expect(bad.body.error).toMatchObject({ code: 'invalid', field: 'limit' });
      }
    });

    it("lets the unit's admins read it too, as they manage devices", async () => {
      const { status, body } = await get(`/devices/${t.reg.deviceId}/log`, admin.cookie);
      expect(status).toBe(200);
      expect(body.refused).toHaveLength(2);
    });

    it("answers 404 for another unit's device, as for one that does not exist", async () => {
      const other = await get(`/devices/${t.patients[1]!.deviceId}/log`, nurse.cookie);
      const unknown = await get('/devices/dev_nonexistent/log', nurse.cookie);
      expect(other.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(other.body.error).toMatchObject({ code: 'not_found' });
    });

    it("records each read in the patient's audit trail, with the device", async () => {
      const trail = await auditOf(t.env.hub.db, t.reg.patientId);
      const reads = trail.filter((e) => e.action === 'device.log.read');
      // the nurse's two reads that answered (neither a refused limit nor another unit's device is a
      // read of this patient) and the admin's
      expect(reads.map((e) => e.staffId).sort()).toEqual([nurse.id, nurse.id, admin.id].sort());
      const { rows } = await t.env.hub.db.query<{ detail: unknown }>(
        `SELECT detail FROM audit_log WHERE patient_id = $1 AND action = 'device.log.read'`,
        [t.reg.patientId],
      );
      expect(rows.map((r) => r.detail)).toEqual(rows.map(() => ({ deviceId: t.reg.deviceId })));
      // nothing of the other patient was read
      const otherTrail = await auditOf(t.env.hub.db, t.patients[1]!.patientId);
      expect(otherTrail.filter((e) => e.action === 'device.log.read')).toEqual([]);
    });
  });
}
