import { defaultEvictionHardText, metThresholds, nodePressure, parseEvictionHard, type ObservedSignals } from './pressure';

const Mi = 1024 * 1024;

describe('parseEvictionHard', () => {
  test("Kubernetes' defaults: quantities and percentages", () => {
    expect(parseEvictionHard(defaultEvictionHardText)).toEqual([
      { signal: 'memory.available', quantity: 100 * Mi },
      { signal: 'nodefs.available', percentage: 10 },
      { signal: 'nodefs.inodesFree', percentage: 5 },
      { signal: 'imagefs.available', percentage: 15 },
      { signal: 'imagefs.inodesFree', percentage: 5 },
    ]);
  });

  test('counts, decimal units, spaces, empty items; zero thresholds are dropped; "" is none', () => {
    expect(parseEvictionHard(' pid.available<1k , memory.available<1.5Gi,,nodefs.available<0%,imagefs.available<0')).toEqual([
      { signal: 'pid.available', quantity: 1000 },
      { signal: 'memory.available', quantity: 1.5 * 1024 * Mi },
    ]);
    expect(parseEvictionHard('')).toEqual([]);
  });

  test.each([
    ['memory.available', 'memory.available" is not'],
    ['memory.free<1Gi', 'unknown signal "memory.free"'],
    ['memory.available>1Gi', 'only "<" is supported'],
    ['memory.available<=1Gi', 'only "<" is supported'],
    ['memory.available<lots', '"lots" is not a non-negative quantity'],
    ['memory.available<', '"" is not a non-negative quantity'],
    ['memory.available<-1Mi', '"-1Mi" is not a non-negative quantity'],
    ['nodefs.available<101%', '"101%" is not a percentage'],
    ['nodefs.available<x%', '"x%" is not a percentage'],
    ['nodefs.available<5%,nodefs.available<6%', 'signal nodefs.available is given twice'],
  ])('%s is refused, naming the bad item', (text, message) => {
    expect(() => parseEvictionHard(text)).toThrow(message);
    const bad = text.split(',').pop()!;
    expect(() => parseEvictionHard(text)).toThrow(`"${bad}"`);
  });
});

describe('pressure decisions', () => {
  const thresholds = parseEvictionHard('memory.available<100Mi,nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%,pid.available<1000');
  const healthy: ObservedSignals = {
    'memory.available': { available: 2048 * Mi, capacity: 4096 * Mi },
    'nodefs.available': { available: 50, capacity: 100 },
    'nodefs.inodesFree': { available: 500, capacity: 1000 },
    'imagefs.available': { available: 50, capacity: 100 },
    'pid.available': { available: 30_000, capacity: 32_768 },
  };

  test('a healthy machine meets no threshold', () => {
    expect(metThresholds(thresholds, healthy)).toEqual([]);
    expect(nodePressure([])).toEqual({ memoryPressure: false, diskPressure: false, pidPressure: false });
  });

  test('memory below its quantity: MemoryPressure only; at the threshold exactly: none', () => {
    const low = { ...healthy, 'memory.available': { available: 99 * Mi, capacity: 4096 * Mi } };
    expect(nodePressure(metThresholds(thresholds, low))).toEqual({ memoryPressure: true, diskPressure: false, pidPressure: false });
    const at = { ...healthy, 'memory.available': { available: 100 * Mi, capacity: 4096 * Mi } };
    expect(metThresholds(thresholds, at)).toEqual([]);
  });

  test('percentages are of the capacity: disk bytes, inodes and the image filesystem give DiskPressure', () => {
    for (const [signal, available] of [['nodefs.available', 9], ['nodefs.inodesFree', 49], ['imagefs.available', 14]] as const) {
      const capacity = signal === 'nodefs.inodesFree' ? 1000 : 100;
      const met = metThresholds(thresholds, { ...healthy, [signal]: { available, capacity } });
      expect(met.map((t) => t.signal)).toEqual([signal]);
      expect(nodePressure(met)).toEqual({ memoryPressure: false, diskPressure: true, pidPressure: false });
    }
  });

  test('few PIDs left: PIDPressure', () => {
    const met = metThresholds(thresholds, { ...healthy, 'pid.available': { available: 999, capacity: 32_768 } });
    expect(nodePressure(met)).toEqual({ memoryPressure: false, diskPressure: false, pidPressure: true });
  });

  test('a signal not observed meets no threshold', () => {
    expect(metThresholds(thresholds, {})).toEqual([]);
  });
});
