// `npm run demo` as a newcomer meets it: the demo starts (on free ports, in a temporary data
// folder), prints the dashboard address and the logins; signed in through the page in Debian's
// chromium with a printed login, the newcomer sees at least one alert in the triage list within
// 60 seconds of starting the demo. A screenshot goes to test-results/e2e/.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/e2e';

let demo: ChildProcess;
let output = '';
let startedAt = 0;
let browser: Browser | undefined;

/** Resolves with the printed dashboard address and logins once they are all out. */
function printed(timeoutMs: number) {
  return new Promise<{
    dashboard: string;
    logins: { user: string; password: string; unit: string }[];
  }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the demo printed no dashboard line in time:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      const dashboard = /^dashboard: (http:\/\/\S+)$/m.exec(output)?.[1];
      // the logins follow the dashboard line; the hint after them closes the list
      if (!dashboard || !/Ctrl-C stops/.test(output)) return;
      clearTimeout(timer);
      const logins = [...output.matchAll(/^login: (\S+) (\S+) (.+)$/gm)].map((m) => ({
        user: m[1]!,
        password: m[2]!,
        unit: m[3]!,
      }));
      resolve({ dashboard, logins });
    };
    demo.stdout!.on('data', check);
    demo.on('exit', (code) => reject(new Error(`the demo exited (${code}):\n${output}`)));
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (CHROMIUM_PATH)`);
  await mkdir(SHOTS, { recursive: true });
  startedAt = Date.now();
  demo = spawn('node_modules/.bin/tsx', ['simulators/demo/main.ts'], {
    env: { ...process.env, HTTP_PORT: '0', MQTT_PORT: '0', DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout!.setEncoding('utf8').on('data', (t: string) => (output += t));
  demo.stderr!.setEncoding('utf8').on('data', (t: string) => (output += t));
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo.once('exit', r));
    demo.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (demo.exitCode === null) demo.kill('SIGKILL');
  }
});

describe('npm run demo', () => {
  it('prints the dashboard and a login for each unit, and alerts reach the triage list within 60 s', async () => {
    const { dashboard, logins } = await printed(45_000);
    expect(logins.map((l) => l.unit)).toEqual([
      'Vårdcentral Gränby',
      'Närakut Uppsala (jour)',
      'Hemsjukvården Gränby',
    ]);
    for (const l of logins) expect(l.password.length).toBeGreaterThanOrEqual(16);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1180, height: 820 } });
    const login = logins[0]!;
    await page.goto(`${dashboard}/`);
    await page.getByLabel('Användarnamn').fill(login.user);
    await page.getByLabel('Lösenord').fill(login.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'Öppna larm' }).waitFor({ timeout: 15_000 });

    const card = page.locator('[data-testid="triage-list"] [data-testid="alert-card"]').first();
    const left = Math.max(1000, 60_000 - (Date.now() - startedAt));
    await card.waitFor({ timeout: left });
    const seconds = (Date.now() - startedAt) / 1000;
    console.error(
      `demo: first alert visible in the triage list ${seconds.toFixed(1)} s after start`,
    );
    expect(seconds).toBeLessThanOrEqual(60);
    await page.screenshot({ path: `${SHOTS}/demo-triage-list.png`, fullPage: true });
  });
});
