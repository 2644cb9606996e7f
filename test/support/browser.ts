// What the browser tests share: the built dashboard and Debian's chromium must be there (never a
// downloaded browser), chromium is started the same way for each, and signing in goes through the
// dashboard's page as a nurse does.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the browser tests leave their screenshots and measurements. */
export const SHOTS = 'test-results/e2e';

/** Fails with what to do when the dashboard is not built or chromium is missing. */
export async function requireDashboardAndChromium(): Promise<void> {
  if (!existsSync('dashboards/dist/index.html')) {
    throw new Error('dashboards/dist/index.html is missing: run `npm run build:dashboard` first');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (CHROMIUM_PATH)`);
  await mkdir(SHOTS, { recursive: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in through the page (Swedish, the default) and waits for the triage list. */
export async function signInThroughPage(page: Page, base: string, user: string, password: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('Användarnamn').fill(user);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { name: 'Öppna larm' }).waitFor({ timeout: 15_000 });
}
