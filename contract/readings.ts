// A reading's values as they cross the wire: a patient's `latest` in the staff API and a
// `readings` push (docs/api.md), in canonical units.

/** What a reading measured, in canonical units. */
export interface MeasuredValues {
  /** The canonical value; for blood pressure the systolic pressure is in `systolic`. */
  value: number | null;
  systolic: number | null;
  diastolic: number | null;
  pulse: number | null;
  /** ACVPU letter of a consciousness reading. */
  code: string | null;
  unit: string | null;
}

/** The values and when they were measured (ISO 8601). */
export interface ReadingValues extends MeasuredValues {
  measuredAt: string;
}
