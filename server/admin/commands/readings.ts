// The admin commands that show what a patient's readings say: the latest readings themselves and
// the NEWS2 their latest full set of vital signs scores.
import { z } from 'zod';
import { resolvedPlanOf } from '../../plans/store.js';
import { mustExist } from '../../registry/index.js';
import { loadRuleReadings } from '../../rules/history.js';
import { latestFullSet, NEWS2_TYPES, scoreNews2 } from '../../rules/news2.js';
import { latestReadings } from '../../store/readings.js';
import { define, id } from './define.js';

export const readingCommands = {
  scores: define({
    summary:
      "the patient's latest NEWS2 from a full set of vital signs measured within an hour, or null",
    args: z.object({ patient: id }),
    async run({ db }, a) {
      await mustExist(db, 'patient', a.patient, 'patient');
      const [readings, { spo2Scale }] = await Promise.all([
        loadRuleReadings(db, a.patient, new Date(Date.now() - 30 * 86_400_000), NEWS2_TYPES),
        resolvedPlanOf(db, a.patient),
      ]);
      const set = latestFullSet(readings, {});
      if (!set) return null;
      const score = scoreNews2(set.inputs, { spo2Scale });
      return { ...score, measuredAt: set.measuredAt.toISOString() };
    },
    describe: (r) =>
      r ? `NEWS2 ${r.total} (${r.band}) at ${r.measuredAt}` : 'no full set of vital signs yet',
  }),

  readings: define({
    summary: "a patient's latest readings, newest first, in canonical units",
    args: z.object({ patient: id, limit: z.coerce.number().int().min(1).max(1000).default(50) }),
    async run({ db }, a) {
      await mustExist(db, 'patient', a.patient, 'patient');
      return latestReadings(db, a.patient, a.limit);
    },
    describe: (rows) =>
      rows.length
        ? rows
            .map(
              (r) =>
                `${r.measuredAt}  ${r.type.padEnd(16)} ${
                  r.type === 'blood_pressure'
                    ? `${r.systolic}/${r.diastolic}${r.pulse ? ` pulse ${r.pulse}` : ''}`
                    : (r.value ?? r.code)
                } ${r.unit ?? ''}`,
            )
            .join('\n')
        : 'no readings yet',
  }),
};
