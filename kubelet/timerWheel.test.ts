import { FakeClock } from '../client/clock';
import { TimerWheel } from './timerWheel';

test('runs tasks every period on one timer, and never overlaps a slow run', async () => {
  const clock = new FakeClock();
  const wheel = new TimerWheel({ tickMs: 100, clock });
  const runs: number[] = [];
  wheel.every(300, () => void runs.push(clock.now()), 100);
  let slowRuns = 0;
  let release!: () => void;
  wheel.every(100, () => {
    slowRuns++;
    return new Promise<void>((r) => (release = r));
  });
  clock.advance(1000);
  expect(runs.map((t) => t - 1_700_000_000_000)).toEqual([100, 400, 700, 1000]);
  expect(clock.pending).toBe(1);
  expect(slowRuns).toBe(1); // still running: later turns skip it
  release();
  await Promise.resolve();
  await Promise.resolve();
  clock.advance(100);
  expect(slowRuns).toBe(2);
  wheel.stop();
  expect(clock.pending).toBe(0);
});

test('a cancelled task stops; errors are reported and the task goes on', () => {
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const wheel = new TimerWheel({ tickMs: 100, clock, onError: (e) => errors.push(e) });
  let n = 0;
  const cancel = wheel.every(100, () => void n++);
  wheel.every(100, () => {
    throw new Error('boom');
  });
  clock.advance(200);
  expect(n).toBe(2);
  cancel();
  clock.advance(200);
  expect(n).toBe(2);
  expect(errors.length).toBe(4);
  wheel.stop();
});
