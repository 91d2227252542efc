/**
 * Helpers of the Job, TTL, node lifecycle and endpoints controller tests: a manager running the
 * controllers under test, and the kubelet's and scheduler's part played through the API.
 */
import type { Event } from '../../api/kinds/core/event';
import type { Pod } from '../../api/kinds/core/pod';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import { RestClient } from '../../client/restClient';
import { Manager } from '../../controllers/runtime/manager';

export { eventually, sleep } from '../client/helpers';

export const podsGVR = { group: '', version: 'v1', resource: 'pods' };

let counter = 0;
/** A DNS-label name unique within the test file. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export interface RunningManager {
  readonly manager: Manager;
  /** The manager's own client: its requestCount is what the controllers sent. */
  readonly client: RestClient;
  stop(): Promise<void>;
}

/** Starts a manager (no leader election) with `register` applied to it. */
export async function startManager(url: string, register: (manager: Manager) => void): Promise<RunningManager> {
  const client = new RestClient({ server: url, rateLimit: false });
  const manager = new Manager({ client, name: 'test-controller-manager', leaderElection: false });
  register(manager);
  await manager.start();
  return { manager, client, stop: () => manager.stop() };
}

export async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Pods of a namespace (optionally by label selector), by name. */
export async function listPods(client: RestClient, namespace: string, labelSelector?: string): Promise<Pod[]> {
  const list = await client.resource<Pod>(podsGVR, namespace).list(labelSelector ? { labelSelector } : {});
  return list.items.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** Read-modify-write of a pod's status (as the kubelet), retried on conflict. */
export async function setPodStatus(client: RestClient, namespace: string, name: string, mutate: (status: NonNullable<Pod['status']>, pod: Pod) => void): Promise<Pod> {
  const pods = client.resource<Pod>(podsGVR, namespace);
  for (let attempt = 0; ; attempt++) {
    const pod = await pods.get(name);
    pod.status ??= {};
    mutate(pod.status, pod);
    try {
      return await pods.updateStatus(pod);
    } catch (err) {
      if (!isStatusError(err, 409) || attempt > 10) throw err;
    }
  }
}

const now = () => new Date().toISOString().slice(0, 19) + 'Z';

/** The pod ran and is Ready (phase Running, Ready=True, an IP). */
export function runningReady(ip: string) {
  return (status: NonNullable<Pod['status']>): void => {
    status.phase = 'Running';
    status.podIP = ip;
    status.podIPs = [{ ip }];
    status.conditions = [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now() },
      { type: 'Ready', status: 'True', lastTransitionTime: now() },
    ];
  };
}

/** The pod's containers exited with `exitCode` (Succeeded for 0, Failed otherwise). */
export function exited(exitCode: number) {
  return (status: NonNullable<Pod['status']>, pod: Pod): void => {
    status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
    status.conditions = [{ type: 'Ready', status: 'False', lastTransitionTime: now(), reason: 'PodCompleted' }];
    status.containerStatuses = (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: now(), startedAt: now() } },
    }));
  };
}

/** Binds a pod to a node (as the scheduler). */
export async function bindPod(client: RestClient, namespace: string, name: string, node: string): Promise<void> {
  await client.create(`/api/v1/namespaces/${namespace}/pods/${name}/binding`, {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name, namespace },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  });
}

/** Events about an object (by name), oldest first. */
export async function eventsFor(client: RestClient, namespace: string, name: string): Promise<Event[]> {
  const list = await client.resource<Event & KubeObject>({ group: '', version: 'v1', resource: 'events' }, namespace).list({ fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

export function reasons(events: readonly Event[]): string[] {
  return events.map((e) => e.reason ?? '');
}

/** Requests the client sends over `ms` (nothing else happening). */
export async function requestsDuring(client: RestClient, ms: number): Promise<number> {
  const before = client.requestCount;
  await new Promise((r) => setTimeout(r, ms));
  return client.requestCount - before;
}
