/**
 * The cluster the CLI tests drive: a private etcd + API server, the workload controllers
 * (Deployment, ReplicaSet, Job, garbage collector) in-process, and stand-ins for the scheduler and
 * kubelets — `podRunner` binds and readies the pods of the `default` namespace; the pods of the
 * `jobs` namespace run to completion (an image containing "fail" exits 1). A kubeconfig file
 * points at the server; `run` runs one `marina` command line in-process.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from '../../api/kinds/core/pod';
import { runClient } from '../../cli/client/index';
import { memoryIo, type MemoryIo, type MemoryIoOptions } from '../../cli/client/testing';
import { register as registerDeployments } from '../../controllers/deployment';
import { register as registerGc } from '../../controllers/garbagecollector';
import { register as registerJobs } from '../../controllers/job';
import { register as registerReplicaSets } from '../../controllers/replicaset';
import { useControlPlane, type TestControlPlane } from '../harness/apiserver';
import { tempDir } from '../harness/tmp';
import { bindPod, createNamespace, exited, setPodStatus, startManager, type RunningManager } from '../controllers/lifecycleHelpers';
import { startPodRunner, type PodRunner } from '../controllers/podRunner';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliCluster {
  readonly plane: TestControlPlane;
  /** The kubeconfig file pointing at the server. */
  readonly kubeconfig: string;
  readonly dir: string;
  /** Runs `marina ARGS` in-process (KUBECONFIG set, cwd the test directory). */
  run(args: readonly string[], options?: MemoryIoOptions): Promise<RunResult>;
  /** Starts a long-running command (get -w, logs -f); `io.abort()` ends it as Ctrl-C would. */
  start(args: readonly string[], options?: MemoryIoOptions): { io: MemoryIo; done: Promise<number> };
  /** Runs and fails the test (showing stderr) unless it exits 0; returns stdout. */
  ok(args: readonly string[], options?: MemoryIoOptions): Promise<string>;
  /** Writes a file into the test directory; returns its name (relative). */
  file(name: string, text: string): Promise<string>;
}

export const jobsNamespace = 'jobs';

export interface CliClusterOptions {
  /** Run the workload controllers and the pod stand-ins (default true); without them nothing writes but the test. */
  readonly workloads?: boolean;
}

export function useCliCluster(options: CliClusterOptions = {}): CliCluster {
  const plane = useControlPlane();
  let dir: { path: string; remove: () => Promise<void> } | undefined;
  let manager: RunningManager | undefined;
  let runner: PodRunner | undefined;
  let kubelet: { stop(): Promise<void> } | undefined;
  beforeAll(async () => {
    dir = await tempDir('cli');
    await writeFile(join(dir.path, 'kubeconfig'), kubeconfigText(plane.url));
    await createNamespace(plane.client, jobsNamespace);
    if (options.workloads === false) return;
    manager = await startManager(plane.url, (m) => {
      registerDeployments(m);
      registerReplicaSets(m);
      registerJobs(m);
      registerGc(m);
    });
    runner = await startPodRunner(plane.client, { namespace: 'default' });
    kubelet = startJobKubelet(plane, jobsNamespace);
  }, 60_000);
  afterAll(async () => {
    await kubelet?.stop();
    await runner?.stop();
    await manager?.stop();
    await dir?.remove();
  }, 30_000);
  const path = () => {
    if (!dir) throw new Error('used outside a test');
    return dir.path;
  };
  const makeIo = (options: MemoryIoOptions) => memoryIo({ cwd: path(), ...options, env: { KUBECONFIG: join(path(), 'kubeconfig'), HOME: path(), ...options.env } });
  const run = async (args: readonly string[], options: MemoryIoOptions = {}): Promise<RunResult> => {
    const io = makeIo(options);
    const code = await runClient(args, io);
    return { code, stdout: io.stdout.text(), stderr: io.stderr.text() };
  };
  return {
    plane,
    get kubeconfig() {
      return join(path(), 'kubeconfig');
    },
    get dir() {
      return path();
    },
    run,
    start: (args, options = {}) => {
      const io = makeIo(options);
      return { io, done: runClient(args, io) };
    },
    ok: async (args, options) => {
      const r = await run(args, options);
      if (r.code !== 0) throw new Error(`marina ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    file: async (name, text) => {
      await writeFile(join(path(), name), text);
      return name;
    },
  };
}

export function kubeconfigText(server: string, namespace?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'current-context: test',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${server}`,
    'contexts:',
    '- name: test',
    '  context:',
    '    cluster: test',
    '    user: test',
    ...(namespace ? [`    namespace: ${namespace}`] : []),
    'users:',
    '- name: test',
    '  user: {}',
    '',
  ].join('\n');
}

/**
 * A kubelet stand-in for Job pods: binds each new pod, then reports its containers exited (1 when
 * an image contains "fail", else 0), and finishes graceful deletions. It polls: it is a fake
 * node, not a test's synchronisation.
 */
function startJobKubelet(plane: TestControlPlane, namespace: string): { stop(): Promise<void> } {
  let stopped = false;
  const pods = plane.client.resource<Pod>({ group: '', version: 'v1', resource: 'pods' }, namespace);
  const loop = (async () => {
    while (!stopped) {
      try {
        for (const pod of (await pods.list()).items) {
          const name = pod.metadata!.name!;
          if (pod.metadata?.deletionTimestamp) await pods.delete(name, { gracePeriodSeconds: 0 });
          else if (!pod.spec?.nodeName) await bindPod(plane.client, namespace, name, 'node-1');
          else if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
            const failing = (pod.spec?.containers ?? []).some((c) => (c.image ?? '').includes('fail'));
            await setPodStatus(plane.client, namespace, name, exited(failing ? 1 : 0));
          }
        }
      } catch {
        // a pod gone or changed meanwhile: the next round sees the new state
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
