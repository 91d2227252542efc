/**
 * The state file of a running `marina up` (DATA_DIR/up.json): which process supervises the
 * cluster and where it serves, so `marina down` can stop it and a second `marina up` on the same
 * data dir refuses to start. Written once everything is up (`ready: true`), removed on a clean stop.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface UpState {
  /** The supervising `marina up` process. */
  readonly pid: number;
  readonly server: string;
  readonly etcd: string;
  readonly kubeconfig: string;
  readonly logDir: string;
  readonly nodes: readonly string[];
  readonly startedAt: string;
  readonly ready: boolean;
}

export const stateFile = (dataDir: string): string => join(dataDir, 'up.json');

export async function readState(dataDir: string): Promise<UpState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as UpState;
    return typeof state.pid === 'number' ? state : undefined;
  } catch {
    return undefined;
  }
}

export async function writeState(dataDir: string, state: UpState): Promise<void> {
  const file = stateFile(dataDir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export async function removeState(dataDir: string): Promise<void> {
  await rm(stateFile(dataDir), { force: true });
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
