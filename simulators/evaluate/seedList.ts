// A list of seeds as the command line gives it (`--seeds 1-5`, `--held-out 6-10`, `1,2,3`) and
// as the reports name it. Apart from seeds.ts so that the reports need not load the workers.
import { z } from 'zod';

/** At most this many seeds in one run (each is a whole cohort). */
const MAX_SEEDS = 100;

/** "1-5", "1,2,3" or "1-3,7": distinct seeds, in the order given. */
export const seedListSchema = z
  .string()
  .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'seeds: a range A-B or a list such as 1,2,3')
  .transform((s, ctx) => {
    const seeds: number[] = [];
    for (const part of s.split(',')) {
      const [a, b = a] = part.split('-').map(Number) as [number, number?];
      if (b < a) {
        ctx.addIssue({ code: 'custom', message: `seeds: ${part} is an empty range` });
        return z.NEVER;
      }
      if (b - a + seeds.length >= MAX_SEEDS) {
        ctx.addIssue({ code: 'custom', message: `seeds: at most ${MAX_SEEDS}` });
        return z.NEVER;
      }
      for (let x = a; x <= b; x++) seeds.push(x);
    }
    if (new Set(seeds).size !== seeds.length) {
      ctx.addIssue({ code: 'custom', message: 'seeds: a seed is given twice' });
      return z.NEVER;
    }
    return seeds;
  })
  .pipe(z.array(z.number().int().min(0).max(0xffffffff)));

/** "seeds 1-5", "seeds 1, 3, 4", "seed 2": as the reports name a pooled cohort. */
export function seedsText(seeds: readonly number[]): string {
  if (seeds.length === 1) return `seed ${seeds[0]}`;
  const contiguous = seeds.every((s, i) => i === 0 || s === seeds[i - 1]! + 1);
  return contiguous ? `seeds ${seeds[0]}-${seeds[seeds.length - 1]}` : `seeds ${seeds.join(', ')}`;
}
