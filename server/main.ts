// Starts the hub from the environment: `npm start`. Prints where it listens and how to begin.
import { startHub, type Hub } from './hub.js';
import { configOrExit } from './ops/configOrExit.js';
import { heapGrowthPercent, limitHeapGrowth } from './ops/heap.js';

const config = configOrExit();
limitHeapGrowth(heapGrowthPercent(config));

let hub: Hub;
try {
  hub = await startHub(config);
} catch (err) {
  console.error(`the hub could not start: ${(err as Error).message}`);
  process.exit(1);
}

const { urls, mode, log } = hub;
// compiled (`npm run start:built`), the deployment may have no tsx: its CLI is `hub:built`
const cli = import.meta.url.endsWith('.ts') ? 'npm run hub --' : 'npm run hub:built --';
log.info({ urls, mode }, 'hub started');
console.log(`
telehealth hub is running (${mode.broker} broker, ${mode.database} database${mode.database === 'pglite' ? ` in ${config.DATA_DIR}` : ''})
  mqtt:    ${urls.mqtt}   devices publish to telehealth/v1/devices/{deviceId}/readings
  http:    ${urls.http}   (/healthz, /readyz, /metrics)
  admin:   ${urls.adminSocket}

Add a patient and a device (in another terminal):
  ${cli} org add --name "Region Uppsala" --kind region
  ${cli} unit add --org ORG_ID --name "Vårdcentral Gränby"
  ${cli} patient add --unit UNIT_ID --name "Patient A"
  ${cli} device add --patient PATIENT_ID
Then publish a reading as that device (username = device id, password = secret):
  npx mqtt pub -h ${config.MQTT_HOST} -p ${urls.mqtt.split(':').pop()} -u DEVICE_ID -P SECRET -q 1 \\
    -t telehealth/v1/devices/DEVICE_ID/readings \\
    -m '{"messageId":"m-1","measuredAt":"${new Date().toISOString()}","type":"body_weight","value":82.4,"unit":"kg"}'
  ${cli} readings --patient PATIENT_ID
`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: no new messages; committing and acknowledging what is held');
  const timer = setTimeout(() => {
    log.error('shutdown took too long; exiting with readings unacknowledged (they will be resent)');
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  try {
    await hub.stop();
    clearTimeout(timer);
    log.info('stopped cleanly');
    process.exit(0);
  } catch (err) {
    log.error({ err }, 'error while stopping');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
