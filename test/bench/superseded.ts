// The rules raise no alert for a reading about a superseded past (a newer reading of its type
// came in the same commit or before it: flagged superseded, server/rules/evaluate.ts). The rules
// benchmark's compressed time puts a device's consecutive readings in one commit now and then,
// so an abnormal reading may be superseded by design: these helpers tell those apart from
// abnormal readings that should have raised an alert and did not.
import {
  isAbnormalValue,
  type AbnormalKind,
  type AbnormalReading,
} from '../../simulators/load/homeReadings.js';
import type { StoredReading } from '../../server/shapes/reading.js';
import { isSuperseded } from '../../server/rules/evaluate.js';

/**
 * Fed every commit in the order the rules get them (the hub's reading listeners), notes the
 * readings that were superseded when committed: the newest of the patient's readings of that
 * type, in this commit or an earlier one, was measured after them. The rules, whose history of
 * the patient holds at least those readings, flag each of them superseded. (A patient's history
 * loaded from the database may also hold commits made after the reading's own, which the rules
 * then also flag superseded: those are not noted here, so they still count as missing.)
 * Keeps one number per patient and type, and the keys of the superseded abnormal readings.
 */
export function createSupersededTracker() {
  // per patient, per type: the newest measuredAt (ms). Nested maps, not a key string per
  // reading: this runs in the hub's process, on its thread, for every reading committed.
  const newest = new Map<string, Map<string, number>>();
  const superseded = new Map<string, Set<string>>();
  return {
    add(readings: readonly StoredReading[]) {
      // the rules judge each reading with its whole commit in the history
      for (const r of readings) {
        let byType = newest.get(r.patientId);
        if (!byType) newest.set(r.patientId, (byType = new Map()));
        const t = r.measuredAt.getTime();
        const n = byType.get(r.type);
        if (n === undefined || t > n) byType.set(r.type, t);
      }
      for (const r of readings) {
        // only the abnormal ones are asked about: at the highest rate a third of all readings
        // are superseded, and keeping them all grew this process's heap (the rules' phase only)
        if (!isAbnormalValue(r)) continue;
        if (!isSuperseded(r, newest.get(r.patientId)!.get(r.type)!)) continue;
        let ids = superseded.get(r.deviceId);
        if (!ids) superseded.set(r.deviceId, (ids = new Set()));
        ids.add(r.messageId);
      }
    },
    has: (deviceId: string, messageId: string) => superseded.get(deviceId)?.has(messageId) ?? false,
  };
}

export interface AbnormalTally {
  /** Raised an alert change (opened/updated naming them as the trigger). */
  raised: number;
  /** Published after the warm-up. */
  measured: number;
  /** Publish to alert change (ms), of those published after the warm-up. */
  latencies: number[];
  /** Raised none, superseded when committed: no alert by design. */
  superseded: number;
  supersededByKind: Partial<Record<AbnormalKind, number>>;
  /** Raised none and were not superseded: what the rules should have alerted on. */
  missingIds: string[];
  missingByKind: Partial<Record<AbnormalKind, number>>;
}

/**
 * Sorts the abnormal readings published into raised, superseded and missing. `raisedAt`: when
 * the hub emitted the first alert change each reading (`deviceId messageId`) raised; the keys
 * counted are deleted from it, so that what is left was raised by readings that were not abnormal.
 */
export function tallyAbnormal(o: {
  abnormal: ReadonlyMap<string, AbnormalReading>;
  deviceIds: readonly string[];
  raisedAt: Map<string, number>;
  superseded: (deviceId: string, messageId: string) => boolean;
  warmEndWall: number;
}): AbnormalTally {
  const t: AbnormalTally = {
    raised: 0,
    measured: 0,
    latencies: [],
    superseded: 0,
    supersededByKind: {},
    missingIds: [],
    missingByKind: {},
  };
  for (const [messageId, a] of o.abnormal) {
    const deviceId = o.deviceIds[a.device]!;
    const key = `${deviceId} ${messageId}`;
    const at = o.raisedAt.get(key);
    o.raisedAt.delete(key);
    const inWindow = a.publishedAt >= o.warmEndWall;
    if (inWindow) t.measured++;
    if (at !== undefined) {
      t.raised++;
      if (inWindow) t.latencies.push(at - a.publishedAt);
    } else if (o.superseded(deviceId, messageId)) {
      t.superseded++;
      t.supersededByKind[a.kind] = (t.supersededByKind[a.kind] ?? 0) + 1;
    } else {
      t.missingIds.push(messageId);
      t.missingByKind[a.kind] = (t.missingByKind[a.kind] ?? 0) + 1;
    }
  }
  return t;
}
