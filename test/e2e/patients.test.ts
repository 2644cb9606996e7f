// The patient list and frailty end to end (issue 18, item 5): a care unit of 1,250 patients
// seeded as the dashboard benchmark seeds them (test/bench/dashboardSeed.ts) and one more,
// Greta, without an alert and not yet assessed. A nurse finds Greta by searching the patient
// list, opens her, assesses her frailty (CFS 5), and her alert card in the triage list shows it
// instead of "Ej bedömd". The list's load and search are timed with that many patients and
// written to test-results/e2e/patient-list.json.
import { writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reason } from '../../contract/reasons.js';
import { formatNumber } from '../../dashboards/src/format.js';
import { registerPatient } from '../../server/registry/index.js';
import { seedDashboard } from '../bench/dashboardSeed.js';
import { launchChromium, requireDashboardAndChromium, SHOTS } from '../support/browser.js';
import { startTestHub, type TestEnv } from '../support/hub.js';

const PATIENTS = 1250;
/** Every patient of the unit, as the Swedish page writes the number ("1 251"). */
const ALL = formatNumber('sv', PATIENTS + 1);
const PASSWORD = `e2e-${Date.now()}-password`;

let env: TestEnv;
let browser: Browser;
let page: Page;
let greta: string;
const pageErrors: string[] = [];
const measured: Record<string, number> = {};

const today = () =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short' }).format(
    new Date(),
  );

beforeAll(async () => {
  await requireDashboardAndChromium();
  env = await startTestHub('embedded');
  // one health centre: its nurses follow all 1,250 (half of them with the home-care unit too)
  const seeded = await seedDashboard(
    env.hub.db,
    { patients: PATIENTS, healthCentres: 1, days: 7, nurses: 1, password: PASSWORD, chunk: 625 },
    () => {},
  );
  expect(seeded.visiblePatients).toHaveLength(PATIENTS);
  greta = (await registerPatient(env.hub.db, { unitId: 'cu_bench_hc0', name: 'Greta Lindqvist' }))
    .id;

  browser = await launchChromium();
  // a Swedish browser, as the nurses' are (the date field's format is the browser's own)
  page = await browser.newPage({ viewport: { width: 1180, height: 820 }, locale: 'sv-SE' });
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  if (Object.keys(measured).length) {
    await writeFile(`${SHOTS}/patient-list.json`, `${JSON.stringify(measured, null, 2)}\n`);
  }
});

describe('the patient list and frailty', () => {
  it('lists every patient of the unit, reached from the top navigation', async () => {
    await page.goto(`${env.hub.urls.http}/`);
    await page.getByLabel('Användarnamn').fill('bench_nurse_0');
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Öppna larm' }).waitFor();

    const t = performance.now();
    await page.getByRole('navigation').getByRole('link', { name: 'Patienter' }).click();
    await page.getByText(`Visar ${ALL} av ${ALL}`).waitFor();
    await page.locator('.patient-table tbody tr').first().waitFor();
    measured.listShownMs = Math.round(performance.now() - t);
    // the request as the browser timed it, and what came after its answer until the rows were
    // seen (drawing, plus up to one of Playwright's polls)
    const request = (await page.evaluate(
      `(() => { const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/api/v1/patients')); return e && { ms: e.duration, bytes: e.encodedBodySize, after: performance.now() - e.responseEnd }; })()`,
    )) as { ms: number; bytes: number; after: number } | undefined;
    expect(request).toBeDefined();
    measured.getPatientsMs = Math.round(request!.ms);
    measured.getPatientsKiB = Math.round(request!.bytes / 1024);
    measured.answerToRowsMs = Math.round(request!.after);
    measured.rowsDrawn = await page.locator('.patient-table tbody tr').count();
    expect(measured.rowsDrawn).toBe(100);
    await page.screenshot({ path: `${SHOTS}/patient-list-all.png` });
    expect(await page.getByRole('link', { name: 'Patienter' }).getAttribute('aria-current')).toBe(
      'page',
    );
  });

  it('finds a patient without an alert by searching, and by the frailty filter', async () => {
    const list = page.getByTestId('patient-list');
    const t = performance.now();
    await list.getByLabel('Sök patient').fill('lindq');
    await page.getByText(`Visar 1 av ${ALL}`).waitFor();
    measured.searchMs = Math.round(performance.now() - t);
    const row = list.locator(`tr[data-patient="${greta}"]`);
    await row.waitFor();
    expect(await row.getByTestId('open-alerts').innerText()).toBe('0');
    await row.getByText('Ej bedömd').waitFor();
    // every seeded patient is assessed: "not assessed" leaves Greta alone
    await list.getByLabel('Sök patient').fill('');
    await list.getByLabel('Skörhet (CFS)').selectOption('unknown');
    await page.getByText(`Visar 1 av ${ALL}`).waitFor();
    await row.waitFor();
    await list.getByLabel('Skörhet (CFS)').selectOption('all');
    await list.getByLabel('Sök patient').fill('Greta');
    await row.waitFor();
    await page.screenshot({ path: `${SHOTS}/patient-list.png`, fullPage: true });
  });

  it("sets the patient's frailty, which then shows with who and when, and on her alert card", async () => {
    await page.locator(`tr[data-patient="${greta}"]`).getByRole('link').click();
    const view = page.getByTestId('patient-view');
    await view.waitFor();
    await view.getByTestId('frailty').getByText('Ej bedömd').waitFor();
    // an alert arrives for her while the nurse has her open: its card says "Ej bedömd"
    await env.hub.alerts.raise(
      greta,
      {
        rule: 'test.e2e',
        severity: 'medium',
        reason: reason('temperature.fever', { celsius: 38.4 }),
        values: {},
        threshold: { value: 1, source: 'default', reference: 'test' },
        readings: [],
      },
      new Date(),
    );
    await view.locator('[data-testid="alert-card"]').first().waitFor();

    const form = view.getByTestId('frailty-form');
    await form.getByLabel('Skörhet').selectOption('5');
    expect(await form.getByLabel('Bedömningsdag').inputValue()).toBe(today());
    await form.getByRole('button', { name: 'Spara' }).click();
    await form.getByText('Skörheten är sparad: CFS 5: Lever med lätt skörhet.').waitFor();
    const frailty = view.getByTestId('frailty');
    await frailty.getByText('CFS 5: Lever med lätt skörhet').waitFor();
    await expect
      .poll(() => frailty.getByTestId('frailty-assessed').innerText())
      .toMatch(/^Bedömd \d{1,2} \S+ \d{4} av Sjuksköterska 0$/);
    await view.getByTestId('audit').locator('tr', { hasText: 'Bedömde skörhet' }).first().waitFor();
    await page.screenshot({ path: `${SHOTS}/patient-frailty.png`, fullPage: true });

    // the triage list's card shows it at once, and after a reload (the hub's own answer)
    await page.getByRole('navigation').getByRole('link', { name: 'Larmlista' }).click();
    const card = page.locator('[data-testid="triage-list"] [data-testid="alert-card"]', {
      hasText: 'Greta Lindqvist',
    });
    await card.locator('.frailty-chip', { hasText: 'CFS 5: Lever med lätt skörhet' }).waitFor();
    await page.reload();
    await card.locator('.frailty-chip', { hasText: 'CFS 5: Lever med lätt skörhet' }).waitFor();
    expect(await card.innerText()).not.toContain('Ej bedömd');
  });

  it('keeps the search when going back to the list, and reflows at 200 % zoom', async () => {
    await page.goto(`${env.hub.urls.http}/#/patients?q=Greta`);
    const list = page.getByTestId('patient-list');
    await page.getByText(`Visar 1 av ${ALL}`).waitFor();
    expect(await list.getByLabel('Sök patient').inputValue()).toBe('Greta');
    await list.locator(`tr[data-patient="${greta}"]`).getByText('CFS 5').waitFor();
    await page.setViewportSize({ width: 590, height: 410 });
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    expect(pageErrors).toEqual([]);
  });
});
