// Debian's chromium driven by playwright-core for the browser tests (never a downloaded browser),
// and signing in through the dashboard's page as a nurse does.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
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
