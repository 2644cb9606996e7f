// checkPlan (server/plans/plan.ts): a plan, a part of one, and the plan it resolves to, checked;
// a refusal names its field.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/errors.js';
import { checkPlan, isInvalidPlan } from '../../server/plans/plan.js';

const refusal = (plan: unknown, at?: string) => {
  try {
    checkPlan(plan, at);
  } catch (err) {
    return err as DomainError;
  }
  throw new Error(`accepted: ${JSON.stringify(plan)}`);
};

describe('checkPlan', () => {
  it("refuses a MACD short span that is not below the long one, set or the default's", () => {
    for (const [macd, field] of [
      [{ shortDays: 9, longDays: 4 }, 'weight.macd.shortDays'],
      [{ shortDays: 7, longDays: 7 }, 'weight.macd.shortDays'],
      // the default long span is 10, the default short one 3: the span the plan sets is named
      [{ shortDays: 10 }, 'weight.macd.shortDays'],
      [{ longDays: 3 }, 'weight.macd.longDays'],
      [{ longDays: 2, thresholdKg: 1.5 }, 'weight.macd.longDays'],
    ] as const) {
      const err = refusal({ weight: { macd } });
      expect(isInvalidPlan(err), JSON.stringify(macd)).toBe(true);
      expect(err).toMatchObject({ code: 'invalid', field });
      expect(err.message).toBe(`${field}: shortDays must be below longDays`);
    }
    expect(refusal({ weight: { macd: { longDays: 3 } } }, 'plan').field).toBe(
      'plan.weight.macd.longDays',
    );
  });

  it('accepts spans in order, one set against the default of the other', () => {
    for (const macd of [{ shortDays: 9 }, { longDays: 4 }, { shortDays: 12, longDays: 26 }]) {
      expect(checkPlan({ weight: { macd } })).toEqual({ weight: { macd } });
    }
    expect(checkPlan({})).toEqual({});
  });

  it('still names the first problem of the plan itself before the resolved check', () => {
    expect(refusal({ weight: { macd: { shortDays: 0, longDays: 0 } } }).field).toBe(
      'weight.macd.shortDays',
    );
    expect(refusal({ weight: { macd: { shortDays: 0, longDays: 0 } } }).message).not.toMatch(
      /below longDays/,
    );
    expect(refusal({ weight: { macd: { shortdays: 5 } } }).field).toBe('weight.macd.shortdays');
  });
});
