/**
 * Node agents for the agent integration tests: a real etcd + API server (the harness), the agent
 * (startKubelet) over a FakeRuntime, small backoffs so CrashLoopBackOff and ImagePullBackOff are
 * seen in seconds, and helpers to make pods bound to the node and wait for their state.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { PodSpec } from '../../api/kinds/core/podSpec';
import { RestClient } from '../../client/restClient';
import { startKubelet, type KubeletOptions, type RunningKubelet } from '../../kubelet/kubelet';
import { FakeRuntime, type FakeRuntimeOptions } from '../../kubelet/runtime/fake';
import { tempDir } from '../harness/tmp';

export const pods = { group: '', version: 'v1', resource: 'pods' };
export const image = 'registry.example/busybox:1.36';

export interface TestAgent {
  readonly kubelet: RunningKubelet;
  readonly runtime: FakeRuntime;
  readonly client: RestClient;
  readonly rootDir: string;
  /** Stops the agent (containers stay in the runtime); the root dir stays too. */
  stop(): Promise<void>;
  /** Stops the agent and removes its root dir. */
  dispose(): Promise<void>;
}

export async function startTestAgent(
  server: string,
  nodeName: string,
  options: { readonly runtime?: FakeRuntime; readonly runtimeOptions?: FakeRuntimeOptions; readonly rootDir?: string } & Partial<KubeletOptions> = {},
): Promise<TestAgent> {
  const dir = options.rootDir ? { path: options.rootDir, remove: async () => {} } : await tempDir('kubelet');
  const runtime = options.runtime ?? new FakeRuntime({ images: [image], ...options.runtimeOptions });
  const client = new RestClient({ server, rateLimit: false });
  const kubelet = await startKubelet({
    nodeName,
    runtime,
    rootDir: dir.path,
    port: 0,
    crashBackoff: { initialMs: 1000, maxMs: 4000 },
    imageBackoff: { initialMs: 1000, maxMs: 4000 },
    leasePeriodMs: 1000,
    statusUpdatePeriodMs: 1000,
    housekeepingPeriodMs: 1000,
    resyncPeriodMs: 500,
    ...options,
    client,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await kubelet.stop();
  };
  return { kubelet, runtime, client, rootDir: dir.path, stop, dispose: async () => (await stop(), await dir.remove()) };
}

let counter = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${++counter}`;
}

/** A pod bound to `nodeName` with one container (or the spec's containers). */
export function podOn(nodeName: string, name: string, spec: Partial<PodSpec> = {}, env: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 5,
      containers: [{ name: 'main', image, env: Object.entries(env).map(([n, value]) => ({ name: n, value })) }],
      ...spec,
    },
  };
}

export async function createPod(client: RestClient, namespace: string, pod: Pod): Promise<Pod> {
  return client.resource<Pod>(pods, namespace).create(pod);
}

export async function getPod(client: RestClient, namespace: string, name: string): Promise<Pod | undefined> {
  try {
    return await client.resource<Pod>(pods, namespace).get(name);
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

/** Polls the pod until `ok` holds (deadline `timeoutMs`); returns it. */
/**
 * Waits for a version of the pod for which `ok` holds. A watch sees every version written, so a
 * state the agent replaces a moment later (a transient waiting reason) is not missed, as a poll
 * on a loaded machine could.
 */
export async function waitForPod(client: RestClient, namespace: string, name: string, what: string, ok: (pod: Pod) => boolean, timeoutMs = 15_000): Promise<Pod> {
  let last: Pod | undefined;
  let found: (pod: Pod) => void = () => {};
  const match = new Promise<Pod>((resolve) => (found = resolve));
  const watch = await client.watch<Pod>(`/api/v1/namespaces/${namespace}/pods`, { fieldSelector: `metadata.name=${name}`, timeoutSeconds: Math.ceil(timeoutMs / 1000) + 60 }, (event) => {
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
    last = event.object;
    if (ok(event.object)) found(event.object);
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for pod ${namespace}/${name} to be ${what}; last status: ${JSON.stringify(last?.status)}`)), timeoutMs);
  });
  const ended = watch.done.then(() => Promise.reject(new Error(`the watch of pod ${namespace}/${name} ended before it was ${what}`)));
  try {
    return await Promise.race([match, late, ended]);
  } finally {
    clearTimeout(timer);
    watch.close();
  }
}

export async function waitForGone(client: RestClient, namespace: string, name: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await getPod(client, namespace, name)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for pod ${namespace}/${name} to be deleted`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `fn` until it returns something other than undefined. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const phaseIs = (phase: string) => (p: Pod) => p.status?.phase === phase;
export const isReady = (p: Pod) => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
export const waitingReason = (p: Pod, container = 'main') => p.status?.containerStatuses?.find((c) => c.name === container)?.state?.waiting?.reason;
