/**
 * The Deployment controller's wiring: it reconciles Deployments; a ReplicaSet's events map to
 * its controlling Deployment (for an orphan, to every Deployment of its namespace selecting it,
 * which may adopt it); a pod's deletion (or its end) maps to the Deployment of its ReplicaSet
 * when that Deployment recreates, since Recreate waits until no old pod runs.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { KubeObject } from '../../api/kinds/kind';
import { labelSelectorMatches } from '../../api/labels/selector';
import type { Lister } from '../../client/informer/lister';
import { newControllerManagedBy } from '../runtime/builder';
import type { Manager } from '../runtime/manager';
import type { Request } from '../runtime/reconcile';
import { DeploymentReconciler, deploymentsResource, podsResource, replicaSetsResource } from './controller';

export { DeploymentReconciler } from './controller';

export const controllerName = 'deployment-controller';

function controllerOf(obj: KubeObject, kind: string): { name: string; uid: string } | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref || ref.kind !== kind || !(ref.apiVersion ?? '').startsWith('apps/')) return undefined;
  return { name: ref.name, uid: ref.uid };
}

/** An orphan ReplicaSet maps to every Deployment of its namespace that selects it. */
export function deploymentsForOrphan(rs: KubeObject, deployments: Lister<Deployment>): Request[] {
  if (rs.metadata?.ownerReferences?.some((r) => r.controller === true)) return [];
  const namespace = rs.metadata?.namespace ?? '';
  return deployments
    .list(namespace)
    .filter((d) => labelSelectorMatches(d.spec?.selector, rs.metadata?.labels ?? {}))
    .map((d) => ({ namespace, name: d.metadata!.name! }));
}

/** A pod maps to the Recreate Deployment that controls its ReplicaSet, if any. */
export function recreateDeploymentForPod(pod: KubeObject, replicaSets: Lister<ReplicaSet>, deployments: Lister<Deployment>): Request[] {
  const namespace = pod.metadata?.namespace ?? '';
  const rsRef = controllerOf(pod, 'ReplicaSet');
  if (!rsRef) return [];
  const rs = replicaSets.get(namespace, rsRef.name);
  if (!rs || rs.metadata?.uid !== rsRef.uid) return [];
  const dRef = controllerOf(rs, 'Deployment');
  if (!dRef) return [];
  const d = deployments.get(namespace, dRef.name);
  if (!d || d.metadata?.uid !== dRef.uid || d.spec?.strategy?.type !== 'Recreate') return [];
  return [{ namespace, name: dRef.name }];
}

function terminal(obj: KubeObject): boolean {
  const phase = (obj as Pod).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function register(manager: Manager): void {
  const deployments = manager.informers.informerFor<Deployment>(deploymentsResource);
  const replicaSets = manager.informers.informerFor<ReplicaSet>(replicaSetsResource);
  const pods = manager.informers.informerFor<Pod>(podsResource);
  const reconciler = new DeploymentReconciler({
    client: manager.client,
    deployments: deployments.lister,
    replicaSets: replicaSets.lister,
    pods: pods.lister,
    recorder: manager.eventRecorder(controllerName),
  });
  newControllerManagedBy(manager)
    .named('deployment')
    .for(deploymentsResource)
    .owns(replicaSetsResource)
    .watches(replicaSetsResource, (rs) => deploymentsForOrphan(rs, deployments.lister))
    .watches(podsResource, (pod) => recreateDeploymentForPod(pod, replicaSets.lister, deployments.lister), {
      predicates: [{ create: () => false, update: (oldPod, newPod) => !terminal(oldPod) && terminal(newPod), delete: () => true }],
    })
    .withConcurrency(5)
    .complete(reconciler);
}
