/**
 * The baseline of the pod-startup benchmark: how long `ctr run -d` of an image takes on the same
 * containerd, without any node agent (no pod network, no spec of ours): each run is timed from
 * spawning ctr until it returns with the task started. The containers (cgroups under
 * /marina/<namespace>) are removed afterwards.
 */
import { removeCgroupTree } from '../../kubelet/runtime/ctr/cgroups';
import { Ctr } from '../../kubelet/runtime/ctr/ctr';

export interface RawCtrRunOptions {
  readonly address: string;
  /** A namespace of its own (it is emptied afterwards). */
  readonly namespace: string;
  /** An image present in the namespace. */
  readonly image: string;
  /** How many containers to run. Default 100. */
  readonly count?: number;
  /** How many `ctr run -d` at once. Default 1 (each latency is then the uncontended cost). */
  readonly concurrency?: number;
  /** The containers' command. Default `sleep 3600`. */
  readonly command?: readonly string[];
}

/** A series of starts (of containers or pods): each one's latency, and the whole series' time. */
export interface StartLatencies {
  /** Each start's latency in ms, sorted. */
  readonly latenciesMs: readonly number[];
  /** First start until the last one finished, ms. */
  readonly totalMs: number;
}

export type RawCtrRunResult = StartLatencies;

export async function measureRawCtrRun(options: RawCtrRunOptions): Promise<RawCtrRunResult> {
  const count = options.count ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const ctr = new Ctr({ address: options.address, namespace: options.namespace, concurrency: concurrency + 1 });
  const command = options.command ?? ['sleep', '3600'];
  const ids = Array.from({ length: count }, (_, i) => `raw-${process.pid}-${i}`);
  const latencies: number[] = [];
  const cgroupParent = `/marina/${options.namespace}`;
  const started = performance.now();
  let next = 0;
  try {
    const worker = async (): Promise<void> => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await ctr.run(['run', '-d', '--null-io', '--cgroup', `${cgroupParent}/${ids[i]!}`, options.image, ids[i]!, ...command]);
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { latenciesMs: latencies.sort((a, b) => a - b), totalMs: performance.now() - started };
  } finally {
    for (const id of ids) {
      await ctr.exec(['tasks', 'delete', '--force', id]);
      await ctr.exec(['containers', 'delete', id]);
    }
    await removeCgroupTree(cgroupParent);
  }
}

/** The p-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
