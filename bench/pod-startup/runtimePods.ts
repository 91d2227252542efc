/**
 * The node agent's runtime share of pod startup: for each busybox pod, from asking the
 * containerd runtime (kubelet/runtime/ctr) for its sandbox (network namespace through CNI) until
 * its one container's task is started. No API server and no agent: what the agent adds on top is
 * the rest of the pod-startup figure. Everything is removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { CtrRuntime } from '../../kubelet/runtime/ctr/runtime';

export interface RuntimePodsOptions {
  readonly runtime: CtrRuntime;
  readonly image: string;
  /** Where the containers' logs go. */
  readonly logDir: string;
  /** Default 100. */
  readonly count?: number;
  /** Pods started at once. Default 1. */
  readonly concurrency?: number;
}

export async function measureRuntimePods(options: RuntimePodsOptions): Promise<{ latenciesMs: number[]; totalMs: number }> {
  const { runtime } = options;
  const count = options.count ?? 100;
  const latencies: number[] = [];
  const pods: { uid: string; id?: string }[] = [];
  const started = performance.now();
  let next = 0;
  try {
    const worker = async (): Promise<void> => {
      for (let i = next++; i < count; i = next++) {
        const pod: { uid: string; id?: string } = { uid: randomUUID() };
        pods.push(pod);
        const t0 = performance.now();
        const sandbox = await runtime.createSandbox({ podUid: pod.uid, podName: `bench-${i}`, namespace: 'bench', hostname: `bench-${i}`, hostNetwork: false });
        pod.id = await runtime.createContainer(sandbox, {
          podUid: pod.uid, podName: `bench-${i}`, namespace: 'bench', name: 'sleep', restartCount: 0, image: options.image,
          command: ['sleep', '3600'], args: [], env: [], mounts: [], tty: false, stdin: false,
          labels: { 'bench/pod': pod.uid }, logPath: join(options.logDir, `${pod.uid}.log`),
        });
        await runtime.startContainer(pod.id);
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
    return { latenciesMs: latencies.sort((a, b) => a - b), totalMs: performance.now() - started };
  } finally {
    await Promise.all(
      pods.map(async (pod) => {
        if (pod.id) {
          await runtime.stopContainer(pod.id, 0).catch(() => {});
          await runtime.removeContainer(pod.id).catch(() => {});
        }
        await runtime.removeSandbox(pod.uid).catch(() => {});
      }),
    );
  }
}
