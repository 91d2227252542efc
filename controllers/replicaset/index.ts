/**
 * The ReplicaSet controller's wiring: it reconciles ReplicaSets; a pod's events map to its
 * controlling ReplicaSet (or, for an orphan, to every ReplicaSet of its namespace that selects
 * it, which may adopt it), and they lower that ReplicaSet's expectations before re-queueing it.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { KubeObject } from '../../api/kinds/kind';
import { byController, controllerIndex } from '../../client/informer/indexers';
import type { Lister } from '../../client/informer/lister';
import type { SharedIndexInformer } from '../../client/informer/sharedInformer';
import { deletedObject, type DeletedFinalStateUnknown } from '../../client/informer/tombstone';
import { newControllerManagedBy } from '../runtime/builder';
import type { Controller } from '../runtime/controller';
import type { Manager } from '../runtime/manager';
import type { Request } from '../runtime/reconcile';
import { ReplicaSetReconciler, objectKey, podsResource, replicaSetsResource } from './controller';
import { ControllerExpectations } from './expectations';
import { selects } from './status';

export { ReplicaSetReconciler } from './controller';
export { ControllerExpectations } from './expectations';

export const controllerName = 'replicaset-controller';

/** The ReplicaSet `pod` names as its controller, if it is in the cache with that uid. */
export function controllingReplicaSet(pod: KubeObject, replicaSets: Lister<ReplicaSet>): ReplicaSet | undefined {
  const ref = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref || ref.kind !== 'ReplicaSet' || !(ref.apiVersion ?? '').startsWith('apps/')) return undefined;
  const rs = replicaSets.get(pod.metadata?.namespace, ref.name);
  return rs && rs.metadata?.uid === ref.uid ? rs : undefined;
}

/** The ReplicaSets a pod event concerns: its controller's, or (for an orphan) every one selecting it. */
export function replicaSetsForPod(pod: KubeObject, replicaSets: Lister<ReplicaSet>): Request[] {
  const namespace = pod.metadata?.namespace ?? '';
  const ref = pod.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (ref) {
    if (ref.kind !== 'ReplicaSet' || !(ref.apiVersion ?? '').startsWith('apps/')) return [];
    return [{ namespace, name: ref.name }];
  }
  if (pod.metadata?.deletionTimestamp) return [];
  return replicaSets
    .list(namespace)
    .filter((rs) => selects(rs, pod.metadata?.labels))
    .map((rs) => ({ namespace, name: rs.metadata!.name! }));
}

/**
 * Lowers expectations as pods appear and disappear, and re-queues their ReplicaSet: an added
 * pod is a creation observed; a pod with a deletion timestamp, or gone, a deletion observed.
 */
function observePods(podsInformer: SharedIndexInformer<Pod>, replicaSets: Lister<ReplicaSet>, expectations: ControllerExpectations, controller: () => Controller | undefined): void {
  const deleted = (pod: Pod) => {
    const rs = controllingReplicaSet(pod, replicaSets);
    if (!rs) return;
    const key = objectKey(rs.metadata?.namespace, rs.metadata!.name!);
    expectations.deletionObserved(key, objectKey(pod.metadata?.namespace, pod.metadata!.name!));
    controller()?.enqueue({ namespace: rs.metadata?.namespace ?? '', name: rs.metadata!.name! });
  };
  podsInformer.addEventHandler({
    onAdd: (pod: Pod) => {
      if (pod.metadata?.deletionTimestamp) return deleted(pod);
      const rs = controllingReplicaSet(pod, replicaSets);
      if (!rs) return;
      expectations.creationObserved(objectKey(rs.metadata?.namespace, rs.metadata!.name!));
      controller()?.enqueue({ namespace: rs.metadata?.namespace ?? '', name: rs.metadata!.name! });
    },
    onUpdate: (_old: Pod, pod: Pod) => {
      if (pod.metadata?.deletionTimestamp) deleted(pod);
    },
    onDelete: (obj: Pod | DeletedFinalStateUnknown<Pod>) => deleted(deletedObject(obj)),
  });
}

export function register(manager: Manager): void {
  const replicaSets = manager.informers.informerFor<ReplicaSet>(replicaSetsResource);
  const pods = manager.informers.informerFor<Pod>(podsResource);
  pods.addIndexers({ [controllerIndex]: byController });
  const expectations = new ControllerExpectations();
  const reconciler = new ReplicaSetReconciler({
    client: manager.client,
    replicaSets: replicaSets.lister,
    pods: pods.lister,
    expectations,
    recorder: manager.eventRecorder(controllerName),
  });
  let controller: Controller | undefined;
  observePods(pods, replicaSets.lister, expectations, () => controller);
  controller = newControllerManagedBy(manager)
    .named('replicaset')
    .for(replicaSetsResource)
    .watches(podsResource, (pod) => replicaSetsForPod(pod, replicaSets.lister))
    .withConcurrency(5)
    .complete(reconciler);
}
