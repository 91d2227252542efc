/**
 * Shared pieces of the ReplicaSet and Deployment integration tests: a RestClient that can be told
 * to refuse some requests (a quota that rejects pod creates, say) and counts what it sent per
 * namespace, a manager running the workload controllers on it, and small object builders.
 */
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { Event } from '../../api/kinds/core/event';
import type { Pod } from '../../api/kinds/core/pod';
import { StatusError } from '../../api/status';
import { RestClient, type RequestOptions } from '../../client/restClient';
import { Manager } from '../../controllers/runtime/manager';

export const podsGvr = { group: '', version: 'v1', resource: 'pods' };
export const replicaSetsGvr = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const deploymentsGvr = { group: 'apps', version: 'v1', resource: 'deployments' };
export const eventsGvr = { group: '', version: 'v1', resource: 'events' };

export interface Fault {
  readonly method: string;
  /** Matched against the request path. */
  readonly path: RegExp;
  /** The error thrown instead of sending the request. */
  readonly error: () => Error;
}

/** A RestClient whose `call`s can be refused by faults, counting calls by namespace. */
export class FaultyClient extends RestClient {
  readonly faults = new Set<Fault>();
  private readonly counts = new Map<string, number>();

  override async call<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const ns = /\/namespaces\/([^/]+)\//.exec(path)?.[1] ?? '';
    this.counts.set(ns, (this.counts.get(ns) ?? 0) + 1);
    const key = `${method} ${path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    for (const f of this.faults) if (f.method === method && f.path.test(path)) throw f.error();
    return super.call<T>(method, path, options);
  }

  /** Calls (watches aside) made for objects in `namespace`. */
  callsIn(namespace: string): number {
    return this.counts.get(namespace) ?? 0;
  }

  /** Calls made with this method to exactly this path. */
  callsTo(method: string, path: string): number {
    return this.counts.get(`${method} ${path}`) ?? 0;
  }
}

/** A 403 as a ResourceQuota would answer a pod create. */
export function quotaExceeded(): StatusError {
  return new StatusError(403, 'Forbidden', 'pods "x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0');
}

export function startManagerWith(server: string, register: readonly ((m: Manager) => void)[]): { manager: Manager; client: FaultyClient } {
  const client = new FaultyClient({ server, rateLimit: false });
  const manager = new Manager({ client, name: 'workload-test', leaderElection: false });
  for (const r of register) r(manager);
  return { manager, client };
}

export function podTemplate(labels: Record<string, string>, image = 'nginx:1', extra: Partial<NonNullable<Pod['spec']>> = {}) {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image }], ...extra } };
}

export function replicaSet(name: string, replicas: number, labels: Record<string, string>, extra: Partial<NonNullable<ReplicaSet['spec']>> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: podTemplate(labels), ...extra },
  };
}

export function deployment(name: string, replicas: number, image: string, spec: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: podTemplate(labels, image), ...spec },
  };
}

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Events about one object, as `reason: message`. */
export async function eventsFor(client: RestClient, namespace: string, name: string): Promise<string[]> {
  const list = await client.resource<Event>(eventsGvr, namespace).list();
  return list.items
    .filter((e) => e.involvedObject?.name === name)
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''))
    .map((e) => `${e.reason}: ${e.message}`);
}
