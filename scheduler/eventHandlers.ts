/**
 * Informers → scheduler (eventhandlers.go): pods split into unassigned ones of this scheduler's
 * profiles (the queue) and assigned, non-terminal ones of everybody (the cache); nodes into the
 * cache; each change that could make waiting pods fit is a cluster event for the queue.
 * PriorityClasses feed the priority resolver, namespaces the namespaceSelector lookups.
 */
import type { Namespace } from '../api/kinds/core/namespace';
import type { Node } from '../api/kinds/core/node';
import type { Pod } from '../api/kinds/core/pod';
import type { PodDisruptionBudget } from '../api/kinds/policy/podDisruptionBudget';
import type { PriorityClass } from '../api/kinds/scheduling/priorityClass';
import type { SharedInformerFactory } from '../client/informer/factory';
import { Lister } from '../client/informer/lister';
import type { SharedIndexInformer } from '../client/informer/sharedInformer';
import { deletedObject } from '../client/informer/tombstone';
import { nodeUpdateEvents, podUpdateEvents } from './queue/clusterEvents';
import type { Scheduler } from './scheduler';

export const gvr = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  priorityClasses: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' },
  pdbs: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
} as const;

export interface SchedulerInformers {
  readonly pods: SharedIndexInformer<Pod>;
  readonly nodes: SharedIndexInformer<Node>;
  readonly namespaces: SharedIndexInformer<Namespace>;
  readonly priorityClasses: SharedIndexInformer<PriorityClass>;
  readonly pdbs: SharedIndexInformer<PodDisruptionBudget>;
  readonly podLister: Lister<Pod>;
  readonly namespaceLister: Lister<Namespace>;
  readonly pdbLister: Lister<PodDisruptionBudget>;
}

export function schedulerInformers(factory: SharedInformerFactory): SchedulerInformers {
  const pods = factory.informerFor<Pod>(gvr.pods);
  const namespaces = factory.informerFor<Namespace>(gvr.namespaces);
  const pdbs = factory.informerFor<PodDisruptionBudget>(gvr.pdbs);
  return {
    pods,
    nodes: factory.informerFor<Node>(gvr.nodes),
    namespaces,
    priorityClasses: factory.informerFor<PriorityClass>(gvr.priorityClasses),
    pdbs,
    podLister: new Lister(pods.store),
    namespaceLister: new Lister(namespaces.store),
    pdbLister: new Lister(pdbs.store),
  };
}

const isAssigned = (pod: Pod) => !!pod.spec?.nodeName;
const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Registers the scheduler's handlers. PriorityClasses first, so pods of the initial list resolve their priority. */
export function addAllEventHandlers(sched: Scheduler, informers: SchedulerInformers): void {
  const { cache, queue, priorities } = sched;
  informers.priorityClasses.addEventHandler({
    onAdd: (pc) => priorities.set(pc),
    onUpdate: (_o, pc) => priorities.set(pc),
    onDelete: (pc) => priorities.delete(deletedObject(pc)),
  });

  const addAssigned = (pod: Pod) => {
    if (isTerminal(pod)) return;
    cache.addPod(priorities.resolve(pod));
    queue.nominator.delete(pod);
    queue.moveAllToActiveOrBackoff(['PodAdd']);
  };
  const addUnassigned = (pod: Pod) => {
    if (isTerminal(pod) || !sched.responsibleFor(pod)) return;
    queue.add(priorities.resolve(pod));
  };
  informers.pods.addEventHandler({
    onAdd: (pod) => (isAssigned(pod) ? addAssigned(pod) : addUnassigned(pod)),
    onUpdate: (oldPod, newPod) => {
      if (isAssigned(newPod)) {
        if (!isAssigned(oldPod)) {
          queue.delete(oldPod);
          return addAssigned(newPod);
        }
        if (isTerminal(newPod)) {
          cache.removePod(newPod);
          return queue.moveAllToActiveOrBackoff(['PodDelete']);
        }
        cache.updatePod(priorities.resolve(newPod));
        return queue.moveAllToActiveOrBackoff(podUpdateEvents(oldPod, newPod));
      }
      if (!sched.responsibleFor(newPod)) return;
      // The pod's binding is in flight (our assumption): the update is about the old state.
      if (cache.isAssumed(newPod)) return;
      if (isTerminal(newPod)) return queue.delete(newPod);
      queue.update(priorities.resolve(oldPod), priorities.resolve(newPod));
    },
    onDelete: (obj) => {
      const pod = deletedObject(obj);
      if (isAssigned(pod) || cache.isAssumed(pod)) {
        cache.removePod(pod);
        queue.moveAllToActiveOrBackoff(['PodDelete']);
      }
      queue.delete(pod);
    },
  });

  informers.nodes.addEventHandler({
    onAdd: (node) => {
      cache.addNode(node);
      queue.moveAllToActiveOrBackoff(['NodeAdd']);
    },
    onUpdate: (oldNode, newNode) => {
      cache.updateNode(newNode);
      queue.moveAllToActiveOrBackoff(nodeUpdateEvents(oldNode, newNode));
    },
    onDelete: (obj) => cache.removeNode(deletedObject(obj).metadata?.name ?? ''),
  });
}
