// The hub's metrics: deliveries are tallied as a plain number on the hot path and reach their
// counter, with the same total, when it is read.
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../server/ops/metrics.js';

const deliveries = async (m: ReturnType<typeof createMetrics>) =>
  Number(/^telehealth_broker_deliveries_total (\d+)$/m.exec(await m.registry.metrics())?.[1]);

describe('telehealth_broker_deliveries_total', () => {
  it('counts every delivery once, whenever and however often it is read', async () => {
    const m = createMetrics();
    expect(await deliveries(m)).toBe(0);
    for (let i = 0; i < 1_000; i++) m.delivered();
    expect(await deliveries(m)).toBe(1_000);
    expect(await deliveries(m)).toBe(1_000); // a second scrape adds nothing
    m.delivered();
    m.delivered();
    expect((await m.deliveries.get()).values[0]?.value).toBe(1_002);
    expect(await deliveries(m)).toBe(1_002);
  });

  it('keeps each hub’s count apart', async () => {
    const [a, b] = [createMetrics(), createMetrics()];
    a.delivered();
    expect([await deliveries(a), await deliveries(b)]).toEqual([1, 0]);
  });
});
