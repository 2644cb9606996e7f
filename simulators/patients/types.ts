// What a virtual patient is to the rest of the simulators: a seeded source of home measurements
// in the device contract's canonical units, and the ground truth of what happened to them.
// The physiology (profiles) lives beside this file; devices, gateways and the scenario runner
// (simulators/devices, simulators/scenario) only read this interface.
import type { ReadingType } from '../../devices/contract.js';

export const profileNames = [
  'hf-stable',
  'hf-decompensating',
  'hypertension',
  'atrial-fibrillation',
  'copd',
  'frail-forgetful',
  'palliative',
] as const;
export type ProfileName = (typeof profileNames)[number];

/** One measurement taken at home, in canonical units (kg, mm[Hg], /min, %, Cel). */
export interface SimMeasurement {
  type: ReadingType;
  measuredAt: Date;
  value?: number;
  systolic?: number;
  diastolic?: number;
  pulse?: number;
  supplementalOxygen?: boolean;
  /** Flags the device would set about its own measurement (e.g. 'irregular_pulse', 'cuff_loose'). */
  deviceStatus?: string[];
}

/** A deterioration the rules should catch: when it starts, peaks and ends. */
export interface Episode {
  kind: 'decompensation' | 'exacerbation' | 'infection';
  start: Date;
  peak: Date;
  end: Date;
  /** Weight the episode adds at its peak (kg); many real episodes add little or none. */
  weightGainKg: number;
  /** Admitted to hospital at the peak: no home measurements from the peak until this. */
  hospitalisedUntil?: Date;
}

export interface GroundTruth {
  profile: ProfileName;
  seed: number;
  episodes: Episode[];
}

export interface VirtualPatient {
  readonly profile: ProfileName;
  readonly seed: number;
  readonly truth: GroundTruth;
  /** What the patient measures in [from, to), in measurement order; the same for the same seed. */
  measurements(from: Date, to: Date): SimMeasurement[];
  /** The measurement plan and personal thresholds a care team would set (a patient plan body). */
  readonly suggestedPlan: Record<string, unknown>;
}
