/**
 * Container root filesystems: containerd's snapshotter prepares them (`ctr snapshots prepare
 * --mounts`) and we mount them ourselves, because a container created from our own OCI spec
 * (`ctr containers create --config`) gets no rootfs from containerd.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { mustRun, runCommand } from '../../network/command';

export interface SnapshotMount {
  readonly type: string;
  readonly source: string;
  readonly options: readonly string[];
}

/** The JSON `ctr snapshots prepare --mounts` prints: [{"Type","Source","Options"}]. */
export function parseSnapshotMounts(stdout: string): SnapshotMount[] {
  const parsed: unknown = JSON.parse(stdout.trim() || '[]');
  if (!Array.isArray(parsed)) throw new Error('snapshot mounts: not a list');
  return parsed.map((m: unknown) => {
    const o = (m && typeof m === 'object' ? m : {}) as Record<string, unknown>;
    if (typeof o.Type !== 'string' || typeof o.Source !== 'string') throw new Error('snapshot mounts: malformed entry');
    return { type: o.Type, source: o.Source, options: Array.isArray(o.Options) ? o.Options.filter((x): x is string => typeof x === 'string') : [] };
  });
}

/** The mount(8) arguments for one snapshot mount. */
export function mountArgs(m: SnapshotMount, target: string): string[] {
  if (m.type === 'bind' || m.options.includes('bind') || m.options.includes('rbind')) {
    const opts = m.options.filter((o) => o !== 'bind' && o !== 'rbind');
    return [m.options.includes('rbind') ? '--rbind' : '--bind', ...(opts.length ? ['-o', opts.join(',')] : []), m.source, target];
  }
  return ['-t', m.type, ...(m.options.length ? ['-o', m.options.join(',')] : []), m.source, target];
}

export async function mountAll(mounts: readonly SnapshotMount[], target: string): Promise<void> {
  for (const m of mounts) await mustRun('mount', mountArgs(m, target));
}

/** Every mount point at or below `dir`, deepest first. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const points = text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === root || p.startsWith(`${root}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmounts everything at or below `dir` (lazily when busy). */
export async function unmountUnder(dir: string): Promise<void> {
  for (const point of await mountsUnder(dir)) {
    const result = await runCommand('umount', [point]);
    if (result.code !== 0) await runCommand('umount', ['-l', point]);
  }
}
