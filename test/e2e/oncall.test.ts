// Escalation that reaches a person, end to end: a critical alert of a health centre's patient
// that nobody acknowledges escalates to the on-call unit; the nurse on call there, signed in
// through the page in Debian's chromium, sees it appear in her triage list without a reload; an
// email arrives for her at a real SMTP server in the test process, and its link opens the
// dashboard at the alert; she acknowledges it; the patient's own nurse sees in the audit trail
// that she read it by escalation. Screenshots go to test-results/e2e/.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding } from '../support/finding.js';
import { launchChromium, signInThroughPage } from '../support/browser.js';
import { startTestHub, type TestEnv } from '../support/hub.js';
import { seedOnCall } from '../support/onCallSeed.js';
import { startSmtpServer, type TestSmtp } from '../support/smtp.js';

const SHOTS = 'test-results/e2e';
const MINUTE = 60_000;

let env: TestEnv;
let smtp: TestSmtp;
let browser: Browser;
let page: Page;
let patientId: string;
let onCall: { id: string; password: string };
let ownNurse: { id: string; password: string };
let alertId: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync('dashboards/dist/index.html')) {
    throw new Error('dashboards/dist/index.html is missing: run `npm run build:dashboard` first');
  }
  await mkdir(SHOTS, { recursive: true });
  smtp = await startSmtpServer();
  // no PUBLIC_URL: the links name the hub's own address, which this browser reaches
  const vapid = webpush.generateVAPIDKeys();
  env = await startTestHub('embedded', {
    SMTP_URL: smtp.url,
    NOTIFY_FROM: 'Telehealth <noreply@example.se>',
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:drift@example.se',
  });
  ({ patientId, onCall, ownNurse } = await seedOnCall(env.hub.db));

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1180, height: 820 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

afterAll(async () => {
  await browser?.close();
  await env?.close();
  await smtp?.close();
});

describe('escalation to the nurse on call', () => {
  it('reaches her dashboard live once it escalates to her unit, and not before', async () => {
    await signInThroughPage(page, env.hub.urls.http, 'eva.jour', onCall.password);
    await page.getByText('Direktuppdatering på').waitFor({ timeout: 20_000 });
    // the hub sends Web Push: this device may be asked to show notifications, with the
    // dashboard's service worker, which the hub serves at the root
    await page.getByRole('button', { name: 'Aviseringar', exact: true }).waitFor();
    const sw = await fetch(`${env.hub.urls.http}/sw.js`);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    expect(await sw.text()).toContain("addEventListener('push'");
    await page.getByText('Inga öppna larm.').waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as { __noReload: boolean }).__noReload = true;
    });

    const now = Date.now();
    alertId = (
      await env.hub.alerts.raise(patientId, finding('spo2.low', 'critical'), new Date(now))
    ).alertId;
    await env.hub.alerts.escalateDue(new Date(now + 15 * MINUTE)); // the care unit: not hers
    await env.hub.alerts.escalateDue(new Date(now + 30 * MINUTE)); // the on-call unit

    const card = page.locator(`[data-testid="alert-card"][data-alert-id="${alertId}"]`);
    await card.waitFor({ timeout: 20_000 });
    expect(await card.innerText()).toContain('Karin Lind');
    expect(await card.innerText()).toContain('Jourenheten');
    // the page was not reloaded: the card came with the push
    expect(
      await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload),
    ).toBe(true);
    await page.screenshot({ path: `${SHOTS}/oncall-triage-list.png`, fullPage: true });
  });

  it('emails her a link that opens the dashboard at the alert', async () => {
    const deadline = Date.now() + 10_000;
    while (!smtp.mails.some((m) => m.to.includes('eva.jour@example.se'))) {
      if (Date.now() > deadline) throw new Error('no email arrived for the nurse on call');
      await new Promise((r) => setTimeout(r, 50));
    }
    const mail = smtp.mails.find((m) => m.to.includes('eva.jour@example.se'))!;
    expect(mail.raw).toContain('patient K. L.');
    expect(mail.raw).not.toMatch(/Karin|Lind/);
    const link = /Open the alert: (\S+)/.exec(mail.raw)?.[1];
    expect(link).toBe(`${env.hub.urls.http}/#/alerts/${alertId}`);

    await page.goto(link!);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(`alert-${alertId}`);
    const card = page.locator(`#alert-${alertId}`);
    expect(await card.getAttribute('class')).toMatch(/\blinked\b/);
  });

  it('lets her acknowledge it, and the patient’s nurse sees the read by escalation in the audit trail', async () => {
    const card = page.locator(`#alert-${alertId}`);
    await card.getByRole('button', { name: 'Kvittera' }).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('acknowledged');

    // the patient's name leads her to the alert, not to the record her unit does not keep
    await card.getByRole('link', { name: /Karin Lind/ }).click();
    await page.getByTestId('escalated-only').waitFor();
    await page.locator(`[data-testid="alert-card"][data-alert-id="${alertId}"]`).waitFor();
    expect(await page.getByTestId('patient-view').count()).toBe(0);

    const own = await browser.newPage({ viewport: { width: 1180, height: 820 } });
    own.on('pageerror', (e) => pageErrors.push(String(e)));
    await signInThroughPage(own, env.hub.urls.http, 'anna.vc', ownNurse.password);
    await own.goto(`${env.hub.urls.http}/#/patients/${patientId}`);
    const audit = own.getByTestId('audit');
    const row = audit.locator('tr', { hasText: 'Eva Jour' }).filter({ hasText: 'Tog larm' });
    await row.first().waitFor();
    expect(await row.first().innerText()).toContain('åtkomst genom eskalering till jouren');
    await own.screenshot({ path: `${SHOTS}/oncall-audit-by-escalation.png`, fullPage: true });
    await own.close();
    expect(pageErrors).toEqual([]);
  });
});
