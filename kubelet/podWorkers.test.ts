import { FakeClock } from '../client/clock';
import { PodWorkers } from './podWorkers';

test("one pod's syncs are serialised and collapse; pods sync concurrently", async () => {
  const log: string[] = [];
  const gates = new Map<string, () => void>();
  const workers = new PodWorkers(async (uid) => {
    log.push(`start ${uid}`);
    await new Promise<void>((r) => gates.set(uid, r));
    log.push(`end ${uid}`);
  });
  workers.update('a');
  workers.update('b');
  workers.update('a');
  workers.update('a');
  await Promise.resolve();
  expect(log).toEqual(['start a', 'start b']);
  expect(workers.busy).toBe(2);
  gates.get('a')!();
  await new Promise((r) => setImmediate(r));
  expect(log).toEqual(['start a', 'start b', 'end a', 'start a']);
  gates.get('a')!();
  gates.get('b')!();
  await workers.idle();
  expect(log.filter((l) => l === 'start a').length).toBe(2);
});

test('after() keeps the earliest pending sync; errors are reported', async () => {
  const clock = new FakeClock();
  const synced: string[] = [];
  const errors: string[] = [];
  const workers = new PodWorkers(
    async (uid) => {
      synced.push(uid);
      if (uid === 'bad') throw new Error('no');
    },
    { clock, onError: (uid) => errors.push(uid) },
  );
  workers.after('a', 500);
  workers.after('a', 200);
  workers.after('a', 900);
  clock.advance(199);
  expect(synced).toEqual([]);
  clock.advance(1);
  await workers.idle();
  expect(synced).toEqual(['a']);
  clock.advance(1000);
  await workers.idle();
  expect(synced).toEqual(['a']);
  workers.update('bad');
  await workers.idle();
  expect(errors).toEqual(['bad']);
});
