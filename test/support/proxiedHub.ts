// A services-mode hub whose connections to PostgreSQL (and, when asked, to Mosquitto) go through
// proxies a test can cut, with one registered device connected straight to the broker: the
// network failing between the hub and its services, as it does in production.
import { connectDevice, type TestDevice } from './device.js';
import {
  createTestDatabase,
  registerPatientWithDevice,
  SERVICES,
  startTestHub,
  type TestEnv,
} from './hub.js';
import { proxyFor, type UrlProxy } from './proxy.js';

export interface ProxiedHub {
  env: TestEnv;
  device: TestDevice;
  deviceId: string;
  database: UrlProxy;
  /** Between the hub and the broker; null unless asked for. */
  broker: UrlProxy | null;
  close(): Promise<void>;
}

export async function startProxiedHub(
  o: { broker?: boolean; env?: Record<string, string> } = {},
): Promise<ProxiedHub> {
  const db = await createTestDatabase();
  const database = await proxyFor(db.url, 5432);
  const broker = o.broker ? await proxyFor(SERVICES.mqtt, 1883) : null;
  const env = await startTestHub('services', {
    DATABASE_URL: database.url,
    ...(broker ? { MQTT_URL: broker.url } : {}),
    ...o.env,
  });
  const reg = await registerPatientWithDevice(env.hub);
  const device = await connectDevice(SERVICES.mqtt, reg.deviceId, reg.secret);
  return {
    env,
    device,
    deviceId: reg.deviceId,
    database,
    broker,
    async close() {
      await device.close();
      await env.close();
      await broker?.close();
      await database.close();
      await db.drop();
    },
  };
}
