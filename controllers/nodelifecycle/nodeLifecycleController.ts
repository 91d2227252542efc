/**
 * The node lifecycle controller (Kubernetes' pkg/controller/nodelifecycle, taint-based eviction
 * on), per node:
 *   - a node whose Lease (kube-node-lease/<node>) and Ready heartbeat are not renewed within the
 *     grace period (nodeMonitorGracePeriod, 50 s; 60 s for a node that never posted Ready) gets
 *     its kubelet conditions set to Unknown ("Kubelet stopped posting node status.") and a
 *     NodeNotReady event, and the pods on it are marked not Ready;
 *   - taints follow conditions: `node.kubernetes.io/unreachable` (Ready Unknown) or
 *     `node.kubernetes.io/not-ready` (Ready False) with effect NoExecute (timeAdded set when
 *     added, mutually exclusive, removed when Ready again), and the NoSchedule taints of
 *     TaintNodesByCondition (not-ready, unreachable, memory/disk/pid pressure, network
 *     unavailable, unschedulable).
 * Pods are evicted from NoExecute-tainted nodes by the taint eviction controller
 * (taintEviction.ts). Writes carry the resourceVersion read; a conflict fails the reconcile,
 * which is retried on fresh state. A node is re-checked when its grace period would run out.
 */
import type { Lease } from '../../api/kinds/coordination/lease';
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import type { NodeCondition } from '../../api/kinds/core/nodeStatus';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { Clock } from '../../client/clock';
import { nodeNameIndex } from '../../client/informer/indexers';
import type { SharedIndexInformer } from '../../client/informer/sharedInformer';
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import type { EventRecorder } from '../runtime/events';
import type { ReconcileContext, Request, Result } from '../runtime/reconcile';
import { desiredTaints, markConditionsUnknown, NodeHealthTracker, readyCondition } from './health';

export const nodesResource: GroupVersionResource = { group: '', version: 'v1', resource: 'nodes' };
export const leasesResource: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
export const podsResource: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeLifecycleTiming {
  /** How long a node may go unheard before it is Unknown. Default 50 s (--node-monitor-grace-period). */
  readonly nodeMonitorGracePeriodMs: number;
  /** The same for a node that never posted a Ready condition. Default 60 s (--node-startup-grace-period). */
  readonly nodeStartupGracePeriodMs: number;
}

/** metav1.Time: seconds, UTC. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function ref(obj: KubeObject, apiVersion: string, kind: string): KubeObject {
  const m = obj.metadata ?? {};
  return { apiVersion, kind, metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion } };
}

function sameCondition(a: NodeCondition | undefined, b: NodeCondition | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export class NodeLifecycleController {
  private readonly health: NodeHealthTracker;

  constructor(
    private readonly client: RestClient,
    private readonly nodes: SharedIndexInformer<Node>,
    private readonly leases: SharedIndexInformer<Lease>,
    private readonly pods: SharedIndexInformer<Pod>,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
    timing: NodeLifecycleTiming,
  ) {
    this.health = new NodeHealthTracker({ gracePeriodMs: timing.nodeMonitorGracePeriodMs, startupGracePeriodMs: timing.nodeStartupGracePeriodMs });
  }

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    let node = this.nodes.lister.get(undefined, request.name);
    if (!node) {
      this.health.forget(request.name);
      return;
    }
    const now = this.clock.now();
    const lease = this.leases.lister.get(nodeLeaseNamespace, request.name);
    const { probeTimestamp, gracePeriodMs } = this.health.observe(node, lease, now);
    const deadline = probeTimestamp + gracePeriodMs;
    let result: Result | undefined;
    if (now > deadline) {
      const observed = readyCondition(node);
      const { conditions, changed } = markConditionsUnknown(node, formatTime(now));
      if (changed) {
        const copy = structuredClone(node) as Node;
        copy.status = { ...copy.status, conditions };
        node = await this.client.resource<Node>(nodesResource).updateStatus(copy);
        if (!sameCondition(observed, readyCondition(node))) {
          ctx.log.info('node stopped posting status', { node: request.name, silentForMs: now - probeTimestamp });
          if (observed?.status === 'True') {
            this.recorder.event(ref(node, 'v1', 'Node'), 'Normal', 'NodeNotReady', `Node ${request.name} status is now: NodeNotReady`);
          }
        }
      }
    } else {
      // Come back when the grace period would run out (earlier if the node is heard from).
      result = { requeueAfterMs: deadline - now + 1 };
    }

    const { taints, changed } = desiredTaints(node, formatTime(now));
    if (changed) {
      const copy = structuredClone(node) as Node;
      copy.spec = { ...copy.spec, taints };
      if (taints.length === 0) delete copy.spec.taints;
      node = await this.client.resource<Node>(nodesResource).update(copy);
      ctx.log.info('node taints updated', { node: request.name, taints: taints.map((t) => `${t.key}:${t.effect}`) });
    }

    if (readyCondition(node)?.status === 'Unknown') await this.markPodsNotReady(node, now);
    return result;
  }

  /** Pods on a node whose kubelet went silent are not Ready any more (MarkPodsNotReady). */
  private async markPodsNotReady(node: Node, now: number): Promise<void> {
    const name = node.metadata?.name ?? '';
    let error: unknown;
    for (const pod of this.pods.lister.byIndex(nodeNameIndex, name)) {
      if (pod.spec?.nodeName !== name || !isPodReady(pod)) continue;
      const copy = structuredClone(pod) as Pod;
      for (const c of copy.status?.conditions ?? []) {
        if (c.type !== 'Ready') continue;
        c.status = 'False';
        c.lastTransitionTime = formatTime(now);
      }
      try {
        await this.client.resource<Pod>(podsResource, pod.metadata?.namespace).updateStatus(copy);
        this.recorder.event(ref(pod, 'v1', 'Pod'), 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        // Gone: nothing left to do; anything else is retried.
        if (!isStatusError(err, 404)) error ??= err;
      }
    }
    if (error !== undefined) throw error;
  }
}
