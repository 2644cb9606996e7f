// The alert card explains itself end to end (issue 18, item 4): a nurse lowered her patient's
// 3-day weight-gain limit through the plan API, and the weights that came then raised
// weight.gain_3d. In the triage list she opens "Visa varför" on that alert's card and sees the
// rule, her own name as the one who set the personal limit, the guideline, the newest weight's
// measured time and an SVG chart of the 14 days with the weights ringed and the limit dashed;
// then she closes it again from the keyboard. One hub for the file.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../dashboards/src/format.js';
import { apiClient } from '../support/apiClient.js';
import {
  launchChromium,
  requireDashboardAndChromium,
  signInThroughPage,
  SHOTS,
} from '../support/browser.js';
import { seedWeightAlerts } from '../support/explanationSeed.js';
import { startTestHub, type TestEnv } from '../support/hub.js';

let env: TestEnv;
let browser: Browser;
let page: Page;
let seed: Awaited<ReturnType<typeof seedWeightAlerts>>;
let alertId: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  await requireDashboardAndChromium();
  env = await startTestHub('embedded');
  seed = await seedWeightAlerts(env.hub);
  const api = apiClient(env.hub.urls.http);
  await api.signIn(seed.nurse.username, seed.nurse.password);
  const alerts = (await api.call('GET', '/alerts')).body as unknown as {
    id: string;
    rule: string;
  }[];
  // the alert weight.gain_3d is on (today its own; one card per problem: with gain_1d's)
  for (const a of alerts) {
    const e = (await api.call('GET', `/alerts/${a.id}/explanation`)).body as unknown as {
      findings: { rule: string }[];
    };
    if (e.findings.some((f) => f.rule === 'weight.gain_3d')) alertId = a.id;
  }
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1180, height: 900 }, locale: 'sv-SE' });
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

describe('the alert card explains itself', () => {
  it('shows the rule, who set its personal threshold, the guideline, the readings and a chart', async () => {
    await signInThroughPage(page, env.hub.urls.http, seed.nurse.username, seed.nurse.password);
    const card = page.locator(`[data-testid="alert-card"][data-alert-id="${alertId}"]`);
    const toggle = card.getByRole('button', { name: 'Visa varför' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');

    const why = card.getByTestId('explain');
    const rule = why.locator('[data-testid="explain-rule"][data-rule="weight.gain_3d"]');
    await rule.getByRole('heading', { name: 'Viktökning på 3 dygn' }).waitFor();
    expect(await rule.getByTestId('explain-threshold').innerText()).toBe('1,5 kg');
    expect(await rule.getByTestId('explain-source').innerText()).toMatch(
      /^personlig \(satt av Karin Sjöberg, \d{1,2} [a-zåäö]+\.?\)$/,
    );
    expect(await rule.getByTestId('explain-guideline').innerText()).toMatch(
      /ESC 2021 HF guideline/,
    );
    const readings = rule.getByTestId('explain-reading');
    expect(await readings.count()).toBe(seed.weights.length);
    const newest = seed.weights.at(-1)!;
    const at = formatDateTime('sv', newest.measuredAt, 'Europe/Stockholm');
    const last = readings.filter({ hasText: '81,8 kg' });
    expect(await last.innerText()).toContain(`Mätt ${at}`);

    const chart = why.getByTestId('explain-chart-body_weight');
    const svg = chart.locator('svg[role="img"]');
    await svg.waitFor();
    expect(await svg.locator('title').first().textContent()).toBe(
      'Vikt (kg) under 14 dygn runt larmet, med gränser',
    );
    expect(await svg.locator('circle.mark').count()).toBe(seed.weights.length);
    // her limit's line (another agreeing rule may draw its own)
    const line = svg.locator('g.threshold', { hasText: 'Viktökning på 3 dygn' });
    expect(await line.count()).toBe(1);
    expect(await line.locator('line').getAttribute('stroke-dasharray')).toBeTruthy();
    expect(await line.locator('text').textContent()).toBe('Viktökning på 3 dygn: 81,5 kg');
    await card.screenshot({ path: `${SHOTS}/alert-explanation.png` });
  });

  it('closes again from the keyboard', async () => {
    const card = page.locator(`[data-testid="alert-card"][data-alert-id="${alertId}"]`);
    const toggle = card.getByRole('button', { name: 'Visa varför' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await card.getByTestId('explain').waitFor({ state: 'detached' });
    // and opens again with the space bar
    await page.keyboard.press(' ');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await card.getByTestId('explain-chart-body_weight').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
