// `npm run demo`: the hub in embedded mode in this process, a region health centre, a municipal
// home-care team and the on-call unit covering both (with a roster: its nurse is on call from
// the start), staff logins for each, and about 30 virtual
// patients living an accelerated week (simulators/scenarios/demo-week.json), so that a newcomer
// sees alerts arrive on the dashboard within a minute. Honours HTTP_PORT and MQTT_PORT (0: a free
// port) and the hub's other variables; the database lives in a fresh temporary folder (DATA_DIR
// to keep it elsewhere: it must be empty), so every run starts clean and a re-run just works.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configOrExit } from '../../server/ops/configOrExit.js';
import { alertBriefs, alertCounts } from '../../server/alerts/views.js';
import { startHub, type Hub } from '../../server/hub.js';
import { DEFAULT_ESCALATION } from '../../server/alerts/lifecycle.js';
import { createPatient } from '../patients/index.js';
import { hubAdmin } from '../scenario/admin.js';
import { alertQuality, describeQuality } from '../scenario/quality.js';
import { registerOrganisations, registerPatients } from '../scenario/register.js';
import { LIVE_DAYS, runScenario, type ScenarioRun } from '../scenario/runner.js';
import { loadScenario } from '../scenario/schema.js';

const DAY = 86_400_000;
const SCENARIO = process.env.DEMO_SCENARIO ?? 'simulators/scenarios/demo-week.json';

function buildDashboardIfMissing() {
  if (existsSync('dashboards/dist/index.html')) return;
  console.error('demo: building the dashboard first (dashboards/dist is missing) ...');
  const r = spawnSync('npm', ['run', '--silent', 'build:dashboard'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    console.error('demo: `npm run build:dashboard` failed; the API and MQTT still run');
  }
}

async function dataDir(): Promise<{ dir: string; temporary: boolean }> {
  const given = process.env.DATA_DIR;
  if (given && given !== 'memory') {
    if (existsSync(given) && (await readdir(given)).length > 0) {
      throw new Error(
        `DATA_DIR ${given} is not empty: the demo registers its own organisations and logins, so it needs an empty folder (or leave DATA_DIR unset for a temporary one)`,
      );
    }
    return { dir: given, temporary: false };
  }
  return { dir: await mkdtemp(join(tmpdir(), 'telehealth-demo-')), temporary: true };
}

async function main() {
  buildDashboardIfMissing();
  const scenario = await loadScenario(SCENARIO);
  const data = await dataDir();
  // the hub's log stays quiet so that the demo's lines are readable; LOG_LEVEL overrides
  const config = configOrExit({ LOG_LEVEL: 'warn', ...process.env, DATA_DIR: data.dir });

  let hub: Hub;
  try {
    hub = await startHub(config);
  } catch (err) {
    console.error(
      `the hub could not start: ${(err as Error).message}\n(another hub running? try HTTP_PORT=8081 MQTT_PORT=1884 npm run demo)`,
    );
    if (data.temporary) await rm(data.dir, { recursive: true, force: true });
    process.exit(1);
  }

  const now = Date.now();
  // the lived week ends now; its history lies before it
  const start = new Date(now - scenario.days * DAY);
  const patientsFrom = new Date(start.getTime() - scenario.historyDays * DAY);
  const admin = hubAdmin(hub);
  // the logins first, so that a newcomer can sign in while the patients are registered
  const orgs = await registerOrganisations(scenario, admin);

  const host = config.HTTP_HOST === '0.0.0.0' ? '127.0.0.1' : config.HTTP_HOST;
  const httpPort = new URL(hub.urls.http).port;
  console.log(`
telehealth demo: ${scenario.population.reduce((n, g) => n + g.count, 0)} virtual patients in ${orgs.units.size} care units
  ${scenario.historyDays} days of history, then a week lived ${scenario.acceleration === 'max' ? 'as fast as the hub takes it' : `${scenario.acceleration}x faster than real time`}, then on in real time
  mqtt: ${hub.urls.mqtt}   data: ${data.dir}${data.temporary ? ' (removed on exit)' : ''}

dashboard: http://${host}:${httpPort}`);
  for (const l of orgs.logins) console.log(`login: ${l.username} ${l.password} ${l.unitName}`);
  for (const u of scenario.organisations.flatMap((o) => o.units)) {
    if (!u.roster) continue;
    console.log(
      `on call in ${u.name}: ${u.roster.staff.join(', ')}, ${u.roster.shiftHours} h shifts from now for ${u.roster.days} days; an alert nobody acknowledges reaches them after ${2 * DEFAULT_ESCALATION.critical!} min (critical) or ${(2 * DEFAULT_ESCALATION.high!) / 60} h (high)`,
    );
  }
  console.log(
    '\nSign in with a login above; alerts arrive as the patients live their week. Ctrl-C stops.\n',
  );
  const patients = await registerPatients(scenario, admin, orgs, {
    createPatient,
    start: patientsFrom,
    days: Math.ceil(scenario.historyDays + scenario.days) + (scenario.live ? LIVE_DAYS : 0),
  });
  const reg = { ...orgs, patients };
  console.log(
    `  ${new Date().toISOString().slice(11, 19)}  ${patients.length} patients registered; their history is coming in`,
  );

  let alertsSeen = 0;
  const run: ScenarioRun = runScenario(scenario, reg, {
    mqttUrl: hub.urls.mqtt,
    admin,
    start,
    onEvent: (line) => console.log(`  ${new Date().toISOString().slice(11, 19)}  ${line}`),
  });
  // a line now and then: the simulated day and the alerts open
  const progress = setInterval(() => {
    alertCounts(hub.db)
      .then(({ open: n }) => {
        if (n !== alertsSeen) {
          alertsSeen = n;
          const day = (run.simNow().getTime() - start.getTime()) / DAY;
          const when =
            day < 0
              ? `history, ${(-day).toFixed(1)} days before the week`
              : day < scenario.days
                ? `day ${day.toFixed(1)} of the week`
                : 'live';
          console.log(`  ${new Date().toISOString().slice(11, 19)}  ${when}: ${n} alerts open`);
        }
      })
      .catch(() => {});
  }, 2000);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    console.log(`\n${signal}: stopping the patients and the hub ...`);
    const truth = await run.stop();
    const alerts = await alertBriefs(
      hub.db,
      patients.map((p) => p.patientId),
    ).catch(() => []);
    // the quality report against the truth so far (npm run scenario:quality lives the week
    // to its end without the live days)
    for (const line of describeQuality(alertQuality(truth, alerts))) console.log(line);
    const truthFile = join(tmpdir(), `telehealth-demo-truth-${process.pid}.json`);
    await writeFile(truthFile, JSON.stringify(truth, null, 2));
    console.log(`ground truth (who deteriorated, from when): ${truthFile}`);
    await hub.stop().catch(() => {});
    if (data.temporary) await rm(data.dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await run.done.catch((err: Error) => console.error(`demo: the scenario stopped: ${err.message}`));
}

main().catch((err: Error) => {
  console.error(`demo: ${err.message}`);
  process.exit(1);
});
