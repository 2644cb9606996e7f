// Device status flags: stable snake_case names for status bits, stored with the reading.

/** Blood Pressure Measurement Status (uint16). Bits 3-4 are the pulse-rate range, handled apart. */
export const BP_STATUS_BITS = {
  body_movement: 0,
  cuff_too_loose: 1,
  irregular_pulse: 2,
  improper_position: 5,
} as const;
export const BP_PULSE_RANGE = { pulse_rate_over_range: 1, pulse_rate_under_range: 2 } as const;

/** PLX Measurement Status (uint16); bits 0-4 are reserved. */
export const PLX_MEASUREMENT_STATUS_BITS = {
  measurement_ongoing: 5,
  early_estimated_data: 6,
  validated_data: 7,
  fully_qualified_data: 8,
  data_from_measurement_storage: 9,
  data_for_demonstration: 10,
  data_for_testing: 11,
  calibration_ongoing: 12,
  measurement_unavailable: 13,
  questionable_measurement: 14,
  invalid_measurement: 15,
} as const;

/** PLX Device and Sensor Status (uint24); bits 16-23 are reserved. */
export const PLX_SENSOR_STATUS_BITS = {
  extended_display_update_ongoing: 0,
  equipment_malfunction: 1,
  signal_processing_irregularity: 2,
  inadequate_signal: 3,
  poor_signal: 4,
  low_perfusion: 5,
  erratic_signal: 6,
  nonpulsatile_signal: 7,
  questionable_pulse: 8,
  signal_analysis_ongoing: 9,
  sensor_interference: 10,
  sensor_unconnected: 11,
  unknown_sensor_connected: 12,
  sensor_displaced: 13,
  sensor_malfunctioning: 14,
  sensor_disconnected: 15,
} as const;

/** PLX flags bit 4: the time stamp is meaningless and is dropped. */
export const DEVICE_CLOCK_NOT_SET = 'device_clock_not_set';

/** Flag names of the set bits, in bit order. */
export function bitsToFlags(value: number, table: Readonly<Record<string, number>>): string[] {
  return Object.entries(table)
    .filter(([, bit]) => Math.floor(value / 2 ** bit) % 2 === 1)
    .map(([name]) => name);
}

/** Bits for the flags found in `table`; other flags are left to the caller. */
export function flagsToBits(flags: readonly string[], table: Readonly<Record<string, number>>) {
  let value = 0;
  for (const f of flags) {
    const bit = table[f];
    if (bit !== undefined) value |= 2 ** bit;
  }
  return value;
}

/**
 * Flags meaning the value may be wrong (movement, poor signal, test data, ...): such a reading
 * is stored and shown, and is a reason to repeat the measurement, but never raises an alert by
 * itself. Irregular pulse is a finding, not a measurement problem, so it is not here.
 */
export const QUESTIONABLE_FLAGS: ReadonlySet<string> = new Set([
  'body_movement',
  'cuff_too_loose',
  'improper_position',
  'measurement_ongoing',
  'early_estimated_data',
  'data_for_demonstration',
  'data_for_testing',
  'calibration_ongoing',
  'measurement_unavailable',
  'questionable_measurement',
  'invalid_measurement',
  'equipment_malfunction',
  'signal_processing_irregularity',
  'inadequate_signal',
  'poor_signal',
  'low_perfusion',
  'erratic_signal',
  'nonpulsatile_signal',
  'questionable_pulse',
  'signal_analysis_ongoing',
  'sensor_interference',
  'sensor_unconnected',
  'unknown_sensor_connected',
  'sensor_displaced',
  'sensor_malfunctioning',
  'sensor_disconnected',
]);

export const isQuestionable = (deviceStatus: readonly string[]): boolean =>
  deviceStatus.some((f) => QUESTIONABLE_FLAGS.has(f));
