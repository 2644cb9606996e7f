// `npm run demo` as a newcomer meets it: the demo starts (on free ports, in a temporary data
// folder), prints the dashboard address and the logins; signed in through the page in Debian's
// chromium with a printed login, the newcomer sees at least one alert in the triage list within
// 60 seconds of starting the demo. A screenshot goes to test-results/e2e/. Then the on-call
// login's list (GET /api/v1/alerts) gets an alert escalated to the on-call level from a fresh
// reading: copd-1's acute exacerbation at the end of the week, raised by the rules, escalated by
// the hub's timer at the demo's steps. The demo's own scenario, except that the week is lived as
// fast as the hub takes it rather than in two minutes (the history already is), so that CI
// waits ~40 s for the escalation rather than three minutes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/apiClient.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/e2e';

let demo: ChildProcess;
let output = '';
let startedAt = 0;
let browser: Browser | undefined;
let scenarioDir = '';

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
    check(); // a later test asks once it is all out
    demo.on('exit', (code) => reject(new Error(`the demo exited (${code}):\n${output}`)));
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (CHROMIUM_PATH)`);
  await mkdir(SHOTS, { recursive: true });
  const scenario = JSON.parse(await readFile('simulators/scenarios/demo-week.json', 'utf8')) as {
    acceleration: unknown;
  };
  scenarioDir = await mkdtemp(join(tmpdir(), 'demo-e2e-'));
  const file = join(scenarioDir, 'demo-week.json');
  await writeFile(file, JSON.stringify({ ...scenario, acceleration: 'max' }));
  startedAt = Date.now();
  demo = spawn('node_modules/.bin/tsx', ['simulators/demo/main.ts'], {
    // the demo's own escalation steps (an empty ESCALATION_MINUTES leaves them to it)
    env: {
      ...process.env,
      HTTP_PORT: '0',
      MQTT_PORT: '0',
      DATA_DIR: '',
      ESCALATION_MINUTES: '',
      DEMO_SCENARIO: file,
    },
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
  if (scenarioDir) await rm(scenarioDir, { recursive: true, force: true });
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

  it("the on-call login's list gets an alert escalated to the on-call level, from a fresh reading", async () => {
    const { dashboard, logins } = await printed(5_000);
    const jour = logins.find((l) => l.unit === 'Närakut Uppsala (jour)')!;
    expect(output).toMatch(/^escalation: ESCALATION_MINUTES=critical=0\.25,high=1,medium=4 /m);
    const nurse = apiClient(dashboard);
    expect((await nurse.signIn(jour.user, jour.password)).status).toBe(200);
    let reached: Record<string, unknown>[] = [];
    while (!reached.length) {
      const r = await nurse.call('GET', '/alerts');
      expect(r.status).toBe(200);
      reached = r.body.filter((a) => a.escalationLevel === 2 && a.late === false);
      if (!reached.length) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const seconds = (Date.now() - startedAt) / 1000;
    console.error(`demo: an alert reached the on-call login ${seconds.toFixed(1)} s after start`);
    // the acute exacerbation's spot check, judged by the rules: urgent, fresh, at the on-call level
    expect(reached).toContainEqual(
      expect.objectContaining({
        rule: 'spo2.very_low',
        severity: 'critical',
        patientName: expect.stringContaining('(copd-1)'),
      }),
    );
    // and the demo said so, naming the nurse and that no email or push went
    await expect
      .poll(() => output, { timeout: 10_000 })
      .toMatch(
        /on call: critical spo2\.very_low for .*\(copd-1\), unacknowledged, reached erik\.jour \(Närakut Uppsala \(jour\)\); no email \(set SMTP_URL and NOTIFY_FROM\), no push/,
      );
  }, 180_000);
});
