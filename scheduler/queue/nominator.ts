/**
 * Nominated pods: pods that preemption made room for on a node, and that have not been bound yet
 * (the PodNominator). Filters count them on their node for pods of lower or equal priority, so the
 * room is not taken by others meanwhile.
 *
 * Invariant: a pod is nominated to at most one node; `byNode` and `nodeOf` agree.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { PodInfo } from '../framework/interfaces';
import { newPodInfo } from '../framework/podInfo';
import { podName } from '../framework/podKey';

export class Nominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  /**
   * Records that `pod` is nominated to `nodeName` (default: its status.nominatedNodeName); an empty
   * name removes the nomination. Assigned pods are never nominated.
   */
  add(pod: Pod, nodeName: string | undefined = pod.status?.nominatedNodeName): void {
    this.delete(pod);
    if (!nodeName || pod.spec?.nodeName) return;
    const key = podName(pod);
    this.nodeOf.set(key, nodeName);
    let list = this.byNode.get(nodeName);
    if (!list) this.byNode.set(nodeName, (list = []));
    list.push(newPodInfo(pod));
  }

  /** Keeps the nomination of a pod that changed: a newer status.nominatedNodeName wins. */
  update(oldPod: Pod, newPod: Pod): void {
    const current = this.nodeOf.get(podName(oldPod));
    const next = newPod.status?.nominatedNodeName || (oldPod.status?.nominatedNodeName ? '' : current);
    this.add(newPod, next);
  }

  delete(pod: Pod): void {
    const key = podName(pod);
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const list = this.byNode.get(node)!.filter((pi) => podName(pi.pod) !== key);
    if (list.length) this.byNode.set(node, list);
    else this.byNode.delete(node);
  }

  nominatedNode(pod: Pod): string | undefined {
    return this.nodeOf.get(podName(pod));
  }

  /** Pods nominated to the node (never mutate the array). */
  podsForNode(nodeName: string): readonly PodInfo[] {
    // Asked for every node of every cycle: with nothing nominated, not even the name is hashed.
    if (this.byNode.size === 0) return none;
    return this.byNode.get(nodeName) ?? none;
  }

  get size(): number {
    return this.nodeOf.size;
  }
}

const none: readonly PodInfo[] = Object.freeze([]);
