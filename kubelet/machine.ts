/**
 * What the machine offers a node agent: cpu, memory, ephemeral storage (of the agent's root dir)
 * and pods (110), as Kubernetes quantities, overridable by flags; and the few facts nodeInfo
 * reports. Read once per process.
 */
import { readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { availableParallelism, release, totalmem } from 'node:os';
import { quantityNanos } from '../api/kinds/core/resources';

export const defaultMaxPods = 110;

export async function machineCapacity(rootDir: string): Promise<Record<string, string>> {
  const fs = await statfs(rootDir).catch(() => undefined);
  const storageKi = fs ? Math.floor((fs.blocks * fs.bsize) / 1024) : 0;
  return {
    cpu: String(availableParallelism()),
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    'ephemeral-storage': `${storageKi}Ki`,
    pods: String(defaultMaxPods),
  };
}

export interface MachineInfo {
  readonly kernelVersion: string;
  readonly osImage: string;
  readonly machineID: string;
  readonly bootID: string;
}

export function machineInfo(): MachineInfo {
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8').trim();
    } catch {
      return '';
    }
  };
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(read('/etc/os-release'));
  return { kernelVersion: release(), osImage: pretty?.[1] ?? '', machineID: read('/etc/machine-id'), bootID: read('/proc/sys/kernel/random/boot_id') };
}

/** The cpu (millicores), memory and storage (bytes) of a resource list: the downward API's defaults. */
export function allocatableAmounts(list: Readonly<Record<string, string>>): { milliCPU: number; memoryBytes: number; ephemeralStorageBytes: number } {
  const nanos = (q: string | undefined) => (q === undefined ? 0n : (quantityNanos(q) ?? 0n));
  return {
    milliCPU: Number(nanos(list['cpu']) / 1_000_000n),
    memoryBytes: Number(nanos(list['memory']) / 1_000_000_000n),
    ephemeralStorageBytes: Number(nanos(list['ephemeral-storage']) / 1_000_000_000n),
  };
}
