// `npm run scenario -- FILE [--truth OUT.json]`: lives a scenario file against a hub that is
// already running, in either mode, as real homes would: registration through the admin CLI's
// own entry point (the hub's admin socket in DATA_DIR, or DATABASE_URL), readings over MQTT to
// MQTT_URL (services) or MQTT_HOST:MQTT_PORT (the embedded broker); SCENARIO_MQTT_URL overrides.
// Prints the logins, and writes the ground truth (who deteriorated, from when; what was sent,
// refused and left undelivered) when the span is lived or on Ctrl-C.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createPatient } from '../patients/index.js';
import { cliAdmin } from './admin.js';
import { registerScenario } from './register.js';
import { patientDays, runScenario } from './runner.js';
import { loadScenario, ScenarioError } from './schema.js';

const DAY = 86_400_000;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { truth: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) {
    console.error(
      'usage: npm run scenario -- FILE [--truth OUT.json]  (e.g. simulators/scenarios/demo-week.json)',
    );
    return 2;
  }
  const scenario = await loadScenario(file);
  const env = process.env;
  const mqttUrl =
    env.SCENARIO_MQTT_URL ??
    env.MQTT_URL ??
    `mqtt://${env.MQTT_HOST ?? '127.0.0.1'}:${env.MQTT_PORT ?? '1883'}`;
  const admin = cliAdmin(env);
  const start = new Date(Date.now() - scenario.days * DAY);
  const reg = await registerScenario(scenario, admin, {
    createPatient,
    start: new Date(start.getTime() - scenario.historyDays * DAY),
    days: patientDays(scenario),
  });
  for (const l of reg.logins) console.log(`login: ${l.username} ${l.password} ${l.unitName}`);
  console.log(`${reg.patients.length} patients registered; devices publish to ${mqttUrl}`);
  const run = runScenario(scenario, reg, {
    mqttUrl,
    admin,
    start,
    onEvent: (line) => console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`),
  });
  const finish = async () => {
    const truth = await run.stop();
    const out = values.truth ?? `scenario-truth-${scenario.name}.json`;
    await writeFile(out, JSON.stringify(truth, null, 2));
    console.log(`ground truth: ${out}`);
  };
  process.once('SIGINT', () => void finish().then(() => process.exit(0)));
  await run.done;
  await finish();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err instanceof ScenarioError ? err.message : `scenario: ${err.message}`);
    process.exit(1);
  },
);
