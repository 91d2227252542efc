import { FakeClock } from '../../client/clock';
import { FakeRuntime } from '../runtime/fake';
import { NodeObservations } from './nodeObservations';
import { parseEvictionHard, type ObservedSignals } from './pressure';

const Mi = 1024 * 1024;
const memory = (availableMi: number): ObservedSignals => ({ 'memory.available': { available: availableMi * Mi, capacity: 4096 * Mi } });

test('a met threshold is pressure at once, held for the transition period after it is no longer met', async () => {
  const clock = new FakeClock();
  let observed = memory(2048);
  const o = new NodeObservations({ runtime: new FakeRuntime(), signals: async () => observed, pressureTransitionPeriodMs: 60_000, clock });
  await o.refresh();
  expect(o.pressure).toEqual({ memoryPressure: false, diskPressure: false, pidPressure: false });
  observed = memory(50); // below the default 100Mi
  await o.refresh();
  expect(o.pressure.memoryPressure).toBe(true);
  observed = memory(2048);
  clock.advance(59_000);
  await o.refresh();
  expect(o.pressure.memoryPressure).toBe(true);
  clock.advance(1_000);
  await o.refresh();
  expect(o.pressure.memoryPressure).toBe(false);
});

test('without a signal reader (hollow nodes) or thresholds there is never pressure', async () => {
  const none = new NodeObservations({ runtime: new FakeRuntime() });
  await none.refresh();
  expect(none.pressure.memoryPressure).toBe(false);
  const noThresholds = new NodeObservations({ runtime: new FakeRuntime(), signals: async () => memory(1), evictionHard: parseEvictionHard('') });
  await noThresholds.refresh();
  expect(noThresholds.pressure.memoryPressure).toBe(false);
});

test('images are listed once per refresh; failures keep the last observations', async () => {
  const runtime = new FakeRuntime({ images: ['a:1'] });
  let fail = false;
  const o = new NodeObservations({ runtime, signals: async () => (fail ? Promise.reject(new Error('no /proc')) : memory(1)), pressureTransitionPeriodMs: 0 });
  expect(o.images).toBeUndefined();
  await o.refresh();
  expect(o.images).toEqual([{ names: ['a:1'], sizeBytes: 1024 }]);
  expect(o.pressure.memoryPressure).toBe(true);
  fail = true;
  runtime.listImages = () => Promise.reject(new Error('runtime down'));
  await o.refresh();
  expect(o.images).toEqual([{ names: ['a:1'], sizeBytes: 1024 }]);
  expect(o.pressure.memoryPressure).toBe(true);
});

test('concurrent refreshes share one observation', async () => {
  const runtime = new FakeRuntime({ images: ['a:1'] });
  let lists = 0;
  const list = runtime.listImages.bind(runtime);
  runtime.listImages = () => (lists++, list());
  const o = new NodeObservations({ runtime });
  await Promise.all([o.refresh(), o.refresh()]);
  expect(lists).toBe(1);
  await o.refresh();
  expect(lists).toBe(2);
});
