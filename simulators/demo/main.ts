// `npm run demo`: the hub in embedded mode in this process, a region health centre, a municipal
// home-care team and the on-call unit covering both (with a roster: its nurse is on call from
// the start), staff logins for each, and about 30 virtual
// patients living an accelerated week (simulators/scenarios/demo-week.json), so that a newcomer
// sees alerts arrive on the dashboard within a minute, and one escalated to the on-call nurse
// within about three. Honours HTTP_PORT and MQTT_PORT (0: a free port) and the hub's other
// variables; the database lives in a fresh temporary folder (DATA_DIR to keep it elsewhere: it
// must be empty), so every run starts clean and a re-run just works.
//
// Escalation runs on the hub's clock, not the scenario's, and the week's readings are days old
// when they arrive (late: raised low, never escalated), so only its last hours can escalate at
// all; at the hub's steps (15 min, 1 h) nobody trying the demo would see it. The demo therefore
// runs the hub with steps 60 times shorter (DEMO_ESCALATION, ESCALATION_MINUTES overrides),
// and the week ends with copd-1's acute exacerbation, fresh when judged.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configOrExit } from '../../server/ops/configOrExit.js';
import { alertBriefs, alertCounts, alertRecord } from '../../server/alerts/views.js';
import { startHub, type Hub } from '../../server/hub.js';
import { DEFAULT_ESCALATION, formatEscalation } from '../../server/alerts/escalationLimits.js';
import type { AlertChange } from '../../server/alerts/lifecycle.js';
import type { Config } from '../../server/config.js';
import { createPatient } from '../patients/index.js';
import { hubAdmin } from '../scenario/admin.js';
import { alertQuality, describeQuality } from '../scenario/quality.js';
import {
  registerOrganisations,
  registerPatients,
  type RegisteredScenario,
} from '../scenario/register.js';
import { patientDays, runScenario, type ScenarioRun } from '../scenario/runner.js';
import { loadScenario } from '../scenario/schema.js';

const DAY = 86_400_000;
const SCENARIO = process.env.DEMO_SCENARIO ?? 'simulators/scenarios/demo-week.json';
/** The hub's escalation steps (15 min, 1 h, 4 h) 60 times shorter: a minute is a second. */
const DEMO_ESCALATION = 'critical=0.25,high=1,medium=4';

/** 0.25 -> "15 s", 2 -> "2 min", 120 -> "2 h". */
const span = (minutes: number) =>
  minutes < 1
    ? `${Math.round(minutes * 60)} s`
    : minutes < 60
      ? `${+minutes.toFixed(1)} min`
      : `${+(minutes / 60).toFixed(1)} h`;
const clock = () => new Date().toISOString().slice(11, 19);

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
  // (and escalates in seconds, unless ESCALATION_MINUTES says otherwise)
  const config = configOrExit({
    LOG_LEVEL: 'warn',
    ...process.env,
    ESCALATION_MINUTES: process.env.ESCALATION_MINUTES || DEMO_ESCALATION,
    DATA_DIR: data.dir,
  });
  const steps = config.ESCALATION_MINUTES;

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
      `on call in ${u.name}: ${u.roster.staff.join(', ')}, ${u.roster.shiftHours} h shifts from now for ${u.roster.days} days; an alert nobody acknowledges reaches them after ${span(2 * steps.critical!)} (critical), ${span(2 * steps.high!)} (high) or ${span(2 * steps.medium!)} (medium)`,
    );
  }
  const why = process.env.ESCALATION_MINUTES
    ? 'as you set it'
    : `the hub's defaults ${formatEscalation(DEFAULT_ESCALATION)} 60 times shorter for the demo`;
  console.log(`escalation: ESCALATION_MINUTES=${formatEscalation(steps)} (${why})`);
  const onCall = scenario.organisations
    .flatMap((o) => o.units)
    .flatMap((u) => u.roster?.staff ?? []);
  const weekS =
    typeof scenario.acceleration === 'number'
      ? `about ${Math.round((scenario.days * DAY) / scenario.acceleration / 1000)} s`
      : 'soon';
  console.log(`
Sign in with a login above; alerts arrive as the patients live their week. The week's readings
arrive days after they were measured (late: low, never escalated) except its last day's, ${weekS}
after the history${onCall.length ? `: what nobody acknowledges then reaches ${onCall.join(', ')}` : ''}. Ctrl-C stops.
`);
  const patients = await registerPatients(scenario, admin, orgs, {
    createPatient,
    start: patientsFrom,
    days: patientDays(scenario),
  });
  const reg = { ...orgs, patients };
  console.log(`  ${clock()}  ${patients.length} patients registered; their history is coming in`);
  hub.alerts.events.on('change', (change) => {
    if (change.kind !== 'escalated' || change.data.to !== 'on_call_unit') return;
    void tellOnCall(hub, reg, change, config).then(
      (line) => line && console.log(`  ${clock()}  ${line}`),
      () => {},
    );
  });

  let alertsSeen = 0;
  const run: ScenarioRun = runScenario(scenario, reg, {
    mqttUrl: hub.urls.mqtt,
    admin,
    start,
    onEvent: (line) => console.log(`  ${clock()}  ${line}`),
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
          console.log(`  ${clock()}  ${when}: ${n} alerts open`);
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

/**
 * The line for an alert that reached the on-call level: who sees it now, and what would have
 * told them outside the dashboard (nothing unless SMTP_URL or VAPID_* is set).
 */
async function tellOnCall(
  hub: Hub,
  reg: RegisteredScenario,
  change: AlertChange,
  config: Config,
): Promise<string | null> {
  const alert = await alertRecord(hub.db, change.alertId, new Date(change.at));
  if (!alert) return null;
  const patient = reg.patients.find((p) => p.patientId === alert.patientId);
  const covers = Array.isArray(change.data.onCall)
    ? (change.data.onCall as { unitId: string; staffId: string | null }[])
    : [];
  const who = covers.map((c) => {
    const unit = [...reg.units.values()].find((u) => u.id === c.unitId)?.name ?? c.unitId;
    const login = reg.logins.find((l) => l.staffId === c.staffId);
    return c.staffId ? `${login?.username ?? c.staffId} (${unit})` : `nobody on call in ${unit}`;
  });
  const email = config.SMTP_URL
    ? 'an email goes to their address (npm run hub -- staff email)'
    : 'no email (set SMTP_URL and NOTIFY_FROM)';
  const push = config.VAPID_PUBLIC_KEY
    ? 'a push to each browser they allowed'
    : 'no push (set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT)';
  return `on call: ${alert.severity} ${alert.rule} for ${patient?.displayName ?? alert.patientId}, unacknowledged, reached ${who.join(', ') || 'no on-call unit'}; ${email}, ${push}`;
}

main().catch((err: Error) => {
  console.error(`demo: ${err.message}`);
  process.exit(1);
});
