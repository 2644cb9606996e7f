// The device contract, as devices see it, run against a real hub in either mode.
import { describe, expect, it } from 'vitest';
import { topics } from '../../devices/contract.js';
import { encodeGatt } from '../../devices/gatt/index.js';
import { connectDevice, weight } from './device.js';
import { addDevice, type Mode } from './hub.js';
import { hubWithPatientDevice } from './hubSuite.js';

export function describeDeviceContract(mode: Mode) {
  describe(`device contract (${mode} mode)`, () => {
    const t = hubWithPatientDevice(mode);

    const rowsFor = async (messageId: string) =>
      (
        await t.env.hub.db.query<Record<string, unknown>>(
          'SELECT * FROM readings WHERE device_id = $1 AND message_id = $2',
          [t.reg.deviceId, messageId],
        )
      ).rows;
    const lastRejection = async () =>
      (
        await t.env.hub.db.query<{
          reason: string;
          errors: { path: string }[];
          payload_size: number;
        }>(
          'SELECT reason, errors, payload_size FROM rejected_messages WHERE device_id = $1 ORDER BY id DESC LIMIT 1',
          [t.reg.deviceId],
        )
      ).rows[0];
    const fresh = () => {
      t.device.receipts.length = 0;
    };

    it('stores a valid reading once and answers "accepted"', async () => {
      fresh();
      const r = weight(82.4);
      await t.device.publish(r);
      const [receipt] = await t.device.waitForReceipts(1);
      expect(receipt).toEqual({ messageId: r.messageId, status: 'accepted' });
      const rows = await rowsFor(r.messageId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        patient_id: t.reg.patientId,
        type: 'body_weight',
        value: 82.4,
        unit: 'kg',
      });
      expect(new Date(rows[0]!.measured_at as string).toISOString()).toBe(r.measuredAt);
    });

    it('stores a weight sent in pounds in kilograms, keeping what the device sent', async () => {
      fresh();
      const r = weight(180, { unit: '[lb_av]' });
      await t.device.publish(r);
      await t.device.waitForReceipts(1);
      const [row] = await rowsFor(r.messageId);
      expect(row).toMatchObject({ value: 81.647, unit: 'kg' });
      expect(row!.details).toMatchObject({ sourceUnit: '[lb_av]', sourceValues: { value: 180 } });
    });

    it('stores a JSON blood pressure with its pulse, and a consciousness level, as sent', async () => {
      fresh();
      const bp = weight(0, {
        type: 'blood_pressure',
        value: undefined,
        systolic: 142,
        diastolic: 88,
        pulse: 71,
        unit: 'mm[Hg]',
        context: { position: 'sitting', note: 'after a walk' },
      });
      const acvpu = weight(0, { type: 'consciousness', value: 'V', unit: undefined });
      await t.device.publish({ readings: [bp, acvpu] });
      const receipts = await t.device.waitForReceipts(2);
      expect(receipts.map((x) => x.status)).toEqual(['accepted', 'accepted']);
      const [bpRow] = await rowsFor(bp.messageId);
      expect(bpRow).toMatchObject({
        systolic: 142,
        diastolic: 88,
        pulse: 71,
        value: null,
        code: null,
        unit: 'mm[Hg]',
      });
      expect(bpRow!.details).toMatchObject({
        context: { position: 'sitting', note: 'after a walk' },
      });
      const [acvpuRow] = await rowsFor(acvpu.messageId);
      expect(acvpuRow).toMatchObject({ type: 'consciousness', code: 'V', value: null });
    });

    it('decodes and stores a raw GATT blood-pressure measurement', async () => {
      fresh();
      // 120/80 mmHg, mean 93, no time stamp (the example of the Blood Pressure Service)
      await t.device.publishGatt(
        '2a35',
        Uint8Array.from([0x00, 0x78, 0x00, 0x50, 0x00, 0x5d, 0x00]),
      );
      const [receipt] = await t.device.waitForReceipts(1);
      expect(receipt!.status).toBe('accepted');
      const [row] = await rowsFor(receipt!.messageId!);
      expect(row).toMatchObject({
        type: 'blood_pressure',
        systolic: 120,
        diastolic: 80,
        unit: 'mm[Hg]',
      });
      expect(row!.details).toMatchObject({
        source: 'gatt',
        gattUuid: '2a35',
        timeFromReceipt: true,
      });
    });

    it('treats a resent time-stamped GATT weight as a duplicate', async () => {
      fresh();
      const { bytes } = encodeGatt(
        {
          type: 'body_weight',
          value: 70,
          unit: 'kg',
          measuredAt: '2026-11-20T07:30:00+01:00',
          deviceStatus: [],
        },
        { timeZone: 'Europe/Stockholm' },
      );
      await t.device.publishGatt('2a9d', bytes);
      await t.device.publishGatt('2a9d', bytes);
      const receipts = await t.device.waitForReceipts(2);
      expect(receipts.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
      expect(await rowsFor(receipts[0]!.messageId!)).toHaveLength(1);
    });

    it('stores a repeated messageId once and answers "duplicate"', async () => {
      fresh();
      const r = weight(80.1);
      // a retransmission, sent before the first copy's receipt: with several commit lanes
      // (services mode) either copy may be the one stored, so the answers come in either order
      await t.device.publish(r);
      await t.device.publish(r);
      const receipts = await t.device.waitForReceipts(2);
      expect(receipts.map((x) => x.status).sort()).toEqual(['accepted', 'duplicate']);
      const rows = await rowsFor(r.messageId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.value).toBe(80.1);
    });

    it('answers a messageId used again later "duplicate" and keeps the first reading', async () => {
      fresh();
      const r = weight(80.2);
      await t.device.publish(r);
      await t.device.waitForReceipts(1);
      await t.device.publish({ ...r, value: 99 });
      const receipts = await t.device.waitForReceipts(2);
      expect(receipts.map((x) => x.status)).toEqual(['accepted', 'duplicate']);
      const rows = await rowsFor(r.messageId);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.value).toBe(80.2);
    });

    it('answers each reading of a batch with its own receipt', async () => {
      fresh();
      const readings = [
        weight(81),
        { ...weight(0), type: 'heart_rate', value: 64, unit: '/min' },
        weight(999),
      ];
      await t.device.publish({ readings });
      const receipts = await t.device.waitForReceipts(3);
      const byId = new Map(receipts.map((r) => [r.messageId, r]));
      expect(byId.get(readings[0]!.messageId)!.status).toBe('accepted');
      expect(byId.get(readings[1]!.messageId)!.status).toBe('accepted');
      expect(byId.get(readings[2]!.messageId)).toMatchObject({
        status: 'rejected',
        index: 2,
        reason: 'implausible_value',
        errors: [{ path: 'value' }],
      });
    });

    const future = new Date(Date.now() + 60 * 60_000).toISOString();
    const badInputs: [string, () => string | Buffer, string, string][] = [
      ['a payload that is not JSON', () => '{"messageId": "x", ', 'not_json', '(payload)'],
      [
        'an unknown type',
        () => JSON.stringify(weight(80, { type: 'mood' })),
        'unknown_type',
        'type',
      ],
      ['a wrong unit', () => JSON.stringify(weight(80, { unit: 'stone' })), 'bad_unit', 'unit'],
      ['an implausible value', () => JSON.stringify(weight(4000)), 'implausible_value', 'value'],
      [
        'a timestamp in the future',
        () => JSON.stringify(weight(80, { measuredAt: future })),
        'future_timestamp',
        'measuredAt',
      ],
      [
        'a timestamp without an offset',
        () => JSON.stringify(weight(80, { measuredAt: '2026-11-23T07:02:11' })),
        'invalid_shape',
        'measuredAt',
      ],
      [
        'a messageId with a NUL character (the database cannot store it)',
        () => JSON.stringify(weight(80, { messageId: `nul-\u0000-${Date.now()}` })),
        'invalid_shape',
        'messageId',
      ],
      [
        'a note with a NUL character',
        () => JSON.stringify(weight(80, { context: { note: 'before\u0000after' } })),
        'invalid_shape',
        'context.note',
      ],
      [
        'a batch over 500 readings',
        () => JSON.stringify({ readings: Array.from({ length: 501 }, () => weight()) }),
        'batch_too_large',
        'readings',
      ],
      [
        'a payload over the size limit',
        () => JSON.stringify({ ...weight(), context: { note: 'x'.repeat(300_000) } }),
        'payload_too_large',
        '(payload)',
      ],
    ];
    it.each(badInputs)(
      'rejects %s with a receipt naming the field, records it, and still stores the readings around it',
      async (_name, payload, reason, path) => {
        fresh();
        const before = weight(81.1);
        const after = weight(81.2);
        await t.device.publish(before);
        await t.device.publish(payload());
        await t.device.publish(after);
        const receipts = await t.device.waitForReceipts(3);
        const rejected = receipts.find((r) => r.status === 'rejected');
        expect(rejected?.reason).toBe(reason);
        expect(rejected?.errors?.[0]?.path).toBe(path);
        expect(rejected?.errors?.[0]?.message.length).toBeGreaterThan(10);
        expect(await lastRejection()).toMatchObject({ reason, errors: [{ path }] });
        expect(await rowsFor(before.messageId)).toHaveLength(1);
        expect(await rowsFor(after.messageId)).toHaveLength(1);
      },
    );

    it('answers a reading the database will neither store nor record, and stores the others', async () => {
      // a fault in the database itself (here a trigger), not in the reading: nothing the hub
      // can do but answer, log it and go on
      await t.env.hub.db.exec(`
        CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.message_id LIKE 'poison-%' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER refuse_poison BEFORE INSERT ON readings
          FOR EACH ROW EXECUTE FUNCTION refuse_poison();
        CREATE TRIGGER refuse_poison BEFORE INSERT ON rejected_messages
          FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
      try {
        fresh();
        const before = weight(81.3);
        const poison = weight(81.4, { messageId: `poison-${Date.now()}` });
        const after = weight(81.5);
        await t.device.publish({ readings: [before, poison, after] });
        const receipts = await t.device.waitForReceipts(3);
        expect(receipts.find((r) => r.messageId === poison.messageId)).toMatchObject({
          status: 'rejected',
          errors: [{ path: '(reading)' }],
        });
        expect(await rowsFor(before.messageId)).toHaveLength(1);
        expect(await rowsFor(after.messageId)).toHaveLength(1);
        // the hub goes on: the next message is stored as usual
        const next = weight(81.6);
        await t.device.publish(next);
        await t.device.waitForReceipts(4);
        expect(await rowsFor(next.messageId)).toHaveLength(1);
      } finally {
        await t.env.hub.db.exec(`
          DROP TRIGGER refuse_poison ON readings;
          DROP TRIGGER refuse_poison ON rejected_messages;
          DROP FUNCTION refuse_poison();`);
      }
    });

    it('refuses readings from a revoked device', async () => {
      const other = await addDevice(t.env.hub, t.reg.patientId);
      const d = await connectDevice(t.env.mqttUrl, other.deviceId, other.secret);
      const ok = weight(77);
      await d.publish(ok);
      await d.waitForReceipts(1);
      await t.env.hub.db.query('UPDATE devices SET revoked_at = now() WHERE id = $1', [
        other.deviceId,
      ]);
      t.env.hub.broker.deviceRevoked(other.deviceId);
      const late = weight(78);
      if (mode === 'embedded') {
        // the hub drops the connection, and a new one is refused at CONNECT
        await expect(connectDevice(t.env.mqttUrl, other.deviceId, other.secret)).rejects.toThrow(
          /Not authorized|Bad username/i,
        );
      } else {
        // the broker still lets it in; the hub refuses its readings with a receipt
        await d.publish(late);
        const receipts = await d.waitForReceipts(2);
        expect(receipts[1]).toMatchObject({
          messageId: late.messageId,
          status: 'rejected',
          reason: 'revoked_device',
          errors: [{ path: '(device)' }],
        });
      }
      await d.close().catch(() => {});
      expect(
        (await t.env.hub.db.query('SELECT 1 FROM readings WHERE device_id = $1', [other.deviceId]))
          .rows,
      ).toHaveLength(1);
    });

    if (mode === 'services') {
      it('refuses readings from a device the hub does not know, with a receipt', async () => {
        const stranger = await connectDevice(t.env.mqttUrl, 'dev_notregistered', 'any');
        await stranger.publish(weight(75));
        const [receipt] = await stranger.waitForReceipts(1);
        expect(receipt).toMatchObject({
          status: 'rejected',
          reason: 'unknown_device',
          errors: [{ path: '(device)' }],
        });
        expect(receipt!.errors![0]!.message).toMatch(/not registered/);
        await stranger.close();
      });
    }

    if (mode === 'embedded') {
      it('acknowledges a QoS 1 reading only once it is in the database', async () => {
        for (let i = 0; i < 20; i++) {
          const r = weight(70 + i / 10);
          await t.device.publish(r); // resolves on PUBACK
          expect(await rowsFor(r.messageId)).toHaveLength(1);
        }
      });

      it('refuses a device with a wrong secret at CONNECT', async () => {
        await expect(
          connectDevice(t.env.mqttUrl, t.reg.deviceId, 'not-the-secret'),
        ).rejects.toThrow(/Bad username or password/i);
      });

      it("refuses a publish to another device's topic and stores nothing from it", async () => {
        const other = await addDevice(t.env.hub, t.reg.patientId);
        const intruder = await connectDevice(t.env.mqttUrl, t.reg.deviceId, t.reg.secret, {
          subscribe: false,
        });
        const r = weight(70);
        const closed = new Promise<void>((resolve) =>
          intruder.client.once('close', () => resolve()),
        );
        intruder.client.publish(topics.readings(other.deviceId), JSON.stringify(r), { qos: 1 });
        await closed; // the broker ends a connection that breaks the rules
        expect(
          (
            await t.env.hub.db.query('SELECT 1 FROM readings WHERE device_id = $1', [
              other.deviceId,
            ])
          ).rows,
        ).toHaveLength(0);
        await intruder.close().catch(() => {});
      });

      it("refuses to subscribe to another device's receipts", async () => {
        const other = await addDevice(t.env.hub, t.reg.patientId);
        const d = await connectDevice(t.env.mqttUrl, t.reg.deviceId, t.reg.secret, {
          subscribe: false,
        });
        await expect(
          d.client.subscribeAsync(topics.receipts(other.deviceId), { qos: 1 }),
        ).rejects.toThrow(/Subscribe error/);
        await d.close();
      });
    }
  });
}
