// One MQTT message from a device as the broker hands it to ingest. Imports nothing of the stages.

export interface InboundMessage {
  deviceId: string;
  kind: 'readings' | 'gatt';
  uuid?: string;
  payload: Buffer;
  receivedAt: Date;
}
