// One card per patient and problem, end to end (issue 18, item 2): a heart-failure patient's
// scale sends a steady fortnight, then a gain of 2.5 kg in a day, then the same back the next
// day. The nurse, signed in through the page in Debian's chromium, sees one weight card whose
// rules agree on the gain; when the loss comes it replaces the gain on that same card (never
// "ökat" and "minskat" open together), and the card's history says what changed.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import {
  launchChromium,
  requireDashboardAndChromium,
  SHOTS,
  signInThroughPage,
} from '../support/browser.js';
import { connectDevice, weight, type TestDevice } from '../support/device.js';
import {
  registerPatientWithDevice,
  startTestHub,
  type Registered,
  type TestEnv,
} from '../support/hub.js';

const DAY = 86_400_000;

let env: TestEnv;
let reg: Registered;
let nurse: { id: string; password: string };
let browser: Browser;
let page: Page;
let device: TestDevice;
const pageErrors: string[] = [];

beforeAll(async () => {
  await requireDashboardAndChromium();
  env = await startTestHub('embedded');
  reg = await registerPatientWithDevice(env.hub);
  const ctx = { db: env.hub.db };
  nurse = (await runCommand(ctx, 'staff add', {
    unit: reg.unitId,
    username: 'karin.berg',
    role: 'nurse',
    name: 'Karin Berg',
  })) as { id: string; password: string };
  await runCommand(ctx, 'patient set', { patient: reg.patientId, contact: nurse.id });
  // a steady fortnight, one weight a day (each on a day of its own)
  device = await connectDevice(env.mqttUrl, reg.deviceId, reg.secret);
  const steady = Array.from({ length: 14 }, (_, i) =>
    weight(80 + (i % 2) * 0.1, { measuredAt: new Date(Date.now() - (15 - i) * DAY).toISOString() }),
  );
  await device.publish({ readings: steady });
  await device.waitForReceipts(1);

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1180, height: 820 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await signInThroughPage(page, env.hub.urls.http, 'karin.berg', nurse.password);
});

afterAll(async () => {
  await device?.close();
  await browser?.close();
  await env?.close();
});

describe('one card per patient and problem', () => {
  const cards = () =>
    page.locator(
      `[data-testid="patient-group"][data-patient-id="${reg.patientId}"] [data-testid="alert-card"]`,
    );

  it('shows a gain as one weight card on which the rules agree', async () => {
    // yesterday (a day and a minute ago: always the day before, whatever the hour)
    await device.publish(
      weight(82.5, { measuredAt: new Date(Date.now() - DAY - 60_000).toISOString() }),
    );
    await cards().first().waitFor({ timeout: 20_000 });
    const card = cards().first();
    await expect
      .poll(() => card.getByTestId('agreeing-rules').innerText())
      .toMatch(/Viktökning på 1 dygn/);
    expect(await card.getByTestId('agreeing-rules').innerText()).toMatch(/Viktökning på 3 dygn/);
    expect(await cards().count()).toBe(1);
  });

  it('replaces the gain with the loss on that same card, and its history says what changed', async () => {
    const card = cards().first();
    const alertId = await card.getAttribute('data-alert-id');
    await device.publish(weight(80.0));
    await expect
      .poll(() => card.locator('.reason').innerText(), { timeout: 20_000 })
      .toMatch(/ned|minsk/i);
    expect(await cards().count()).toBe(1);
    expect(await card.getAttribute('data-alert-id')).toBe(alertId);
    expect(await card.innerText()).not.toMatch(/Viktökning/);

    // the patient's record: the card with its history
    await card.getByRole('link').first().click();
    const item = page
      .getByTestId('patient-view')
      .locator('li', { has: page.locator(`[data-alert-id="${alertId}"]`) });
    await item.getByText('Händelser').click();
    const changes = item.getByTestId('problem-change');
    await expect.poll(() => changes.count()).toBeGreaterThanOrEqual(2);
    // the loss's rules may come as one update or two (one per rule): the turn is the one that
    // drops the gains
    const turn = async () => (await changes.allInnerTexts()).find((t) => /inte längre/.test(t));
    await expect.poll(turn).toMatch(/^Vikt 82,5 → 80,0 kg; nu även: Viktminskning/);
    expect(await turn()).toMatch(/inte längre: .*Viktökning på 1 dygn/);
    expect((await changes.allInnerTexts()).join(' ')).toContain('Viktminskning på 1 dygn');
    await page.screenshot({ path: `${SHOTS}/one-card-per-problem.png`, fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await expect
      .poll(async () => (await changes.allInnerTexts()).find((t) => /no longer/.test(t)))
      .toMatch(
        /^Weight 82\.5 → 80\.0 kg; now also: Weight loss.*; no longer: .*Weight gain in 1 day/,
      );
    expect(pageErrors).toEqual([]);
  });
});
