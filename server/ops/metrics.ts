// Prometheus metrics, one registry per hub so that tests and several hubs in one process stay
// apart. Names follow the Prometheus conventions (units in the name, _total for counters).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  // Deliveries, counted on the ingest's hot path (every message the broker hands the hub) as a
  // plain number and added to their counter in one inc when it is read (a scrape, a test): the
  // same total, without prom-client's inc (a labels hash and checks) once per message.
  let uncounted = 0;
  collectDefaultMetrics({ register: registry, prefix: 'telehealth_' });
  const m = {
    registry,
    received: new Counter({
      name: 'telehealth_ingest_messages_received_total',
      help: 'MQTT messages received from devices, by kind (readings JSON or raw GATT)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    accepted: new Counter({
      name: 'telehealth_ingest_readings_accepted_total',
      help: 'Readings stored',
      registers: [registry],
    }),
    duplicate: new Counter({
      name: 'telehealth_ingest_readings_duplicate_total',
      help: 'Readings already stored under the same (device, messageId)',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'telehealth_ingest_readings_rejected_total',
      help: 'Readings or messages refused, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'telehealth_ingest_batch_size',
      help: 'Readings per committed batch',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'telehealth_ingest_commit_seconds',
      help: 'Time to commit one batch',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    lagSeconds: new Histogram({
      name: 'telehealth_ingest_lag_seconds',
      help: 'From the hub receiving a message to its readings being committed',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'telehealth_ingest_pending_readings',
      help: 'Readings received and not yet committed',
      registers: [registry],
    }),
    storeFailures: new Counter({
      name: 'telehealth_ingest_store_failures_total',
      help: 'Batch commits that failed and will be retried (database slow or down)',
      registers: [registry],
    }),
    connectedDevices: new Gauge({
      name: 'telehealth_broker_connected_devices',
      help: 'Devices connected to the embedded broker',
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'telehealth_broker_deliveries_total',
      help: 'Device messages the broker delivered to the hub (redeliveries included); flat while devices publish means a stalled hub',
      registers: [registry],
      collect() {
        if (uncounted === 0) return;
        this.inc(uncounted);
        uncounted = 0;
      },
    }),
    /** One message the broker delivered: counted in `deliveries` when that is next read. */
    delivered() {
      uncounted++;
    },
    subscribed: new Gauge({
      name: 'telehealth_broker_subscribed',
      help: "1 while the hub receives device messages: external broker connected and this connection's SUBACK granted every filter (embedded: the broker listens); /readyz is 503 while 0",
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'telehealth_broker_auth_failures_total',
      help: 'Refused device connections and publishes, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
  return m;
}
export type Metrics = ReturnType<typeof createMetrics>;
