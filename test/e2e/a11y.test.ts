// Accessibility measured (issue 18, item 8). axe-core (@axe-core/playwright) checks the pages a
// nurse uses against WCAG 2.0/2.1 A and AA (sign-in, the triage list with alerts and a card's
// form open, the patient, the plan editor with a replay, a device's log, the patient list; in
// Swedish and in English) and the test fails on any serious or critical violation, naming the
// rule, its impact and the elements. Then a nurse does her main actions with the keyboard only
// (Tab, Shift+Tab, Enter, Space, Escape; no mouse): signs in, skips to the content, acknowledges,
// snoozes and resolves alerts (focus moves into each form and back), opens the patient, changes
// and saves the plan, searches the patient list and switches the language, with a visible focus
// ring all along. One embedded hub for the whole file.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reason, type Reason } from '../../contract/reasons.js';
import { runCommand } from '../../server/admin/commands/index.js';
import {
  addDevice,
  addOrganisation,
  addUnit,
  registerPatient,
} from '../../server/registry/index.js';
import type { Severity } from '../../server/shapes/finding.js';
import {
  launchChromium,
  requireDashboardAndChromium,
  signInThroughPage,
} from '../support/browser.js';
import { connectDevice, weight, type TestDevice } from '../support/device.js';
import { startTestHub, type TestEnv } from '../support/hub.js';

const DAY = 86_400_000;
/** WCAG 2.0 and 2.1, levels A and AA: what the dashboard is held to. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let env: TestEnv;
let base: string;
let browser: Browser;
let device: TestDevice;
let patientId: string;
let deviceId: string;
let nurse: { id: string; password: string };
const pageErrors: string[] = [];

async function raise(rule: string, severity: Severity, why: Reason) {
  await env.hub.alerts.raise(
    patientId,
    {
      rule,
      severity,
      reason: why,
      values: {},
      threshold: { value: 1, source: 'default', reference: 'test' },
      readings: [],
    },
    new Date(),
  );
}

beforeAll(async () => {
  await requireDashboardAndChromium();
  env = await startTestHub('embedded');
  base = env.hub.urls.http;
  const db = env.hub.db;
  const org = await addOrganisation(db, { name: 'Region Test', kind: 'region' });
  const unit = await addUnit(db, { organisationId: org.id, name: 'Vårdcentralen Test' });
  patientId = (await registerPatient(db, { unitId: unit.id, name: 'Astrid Berg' })).id;
  await registerPatient(db, { unitId: unit.id, name: 'Bo Ek' });
  const dev = await addDevice(db, { patientId, label: 'Våg i hallen' });
  deviceId = dev.deviceId;
  nurse = (await runCommand({ db }, 'staff add', {
    unit: unit.id,
    username: 'nurse.a11y',
    role: 'nurse',
    name: 'Karin Ek',
  })) as { id: string; password: string };

  // a week of weights (a chart with points, a device log with readings) and one refused message
  device = await connectDevice(env.mqttUrl, deviceId, dev.secret);
  const weights = Array.from({ length: 6 }, (_, i) =>
    weight(80 + (i % 3) * 0.2, {
      measuredAt: new Date(Date.now() - (6 - i) * DAY).toISOString(),
    }),
  );
  await device.publish({ readings: weights });
  await device.publish(weight(999));
  await device.waitForReceipts(7);

  await raise('test.a11y_high', 'high', reason('pulse.high', { pulse: 112, limit: 110 }));
  await raise(
    'test.a11y_medium',
    'medium',
    reason('weight.change', {
      direction: 'up',
      fromKg: 80,
      toKg: 82.3,
      changeKg: 2.3,
      days: 3,
      limitKg: 2,
      limitDays: 3,
    }),
  );
  const due = new Date(Date.now() - 3 * 3_600_000).toISOString();
  await raise(
    'test.a11y_low',
    'low',
    reason('missing', {
      type: 'body_weight',
      lastMeasuredAt: null,
      dueAt: due,
      timeZone: 'Europe/Stockholm',
      cause: 'not_measured',
    }),
  );

  browser = await launchChromium();
});

afterAll(async () => {
  await device?.close();
  await browser?.close();
  await env?.close();
});

/** Whether `l` has the focus, and whether what has it shows a ring (typed for Node: no DOM). */
type Focus = { here: boolean; ring: boolean; what: string };
const focusOf = (l: Locator): Promise<Focus> =>
  l.evaluate((el) => {
    const w = globalThis as unknown as {
      document: { activeElement: { outerHTML: string; tagName: string } | null };
      getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
    };
    const active = w.document.activeElement;
    const style = active && active.tagName !== 'BODY' ? w.getComputedStyle(active) : null;
    return {
      here: el === active,
      // a clear ring: at least 2 px (0.2rem here)
      ring: !style || (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2),
      what: active ? active.outerHTML.slice(0, 160) : 'nothing',
    };
  });

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus; every element the focus passes on the
 * way must show a ring.
 */
async function tabTo(page: Page, target: Locator, opts: { back?: boolean; max?: number } = {}) {
  const key = opts.back ? 'Shift+Tab' : 'Tab';
  let last: Focus | null = null;
  for (let i = 0; i < (opts.max ?? 60); i++) {
    await page.keyboard.press(key);
    last = await focusOf(target);
    expect(last.ring, `no visible focus on ${last.what}`).toBe(true);
    if (last.here) return;
  }
  throw new Error(`${key} never reached ${String(target)}; the focus is on ${last?.what}`);
}

async function expectFocus(target: Locator) {
  await expect.poll(async () => (await focusOf(target)).here).toBe(true);
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1180, height: 820 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  return page;
}

/** The serious and critical violations on the page, each with its elements' selectors. */
async function axe(page: Page, where: string): Promise<string[]> {
  // in the page itself (legacy mode: the dashboard has no frames), without axe's blank page per
  // run for merging frames; the passes and incomplete checks with one element each
  const result = await new AxeBuilder({ page })
    .withTags(TAGS)
    .setLegacyMode()
    .options({ resultTypes: ['violations'] })
    .analyze();
  // a check that looked at nothing would pass anything
  expect(result.passes.length, `${where}: axe checked nothing`).toBeGreaterThan(0);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ${v.help}\n${v.nodes
          .map((n) => `    ${n.target.map(String).join(' ')}  ${n.html.slice(0, 140)}`)
          .join('\n')}`,
    );
}

describe('accessibility', () => {
  it('axe: the sign-in page, in Swedish and in English', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').waitFor();
    const found = await axe(page, 'sign-in (sv)');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Username').waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    found.push(...(await axe(page, 'sign-in (en)')));
    await page.context().close();
    expect(found).toEqual([]);
  });

  it('axe: triage, patient, plan editor, device log and patient list, in Swedish and in English', async () => {
    const page = await newPage();
    await signInThroughPage(page, base, 'nurse.a11y', nurse.password);
    const found: string[] = [];
    for (const [lang, other] of [
      ['sv', 'English'],
      ['en', 'Svenska'],
    ] as const) {
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
      // the triage list, a new critical alert's banner, and a card with its snooze form open
      await page.goto(`${base}/#/`);
      const cards = page.locator('[data-testid="triage-list"] [data-testid="alert-card"]');
      await cards.nth(2).waitFor();
      if (lang === 'sv') {
        // a real reading, so that the rules raise it and can explain it
        await device.publish({
          messageId: `spo2-${Date.now()}`,
          measuredAt: new Date(Date.now() - 30_000).toISOString(),
          type: 'spo2',
          value: 85,
          unit: '%',
        });
        await page.getByTestId('critical-banner').waitFor({ timeout: 20_000 });
      }
      const first = cards.first();
      await first.locator('button[aria-controls^="snooze-"]').click();
      await first.locator('form').waitFor();
      // and whatever else the card opens (an explanation, a details element)
      const more = first.locator(
        'details:not([open]) > summary, [aria-expanded="false"]:not([aria-controls^="resolve-"])',
      );
      for (const control of await more.all()) await control.click();
      // what they load, loaded
      await expect.poll(() => first.locator('[role="status"]').count()).toBe(0);
      found.push(...(await axe(page, `triage (${lang})`)));
      await first.locator('button[aria-controls^="snooze-"]').click();

      // the patient, with an alert's history open
      await page.goto(`${base}/#/patients/${encodeURIComponent(patientId)}`);
      const view = page.getByTestId('patient-view');
      await view.waitFor();
      await page.getByTestId('chart-body_weight').locator('canvas').first().waitFor();
      await view.locator('details.history > summary').first().click();
      await view.locator('details.history ol.events li').first().waitFor();

      // and its plan editor with a changed value and the replay of it (one pass for both: axe
      // takes seconds a page)
      const editor = page.getByTestId('plan-editor');
      await editor.locator('fieldset[data-group="body_weight"] input').first().fill('2');
      await page.getByTestId('what-if').locator('strong').first().waitFor({ timeout: 20_000 });
      found.push(...(await axe(page, `patient and plan editor (${lang})`)));
      await editor.locator('.buttons button.secondary').click();

      // a device's log
      await page.goto(`${base}/#/devices/${encodeURIComponent(deviceId)}`);
      await page.locator('[data-testid="refused"] tbody tr').first().waitFor();
      found.push(...(await axe(page, `device log (${lang})`)));

      // the patient list
      await page.goto(`${base}/#/patients`);
      await page.locator('.patient-table tbody tr').nth(1).waitFor();
      found.push(...(await axe(page, `patient list (${lang})`)));

      await page.getByRole('button', { name: other }).click();
    }
    await page.context().close();
    expect(found).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("a nurse's main actions with the keyboard only", async () => {
    const page = await newPage();
    const keys = page.keyboard;
    await page.goto(`${base}/`);
    // sign in: to the user name field, type, Tab, type, Enter
    await tabTo(page, page.getByLabel('Användarnamn'));
    await keys.type('nurse.a11y');
    await keys.press('Tab');
    await expectFocus(page.getByLabel('Lösenord'));
    await keys.type(nurse.password);
    await keys.press('Enter');
    await page.getByRole('heading', { name: 'Öppna larm' }).waitFor();
    await expectFocus(page.locator('#main'));

    // the skip link comes first, shows when focused, and leads past the header's controls
    const skip = page.getByRole('link', { name: 'Hoppa till innehållet' });
    await tabTo(page, skip, { back: true, max: 12 });
    const box = await skip.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.width > 0).toBe(true);
    await keys.press('Enter');
    await expectFocus(page.locator('#main'));

    // acknowledge the first card: the focus moves on to its Snooze button
    const list = page.getByTestId('triage-list');
    const first = list.locator('[data-testid="alert-card"]').first();
    const alertId = (await first.getAttribute('data-alert-id'))!;
    const card = list.locator(`[data-alert-id="${alertId}"]`);
    await tabTo(page, card.getByRole('button', { name: 'Kvittera' }));
    await keys.press('Enter');
    await expect.poll(() => card.getAttribute('data-status')).toBe('acknowledged');
    const snooze = card.getByRole('button', { name: 'Snooza' });
    await expectFocus(snooze);

    // snooze: the form opens with the focus in it, Escape closes it, the focus comes back
    await keys.press('Enter');
    await expectFocus(card.getByLabel('Minuter'));
    await keys.press('Escape');
    await expect.poll(() => card.locator('form').count()).toBe(0);
    await expectFocus(snooze);
    await keys.press('Space');
    await expectFocus(card.getByLabel('Minuter'));
    await keys.press('Tab');
    await expectFocus(card.getByLabel('Orsak'));
    await keys.type('Väntar på ny mätning');
    await keys.press('Enter');
    await card.getByText(/Snoozat för dig till/).waitFor();
    await expectFocus(snooze);

    // resolve with a note: the card leaves the list and the focus goes to the next card
    await keys.press('Tab');
    const resolve = card.getByRole('button', { name: 'Avsluta' });
    await expectFocus(resolve);
    await keys.press('Enter');
    await expectFocus(card.getByLabel('Anteckning'));
    await keys.type('Ringt patienten, mår bra.');
    await keys.press('Tab');
    await expectFocus(card.locator('form').getByRole('button', { name: 'Avsluta' }));
    await keys.press('Enter');
    await expect.poll(() => card.count()).toBe(0);
    // (the card in its place: its patient link)
    await list.locator('[data-testid="alert-card"] h2 a:focus').waitFor();

    // open the patient from that card
    await keys.press('Enter');
    await page.getByTestId('patient-view').waitFor();
    await expectFocus(page.locator('#main'));

    // the plan: a weight gain limit, then Save
    const editor = page.getByTestId('plan-editor');
    const gain = editor.getByLabel('Viktökning på 1 dygn, mer än (kg)');
    await tabTo(page, gain, { max: 80 });
    await keys.type('1,5');
    await tabTo(page, editor.getByRole('button', { name: 'Spara' }), { max: 80 });
    await keys.press('Enter');
    await editor.getByText('Sparat.').waitFor();
    const saved = await page.evaluate(async (id) => {
      const r = await fetch(`/api/v1/patients/${encodeURIComponent(id)}/plan`);
      return ((await r.json()) as { plan: { weight?: { gain1dKg?: number } } }).plan;
    }, patientId);
    expect(saved.weight?.gain1dKg).toBe(1.5);

    // back up to the header's navigation, to the patient list, and search
    await tabTo(page, page.getByRole('navigation').getByRole('link', { name: 'Patienter' }), {
      back: true,
      max: 200,
    });
    await keys.press('Enter');
    const patients = page.getByTestId('patient-list');
    await patients.waitFor();
    await tabTo(page, patients.getByLabel('Sök patient'), { max: 5 });
    await keys.type('Astrid');
    await page.getByText('Visar 1 av 2').waitFor();

    // switch the language: the header's English button, with Space
    await tabTo(page, page.getByRole('button', { name: 'English' }), { back: true, max: 10 });
    await keys.press('Space');
    await page.getByRole('heading', { name: 'Patients' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});
