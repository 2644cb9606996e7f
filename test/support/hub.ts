// Starts real hubs for tests: embedded (aedes + in-memory PGlite) or against this machine's
// Mosquitto and PostgreSQL, each test file in a database of its own.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import pg from 'pg';
import { configSchema, type Config } from '../../server/config.js';
import { startHub, type Hub } from '../../server/hub.js';
import {
  addDevice as registerDevice,
  addOrganisation,
  addUnit,
  registerPatient,
} from '../../server/registry/index.js';
import { createLogger } from '../../server/ops/log.js';

export type Mode = 'embedded' | 'services';

export const SERVICES = {
  postgres: process.env.TEST_DATABASE_URL ?? 'postgres://telehealth@127.0.0.1:5432/telehealth_test',
  mqtt: process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883',
};

const rand = () => randomBytes(4).toString('hex');

/** A database of its own for one test file; dropped by the returned function. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `telehealth_t_${rand()}`;
  const admin = new pg.Client({ connectionString: SERVICES.postgres });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVICES.postgres);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: SERVICES.postgres });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestEnv {
  mode: Mode;
  hub: Hub;
  config: Config;
  /** The broker devices connect to. */
  mqttUrl: string;
  restart(): Promise<Hub>;
  close(): Promise<void>;
}

/**
 * Embedded: MQTT and HTTP on port 0, PGlite in memory (or in `dataDir` when a test restarts
 * the hub). Services: the machine's Mosquitto with a share group and session of its own, and a
 * fresh PostgreSQL database.
 */
export async function startTestHub(
  mode: Mode,
  env: Record<string, string> = {},
  opts: { persistent?: boolean } = {},
): Promise<TestEnv> {
  const hubId = `t-${rand()}`;
  let dropDb: (() => Promise<void>) | null = null;
  const base: Record<string, string> = {
    HTTP_PORT: '0',
    MQTT_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HUB_ID: hubId,
    INGEST_BATCH_DELAY_MS: '2',
    // every staff API answer a test meets is checked against the OpenAPI document
    API_CHECK_RESPONSES: 'true',
  };
  if (mode === 'embedded') {
    base.DATA_DIR = opts.persistent ? await mkdtemp(join(tmpdir(), 'hub-')) : 'memory';
  } else {
    const db = await createTestDatabase();
    dropDb = db.drop;
    base.DATABASE_URL = db.url;
    base.MQTT_URL = SERVICES.mqtt;
    base.MQTT_SHARE_GROUP = hubId;
    base.DATA_DIR = await mkdtemp(join(tmpdir(), 'hub-'));
  }
  const config = configSchema.parse({ ...base, ...env });
  const log = createLogger(config.LOG_LEVEL);
  let hub = await startHub(config, { log });
  // An embedded broker keeps its port across a restart so that devices find it again.
  const fixed = (h: Hub) =>
    mode === 'embedded' ? { ...config, MQTT_PORT: Number(new URL(h.urls.mqtt).port) } : config;

  const t: TestEnv = {
    mode,
    hub,
    config,
    get mqttUrl() {
      return mode === 'embedded' ? hub.urls.mqtt : SERVICES.mqtt;
    },
    async restart() {
      const next = fixed(hub);
      await hub.stop();
      hub = await startHub(next, { log });
      t.hub = hub;
      return hub;
    },
    async close() {
      await hub.stop().catch(() => {});
      if (mode === 'services') await forgetSession(`telehealth-${hubId}`);
      await dropDb?.();
    },
  };
  return t;
}

/** Ends a hub's persistent broker session so that it stops queueing messages. */
async function forgetSession(clientId: string) {
  const c = await mqtt.connectAsync(SERVICES.mqtt, { clientId, clean: true, protocolVersion: 5 });
  await c.endAsync();
}

export interface Registered {
  orgId: string;
  unitId: string;
  patientId: string;
  deviceId: string;
  secret: string;
}

/** An organisation, a unit, a patient and a device, through the registry's typed functions. */
export async function registerPatientWithDevice(hub: Hub): Promise<Registered> {
  const org = await addOrganisation(hub.db, { name: 'Region Test', kind: 'region' });
  const unit = await addUnit(hub.db, { organisationId: org.id, name: 'VC Test' });
  const patient = await registerPatient(hub.db, { unitId: unit.id, name: 'P' });
  return {
    orgId: org.id,
    unitId: unit.id,
    patientId: patient.id,
    ...(await addDevice(hub, patient.id)),
  };
}

export function addDevice(hub: Hub, patientId: string) {
  return registerDevice(hub.db, { patientId });
}
