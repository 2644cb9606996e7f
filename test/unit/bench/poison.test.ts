import { describe, expect, it } from 'vitest';
import { otherWork, rateChange } from '../../bench/poison.js';

describe('the slow-poison benchmark', () => {
  it("gives the others' rate change as the share lost: a gain is negative, a missing phase NaN", () => {
    expect(rateChange(1000, 900)).toBeCloseTo(0.1);
    expect(rateChange(1000, 1050)).toBeCloseTo(-0.05);
    expect(rateChange(1000, 0)).toBe(1);
    expect(rateChange(undefined, 900)).toBeNaN();
    expect(rateChange(1000, undefined)).toBeNaN();
    expect(rateChange(0, 900)).toBeNaN();
  });

  it('counts as other work what the hub, the generator and the servers did not use, never below 0', () => {
    expect(otherWork({ machine: 150, hub: 60, generator: 20, cores: 200 })).toBe(70);
    expect(
      otherWork({ machine: 150, hub: 60, generator: 20, mosquitto: 30, postgres: 50, cores: 200 }),
    ).toBe(0);
    expect(otherWork({ machine: 100, hub: 80, generator: 40, cores: 200 })).toBe(0);
    expect(otherWork({ hub: 80, generator: 40 })).toBeNaN();
  });
});
