import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary directory, on tmpfs (/dev/shm) when there is one: etcd's fsyncs are then cheap. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const path = await mkdtemp(join(base, `marina-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
