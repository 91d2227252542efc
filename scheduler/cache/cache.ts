/**
 * The scheduler's cache (pkg/scheduler/internal/cache): nodes and the pods on them, from the
 * informers, plus pods this scheduler has assumed — placed on a node before the API server has
 * confirmed the binding — so the next cycles already count them.
 *
 * Pod life cycle in the cache:
 *   assume → (finishBinding → expire after `assumedPodTtlMs`, if set, unless confirmed) → add (confirmed)
 *   assume → forget (binding failed)
 *   add → update* → remove
 * Invariants:
 * - a pod is on exactly one NodeInfo (the node of its spec.nodeName, or of its assumption);
 * - pods of every scheduler count (the cache sees all assigned pods);
 * - nodes are kept in a recency list, most recently changed first, so updateSnapshot copies only
 *   NodeInfos changed since the snapshot's generation and stops at the first older one.
 */
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import { realClock, type Clock } from '../../client/clock';
import { silentLogger, type Logger } from '../../client/log';
import { nextImagesVersion, type PodInfo } from '../framework/interfaces';
import { NodeInfoImpl } from '../framework/nodeInfo';
import { newPodInfo } from '../framework/podInfo';
import { podName, podUid } from '../framework/podKey';
import { NodeTree } from './nodeTree';
import type { SnapshotImpl } from './snapshot';

interface PodState {
  pod: Pod;
  info: PodInfo;
  nodeName: string;
  /** When an assumed pod whose binding finished expires; undefined: not yet (or not assumed). */
  deadline?: number;
  bindingFinished: boolean;
}

interface Item {
  info: NodeInfoImpl;
  prev?: Item;
  next?: Item;
}

export interface CacheOptions {
  /**
   * How long an assumed pod whose binding finished waits for the informer's confirmation before
   * it is dropped; 0: forever. Default 0, as kube-scheduler (durationToExpireAssumedPod): under
   * load, watch delivery can lag far behind a successful binding, and dropping the assumption
   * then would let the pod be scheduled twice.
   */
  readonly assumedPodTtlMs?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, Item>();
  private head: Item | undefined;
  private readonly tree = new NodeTree();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumed = new Set<string>();
  /** The node tree's order changed since the last updateSnapshot. */
  private treeChanged = false;
  private readonly ttlMs: number;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(options: CacheOptions = {}) {
    this.ttlMs = options.assumedPodTtlMs ?? 0;
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLogger;
  }

  // ---- nodes ---------------------------------------------------------------------------------

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const item = this.nodes.get(name);
    if (item) item.info.setNode(node);
    else this.nodes.set(name, this.pushFront({ info: new NodeInfoImpl(node) }));
    this.touch(name);
    this.tree.add(node);
    this.treeChanged = true;
  }

  updateNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const item = this.nodes.get(name);
    if (!item) return this.addNode(node);
    item.info.setNode(node);
    this.touch(name);
    if (this.tree.update(node)) this.treeChanged = true;
  }

  /** Removes a node; its NodeInfo stays (without node) while pods are still on it. */
  removeNode(name: string): void {
    const item = this.nodes.get(name);
    if (!item) return;
    this.tree.remove(name);
    this.treeChanged = true;
    if (item.info.pods.length === 0) {
      this.unlink(item);
      this.nodes.delete(name);
    } else {
      item.info.removeNode();
      this.touch(name);
    }
  }

  get nodeCount(): number {
    return this.tree.size;
  }

  // ---- pods ----------------------------------------------------------------------------------

  /**
   * Places a pod on `nodeName` before its binding is confirmed. Throws when the pod is already in
   * the cache (assumed or added).
   */
  assumePod(pod: Pod, nodeName: string): void {
    const key = podUid(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${podName(pod)} is in the cache, so can't be assumed`);
    const info = newPodInfo(pod);
    this.place(info, nodeName);
    this.podStates.set(key, { pod, info, nodeName, bindingFinished: false });
    this.assumed.add(key);
  }

  /** The binding request has ended (successfully or not): the assumption may now expire. */
  finishBinding(pod: Pod): void {
    const state = this.podStates.get(podUid(pod));
    if (!state || !this.assumed.has(podUid(pod))) return;
    state.bindingFinished = true;
    state.deadline = this.clock.now() + this.ttlMs;
  }

  /** Drops an assumed pod (its binding failed). */
  forgetPod(pod: Pod): void {
    const key = podUid(pod);
    const state = this.podStates.get(key);
    if (!state || !this.assumed.has(key)) return;
    this.unplace(state.info.pod, state.nodeName);
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  isAssumed(pod: Pod): boolean {
    return this.assumed.has(podUid(pod));
  }

  /** An assigned pod the API server has (informer add): confirms an assumption or adds the pod. */
  addPod(pod: Pod): void {
    const key = podUid(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    const state = this.podStates.get(key);
    if (state && this.assumed.has(key)) {
      if (state.nodeName !== nodeName) this.log.warn('pod was assumed on another node than it is bound to', { pod: podName(pod), assumed: state.nodeName, bound: nodeName });
      this.replace(state, pod);
      this.assumed.delete(key);
      state.deadline = undefined;
      return;
    }
    if (state) {
      // Already added (e.g. a relist delivered it again): treat as an update.
      this.replace(state, pod);
      return;
    }
    const info = newPodInfo(pod);
    this.place(info, nodeName);
    this.podStates.set(key, { pod, info, nodeName, bindingFinished: false });
  }

  updatePod(pod: Pod): void {
    const state = this.podStates.get(podUid(pod));
    if (!state) return this.addPod(pod);
    if (this.assumed.has(podUid(pod))) return this.addPod(pod);
    this.replace(state, pod);
  }

  removePod(pod: Pod): void {
    const key = podUid(pod);
    const state = this.podStates.get(key);
    if (!state) return;
    this.unplace(state.info.pod, state.nodeName);
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  /** The pod as the cache has it (assumed or added). */
  getPod(pod: Pod): Pod | undefined {
    return this.podStates.get(podUid(pod))?.pod;
  }

  get podCount(): number {
    return this.podStates.size;
  }

  get assumedCount(): number {
    return this.assumed.size;
  }

  /** Drops assumed pods whose binding finished more than the TTL ago without confirmation. */
  cleanupAssumedPods(now = this.clock.now()): Pod[] {
    const expired: Pod[] = [];
    if (this.ttlMs <= 0) return [];
    for (const key of [...this.assumed]) {
      const state = this.podStates.get(key)!;
      if (!state.bindingFinished || state.deadline === undefined || now < state.deadline) continue;
      this.log.warn('assumed pod expired: its binding was never confirmed', { pod: podName(state.pod), node: state.nodeName });
      this.unplace(state.info.pod, state.nodeName);
      this.podStates.delete(key);
      this.assumed.delete(key);
      expired.push(state.pod);
    }
    return expired;
  }

  // ---- snapshot ------------------------------------------------------------------------------

  /**
   * Brings `snapshot` up to date: copies NodeInfos changed since its generation (most recent
   * first, stopping at the first unchanged one), drops deleted nodes, and rebuilds the lists only
   * when their membership changed.
   */
  updateSnapshot(snapshot: SnapshotImpl): void {
    const since = snapshot.generation;
    let updateAll = false;
    let updateAffinity = false;
    for (let item = this.head; item && item.info.generation > since; item = item.next) {
      const info = item.info;
      if (!info.hasNode) continue;
      const existing = snapshot.nodeInfoMap.get(info.name);
      if (!existing) {
        updateAll = true;
        snapshot.add(info.clone());
        continue;
      }
      if (existing.podsWithAffinity.length > 0 !== info.podsWithAffinity.length > 0) updateAffinity = true;
      if (existing.podsWithRequiredAntiAffinity.length > 0 !== info.podsWithRequiredAntiAffinity.length > 0) updateAffinity = true;
      if (existing.imageSizes !== info.imageSizes) snapshot.images = nextImagesVersion();
      existing.copyFrom(info);
    }
    if (this.head) snapshot.generation = this.head.info.generation;
    if (this.treeChanged || snapshot.nodeInfoMap.size !== this.tree.size || snapshot.nodeInfoList.length !== this.tree.size) {
      this.treeChanged = false;
      for (const name of [...snapshot.nodeInfoMap.keys()]) {
        const item = this.nodes.get(name);
        if (!item || !item.info.hasNode) snapshot.remove(name);
      }
      updateAll = true;
    }
    if (updateAll) {
      snapshot.images = nextImagesVersion();
      snapshot.nodeInfoList = this.tree.list().map((name) => snapshot.nodeInfoMap.get(name)!);
      snapshot.rebuildAffinityLists();
    } else if (updateAffinity) {
      snapshot.rebuildAffinityLists();
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private replace(state: PodState, pod: Pod): void {
    this.unplace(state.info.pod, state.nodeName);
    state.pod = pod;
    state.info = newPodInfo(pod);
    state.nodeName = pod.spec?.nodeName || state.nodeName;
    this.place(state.info, state.nodeName);
  }

  private place(info: PodInfo, nodeName: string): void {
    let item = this.nodes.get(nodeName);
    if (!item) this.nodes.set(nodeName, (item = this.pushFront({ info: new NodeInfoImpl(nodeName) })));
    item.info.addPod(info);
    this.touch(nodeName);
  }

  private unplace(pod: Pod, nodeName: string): void {
    const item = this.nodes.get(nodeName);
    if (!item) return;
    item.info.removePod(pod);
    if (!item.info.hasNode && item.info.pods.length === 0) {
      this.unlink(item);
      this.nodes.delete(nodeName);
      return;
    }
    this.touch(nodeName);
  }

  /** Moves a node to the front of the recency list. */
  private touch(name: string): void {
    const item = this.nodes.get(name);
    if (!item || item === this.head) return;
    this.unlink(item);
    this.pushFront(item);
  }

  private pushFront(item: Item): Item {
    item.prev = undefined;
    item.next = this.head;
    if (this.head) this.head.prev = item;
    this.head = item;
    return item;
  }

  private unlink(item: Item): void {
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    if (this.head === item) this.head = item.next;
    item.prev = item.next = undefined;
  }
}
