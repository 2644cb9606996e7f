// The screens a Swedish district nurse works from, at the sizes she has them (issue 18): the
// triage list, an alert expanded to say why it came, and the patient list, on a desk screen, a
// tablet and a 360-px phone, in Swedish and English. Each must fit its width (no sideways
// scrolling) and say what it should. Written to test-results/e2e/docs/; with DOCS_SCREENSHOTS=1
// also to docs/screenshots/, which the README shows (re-run after a visible change).
import { copyFile, mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { addDevice, registerPatient } from '../../server/registry/index.js';
import {
  launchChromium,
  requireDashboardAndChromium,
  SHOTS,
  signInThroughPage,
} from '../support/browser.js';
import { connectDevice, weight } from '../support/device.js';
import { seedWeightAlerts } from '../support/explanationSeed.js';
import { startTestHub, type TestEnv } from '../support/hub.js';

const OUT = `${SHOTS}/docs`;
const DOCS = process.env.DOCS_SCREENSHOTS === '1' ? 'docs/screenshots' : null;
const MINUTE = 60_000;
const DAY = 86_400_000;

let env: TestEnv;
let browser: Browser;
let page: Page;
let patients: Record<string, string>;
const pageErrors: string[] = [];

/** A patient of Greta's care unit with a device, its readings sent and judged. */
async function patientWith(
  unitOf: string,
  name: string,
  readings: Record<string, unknown>[],
  frailty?: number,
): Promise<string> {
  const { rows } = await env.hub.db.query<{ care_unit_id: string }>(
    'SELECT care_unit_id FROM care_relationships WHERE patient_id = $1',
    [unitOf],
  );
  const p = await registerPatient(env.hub.db, { unitId: rows[0]!.care_unit_id, name });
  if (frailty) await runCommand({ db: env.hub.db }, 'patient set', { patient: p.id, frailty });
  const d = await addDevice(env.hub.db, { patientId: p.id });
  const dev = await connectDevice(env.hub.urls.mqtt, d.deviceId, d.secret);
  try {
    await dev.publish({ readings });
    await dev.waitForReceipts(1);
  } finally {
    await dev.close();
  }
  return p.id;
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const steadyWeights = (kg: number) =>
  Array.from({ length: 10 }, (_, i) =>
    weight(kg + (i % 3) * 0.1, { measuredAt: ago((10 - i) * DAY + 2 * 60 * MINUTE) }),
  );

async function shoot(name: string, target: Page | ReturnType<Page['locator']> = page) {
  const path = `${OUT}/${name}.png`;
  await target.screenshot({ path, ...(target === page ? { fullPage: true } : {}) });
  if (DOCS) await copyFile(path, `${DOCS}/${name}.png`);
}

const overflow = async () =>
  (await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  )) as number;

beforeAll(async () => {
  await requireDashboardAndChromium();
  await mkdir(OUT, { recursive: true });
  if (DOCS) await mkdir(DOCS, { recursive: true });
  env = await startTestHub('embedded');
  const seed = await seedWeightAlerts(env.hub);
  const greta = seed.patientId;
  await runCommand({ db: env.hub.db }, 'patient set', { patient: greta, frailty: 5 });
  patients = {
    greta,
    bengt: await patientWith(
      greta,
      'Bengt Karlsson',
      [{ messageId: 'spo2-1', measuredAt: ago(5 * MINUTE), type: 'spo2', value: 86, unit: '%' }],
      7,
    ),
    ingrid: await patientWith(greta, 'Ingrid Holm', [
      {
        messageId: 'bp-1',
        measuredAt: ago(40 * MINUTE),
        type: 'blood_pressure',
        systolic: 186,
        diastolic: 104,
        unit: 'mm[Hg]',
      },
    ]),
    sven: await patientWith(greta, 'Sven Ek', steadyWeights(74), 3),
  };
  await env.hub.rules.idle();

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await signInThroughPage(page, env.hub.urls.http, seed.nurse.username, seed.nurse.password);
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

const card = (patientId: string) =>
  page.locator(
    `[data-testid="patient-group"][data-patient-id="${patientId}"] [data-testid="alert-card"]`,
  );

describe('the screens, as a nurse has them', () => {
  it('the triage list: patients by their worst open problem', async () => {
    await card(patients.greta!).first().waitFor();
    await card(patients.ingrid!).first().waitFor();
    const order = await page
      .locator('[data-testid="triage-list"] > [data-testid="patient-group"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-patient-id')));
    // the critical SpO2 first; the two high ones after it
    expect(order[0]).toBe(patients.bengt);
    expect(order).toHaveLength(3);
    expect(order).not.toContain(patients.sven);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shoot('triage-sv');
  });

  it('an alert expanded: the rules that agree, their thresholds, the readings and the chart', async () => {
    const greta = card(patients.greta!).first();
    await greta.getByRole('button', { name: /Visa varför/ }).click();
    await greta.locator('svg').first().waitFor();
    const text = await greta.innerText();
    expect(text).toContain('Viktökning på 1 dygn');
    expect(text).toContain('Viktökning på 3 dygn');
    expect(text).toMatch(/personlig \(satt av Karin Sjöberg/);
    await shoot('alert-explained-sv', greta);
  });

  it('the patient list, with the patients who have no alert', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Patienter' }).click();
    const list = page.getByTestId('patient-list');
    await list.getByText('Sven Ek').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shoot('patient-list-sv');
  });

  it('fits a tablet and a 360-px phone', async () => {
    for (const [size, viewport] of [
      ['tablet', { width: 820, height: 1180 }],
      ['phone', { width: 360, height: 740 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.getByRole('navigation').getByRole('link', { name: 'Larmlista' }).click();
      await card(patients.bengt!).first().waitFor();
      expect(await overflow(), `triage list, ${size}`).toBeLessThanOrEqual(0);
      await shoot(`triage-sv-${size}`);
      await page.getByRole('navigation').getByRole('link', { name: 'Patienter' }).click();
      await page.getByTestId('patient-list').getByText('Sven Ek').waitFor();
      expect(await overflow(), `patient list, ${size}`).toBeLessThanOrEqual(0);
      await shoot(`patient-list-sv-${size}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('in English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('navigation').getByRole('link', { name: /alert/i }).first().click();
    await page.getByRole('heading', { name: 'Open alerts' }).waitFor();
    await card(patients.greta!)
      .first()
      .getByText(/Rules alerting/)
      .waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shoot('triage-en');
    await page.getByRole('button', { name: 'Svenska' }).click();
    expect(pageErrors).toEqual([]);
  });
});
