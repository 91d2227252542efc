/**
 * Node lifecycle: the node lifecycle controller (node health, conditions and taints; see
 * nodeLifecycleController.ts) and the taint eviction controller (pods on NoExecute-tainted
 * nodes; see taintEviction.ts).
 *
 * The grace periods come from the register options, else from the environment
 * (MARINA_NODE_MONITOR_GRACE_PERIOD_MS, MARINA_NODE_STARTUP_GRACE_PERIOD_MS), else Kubernetes'
 * defaults (50 s and 60 s).
 */
import type { Lease } from '../../api/kinds/coordination/lease';
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import type { KubeObject } from '../../api/kinds/kind';
import { realClock, type Clock } from '../../client/clock';
import { byNodeName, nodeNameIndex } from '../../client/informer/indexers';
import { newControllerManagedBy } from '../runtime/builder';
import type { Manager } from '../runtime/manager';
import { matching } from '../runtime/predicates';
import { isPodReady, leasesResource, NodeLifecycleController, nodeLeaseNamespace, nodesResource, podsResource } from './nodeLifecycleController';
import { noExecuteTaints, TaintEvictionController } from './taintEviction';

export { NodeLifecycleController } from './nodeLifecycleController';
export { TaintEvictionController } from './taintEviction';

export const gracePeriodEnv = 'MARINA_NODE_MONITOR_GRACE_PERIOD_MS';
export const startupGracePeriodEnv = 'MARINA_NODE_STARTUP_GRACE_PERIOD_MS';

export interface NodeLifecycleOptions {
  /** Default: $MARINA_NODE_MONITOR_GRACE_PERIOD_MS, else 50 s. */
  readonly nodeMonitorGracePeriodMs?: number;
  /** Default: $MARINA_NODE_STARTUP_GRACE_PERIOD_MS, else 60 s. */
  readonly nodeStartupGracePeriodMs?: number;
  readonly clock?: Clock;
}

function fromEnv(name: string): number | undefined {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v > 0 ? v : undefined;
}

export function register(manager: Manager, options: NodeLifecycleOptions = {}): { nodeLifecycle: NodeLifecycleController; taintEviction: TaintEvictionController } {
  const clock = options.clock ?? realClock;
  const nodes = manager.informers.informerFor<Node>(nodesResource);
  const leases = manager.informers.informerFor<Lease>(leasesResource);
  const pods = manager.informers.informerFor<Pod>(podsResource);
  pods.addIndexers({ [nodeNameIndex]: byNodeName });

  const nodeLifecycle = new NodeLifecycleController(manager.client, nodes, leases, pods, manager.eventRecorder('node-controller'), clock, {
    nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs ?? fromEnv(gracePeriodEnv) ?? 50_000,
    nodeStartupGracePeriodMs: options.nodeStartupGracePeriodMs ?? fromEnv(startupGracePeriodEnv) ?? 60_000,
  });
  const nodeOf = (obj: KubeObject) => {
    const node = (obj as Pod).spec?.nodeName;
    return node ? [{ name: node }] : [];
  };
  newControllerManagedBy(manager)
    .named('node-lifecycle')
    .for(nodesResource)
    // Lease renewals are heartbeats.
    .watches(leasesResource, (lease) => (lease.metadata?.namespace === nodeLeaseNamespace && lease.metadata.name ? [{ name: lease.metadata.name }] : []))
    // Ready pods on a node may need marking not ready.
    .watches(podsResource, nodeOf, {
      predicates: [
        {
          create: (obj) => isPodReady(obj as Pod),
          update: (o, n) => isPodReady(o as Pod) !== isPodReady(n as Pod) || (o as Pod).spec?.nodeName !== (n as Pod).spec?.nodeName,
          delete: () => false,
        },
      ],
    })
    .withConcurrency(5)
    .complete((request, ctx) => nodeLifecycle.reconcile(request, ctx));

  const taintEviction = new TaintEvictionController(manager.client, pods, nodes, manager.eventRecorder('taint-eviction-controller'), clock);
  const sameNoExecute = (a: KubeObject, b: KubeObject) => JSON.stringify(noExecuteTaints(a as Node)) === JSON.stringify(noExecuteTaints(b as Node));
  newControllerManagedBy(manager)
    .named('taint-eviction')
    .for(podsResource, { predicates: [matching((obj) => Boolean((obj as Pod).spec?.nodeName))] })
    // A node's NoExecute taints changed: every pod on it.
    .watches(
      nodesResource,
      (node) => pods.lister.byIndex(nodeNameIndex, node.metadata?.name ?? '').map((p) => ({ namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '' })),
      { predicates: [{ create: (obj) => noExecuteTaints(obj as Node).length > 0, update: (o, n) => !sameNoExecute(o, n), delete: () => false }] },
    )
    .withConcurrency(8)
    .complete((request, ctx) => taintEviction.reconcile(request, ctx));

  return { nodeLifecycle, taintEviction };
}
