// A hub's settings for one benchmark phase, and the tidying after it: a data folder of its own,
// and in services mode a fresh PostgreSQL database, the bench's broker and a share group of its
// own (whose persistent session is ended afterwards, so the broker stops queueing for it).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../server/config.js';
import { createTestDatabase } from '../support/hub.js';
import { forgetSession, startBenchBroker } from './broker.js';

export type Mode = 'embedded' | 'services';

export interface BenchHub {
  /** Settings for configSchema (HubChild's config). */
  settings: Record<string, string>;
  cleanup(): Promise<void>;
}

/** `fixed` settings are applied last, over BENCH_HUB_ENV (`hubEnv`): what the phase is about. */
export async function benchHub(o: {
  mode: Mode;
  brokerUrl: string;
  name: string;
  hubEnv: Record<string, string>;
  fixed?: Record<string, string>;
}): Promise<BenchHub> {
  const id = `bench-${o.name}-${randomBytes(3).toString('hex')}`;
  const dataDir = await mkdtemp(join(tmpdir(), `hub-${id}-`));
  const settings: Record<string, string> = {
    HTTP_PORT: '0',
    MQTT_PORT: '0',
    LOG_LEVEL: 'silent',
    HUB_ID: id,
    RULES: 'on',
    DATA_DIR: dataDir,
  };
  let dropDb: (() => Promise<void>) | null = null;
  if (o.mode === 'services') {
    const db = await createTestDatabase();
    dropDb = db.drop;
    Object.assign(settings, {
      DATABASE_URL: db.url,
      MQTT_URL: o.brokerUrl,
      MQTT_SHARE_GROUP: id,
    });
  }
  Object.assign(settings, o.hubEnv, o.fixed);
  configSchema.parse(settings); // a bad BENCH_HUB_ENV stops here, not in the hub's process
  return {
    settings,
    async cleanup() {
      if (o.mode === 'services') {
        await forgetSession(o.brokerUrl, `telehealth-${settings.HUB_ID}`).catch(() => {});
      }
      await dropDb?.().catch((err: Error) => console.error(`bench: drop database: ${err.message}`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with the bench's Mosquitto in services mode (started and stopped here). */
export async function withBenchBroker<T>(mode: Mode, fn: (url: string) => Promise<T>): Promise<T> {
  const broker = mode === 'services' ? await startBenchBroker() : null;
  try {
    return await fn(broker?.url ?? '');
  } finally {
    await broker?.stop();
  }
}
