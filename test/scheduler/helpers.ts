/** Helpers of the scheduler's integration tests: nodes and pods on a real API server, an in-process scheduler. */
import type { Event } from '../../api/kinds/core/event';
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import type { Taint } from '../../api/kinds/core/taint';
import { createLogger, silentLogger } from '../../client/log';
import { RestClient } from '../../client/restClient';
import type { SchedulerConfiguration } from '../../scheduler/config/types';
import { startSchedulerServer, type SchedulerServer } from '../../scheduler/server';
import { eventually as poll } from '../client/helpers';

/** Polls `fn` until it returns a value; generous default deadline (the machine may be loaded). */
export function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  return poll(what, fn, timeoutMs);
}

/** An in-process scheduler against `url`, without leader election; stop it after the test. */
export function startScheduler(url: string, config?: SchedulerConfiguration): Promise<SchedulerServer> {
  return startSchedulerServer({
    client: new RestClient({ server: url, rateLimit: false }),
    config,
    log: process.env.MARINA_TEST_LOG ? createLogger('scheduler', { level: 'debug' }) : silentLogger,
  });
}

export interface NodeSpec {
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  readonly labels?: Record<string, string>;
  readonly taints?: Taint[];
  readonly extra?: Record<string, string>;
}

export function nodeObject(name: string, spec: NodeSpec = {}): Node {
  const resources = { cpu: spec.cpu ?? '4', memory: spec.memory ?? '8Gi', pods: spec.pods ?? '110', ...spec.extra };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...spec.labels } },
    spec: spec.taints ? { taints: spec.taints } : {},
    status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] },
  } as Node;
}

export async function createNode(client: RestClient, name: string, spec: NodeSpec = {}): Promise<Node> {
  return client.create<Node>('/api/v1/nodes', nodeObject(name, spec));
}

export interface PodSpecInput {
  readonly cpu?: string;
  readonly memory?: string;
  readonly labels?: Record<string, string>;
  readonly schedulerName?: string;
  readonly priority?: number;
  readonly priorityClassName?: string;
  /** Extra spec fields (tolerations, affinity, topologySpreadConstraints, nodeSelector, ...). */
  readonly spec?: Record<string, unknown>;
}

export function podObject(name: string, input: PodSpecInput = {}): Pod {
  const requests: Record<string, string> = {};
  if (input.cpu) requests.cpu = input.cpu;
  if (input.memory) requests.memory = input.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(input.labels ? { labels: input.labels } : {}) },
    spec: {
      containers: [{ name: 'c', image: 'busybox', ...(Object.keys(requests).length ? { resources: { requests } } : {}) }],
      ...(input.schedulerName ? { schedulerName: input.schedulerName } : {}),
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.priorityClassName ? { priorityClassName: input.priorityClassName } : {}),
      ...input.spec,
    },
  } as Pod;
}

export async function createPod(client: RestClient, ns: string, name: string, input: PodSpecInput = {}): Promise<Pod> {
  return client.create<Pod>(`/api/v1/namespaces/${ns}/pods`, podObject(name, input));
}

export async function getPod(client: RestClient, ns: string, name: string): Promise<Pod> {
  return client.get<Pod>(`/api/v1/namespaces/${ns}/pods/${name}`);
}

/** Waits until the pod is bound; returns its node. */
export async function waitForBound(client: RestClient, ns: string, name: string, timeoutMs = 20_000): Promise<string> {
  return eventually(`pod ${ns}/${name} bound`, async () => (await getPod(client, ns, name)).spec?.nodeName || undefined, timeoutMs);
}

/** Waits until the pod has PodScheduled=False; returns the condition's reason and message. */
export async function waitForUnschedulable(client: RestClient, ns: string, name: string, timeoutMs = 20_000): Promise<{ reason?: string; message?: string }> {
  return eventually(`pod ${ns}/${name} marked unschedulable`, async () => {
    const c = (await getPod(client, ns, name)).status?.conditions?.find((x) => x.type === 'PodScheduled');
    return c?.status === 'False' ? { reason: c.reason, message: c.message } : undefined;
  }, timeoutMs);
}

export async function eventsFor(client: RestClient, ns: string, pod: string): Promise<Event[]> {
  const list = await client.get<{ items: Event[] }>(`/api/v1/namespaces/${ns}/events`);
  return list.items.filter((e) => e.involvedObject?.name === pod);
}

export async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
