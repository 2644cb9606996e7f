// `npm run scenario:quality -- [FILE]`: lives a scenario (default: the demo's week) to the end
// as fast as a hub in this process takes it (embedded, in memory, free ports), then reports how
// far a nurse could trust its alerts against the ground truth (quality.ts): alerts per
// patient-week and the share of open cards that belong to a true episode. The demo's week is
// lived as it is in `npm run demo`, only not live and not paced.
import { parseArgs } from 'node:util';
import { alertBriefs } from '../../server/alerts/views.js';
import { startHub } from '../../server/hub.js';
import { configOrExit } from '../../server/ops/configOrExit.js';
import { createPatient } from '../patients/index.js';
import { hubAdmin } from './admin.js';
import { alertQuality, describeQuality, inEpisode } from './quality.js';
import { registerScenario } from './register.js';
import { patientDays, runScenario } from './runner.js';
import { loadScenario } from './schema.js';

const DAY = 86_400_000;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, cards: { type: 'boolean' } },
  });
  const file = positionals[0] ?? 'simulators/scenarios/demo-week.json';
  const scenario = { ...(await loadScenario(file)), live: false, acceleration: 'max' as const };
  const config = configOrExit({
    LOG_LEVEL: 'warn',
    ...process.env,
    DATA_DIR: 'memory',
    HTTP_PORT: '0',
    MQTT_PORT: '0',
  });
  const hub = await startHub(config);
  try {
    const start = new Date(Date.now() - scenario.days * DAY);
    const admin = hubAdmin(hub);
    const reg = await registerScenario(scenario, admin, {
      createPatient,
      start: new Date(start.getTime() - scenario.historyDays * DAY),
      days: patientDays(scenario),
    });
    const run = runScenario(scenario, reg, { mqttUrl: hub.urls.mqtt, admin, start });
    const truth = await run.done;
    await hub.rules.idle();
    const alerts = await alertBriefs(
      hub.db,
      reg.patients.map((p) => p.patientId),
    );
    const quality = alertQuality(truth, alerts);
    if (values.json) console.log(JSON.stringify(quality, null, 2));
    else
      for (const line of [`scenario ${scenario.name}`, ...describeQuality(quality)])
        console.log(line);
    // --cards: each card left open, what it is about and whether that is in a true episode
    if (values.cards) {
      const keyOf = new Map(reg.patients.map((p) => [p.patientId, p.key]));
      const episodes = new Map(truth.patients.map((p) => [p.patientId, p.episodes]));
      for (const a of alerts.filter((x) => x.status !== 'resolved')) {
        const times = a.findingsAt.length ? a.findingsAt : [a.findingAt];
        const inOne = times.some((t) =>
          inEpisode(episodes.get(a.patientId) ?? [], Date.parse(t), 2),
        );
        console.log(
          `open ${keyOf.get(a.patientId)} ${a.rule} about ${times.join(', ')}${inOne ? '  IN EPISODE' : ''}`,
        );
      }
    }
    return 0;
  } finally {
    await hub.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`scenario:quality: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
