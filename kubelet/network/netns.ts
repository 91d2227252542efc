/** Named network namespaces (`ip netns`): /var/run/netns/NAME, one per pod. */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { mustRun, runCommand } from './command';

export const netnsDir = '/var/run/netns';

export function netnsPath(name: string): string {
  return join(netnsDir, name);
}

export async function netnsExists(name: string): Promise<boolean> {
  try {
    await access(netnsPath(name));
    return true;
  } catch {
    return false;
  }
}

/** Creates the namespace (with its loopback down; the loopback CNI plugin brings it up). Idempotent. */
export async function addNetns(name: string): Promise<string> {
  checkName(name);
  if (!(await netnsExists(name))) {
    const result = await runCommand('ip', ['netns', 'add', name]);
    if (result.code !== 0 && !(await netnsExists(name))) throw new Error(`ip netns add ${name}: ${result.stderr.trim()}`);
  }
  return netnsPath(name);
}

/** Deletes the namespace (its veth ends vanish with it). Idempotent. */
export async function deleteNetns(name: string): Promise<void> {
  checkName(name);
  if (!(await netnsExists(name))) return;
  const result = await runCommand('ip', ['netns', 'delete', name]);
  if (result.code !== 0 && (await netnsExists(name))) throw new Error(`ip netns delete ${name}: ${result.stderr.trim()}`);
}

/** Names of the namespaces in /var/run/netns. */
export async function listNetns(): Promise<string[]> {
  const result = await runCommand('ip', ['netns', 'list']);
  if (result.code !== 0) return [];
  return result.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter(Boolean);
}

/** Runs a command inside the namespace (`ip netns exec`). */
export async function execInNetns(name: string, command: readonly string[]): Promise<string> {
  checkName(name);
  const { stdout } = await mustRun('ip', ['netns', 'exec', name, ...command]);
  return stdout;
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,200}$/.test(name)) throw new Error(`invalid network namespace name ${JSON.stringify(name)}`);
}
