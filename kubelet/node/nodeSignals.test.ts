import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineSignals, memoryFromMeminfo, pidsFromProc } from './nodeSignals';

test('memory.available is MemAvailable of MemTotal', () => {
  expect(memoryFromMeminfo('MemTotal:       2048 kB\nMemFree:         100 kB\nMemAvailable:    1024 kB\n')).toEqual({ available: 1024 * 1024, capacity: 2048 * 1024 });
  expect(memoryFromMeminfo('MemTotal: 2048 kB\n')).toBeUndefined();
});

test('pid.available is the smaller task limit minus the tasks', () => {
  expect(pidsFromProc('32768\n', '100000\n', '0.50 0.40 0.30 2/768 12345\n')).toEqual({ available: 32_000, capacity: 32_768 });
  expect(pidsFromProc('4194304', '1000', '0.50 0.40 0.30 2/100 12345')).toEqual({ available: 900, capacity: 1000 });
  expect(pidsFromProc(undefined, undefined, '0.50 0.40 0.30 2/100 12345')).toBeUndefined();
  expect(pidsFromProc('32768', undefined, 'garbage')).toBeUndefined();
});

test('the reader combines /proc and statfs of the root dir; imagefs is the nodefs; missing files leave signals out', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'marina-signals-'));
  try {
    const proc = join(dir, 'proc');
    await mkdir(join(proc, 'sys/kernel'), { recursive: true });
    await writeFile(join(proc, 'meminfo'), 'MemTotal: 4096 kB\nMemAvailable: 1024 kB\n');
    await writeFile(join(proc, 'loadavg'), '0.00 0.00 0.00 1/50 99\n');
    await writeFile(join(proc, 'sys/kernel/pid_max'), '1000\n');
    const signals = await machineSignals({ rootDir: dir, procDir: proc })();
    expect(signals['memory.available']).toEqual({ available: 1024 * 1024, capacity: 4096 * 1024 });
    expect(signals['pid.available']).toEqual({ available: 950, capacity: 1000 });
    const nodefs = signals['nodefs.available']!;
    expect(nodefs.capacity).toBeGreaterThan(0);
    expect(nodefs.available).toBeGreaterThan(0);
    expect(nodefs.available).toBeLessThanOrEqual(nodefs.capacity);
    expect(signals['imagefs.available']).toEqual(nodefs);
    const missing = await machineSignals({ rootDir: join(dir, 'nope'), procDir: join(dir, 'nope') })();
    expect(missing).toEqual({});
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
