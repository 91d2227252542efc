/**
 * Pod-startup benchmark. On a private containerd (its own socket, root and state in a temporary
 * directory) with the busybox image built from the host's busybox-static and imported:
 *   - raw `ctr run -d` of that image, one at a time and then with some concurrency: p50, p99 and
 *     the rate (rawCtr.ts; the baseline the node agent's pod startup is compared with);
 *   - the containerd runtime of the node agent starting pods of that image (sandbox with its CNI
 *     network, then the container), the same two ways (runtimePods.ts).
 * The node-agent half (100 busybox pods, creation to Running by watch, p50/p99, targets p99 <= 1.5 s
 * and median <= 3x the raw ctr time) joins here with the node agent. Usage (as root):
 *   npm run build && node dist/bench/pod-startup/run.js [-- --count 100 --concurrency 8]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxImage, busyboxImageRef } from '../../kubelet/images/busybox';
import { importImageArchive } from '../../kubelet/images/importArchive';
import { removeCgroupTree } from '../../kubelet/runtime/ctr/cgroups';
import { startContainerd } from '../../kubelet/runtime/ctr/containerdProcess';
import { startCtrRuntime } from '../../kubelet/runtime/ctr/runtime';
import { measureRawCtrRun, percentile, type RawCtrRunResult } from './rawCtr';
import { measureRuntimePods } from './runtimePods';

function intFlag(argv: readonly string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  const v = Number(argv[i + 1]);
  return i >= 0 && Number.isInteger(v) && v > 0 ? v : fallback;
}

export function formatRaw(label: string, r: Pick<RawCtrRunResult, 'latenciesMs' | 'totalMs'>): string {
  const rate = (r.latenciesMs.length / r.totalMs) * 1000;
  return `${label}: ${r.latenciesMs.length} runs, p50 ${percentile(r.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(r.latenciesMs, 99).toFixed(1)} ms, ${rate.toFixed(1)}/s`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const count = intFlag(argv, '--count', 100);
  const concurrency = intFlag(argv, '--concurrency', 8);
  const dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'marina-bench-'));
  const containerd = await startContainerd({ dir });
  try {
    const namespace = 'bench';
    const archive = join(dir, 'busybox.tar');
    await writeFile(archive, (await busyboxImage()).archive);
    await importImageArchive({ address: containerd.address, namespace, file: archive });
    console.log(`containerd at ${containerd.address}, image ${busyboxImageRef}`);
    const sequential = await measureRawCtrRun({ address: containerd.address, namespace, image: busyboxImageRef, count });
    console.log(formatRaw('raw ctr run -d, one at a time', sequential));
    const concurrent = await measureRawCtrRun({ address: containerd.address, namespace, image: busyboxImageRef, count, concurrency });
    console.log(formatRaw(`raw ctr run -d, ${concurrency} at a time`, concurrent));
    const runtime = await startCtrRuntime({
      address: containerd.address,
      namespace,
      stateDir: join(dir, 'agent'),
      network: { podCidr: '10.198.0.0/24', bridge: 'mrnbench0', netnsPrefix: 'mrnbench-' },
    });
    try {
      const logDir = join(dir, 'logs');
      const one = await measureRuntimePods({ runtime, image: busyboxImageRef, logDir, count });
      console.log(formatRaw('runtime pod start (sandbox + container), one at a time', one));
      const many = await measureRuntimePods({ runtime, image: busyboxImageRef, logDir, count, concurrency });
      console.log(formatRaw(`runtime pod start (sandbox + container), ${concurrency} at a time`, many));
      console.log(`runtime / raw median: ${(percentile(one.latenciesMs, 50) / percentile(sequential.latenciesMs, 50)).toFixed(2)}x one at a time, ${(percentile(many.latenciesMs, 50) / percentile(concurrent.latenciesMs, 50)).toFixed(2)}x ${concurrency} at a time`);
    } finally {
      await runtime.network?.shutdown({ deleteBridge: true });
      await runtime.close();
      await removeCgroupTree(`/marina/${namespace}`);
    }
  } finally {
    await containerd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
