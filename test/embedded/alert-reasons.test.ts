// An alert's reason as the API and the pushes show it, read back from the database: a new alert
// stores its reason as a code with parameters and is said in both languages when read; one
// stored before reasons were codes (its finding's reason two finished sentences) still shows
// the text stored then. No migration: alerts.finding is jsonb.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reason } from '../../contract/reasons.js';
import { runCommand } from '../../server/admin/commands/index.js';
import { createAlerts } from '../../server/alerts/lifecycle.js';
import { alertsOfPatient, alertView } from '../../server/alerts/views.js';
import type { Finding } from '../../server/rules/types.js';
import { openPglite, type Db } from '../../server/store/db.js';
import { migrate } from '../../server/store/migrate.js';
import { finding } from '../support/finding.js';

const now = new Date('2026-11-23T08:00:00Z');

describe("an alert's reason, stored and read", () => {
  let db: Db;
  let patientId: string;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    const org = (await runCommand({ db }, 'org add', { name: 'R', kind: 'region' })) as {
      id: string;
    };
    const unit = (await runCommand({ db }, 'unit add', { org: org.id, name: 'VC' })) as {
      id: string;
    };
    patientId = (
      (await runCommand({ db }, 'patient add', { unit: unit.id, name: 'P' })) as { id: string }
    ).id;
  });
  afterAll(() => db?.close());

  it('stores a new one as a code with parameters and says it in both languages when read', async () => {
    const alerts = createAlerts(db);
    const f: Finding = {
      ...finding('spo2.low', 'high'),
      reason: {
        ...reason('spo2.low', { spo2: 90, oxygen: false, limit: 92 }),
        notes: [reason('remeasure.no_repeat', { minutes: 30 })],
      },
    };
    const { alertId } = await alerts.raise(patientId, f, now);
    const { rows } = await db.query<{ reason: unknown }>(
      "SELECT finding->'reason' AS reason FROM alerts WHERE id = $1",
      [alertId],
    );
    expect(rows[0]!.reason).toEqual(f.reason);

    const view = await alertView(db, () => now)(alertId);
    expect(view).toMatchObject({
      reason: {
        sv: 'Syremättnad 90 %: låg (under 92 %); kontakt samma dag. Ingen ny mätning inom 30 minuter.',
        en: 'SpO2 90 %: low (under 92 %); contact the same day. No repeat measurement within 30 minutes.',
      },
      reasonCode: 'spo2.low',
      reasonParams: { spo2: 90, oxygen: false, limit: 92 },
      reasonNotes: [{ code: 'remeasure.no_repeat', params: { minutes: 30 } }],
    });
  });

  it('shows one stored before reasons were codes with the text stored then', async () => {
    const alerts = createAlerts(db);
    const text = {
      sv: 'Puls 150/min: mycket hög (över 130)',
      en: 'Pulse 150/min: very high (over 130)',
    };
    // what the hub stored before: the finding's reason as two finished sentences
    const old = { ...finding('pulse.very_high', 'critical'), reason: text } as unknown as Finding;
    const { alertId } = await alerts.raise(patientId, old, now);

    const view = await alertView(db, () => now)(alertId);
    expect(view).toMatchObject({
      reason: text,
      reasonCode: null,
      reasonParams: null,
      reasonNotes: [],
    });
    // and the CLI's list says it too, as it does a new one
    const listed = await alertsOfPatient(db, patientId);
    expect(listed.find((a) => a.id === alertId)!.reason).toEqual(text);
    expect(listed.find((a) => a.rule === 'spo2.low')!.reason.en).toMatch(/^SpO2 90 %: low/);
  });
});
