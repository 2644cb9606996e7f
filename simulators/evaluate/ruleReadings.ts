// Simulated measurements as the rules read stored readings (server/rules/types.ts), without a
// hub in between: one device per reading type, received the moment it was measured.
import type { RuleReading } from '../../server/rules/types.js';
import type { SimMeasurement } from '../patients/types.js';

export function toRuleReadings(patientId: string, measurements: SimMeasurement[]): RuleReading[] {
  return measurements.map((m, i) => ({
    deviceId: `${patientId}-${m.type}`,
    messageId: `${patientId}-${i}`,
    type: m.type,
    measuredAt: m.measuredAt,
    receivedAt: m.measuredAt,
    value: m.value ?? null,
    systolic: m.systolic ?? null,
    diastolic: m.diastolic ?? null,
    pulse: m.pulse ?? null,
    code: null,
    ...(m.supplementalOxygen === undefined ? {} : { supplementalOxygen: m.supplementalOxygen }),
    ...(m.deviceStatus ? { deviceStatus: m.deviceStatus } : {}),
  }));
}
