import { slowStartBatch } from './slowStart';

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, 8... up to the count', async () => {
    let calls = 0;
    const r = await slowStartBatch(20, 1, async () => {
      calls++;
    });
    expect(r).toEqual({ successes: 20, batches: [1, 2, 4, 8, 5] });
    expect(calls).toBe(20);
  });

  it('stops after the first batch with a failure', async () => {
    let calls = 0;
    const r = await slowStartBatch(20, 1, async () => {
      calls++;
      if (calls > 4) throw new Error('quota');
    });
    // 1, 2 succeed; the batch of 4 has one success (the 4th call) and three failures.
    expect(r.batches).toEqual([1, 2, 4]);
    expect(r.successes).toBe(4);
    expect((r.error as Error).message).toBe('quota');
    expect(calls).toBe(7);
  });

  it('costs one call when every create fails', async () => {
    let calls = 0;
    const r = await slowStartBatch(500, 1, async () => {
      calls++;
      throw new Error('no');
    });
    expect(calls).toBe(1);
    expect(r.successes).toBe(0);
  });

  it('does nothing for 0', async () => {
    expect(await slowStartBatch(0, 1, async () => undefined)).toEqual({ successes: 0, batches: [] });
  });
});
