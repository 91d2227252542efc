import { requestLimit } from './requestLimit';

test('at most N calls run at once, in order of arrival', async () => {
  const limit = requestLimit(2);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const gates: (() => void)[] = [];
  const calls = Array.from({ length: 5 }, (_, i) =>
    limit(async () => {
      running++;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return i;
    }),
  );
  for (let released = 0; released < 5; released++) {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()!();
  }
  expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4]);
  expect(peak).toBe(2);
  expect(order).toEqual([0, 1, 2, 3, 4]);
});
