// A device that keeps publishing QoS 1 readings, and remembers which ones the broker
// acknowledged: those are the ones the hub promises never to lose.
import mqtt from 'mqtt';
import { topics } from '../../devices/contract.js';
import { endClient } from './device.js';

export interface Publisher {
  acked: Set<string>;
  sent: number;
  /** Publishes `count` readings with up to `window` awaiting acknowledgement. */
  run(count: number, window?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPublisher(
  url: string,
  deviceId: string,
  secret: string,
): Promise<Publisher> {
  const client = await mqtt.connectAsync(url, {
    username: deviceId,
    password: secret,
    clientId: `${deviceId}-pub`,
    clean: true,
    reconnectPeriod: 200,
    connectTimeout: 5000,
  });
  const acked = new Set<string>();
  const p: Publisher = {
    acked,
    sent: 0,
    async run(count, window = 10) {
      let next = 0;
      const start = Date.now() - 60_000;
      const worker = async () => {
        while (next < count) {
          const i = next++;
          const messageId = `r-${i}`;
          const body = JSON.stringify({
            messageId,
            measuredAt: new Date(start + i).toISOString(),
            type: 'heart_rate',
            value: 60 + (i % 40),
            unit: '/min',
          });
          p.sent++;
          // mqtt.js keeps an unacknowledged QoS 1 message and resends it after a reconnect
          await client.publishAsync(topics.readings(deviceId), body, { qos: 1 });
          acked.add(messageId);
        }
      };
      await Promise.all(Array.from({ length: window }, worker));
    },
    close: () => endClient(client),
  };
  return p;
}
