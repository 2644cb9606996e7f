// What each kind of measurement is called when the hub speaks to people (patients' notices,
// the care team's alert reasons), in Swedish and English. Type ids stay for machines.
import type { ReadingType } from './contract.js';

export const measurementNames: Record<ReadingType, { sv: string; en: string }> = {
  body_weight: { sv: 'vikt', en: 'weight' },
  blood_pressure: { sv: 'blodtryck', en: 'blood pressure' },
  heart_rate: { sv: 'puls', en: 'pulse' },
  spo2: { sv: 'syremättnad', en: 'oxygen saturation' },
  body_temperature: { sv: 'temperatur', en: 'temperature' },
  respiratory_rate: { sv: 'andningsfrekvens', en: 'breathing rate' },
  blood_glucose: { sv: 'blodsocker', en: 'blood sugar' },
  consciousness: { sv: 'vakenhet', en: 'alertness' },
};
