import { SharedCall } from './sharedCall';

/** A call whose runs are resolved (or rejected) by the test, in order. */
function controlled() {
  const runs: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  let started = 0;
  const call = () =>
    new Promise<number>((resolve, reject) => {
      started++;
      runs.push({ resolve, reject });
    });
  return { call, runs, started: () => started };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('SharedCall', () => {
  it('runs at once when idle, and again for a later caller', async () => {
    const c = controlled();
    const shared = new SharedCall(c.call);
    const a = shared.run();
    expect(c.started()).toBe(1);
    c.runs[0]!.resolve(1);
    await expect(a).resolves.toBe(1);
    const b = shared.run();
    expect(c.started()).toBe(2);
    c.runs[1]!.resolve(2);
    await expect(b).resolves.toBe(2);
  });

  it('gives callers arriving during a run the next run, shared by all of them', async () => {
    const c = controlled();
    const shared = new SharedCall(c.call);
    const first = shared.run();
    const later = [shared.run(), shared.run(), shared.run()];
    expect(c.started()).toBe(1); // the next run waits for the current one
    c.runs[0]!.resolve(1);
    await expect(first).resolves.toBe(1);
    await flush();
    expect(c.started()).toBe(2);
    c.runs[1]!.resolve(2);
    await expect(Promise.all(later)).resolves.toEqual([2, 2, 2]);
  });

  it('never answers a caller with a run that started before its call, and recovers from failures', async () => {
    const c = controlled();
    const shared = new SharedCall(c.call);
    const first = shared.run();
    const second = shared.run();
    c.runs[0]!.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await flush();
    expect(c.started()).toBe(2);
    const third = shared.run(); // arrives while the second run is under way: a third run
    c.runs[1]!.resolve(2);
    await expect(second).resolves.toBe(2);
    await flush();
    expect(c.started()).toBe(3);
    c.runs[2]!.reject(new Error('again'));
    await expect(third).rejects.toThrow('again');
    const fourth = shared.run();
    expect(c.started()).toBe(4);
    c.runs[3]!.resolve(4);
    await expect(fourth).resolves.toBe(4);
  });
});
