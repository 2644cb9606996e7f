// Messages that once stopped the hub (issue 16), sent over MQTT to a real hub in either mode:
// each is answered `rejected` and recorded, the hub stays ready, and a valid reading right after
// it is stored and judged.
import { describe, expect, it } from 'vitest';
import type { Rejection } from '../../server/shapes/reading.js';
import { pruneRejected, storeBatch } from '../../server/store/readings.js';
import { weight } from './device.js';
import { registerPatientWithDevice, type Mode } from './hub.js';
import { hubWithPatientDevice } from './hubSuite.js';

const nested = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);
const reading = (extra: Record<string, unknown>) => JSON.stringify(weight(70, extra));
const pulse = (unit: string) => reading({ type: 'heart_rate', unit });

/** What a device sent, and the reason the hub must answer with. */
const poison: [name: string, payload: string | Buffer, reason: string][] = [
  ...['valueOf', '__proto__', 'hasOwnProperty', 'toString', 'constructor'].map(
    (unit): [string, string, string] => [`a pulse in the unit ${unit}`, pulse(unit), 'bad_unit'],
  ),
  [
    'a blood pressure in the unit valueOf',
    reading({
      type: 'blood_pressure',
      value: undefined,
      systolic: 120,
      diastolic: 80,
      unit: 'valueOf',
    }),
    'bad_unit',
  ],
  [
    'a type nested 4,100 arrays deep',
    reading({ type: '@' }).replace('"@"', nested(4_100, '"spo2"')),
    'invalid_shape',
  ],
  [
    'a batch item nested 4,100 arrays deep',
    `{"readings":[${nested(4_100, '1')}]}`,
    'invalid_shape',
  ],
  ...['0001-01-01T00:00:00Z', '1000-01-01T00:00:00Z', '1900-01-01T00:00:00Z'].map(
    (measuredAt): [string, string, string] => [
      `a reading of ${measuredAt}`,
      reading({ measuredAt }),
      'old_timestamp',
    ],
  ),
  ['a payload that begins with a NUL byte', Buffer.from([0, 0x7b]), 'not_json'],
  ['a messageId with half a surrogate pair', reading({ messageId: 'm-\uD800' }), 'invalid_shape'],
  ['a type of 250,000 characters', reading({ type: 'x'.repeat(250_000) }), 'unknown_type'],
];

export function describePoison(mode: Mode) {
  describe(`poison messages (${mode} mode)`, () => {
    const t = hubWithPatientDevice(mode);

    const ready = async () => (await fetch(`${t.env.hub.urls.http}/readyz`)).status;
    const rejections = async () =>
      (
        await t.env.hub.db.query<{ reason: string; errors: unknown; size: number }>(
          `SELECT reason, errors, octet_length(errors::text) AS size FROM rejected_messages
           WHERE device_id = $1 ORDER BY id`,
          [t.reg.deviceId],
        )
      ).rows;
    const spo2Alerts = async () => {
      await t.env.hub.rules.idle();
      return (
        await t.env.hub.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM alerts WHERE patient_id = $1 AND rule = 'spo2.very_low'`,
          [t.reg.patientId],
        )
      ).rows[0]!.n;
    };

    it.each(poison)(
      'answers %s with a rejection, records it once, and stays ready',
      async (_, payload, reason) => {
        t.device.receipts.length = 0;
        const before = (await rejections()).length;
        await t.device.publish(payload);
        const [receipt] = await t.device.waitForReceipts(1);
        expect(receipt).toMatchObject({ status: 'rejected', reason });
        const recorded = (await rejections()).slice(before);
        expect(recorded).toHaveLength(1);
        expect(recorded[0]!.reason).toBe(reason);
        expect(recorded[0]!.size).toBeLessThan(16_000);
        expect(await ready()).toBe(200);

        // a valid reading right after it is stored and judged
        t.device.receipts.length = 0;
        const alertsBefore = await spo2Alerts();
        await t.env.hub.db.query(
          `UPDATE alerts SET status = 'resolved', resolved_at = now() WHERE patient_id = $1`,
          [t.reg.patientId],
        );
        const spo2 = weight(80, { type: 'spo2', unit: '%' });
        await t.device.publish(spo2);
        expect(await t.device.waitForReceipts(1)).toEqual([
          { messageId: spo2.messageId, status: 'accepted' },
        ]);
        expect(await spo2Alerts()).toBe(alertsBefore + 1);
      },
    );

    it('keeps rejected messages for the retention, at most the cap of each device, newest first', async () => {
      const other = await registerPatientWithDevice(t.env.hub);
      const day = 86_400_000;
      const refusal = (deviceId: string, messageId: string, daysAgo: number): Rejection => ({
        deviceId,
        messageId,
        reason: 'bad_unit',
        errors: [{ path: 'unit', message: 'test' }],
        receivedAt: new Date(Date.now() - daysAgo * day),
      });
      await storeBatch(
        t.env.hub.db,
        [],
        [
          refusal(other.deviceId, 'old', 100),
          ...[5, 4, 3, 2, 1].map((d) => refusal(other.deviceId, `d${d}`, d)),
          refusal(t.reg.deviceId, 'kept', 1),
        ],
      );
      const ids = async (deviceId: string) =>
        (
          await t.env.hub.db.query<{ message_id: string }>(
            'SELECT message_id FROM rejected_messages WHERE device_id = $1 ORDER BY received_at',
            [deviceId],
          )
        ).rows.map((r) => r.message_id);
      const mine = await ids(t.reg.deviceId); // the rejections of the tests above, and 'kept'
      const deleted = await pruneRejected(t.env.hub.db, {
        before: new Date(Date.now() - 90 * day),
        perDevice: 3,
      });
      expect(await ids(other.deviceId)).toEqual(['d3', 'd2', 'd1']);
      expect(await ids(t.reg.deviceId)).toEqual(mine.slice(-3));
      expect(deleted).toBe(3 + mine.length - 3);
    });

    it('judges the valid readings of a batch whose other reading is dated year 0001', async () => {
      t.device.receipts.length = 0;
      await t.env.hub.db.query(
        `UPDATE alerts SET status = 'resolved', resolved_at = now() WHERE patient_id = $1`,
        [t.reg.patientId],
      );
      const before = await spo2Alerts();
      const ancient = weight(80, { type: 'spo2', unit: '%', measuredAt: '0001-01-01T00:00:00Z' });
      const now = weight(80, { type: 'spo2', unit: '%' });
      await t.device.publish({ readings: [ancient, now] });
      const receipts = await t.device.waitForReceipts(2);
      // receipts come in the order the hub settles them: the stored readings' first
      expect(receipts).toHaveLength(2);
      expect(receipts).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            messageId: ancient.messageId,
            index: 0,
            status: 'rejected',
            reason: 'old_timestamp',
          }),
          { messageId: now.messageId, status: 'accepted' },
        ]),
      );
      expect(await spo2Alerts()).toBe(before + 1);
    });
  });
}
