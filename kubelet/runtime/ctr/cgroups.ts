/** The cgroups our containers run in (runc's cgroupfs layout): OOM kill counts and clean-up. */
import { existsSync } from 'node:fs';
import { readFile, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

export const cgroupRoot = '/sys/fs/cgroup';

/** cgroup v2 only (unified hierarchy at /sys/fs/cgroup), else v1 (one hierarchy per controller). */
export function cgroupV2(): boolean {
  return existsSync(join(cgroupRoot, 'cgroup.controllers'));
}

/** How many processes the kernel's OOM killer killed in this cgroup (undefined when it is gone). */
export async function oomKillCount(cgroupsPath: string): Promise<number | undefined> {
  const file = cgroupV2() ? join(cgroupRoot, cgroupsPath, 'memory.events') : join(cgroupRoot, 'memory', cgroupsPath, 'memory.oom_control');
  try {
    const m = /^oom_kill (\d+)/m.exec(await readFile(file, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return undefined;
  }
}

/** Removes a cgroup and its (empty) descendants in every hierarchy. Cgroups with processes stay. */
export async function removeCgroupTree(path: string): Promise<void> {
  if (!path.startsWith('/') || path === '/' || path.includes('..')) throw new Error(`refusing to remove cgroup ${path}`);
  const hierarchies = cgroupV2() ? [cgroupRoot] : (await readdir(cgroupRoot).catch(() => [] as string[])).map((d) => join(cgroupRoot, d));
  for (const h of hierarchies) await removeDirTree(join(h, path));
}

async function removeDirTree(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory()) await removeDirTree(join(dir, e.name));
  await rmdir(dir).catch(() => {});
}
