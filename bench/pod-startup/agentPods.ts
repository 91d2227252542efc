/**
 * Pod startup through the API server and a real node agent: a private etcd, an API server (in
 * this process) and the compiled `marina kubelet` as its own process on the benchmark's private
 * containerd. Pods are created with spec.nodeName already set (no scheduler in this measurement:
 * its share is bench/scheduler's), image IfNotPresent (imported beforehand, nothing is pulled),
 * `sleep 3600`. A watch on the node's pods records when each pod is first seen Running; a pod's
 * latency is that moment minus the moment its create request was sent.
 *
 * Creation pattern: pods are created open-loop at a steady rate (each at start + i / rate,
 * whether or not earlier ones are Running), as Kubernetes' pod-startup SLO is measured (the density
 * test's latency phase, at a rate the cluster sustains): it measures startup, not queueing behind
 * the 99 others. A burst (all at once) can be measured too, as information: its tail is mostly
 * queueing on the node's two cores. One pod is started and deleted first, unmeasured (a warm node:
 * the first creation compiles the API server's pod validation, the agent's first sync finds the image).
 *
 * The agent's pod network has a bridge named after its containerd namespace (mrn + hash of
 * `bench-agent`; tests use mt*, runtimePods.ts mrnbench0) on 10.197.0.0/24 (tests use 10.200-249,
 * runtimePods.ts 10.198.0.0/24). Afterwards the pods are deleted through the API (and waited for),
 * the agent stopped, and anything left of its containers, network namespaces, bridge and cgroups
 * removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startApiServer } from '../../apiserver/server';
import { startEtcd } from '../../cli/etcdProcess';
import { serverNodeFlags } from '../../cli/nodeFlags';
import { kubeconfigYaml } from '../../cli/up/kubeconfig';
import { removeNodeAgentPods } from '../../cli/up/nodeRuntime';
import { silentLogger } from '../../client/log';
import { RestClient } from '../../client/restClient';
import { importImageArchive } from '../../kubelet/images/importArchive';
import { listNetns } from '../../kubelet/network/netns';
import { runCommand } from '../../kubelet/network/command';
import { cgroupRoot, cgroupV2, removeCgroupTree } from '../../kubelet/runtime/ctr/cgroups';
import { defaultBridgeName } from '../../kubelet/runtime/ctr/runtime';
import type { RuntimeConfig } from '../../kubelet/runtimeFactory';
import type { StartLatencies } from './rawCtr';

export interface AgentPodsOptions {
  /** The benchmark's private containerd. */
  readonly containerdAddress: string;
  /** A temporary directory of the benchmark (etcd data, the agent's root dir, the kubeconfig). */
  readonly dir: string;
  /** The image archive to import into the agent's containerd namespace. */
  readonly imageArchive: string;
  /** The image's ref (in the archive). */
  readonly image: string;
  /** Pods per phase. Default 100. */
  readonly count?: number;
  /** Pods created per second in the steady phase. Default 3 (see run.ts). */
  readonly ratePerSecond?: number;
  /** Also create `count` pods at once afterwards (information). Default false. */
  readonly burst?: boolean;
  /** Extra node flags of the agent process (e.g. --cpu-prof --cpu-prof-dir DIR). Default none. */
  readonly agentNodeFlags?: readonly string[];
}

/** Latency: creation request sent until Running seen by the watch; total: first creation until the last pod was Running. */
export type PhaseResult = StartLatencies;

export interface AgentPodsResult {
  /** How the agent ran (the compiled `marina kubelet` process). */
  readonly agent: string;
  readonly steady: PhaseResult;
  readonly burst?: PhaseResult;
  /** Anything left on the machine after the cleanup (should be empty). */
  readonly leftBehind: readonly string[];
}

const nodeName = 'pod-startup-bench';
const containerdNamespace = 'bench-agent';
const podCidr = '10.197.0.0/24';
const cgroupParent = `/marina/${containerdNamespace}`;
const namespace = 'default';
const podsPath = `/api/v1/namespaces/${namespace}/pods`;

interface PodView {
  readonly metadata: { readonly name: string; readonly uid?: string };
  readonly status?: { readonly phase?: string };
}

export async function measureAgentPods(options: AgentPodsOptions): Promise<AgentPodsResult> {
  const count = options.count ?? 100;
  const rate = options.ratePerSecond ?? 3;
  const rootDir = join(options.dir, 'kubelet');
  const runtimeConfig: RuntimeConfig = { containerdAddress: options.containerdAddress, containerdNamespace, podCIDR: podCidr, rootDir };
  await importImageArchive({ address: options.containerdAddress, namespace: containerdNamespace, file: options.imageArchive });
  const etcd = await startEtcd({ dataDir: join(options.dir, 'etcd') });
  const uids = new Set<string>();
  let measured: Omit<AgentPodsResult, 'leftBehind'>;
  try {
    const server = await startApiServer({ etcdServers: [etcd.endpoint], port: 0, log: silentLogger });
    let agent: ChildProcess | undefined;
    try {
      const kubeconfig = join(options.dir, 'kubeconfig');
      await writeFile(kubeconfig, kubeconfigYaml(server.url), { mode: 0o600 });
      await mkdir(rootDir, { recursive: true });
      agent = await startAgent(options.agentNodeFlags ?? [], ['--kubeconfig', kubeconfig, '--node-name', nodeName, '--containerd-address', options.containerdAddress, '--containerd-namespace', containerdNamespace, '--pod-cidr', podCidr, '--root-dir', rootDir, '--port', '0']);
      const client = new RestClient({ server: server.url, rateLimit: false });
      // One pod first, not measured: the first creation compiles the API server's pod validation
      // and the agent's first sync looks the image up; the figures are the warm node's.
      await runPhase(client, { prefix: 'warmup', count: 1, intervalMs: 0, image: options.image, uids });
      const steady = await runPhase(client, { prefix: 'steady', count, intervalMs: 1000 / rate, image: options.image, uids });
      const burst = options.burst ? await runPhase(client, { prefix: 'burst', count, intervalMs: 0, image: options.image, uids }) : undefined;
      measured = { agent: 'compiled `marina kubelet` process', steady, ...(burst ? { burst } : {}) };
    } finally {
      if (agent) await stopAgent(agent);
      await server.stop();
    }
  } finally {
    await etcd.stop();
    // The pods were deleted through the API (the agent removed them); this catches whatever an
    // interrupted or failed run left.
    await removeNodeAgentPods(runtimeConfig).catch((err: unknown) => console.error(`cleaning the agent's pods: ${String(err)}`));
    await removeCgroupTree(cgroupParent);
  }
  return { ...measured, leftBehind: await agentLeftovers(uids) };
}

/** What of the agent's pods is still on the machine: network namespaces, the bridge, cgroups. */
async function agentLeftovers(uids: ReadonlySet<string>): Promise<string[]> {
  const left = (await listNetns()).filter((name) => [...uids].some((uid) => name.endsWith(uid))).map((n) => `netns ${n}`);
  const bridge = defaultBridgeName(containerdNamespace);
  if ((await runCommand('ip', ['link', 'show', bridge])).code === 0) left.push(`bridge ${bridge}`);
  if (existsSync(cgroupV2() ? join(cgroupRoot, cgroupParent) : join(cgroupRoot, 'memory', cgroupParent))) left.push(`cgroup ${cgroupParent}`);
  return left;
}

interface PhaseOptions {
  readonly prefix: string;
  readonly count: number;
  /** Between two creations (0: all at once). */
  readonly intervalMs: number;
  readonly image: string;
  /** Collects the pods' uids (for the leftovers check). */
  readonly uids: Set<string>;
}

/** Creates the pods on schedule, measures each until Running, then deletes them and waits until they are gone. */
async function runPhase(client: RestClient, options: PhaseOptions): Promise<PhaseResult> {
  const sentAt = new Map<string, number>();
  const latencies = new Map<string, number>();
  const present = new Set<string>();
  let lastRunning = 0;
  let notify = (): void => {};
  const watch = await client.watch<PodView>(podsPath, { fieldSelector: `spec.nodeName=${nodeName}` }, (event) => {
    const now = performance.now();
    const name = event.object.metadata?.name;
    if (!name || !name.startsWith(`${options.prefix}-`)) return;
    if (event.type === 'DELETED') present.delete(name);
    else present.add(name);
    if (event.object.metadata.uid) options.uids.add(event.object.metadata.uid);
    const sent = sentAt.get(name);
    if (event.object.status?.phase === 'Running' && sent !== undefined && !latencies.has(name)) {
      latencies.set(name, now - sent);
      lastRunning = now;
    }
    notify();
  });
  // A watch that ends or fails midway fails the phase (instead of waiting out its deadline).
  let ended: Error | undefined;
  watch.done.then(
    () => (ended = new Error('the pod watch ended')),
    (err: unknown) => (ended = err instanceof Error ? err : new Error(String(err))),
  ).finally(() => notify());
  const until = (done: () => boolean, timeoutMs: number, what: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: not done within ${timeoutMs / 1000} s`)), timeoutMs);
      notify = () => {
        if (done()) resolve();
        else if (ended) reject(new Error(`${what}: ${ended.message}`));
        else return;
        clearTimeout(timer);
      };
      notify();
    });
  const names = Array.from({ length: options.count }, (_, i) => `${options.prefix}-${i}`);
  try {
    const started = performance.now();
    const creations = names.map(async (name, i) => {
      const due = started + i * options.intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sentAt.set(name, performance.now());
      await client.create(podsPath, podBody(name, options.image));
    });
    await Promise.all(creations);
    await until(() => latencies.size === options.count, 120_000, `${options.prefix} pods Running`);
    const totalMs = lastRunning - started;
    await Promise.all(names.map((name) => client.delete(`${podsPath}/${name}`)));
    await until(() => present.size === 0, 120_000, `${options.prefix} pods deleted`);
    return { latenciesMs: [...latencies.values()].sort((a, b) => a - b), totalMs };
  } finally {
    watch.close();
  }
}

function podBody(name: string, image: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'pod-startup-bench' } },
    spec: {
      nodeName,
      // sleep ignores SIGTERM as PID 1: a short grace keeps the deletion at the end quick.
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'sleep', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  };
}

/** Starts `marina kubelet`; resolves once it printed its URL (its node is registered). */
async function startAgent(nodeFlags: readonly string[], args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...serverNodeFlags, ...nodeFlags, join(__dirname, '../../cli/main.js'), 'kubelet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MARINA_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', () => resolve());
    child.once('exit', (code) => reject(new Error(`marina kubelet exited with ${code} before it was ready:\n${stderr.trim()}`)));
  });
  return child;
}

async function stopAgent(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
