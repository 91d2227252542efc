/**
 * The eviction signals of the machine a node agent runs on (the kubelet's summary-stats
 * observations, simplified):
 * - memory.available: MemAvailable of /proc/meminfo, of MemTotal. (The kubelet uses the root
 *   cgroup's capacity minus working set; MemAvailable is the kernel's estimate of the same thing,
 *   reclaimable page cache counted as available, and needs no cgroup layout.)
 * - nodefs.available / nodefs.inodesFree: statfs of the agent's root dir (blocks available to
 *   unprivileged users, free inodes).
 * - imagefs.*: the same filesystem as nodefs — the agent does not know where the runtime keeps its
 *   images, which is the kubelet's behaviour when the image filesystem is not a separate one.
 * - pid.available: min(kernel.pid_max, kernel.threads-max) minus the tasks that exist (the 4th
 *   field of /proc/loadavg, "running/total"), as the kubelet's rlimit stats.
 * A signal that cannot be read (another OS, a missing /proc file) is left out.
 */
import { readFile, statfs } from 'node:fs/promises';
import type { ObservedSignals, SignalReader } from './pressure';

/** Where /proc is (tests point it at a fake tree). Default "/proc". */
export interface MachineSignalOptions {
  readonly rootDir: string;
  readonly procDir?: string;
}

export function machineSignals(options: MachineSignalOptions): SignalReader {
  const proc = options.procDir ?? '/proc';
  return async () => {
    const [memory, fs, pids] = await Promise.all([readMemory(proc), statfs(options.rootDir).catch(() => undefined), readPids(proc)]);
    const out: ObservedSignals = {};
    if (memory) out['memory.available'] = memory;
    if (fs) {
      const bytes = { available: fs.bavail * fs.bsize, capacity: fs.blocks * fs.bsize };
      out['nodefs.available'] = out['imagefs.available'] = bytes;
      // Filesystems without inode accounting report 0 files: no inode signal then.
      if (fs.files > 0) out['nodefs.inodesFree'] = out['imagefs.inodesFree'] = { available: fs.ffree, capacity: fs.files };
    }
    if (pids) out['pid.available'] = pids;
    return out;
  };
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** memory.available from a /proc/meminfo text (values in kB). */
export function memoryFromMeminfo(text: string): { available: number; capacity: number } | undefined {
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const capacity = kb('MemTotal');
  const available = kb('MemAvailable');
  return capacity === undefined || available === undefined ? undefined : { available, capacity };
}

async function readMemory(proc: string): Promise<{ available: number; capacity: number } | undefined> {
  const text = await readText(`${proc}/meminfo`);
  return text === undefined ? undefined : memoryFromMeminfo(text);
}

/** pid.available from kernel.pid_max, kernel.threads-max and a /proc/loadavg text. */
export function pidsFromProc(pidMax: string | undefined, threadsMax: string | undefined, loadavg: string | undefined): { available: number; capacity: number } | undefined {
  const limits = [pidMax, threadsMax].map((t) => Number(t?.trim())).filter((n) => Number.isInteger(n) && n > 0);
  const tasks = /^\S+\s+\S+\s+\S+\s+\d+\/(\d+)/.exec(loadavg ?? '');
  if (!limits.length || !tasks) return undefined;
  const capacity = Math.min(...limits);
  return { available: capacity - Number(tasks[1]), capacity };
}

async function readPids(proc: string): Promise<{ available: number; capacity: number } | undefined> {
  const [pidMax, threadsMax, loadavg] = await Promise.all([readText(`${proc}/sys/kernel/pid_max`), readText(`${proc}/sys/kernel/threads-max`), readText(`${proc}/loadavg`)]);
  return pidsFromProc(pidMax, threadsMax, loadavg);
}
