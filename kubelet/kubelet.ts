/**
 * A node agent process: one real node (`startKubelet`) or many hollow ones (`startHollowNodes`,
 * simulated mode). Both wire the same parts — a pod source and ConfigMap/Secret informers from
 * one informer factory, one timer wheel for leases and status, one HTTP server — around
 * NodeAgents; hollow nodes run on fake runtimes whose containers start after a delay.
 */
import { mkdir } from 'node:fs/promises';
import type { Clock } from '../client/clock';
import { SharedInformerFactory } from '../client/informer/factory';
import { silentLogger, type Logger } from '../client/log';
import type { RestClient } from '../client/restClient';
import { NodeAgent, type NodeAgentOptions } from './agent';
import { agentMetrics } from './agentMetrics';
import { machineCapacity, machineInfo } from './machine';
import { machineSignals } from './node/nodeSignals';
import { closeRuntime } from './runtimeFactory';
import { InformerPodSource, informerObjectSource } from './podSource';
import { FakeRuntime } from './runtime/fake';
import type { ContainerRuntime } from './runtime/interface';
import { startAgentServer, type AgentServer } from './server/agentServer';
import type { ContainerLocator } from './server/locator';
import { requestLimit } from './requestLimit';
import { TimerWheel } from './timerWheel';

/** Agent tuning shared by both modes (see NodeAgentOptions for defaults). */
export type AgentTuning = Partial<
  Pick<
    NodeAgentOptions,
    | 'crashBackoff'
    | 'imageBackoff'
    | 'leasePeriodMs'
    | 'statusUpdatePeriodMs'
    | 'statusReportFrequencyMs'
    | 'housekeepingPeriodMs'
    | 'relistPeriodMs'
    | 'resyncPeriodMs'
    | 'logMaxBytes'
    | 'logMaxFiles'
    | 'labels'
  >
>;

export interface KubeletOptions extends AgentTuning, Partial<Pick<NodeAgentOptions, 'evictionHard' | 'pressureTransitionPeriodMs'>> {
  readonly client: RestClient;
  readonly nodeName: string;
  readonly runtime: ContainerRuntime;
  readonly rootDir: string;
  /** The HTTP server's port (0: any free one, advertised as it is). Default 10250. */
  readonly port?: number;
  /** Bind address and InternalIP. Default 127.0.0.1. */
  readonly nodeIP?: string;
  /** Overrides of the machine's capacity (cpu, memory, ephemeral-storage, pods). */
  readonly capacity?: Readonly<Record<string, string>>;
  readonly allocatable?: Readonly<Record<string, string>>;
  readonly podCIDR?: string;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export interface RunningKubelet {
  readonly agents: readonly NodeAgent[];
  readonly server: AgentServer;
  stop(): Promise<void>;
}

export async function startKubelet(options: KubeletOptions): Promise<RunningKubelet> {
  const log = options.log ?? silentLogger;
  await mkdir(options.rootDir, { recursive: true });
  const capacity = { ...(await machineCapacity(options.rootDir)), ...options.capacity };
  const factory = new SharedInformerFactory(options.client, { informerOptions: { log } });
  const pods = new InformerPodSource(factory, options.nodeName);
  const objects = informerObjectSource(factory);
  const wheel = new TimerWheel({ tickMs: 250, ...(options.clock ? { clock: options.clock } : {}) });
  let agent: NodeAgent | undefined;
  const server = await startAgentServer({
    locator: { locate: (ref, previous) => agent!.locate(ref, previous) },
    host: options.nodeIP ?? '127.0.0.1',
    port: options.port ?? 10250,
    metrics: agentMetrics(() => (agent ? [agent] : [])),
    log,
  });
  agent = new NodeAgent({
    ...options,
    pods,
    objects,
    wheel,
    port: server.port,
    capacity,
    machine: machineInfo(),
    // The machine's pressure is this node's (hollow nodes have none: they share a machine).
    nodeSignals: machineSignals({ rootDir: options.rootDir }),
    log,
  });
  factory.start();
  try {
    await agent.start();
  } catch (err) {
    await stopAll([agent], wheel, factory, server);
    throw err;
  }
  return {
    agents: [agent],
    server,
    stop: async () => {
      await stopAll([agent!], wheel, factory, server);
      await closeRuntime(options.runtime);
    },
  };
}

export interface HollowNodesOptions extends AgentTuning {
  /** Reads the pods and objects of every hollow node (one shared watch). */
  readonly client: RestClient;
  /**
   * The client a hollow node writes through (its Node, Lease, pod statuses and deletions): give
   * each its own rate limit, as every kubelet of a real cluster has (RestClient.withOwnRateLimit).
   * Default: `client`.
   */
  readonly nodeClient?: (nodeName: string) => RestClient;
  readonly count: number;
  /** Node names are <prefix><index>. Default "hollow-node-". */
  readonly prefix?: string;
  /** How long a fake container takes to start. Default 0. */
  readonly startDelayMs?: number;
  /** How long a fake image pull takes. Default 0. */
  readonly pullDelayMs?: number;
  /** Where pods' directories would be (nothing is written). */
  readonly rootDir: string;
  /** The shared HTTP server's port. Default 0. */
  readonly port?: number;
  readonly capacity?: Readonly<Record<string, string>>;
  /** Nodes registered at once. Default 100. */
  readonly registrationConcurrency?: number;
  /** API writes of all hollow nodes in flight at once. Default 64. */
  readonly maxWritesInFlight?: number;
  readonly log?: Logger;
}

/** N hollow nodes in this process, each with a fake runtime, sharing one pod watch, wheel and server. */
export async function startHollowNodes(options: HollowNodesOptions): Promise<RunningKubelet> {
  const log = options.log ?? silentLogger;
  const prefix = options.prefix ?? 'hollow-node-';
  const factory = new SharedInformerFactory(options.client, { informerOptions: { log } });
  const pods = new InformerPodSource(factory);
  const objects = informerObjectSource(factory);
  const wheel = new TimerWheel({ tickMs: 1000, onError: (err) => log.warn('tick failed', { err }) });
  const agents = new Map<string, NodeAgent>();
  const locator: ContainerLocator = {
    locate: async (ref, previous) => {
      const node = pods.get(ref.namespace, ref.pod)?.spec?.nodeName;
      const agent = node ? agents.get(node) : undefined;
      return agent ? agent.locate(ref, previous) : { code: 404, message: `pod "${ref.pod}" in namespace "${ref.namespace}" is not on a hollow node` };
    },
  };
  const server = await startAgentServer({ locator, port: options.port ?? 0, metrics: agentMetrics(() => agents.values()), log });
  const capacity = { cpu: '4', memory: '16Gi', 'ephemeral-storage': '100Gi', pods: '110', ...options.capacity };
  const images = ['registry.k8s.io/pause:3.10'];
  const limit = requestLimit(options.maxWritesInFlight ?? 64);
  for (let i = 0; i < options.count; i++) {
    const nodeName = `${prefix}${i}`;
    const runtime = new FakeRuntime({
      startDelayMs: options.startDelayMs ?? 0,
      pullDelayMs: options.pullDelayMs ?? 0,
      podCIDR: `10.${64 + Math.floor(i / 256)}.${i % 256}.0/24`,
      writeLogs: false,
      recordCalls: false,
      images,
    });
    agents.set(
      nodeName,
      new NodeAgent({
        ...options,
        client: options.nodeClient?.(nodeName) ?? options.client,
        nodeName,
        runtime,
        pods,
        objects,
        wheel,
        port: server.port,
        capacity,
        podCIDR: `10.${64 + Math.floor(i / 256)}.${i % 256}.0/24`,
        writeFiles: false,
        requestLimit: limit,
        labels: { 'node.marina.dev/hollow': 'true', ...options.labels },
        log,
      }),
    );
  }
  factory.start();
  const list = [...agents.values()];
  const concurrency = options.registrationConcurrency ?? 100;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, list.length) }, async () => {
        while (next < list.length) await list[next++]!.start();
      }),
    );
  } catch (err) {
    await stopAll(list, wheel, factory, server);
    throw err;
  }
  return { agents: list, server, stop: () => stopAll(list, wheel, factory, server) };
}

async function stopAll(agents: readonly NodeAgent[], wheel: TimerWheel, factory: SharedInformerFactory, server: AgentServer): Promise<void> {
  wheel.stop();
  await Promise.all(agents.map((a) => a.stop()));
  await factory.stop();
  await server.stop();
}
