// Readings in the device-contract JSON shape, minus messageId (a GATT value has none: the hub
// keys it by device, characteristic and time stamp). Optional fields are absent, never undefined.

export interface GattError {
  path: string;
  message: string;
}

export interface WeightReading {
  type: 'body_weight';
  value: number;
  unit: 'kg' | '[lb_av]';
  measuredAt?: string;
  deviceStatus: string[];
}

export interface BloodPressureReading {
  type: 'blood_pressure';
  systolic: number;
  diastolic: number;
  unit: 'mm[Hg]' | 'kPa';
  meanArterial?: number;
  pulse?: number;
  measuredAt?: string;
  deviceStatus: string[];
}

export interface Spo2Reading {
  type: 'spo2';
  value: number;
  unit: '%';
  pulse?: number;
  measuredAt?: string;
  deviceStatus: string[];
}

export type TemperatureSite =
  | 'armpit'
  | 'body'
  | 'ear'
  | 'finger'
  | 'gastrointestinal_tract'
  | 'mouth'
  | 'rectum'
  | 'toe'
  | 'tympanum';

export interface TemperatureReading {
  type: 'body_temperature';
  value: number;
  unit: 'Cel' | '[degF]';
  measuredAt?: string;
  deviceStatus: string[];
  site?: TemperatureSite;
}

export type GattReading = WeightReading | BloodPressureReading | Spo2Reading | TemperatureReading;

export type GattResult<R extends GattReading = GattReading> =
  { ok: true; reading: R } | { ok: false; errors: GattError[] };

export interface DecodeOptions {
  /** IANA zone of the patient, for the device's local time stamps. */
  timeZone: string;
}

/** What a simulator may add to the bytes beyond the reading itself (none of it is decoded). */
export interface EncodeOptions {
  timeZone: string;
  /** Weight and blood pressure: user index field (255 = unknown user). */
  userId?: number;
  /** Weight: BMI (kg/m2) and height (m, or in for [lb_av]); both or neither. */
  bmi?: number;
  height?: number;
  /** PLX: pulse amplitude index field (%). */
  pulseAmplitudeIndex?: number;
  /** BP and PLX: send the status field(s) even when no flag is set. */
  includeStatus?: boolean;
}
