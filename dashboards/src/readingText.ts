// A reading as people read it in a list: "120/80 mm[Hg]", "80.2 kg", a code. Pure.
import type { LatestReading } from './types.js';

export function formatLatest(r: LatestReading): string {
  if (r.systolic !== null && r.diastolic !== null)
    return `${r.systolic}/${r.diastolic} ${r.unit ?? ''}`;
  if (r.code) return r.code;
  return `${r.value ?? '–'} ${r.unit ?? ''}`.trim();
}
