/**
 * The pod garbage collector, after Kubernetes' pkg/controller/podgc. Every check period (20 s, and
 * soon after a node is deleted) it looks at the cached pods and nodes and force-deletes (grace 0,
 * uid precondition):
 *   - terminated pods (Succeeded, Failed) beyond terminatedPodThreshold, evicted and oldest first;
 *   - terminating pods on a node that is not Ready and is tainted node.kubernetes.io/out-of-service;
 *   - orphaned pods: bound to a node that is gone — absent from the cache for the quarantine time
 *     (40 s), and then confirmed by a live GET answering 404 — terminating ones included;
 *   - terminating pods that were never bound to a node.
 * A pod not yet Succeeded or Failed is first marked Failed (orphans with a DisruptionTarget
 * condition, reason DeletionByPodGC), as no node agent will ever report its end.
 */
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import type { PodCondition } from '../../api/kinds/core/podStatus';
import { isStatusError } from '../../api/status';
import type { SharedInformerFactory } from '../../client/informer/factory';
import { silentLogger, type Logger } from '../../client/log';
import type { Counter, MetricsRegistry } from '../../client/metrics';
import { resourcePath, type GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import type { Runnable } from '../runtime/runnable';
import { missingNodeNames, terminatedPodsToDelete, terminatingPodsOnOutOfServiceNodes, unscheduledTerminatingPods } from './policy';

export const podsGvr: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const nodesGvr: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };

export interface PodGCOptions {
  readonly client: RestClient;
  readonly informers: SharedInformerFactory;
  readonly log?: Logger;
  readonly metrics?: MetricsRegistry;
  /** Terminated pods kept before the oldest are deleted (<= 0: never). Default 12500. */
  readonly terminatedPodThreshold?: number;
  /** Default 20 s. */
  readonly gcCheckPeriodMs?: number;
  /** How long a node must be missing from the cache before its pods count as orphaned. Default 40 s. */
  readonly quarantineMs?: number;
}

type Reason = 'terminated' | 'out-of-service' | 'orphaned' | 'unscheduled';

const orphanCondition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' };

export class PodGCController implements Runnable {
  readonly name = 'podgc';
  readonly needsLeaderElection = true;
  private readonly client: RestClient;
  private readonly log: Logger;
  private readonly threshold: number;
  private readonly period: number;
  private readonly quarantine: number;
  private readonly counters: { deleted: Counter; errors: Counter } | undefined;
  /** Node names missing from the cache, with when they were first seen missing. */
  private readonly missingSince = new Map<string, number>();
  private wake: (() => void) | undefined;
  private wakeRequested = false;

  constructor(private readonly options: PodGCOptions) {
    this.client = options.client;
    this.log = (options.log ?? silentLogger).with({ controller: 'podgc' });
    this.threshold = options.terminatedPodThreshold ?? 12500;
    this.period = options.gcCheckPeriodMs ?? 20_000;
    this.quarantine = options.quarantineMs ?? 40_000;
    this.counters = options.metrics && {
      deleted: options.metrics.counter('pod_gc_deleting_pods_total', 'Pods deleted by the pod garbage collector, by namespace and reason.'),
      errors: options.metrics.counter('pod_gc_deleting_pods_error_total', 'Pods the pod garbage collector failed to delete, by namespace and reason.'),
    };
    // Make the informers now, so a manager starting later waits for them.
    options.informers.informerFor<Pod>(podsGvr);
    options.informers.informerFor<Node>(nodesGvr);
  }

  async start(signal: AbortSignal): Promise<void> {
    const pods = this.options.informers.informerFor<Pod>(podsGvr);
    const nodes = this.options.informers.informerFor<Node>(nodesGvr);
    // A deleted node starts its pods' quarantine at once rather than at the next period.
    const registration = nodes.addEventHandler({ onDelete: () => this.requestPass() });
    const onAbort = () => this.wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (!(await pods.waitForSync(signal)) || !(await nodes.waitForSync(signal))) return;
      this.missingSince.clear();
      while (!signal.aborted) {
        try {
          await this.gc(signal);
        } catch (err) {
          if (!signal.aborted) this.log.warn('pod garbage collection failed', { error: err });
        }
        await this.waitForNextPass(signal);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      registration.remove();
    }
  }

  private requestPass(): void {
    this.wakeRequested = true;
    this.wake?.();
  }

  /** Sleeps until the next period, the end of a pending quarantine, or a wake-up, whichever is first. */
  private async waitForNextPass(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return;
    }
    let delay = this.period;
    const now = Date.now();
    for (const since of this.missingSince.values()) {
      const due = since + this.quarantine - now;
      if (due > 0) delay = Math.min(delay, due + 10);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
    this.wakeRequested = false;
  }

  /** One pass over the cache. */
  async gc(signal: AbortSignal): Promise<void> {
    const pods = this.options.informers.informerFor<Pod>(podsGvr).lister.list();
    const nodeList = this.options.informers.informerFor<Node>(nodesGvr).lister.list();
    const nodes = new Map(nodeList.map((n) => [n.metadata?.name ?? '', n]));

    await this.deleteAll(terminatedPodsToDelete(pods, this.threshold), 'terminated', signal);
    await this.deleteAll(terminatingPodsOnOutOfServiceNodes(pods, nodes), 'out-of-service', signal);
    await this.gcOrphaned(pods, new Set(nodes.keys()), signal);
    await this.deleteAll(unscheduledTerminatingPods(pods), 'unscheduled', signal);
  }

  private async gcOrphaned(pods: readonly Pod[], existing: ReadonlySet<string>, signal: AbortSignal): Promise<void> {
    const missing = missingNodeNames(pods, existing);
    const now = Date.now();
    for (const name of [...this.missingSince.keys()]) if (!missing.has(name)) this.missingSince.delete(name);
    for (const name of missing) if (!this.missingSince.has(name)) this.missingSince.set(name, now);

    const deleted = new Set<string>();
    for (const [name, since] of this.missingSince) {
      if (now - since < this.quarantine) continue;
      // The cache may lag: only the API server's 404 says the node is gone.
      try {
        await this.client.get(resourcePath(nodesGvr, undefined, name), undefined);
        this.missingSince.delete(name);
      } catch (err) {
        if (isStatusError(err, 404)) deleted.add(name);
        else this.log.warn('error getting a node', { node: name, error: err });
      }
    }
    if (deleted.size === 0 || signal.aborted) return;
    const orphans = pods.filter((p) => deleted.has(p.spec?.nodeName ?? ''));
    for (const pod of orphans) this.log.info('found an orphaned pod assigned to a deleted node, deleting', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, node: pod.spec?.nodeName });
    await this.deleteAll(orphans, 'orphaned', signal, orphanCondition);
  }

  private async deleteAll(pods: readonly Pod[], reason: Reason, signal: AbortSignal, condition?: PodCondition): Promise<void> {
    if (pods.length === 0) return;
    if (reason === 'terminated') this.log.info('garbage collecting terminated pods', { count: pods.length });
    // A bounded number at a time: thousands of terminated pods must not flood the API server.
    for (let i = 0; i < pods.length && !signal.aborted; i += 20) {
      await Promise.all(
        pods.slice(i, i + 20).map(async (pod) => {
          const namespace = pod.metadata?.namespace ?? '';
          try {
            await this.markFailedAndDelete(pod, condition);
            this.counters?.deleted.inc({ namespace, reason });
          } catch (err) {
            this.counters?.errors.inc({ namespace, reason });
            if (!signal.aborted) this.log.warn('pod garbage collection: deleting a pod failed', { pod: `${namespace}/${pod.metadata?.name}`, reason, error: err });
          }
        }),
      );
    }
  }

  /**
   * Marks the pod Failed (with `condition`) unless it already ended, then deletes it at once.
   * Both carry the pod's uid, so a new pod of the same name is never touched.
   */
  private async markFailedAndDelete(pod: Pod, condition?: PodCondition): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid;
    this.log.info('force deleting a pod', { pod: `${namespace}/${name}` });
    try {
      const phase = pod.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') {
        const stamped = condition && { ...condition, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
        // Strategic merge: conditions merge by type, so the other conditions stay.
        await this.client.call('PATCH', resourcePath(podsGvr, namespace, name, 'status'), {
          body: { metadata: { uid }, status: { phase: 'Failed', ...(stamped ? { conditions: [stamped] } : {}) } },
          contentType: 'application/strategic-merge-patch+json',
        });
      }
      await this.client.delete(resourcePath(podsGvr, namespace, name), { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      // Gone already, or another pod now has the name: nothing to do.
      if (isStatusError(err, 404) || isStatusError(err, 409)) return;
      throw err;
    }
  }
}
