// The nurses' dashboard end to end: an embedded hub serves the built dashboard (dashboards/dist)
// and the API; a nurse signs in through the page in Debian's chromium; a device publishes an
// SpO2 of 85 % over MQTT; the critical alert appears in the triage list without a reload, with
// the banner; the nurse acknowledges it, opens the patient, sees the trend chart and resolves the
// alert with a note; a reading measured 30 hours ago shows as a late one, with its measured time
// and age, in both languages. Screenshots go to test-results/e2e/.
//
// E2E_SERVE=vite serves dashboards/dist with `vite preview` instead, proxying /api and
// /socket.io to the test hub: for working on the dashboard before the hub serves it.
import { preview, type PreviewServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../server/admin/commands/index.js';
import { formatDateTime } from '../../dashboards/src/format.js';
import { launchChromium, requireDashboardAndChromium, SHOTS } from '../support/browser.js';
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
let base: string;
let vite: PreviewServer | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  await requireDashboardAndChromium();
  env = await startTestHub('embedded');
  base = env.hub.urls.http;
  if (process.env.E2E_SERVE === 'vite') {
    process.env.HUB_URL = env.hub.urls.http;
    vite = await preview({
      configFile: 'dashboards/vite.config.ts',
      preview: { port: 0, host: '127.0.0.1' },
      logLevel: 'warn',
    });
    base = vite.resolvedUrls!.local[0]!.replace(/\/$/, '');
  }
  reg = await registerPatientWithDevice(env.hub);
  const ctx = { db: env.hub.db };
  nurse = (await runCommand(ctx, 'staff add', {
    unit: reg.unitId,
    username: 'anna.sjoberg',
    role: 'nurse',
    name: 'Anna Sjöberg',
  })) as { id: string; password: string };
  await runCommand(ctx, 'patient set', { patient: reg.patientId, contact: nurse.id, frailty: 6 });

  // two weeks of steady weights, so that the patient view has a chart with points
  device = await connectDevice(env.mqttUrl, reg.deviceId, reg.secret);
  const weights = Array.from({ length: 10 }, (_, i) =>
    weight(80 + (i % 3) * 0.2, {
      measuredAt: new Date(Date.now() - (10 - i) * DAY + 3_600_000).toISOString(),
    }),
  );
  // and one blood pressure (UCUM mm[Hg] on the wire), which alone raises nothing
  const bp = {
    messageId: `bp-${Date.now()}`,
    measuredAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    type: 'blood_pressure',
    systolic: 142,
    diastolic: 88,
    unit: 'mm[Hg]',
  };
  await device.publish({ readings: [...weights, bp] });
  await device.waitForReceipts(11);

  browser = await launchChromium();
  // a tablet in landscape, as a home-care team carries
  page = await browser.newPage({ viewport: { width: 1180, height: 820 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // the hub's content security policy must not block anything the dashboard does
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
      pageErrors.push(m.text());
  });
});

afterAll(async () => {
  await device?.close();
  await browser?.close();
  await vite?.close();
  await env?.close();
});

describe('nurse dashboard', () => {
  it('serves the built dashboard at /', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status, 'the hub serves dashboards/dist/index.html at /').toBe(200);
    expect(await res.text()).toContain('<div id="app">');
  });

  it('signs in through the page (Swedish by default)', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill('anna.sjoberg');
    await page.getByLabel('Lösenord').fill(nurse.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Öppna larm' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('sv');
    await page.getByText('Inloggad som Anna Sjöberg').waitFor();
  });

  it('shows a new critical alert live, with a banner, without a reload', async () => {
    // the live feed is connected before the device measures
    await page.getByText('Direktuppdatering på').waitFor({ timeout: 20_000 });
    await page.evaluate(() => {
      (globalThis as unknown as { __noReload: boolean }).__noReload = true;
    });
    await device.publish({
      messageId: `spo2-${Date.now()}`,
      measuredAt: new Date(Date.now() - 30_000).toISOString(),
      type: 'spo2',
      value: 85,
      unit: '%',
    });
    const card = page.locator('[data-testid="triage-list"] [data-testid="alert-card"]').first();
    await card.waitFor({ timeout: 20_000 });
    await expect
      .poll(() => card.locator('[data-severity]').getAttribute('data-severity'))
      .toBe('critical');
    expect(await card.locator('.badge').innerText()).toMatch(/kritisk/i);
    await page.getByTestId('critical-banner').first().waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload),
    ).toBe(true);
    // the owner (the fixed care contact, until someone acknowledges), and escalation shown
    await expect.poll(() => card.innerText()).toContain('Anna Sjöberg');
    await expect.poll(() => card.innerText()).toMatch(/Eskalera|Eskalering/);
    await page.screenshot({ path: `${SHOTS}/triage-list.png`, fullPage: true });
  });

  it('acknowledges the alert', async () => {
    const card = page.locator('[data-testid="triage-list"] [data-testid="alert-card"]').first();
    await card.getByRole('button', { name: 'Kvittera' }).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('acknowledged');
    await expect.poll(() => card.innerText()).toContain('Kvitterat');
  });

  it('opens the patient: frailty, chart with points, and resolves the alert with a note', async () => {
    const card = page.locator('[data-testid="triage-list"] [data-testid="alert-card"]').first();
    const alertId = await card.getAttribute('data-alert-id');
    await card.getByRole('link').first().click();
    const view = page.getByTestId('patient-view');
    await view.waitFor();
    await view.getByTestId('frailty').getByText('CFS 6: Lever med måttlig skörhet').waitFor();

    const chart = page.getByTestId('chart-body_weight');
    await expect.poll(() => chart.getAttribute('data-points'), { timeout: 20_000 }).not.toBe('0');
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(10);
    await chart.locator('canvas').first().waitFor();
    await page.getByTestId('chart-spo2').locator('canvas').first().waitFor({ timeout: 20_000 });

    // the chart speaks Swedish: days on the x axis as "24 nov", the legend's "Tid", the unit
    const host = chart.locator('.chart-host');
    await expect.poll(() => host.getAttribute('data-x-labels')).toBeTruthy();
    const labels = (await host.getAttribute('data-x-labels'))!.split('|');
    expect(labels.length).toBeGreaterThanOrEqual(2);
    const day = (ms: number) =>
      new Intl.DateTimeFormat('sv-SE', { day: 'numeric', month: 'short' })
        .format(ms)
        .replace(/\.$/, '');
    const period = new Set(Array.from({ length: 16 }, (_, i) => day(Date.now() - i * DAY)));
    for (const label of labels) {
      expect(label).toMatch(/^\d{1,2} (jan|feb|mars|apr|maj|juni|juli|aug|sep|okt|nov|dec)\.?$/);
      expect(period).toContain(label.replace(/\.$/, ''));
    }
    expect(await chart.locator('.u-legend').innerText()).toContain('Tid');
    expect(await host.getAttribute('aria-label')).toBe('Diagram: Vikt (kg)');

    // the header writes units as people do: mmHg, never UCUM's mm[Hg]
    const head = view.locator('header.patient-head');
    await expect
      .poll(() => head.getByTestId('latest-blood_pressure').innerText())
      .toContain('142/88 mmHg');
    expect(await head.innerText()).not.toContain('mm[Hg]');
    expect(await head.getByTestId('latest-body_weight').innerText()).toContain('80 kg');
    await page.screenshot({ path: `${SHOTS}/patient-view.png`, fullPage: true });

    const patientCard = view.locator(`[data-alert-id="${alertId}"]`);
    await patientCard.getByRole('button', { name: 'Avsluta' }).click();
    await patientCard
      .getByLabel('Anteckning')
      .fill('Ringt patienten, mäter om, pratat med läkare.');
    await patientCard.locator('form').getByRole('button', { name: 'Avsluta' }).click();
    await expect.poll(() => patientCard.getAttribute('data-status')).toBe('resolved');

    // the hub agrees, with the note in the history
    const detail = await page.evaluate(async (id) => {
      const r = await fetch(`/api/v1/alerts/${id}`);
      return (await r.json()) as { status: string; history: { kind: string; note: string }[] };
    }, alertId);
    expect(detail.status).toBe('resolved');
    expect(detail.history.find((h) => h.kind === 'resolved')?.note).toContain('Ringt patienten');
  });

  it('grows the chart with a new reading live, without a reload', async () => {
    const chart = page.getByTestId('chart-body_weight');
    const before = Number(await chart.getAttribute('data-points'));
    await device.publish(weight(80.3));
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 10_000 })
      .toBe(before + 1);
    // and the header's latest weight with it, with a decimal comma
    await expect
      .poll(() => page.getByTestId('latest-body_weight').innerText())
      .toContain('80,3 kg');
  });

  it('edits the plan for the measurements the patient has, a decimal comma, rules by name', async () => {
    const editor = page.getByTestId('plan-editor');
    // weight, blood pressure and SpO2 measured: their groups, and none for a thermometer
    for (const g of ['body_weight', 'blood_pressure', 'spo2', 'personal', 'general']) {
      await editor.locator(`fieldset[data-group="${g}"]`).waitFor();
    }
    expect(await editor.locator('fieldset[data-group="body_temperature"]').count()).toBe(0);
    await editor
      .locator('fieldset[data-group="blood_pressure"]')
      .getByLabel('Systoliskt: mycket högt från (mmHg)')
      .waitFor();
    const gain = editor.getByLabel('Viktökning på 1 dygn, mer än (kg)');
    expect(await gain.getAttribute('placeholder')).toBe('1,36');
    await gain.fill('1,5');
    const whatIf = page.getByTestId('what-if');
    await whatIf.getByText(/Föreslagna värden: \d+ larm/).waitFor({ timeout: 20_000 });
    // the replay names its rules in Swedish, never by id
    const row = whatIf.locator('tr[data-rule="spo2.very_low"] th');
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toBe('Mycket låg syremättnad');
    await whatIf.getByText(/Per år i samma takt: [\d,]+ larm nu, [\d,]+ med förslaget/).waitFor();
    // the heart-failure score's figures on the simulated cohorts, as docs/simulation.md chose by
    const cohort = page.getByTestId('what-if-cohort');
    const nowRow = cohort.locator('tbody tr').first();
    await expect.poll(() => nowRow.innerText()).toMatch(/Nu\s+79 %\s+0,96\s+3 d/);
    await editor.getByLabel('Hjärtsviktspoäng: larmgräns h').fill('5');
    const proposedRow = cohort.locator('tbody tr').nth(1);
    await expect.poll(() => proposedRow.innerText(), { timeout: 20_000 }).toMatch(/62 %\s+0,14/);
    await whatIf.screenshot({ path: `${SHOTS}/what-if-tablet.png` });
    await page.setViewportSize({ width: 360, height: 780 });
    // on a phone the figures scroll sideways in their own region; the page does not
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await expect.poll(overflow).toBeLessThanOrEqual(0);
    await whatIf.screenshot({ path: `${SHOTS}/what-if-phone.png` });
    await page.setViewportSize({ width: 1180, height: 820 });
    await editor.getByLabel('Hjärtsviktspoäng: larmgräns h').fill('');
    await gain.fill('1.5x');
    await editor.getByText('Ange ett tal från 0,1 till 10.').waitFor();
    expect(await editor.getByRole('button', { name: 'Spara' }).isDisabled()).toBe(true);
    await editor.getByRole('button', { name: 'Avbryt' }).click();
    expect(await gain.inputValue()).toBe('');
  });

  it("lists the patient's devices; adds one from the keyboard (secret shown once) and revokes it", async () => {
    const devices = page.getByTestId('devices');
    await devices.locator(`[data-device="${reg.deviceId}"]`).getByText('Aktiv').waitFor();
    await devices.getByLabel('Benämning (valfri)').focus();
    await page.keyboard.type('Våg i hallen');
    await page.keyboard.press('Enter');
    const secret = page.getByTestId('device-secret');
    await secret.waitFor();
    // the focus moved to the secret (typed for Node: no DOM names here)
    expect(
      await secret.evaluate(
        (el) =>
          el ===
          (globalThis as unknown as { document: { activeElement: unknown } }).document
            .activeElement,
      ),
    ).toBe(true);
    expect((await secret.locator('code').textContent())?.length).toBeGreaterThan(20);
    const added = devices.locator('li', { hasText: 'Våg i hallen' });
    await added.waitFor();
    page.once('dialog', (d) => void d.accept());
    await added.getByRole('button', { name: /Spärra/ }).focus();
    await page.keyboard.press('Enter');
    await added.getByText(/Spärrad/).waitFor();
  });

  it("shows the patient's audit log: who looked, when, what and from where", async () => {
    const audit = page.getByTestId('audit');
    const row = audit.locator('tr', { hasText: 'Patientens uppgifter' }).first();
    await row.waitFor();
    await row.getByText('Anna Sjöberg').waitFor();
    await audit.locator('tr', { hasText: 'Lade till utrustning' }).first().waitFor();
    await page.screenshot({ path: `${SHOTS}/patient-view-devices-audit.png`, fullPage: true });
  });

  it("opens a device's log from the patient's devices: the refused message with its reason, in both languages", async () => {
    // the scale sends a weight nobody weighs, and the hub refuses it
    const refused = weight(999);
    const before = device.receipts.length;
    await device.publish(refused);
    expect((await device.waitForReceipts(before + 1))[before]).toMatchObject({
      status: 'rejected',
      reason: 'implausible_value',
    });

    const devices = page.getByTestId('devices');
    await devices
      .locator(`[data-device="${reg.deviceId}"]`)
      .getByRole('link', { name: /Felsök/ })
      .click();
    const log = page.getByTestId('device-page');
    await log.waitFor();
    expect(page.url()).toContain(`#/devices/${reg.deviceId}`);
    const row = log.locator('[data-testid="refused"] tr[data-reason="implausible_value"]');
    await row.getByText('Orimligt värde').waitFor();
    await row.getByText(refused.messageId, { exact: true }).waitFor();
    await row.getByText('"value":999', { exact: false }).waitFor();
    // when it last delivered a reading, and those readings
    expect(await log.getByTestId('last-seen').innerText()).not.toBe('Inga mätvärden mottagna');
    expect(await log.locator('[data-testid="device-readings"] tbody tr').count()).toBeGreaterThan(
      10,
    );
    await log.getByText('Rapporteras inte av utrustningen').waitFor(); // no battery in the contract
    await page.screenshot({ path: `${SHOTS}/device-log.png`, fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await row.getByText('Implausible value').waitFor();
    await page.getByRole('button', { name: 'Svenska' }).click();
    await row.getByText('Orimligt värde').waitFor();

    // back to the patient, whose audit log names the read
    await log.getByRole('link', { name: /Till patienten/ }).click();
    await page
      .getByTestId('audit')
      .locator('tr', { hasText: 'Utrustningens logg' })
      .first()
      .waitFor();
  });

  it('the triage list is empty again and the language switches to English', async () => {
    await page.getByRole('link', { name: 'Larmlistan' }).click();
    await page.getByText('Inga öppna larm.').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Open alerts' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(pageErrors).toEqual([]);
  });

  it('shows a reading measured 30 hours ago as a late one: when it was measured, when it came in, and its age', async () => {
    const measuredAt = new Date(Date.now() - 30 * 3_600_000).toISOString();
    await device.publish({
      messageId: `temp-${Date.now()}`,
      measuredAt,
      type: 'body_temperature',
      value: 39.6, // high fever: 'high', same-day contact, when fresh
      unit: 'Cel',
    });
    const card = page.locator('[data-testid="triage-list"] [data-testid="alert-card"]').first();
    await card.waitFor({ timeout: 20_000 });
    // lowered, and no escalation timer
    expect(await card.locator('[data-severity]').getAttribute('data-severity')).toBe('low');
    expect(await card.getByTestId('time-left').count()).toBe(0);
    const measured = card.getByTestId('measured-at');
    expect(await measured.locator('time').getAttribute('datetime')).toBe(measuredAt);
    const facts = async () => (await card.locator('.facts').innerText()).replace(/\s+/g, ' ');
    for (const [lang, button, words] of [
      [
        'en',
        null,
        { late: 'Late reading, 30 hours old', measured: 'Measured', arrived: 'Arrived' },
      ],
      [
        'sv',
        'Svenska',
        { late: 'Sen mätning, 30 timmar gammal', measured: 'Mätt', arrived: 'Kom in' },
      ],
    ] as const) {
      if (button) await page.getByRole('button', { name: button }).click();
      await expect.poll(() => card.getByTestId('late-reading').innerText()).toContain(words.late);
      const text = await facts();
      // measured, then came in, before opened; each with its absolute time in the hub's zone
      const order = [words.measured, words.arrived, lang === 'sv' ? 'Öppnat' : 'Opened'].map((w) =>
        text.indexOf(w),
      );
      expect(
        order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1]!)),
        text,
      ).toBe(true);
      expect(text).toContain(formatDateTime(lang, measuredAt));
    }
    await page.screenshot({ path: `${SHOTS}/late-reading.png`, fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Open alerts' }).waitFor();
  });

  it('reflows at 200 % zoom (half the width): no sideways scrolling', async () => {
    await page.setViewportSize({ width: 590, height: 410 });
    await page.getByRole('heading', { name: 'Open alerts' }).waitFor();
    // page.evaluate with a string: this file is typed for Node, without the DOM
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/triage-list-200pct.png`, fullPage: true });
  });
});
