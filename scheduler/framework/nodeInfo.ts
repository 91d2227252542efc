/**
 * NodeInfo as the cache keeps it: a node, its pods (bound and assumed) and the sums the plugins
 * need, updated incrementally as pods come and go (framework.NodeInfo).
 *
 * Invariants:
 * - requested/nonZeroRequested are the sums of the pods' requests; requested.pods = pods.length;
 * - the row at resourceTable[resourceRow] mirrors allocatable, requested and nonZeroRequested
 *   (resourceRow.ts); it is this object's own until a snapshot's RowTable takes it in;
 * - podsWithAffinity ⊆ pods (pods with any pod affinity or anti-affinity term),
 *   podsWithRequiredAntiAffinity ⊆ pods;
 * - every change takes a new, globally increasing generation, so snapshots copy only what changed;
 * - a NodeInfo may exist without its Node (pods seen before their node, or left after it was
 *   deleted): `hasNode` is false and it is never part of a snapshot.
 */
import type { Node } from '../../api/kinds/core/node';
import type { Taint } from '../../api/kinds/core/taint';
import type { Pod } from '../../api/kinds/core/pod';
import type { HostPortInfo, NodeInfo, PodInfo, Resources } from './interfaces';
import { podUid } from './podKey';
import { addResources, copyResourcesInto, emptyResources, nodeAllocatable, podHostPorts, subtractResources } from './resources';
import { ROW_LENGTH, writeRow } from './resourceRow';

let generation = 0;

/** A new, globally increasing generation number. */
export function nextGeneration(): number {
  return ++generation;
}

function hasAffinity(pi: PodInfo): boolean {
  const a = pi.pod.spec?.affinity;
  return !!(a?.podAffinity || a?.podAntiAffinity);
}

const noTaints: readonly Taint[] = Object.freeze([]);

/** Shared by every node without images (most, without node agents): one object the score loop keeps in cache. */
const noImages: ReadonlyMap<string, number> = new Map();

function imageSizes(node: Node): ReadonlyMap<string, number> {
  const images = node.status?.images ?? [];
  if (images.length === 0) return noImages;
  const sizes = new Map<string, number>();
  for (const image of images) {
    for (const name of image.names ?? []) sizes.set(name, image.sizeBytes ?? 0);
  }
  return sizes;
}

function sameEntries(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export class NodeInfoImpl implements NodeInfo {
  node: Node;
  name: string;
  hasNode: boolean;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  requested: Resources = emptyResources();
  nonZeroRequested: Resources = emptyResources();
  allocatable: Resources = emptyResources();
  resourceTable = new Float64Array(ROW_LENGTH);
  resourceRow = 0;
  usedPorts: HostPortInfo[] = [];
  imageSizes: ReadonlyMap<string, number> = noImages;
  taints: readonly Taint[] = noTaints;
  unschedulable = false;
  generation = nextGeneration();

  constructor(nameOrNode: string | Node) {
    if (typeof nameOrNode === 'string') {
      this.name = nameOrNode;
      this.node = { metadata: { name: nameOrNode } };
      this.hasNode = false;
    } else {
      this.name = nameOrNode.metadata?.name ?? '';
      this.node = nameOrNode;
      this.hasNode = true;
      this.allocatable = nodeAllocatable(nameOrNode);
      this.imageSizes = imageSizes(nameOrNode);
      this.setSpec(nameOrNode);
      this.writeRow();
    }
  }

  private writeRow(): void {
    writeRow(this.resourceTable, this.resourceRow, this.allocatable, this.requested, this.nonZeroRequested);
  }

  setNode(node: Node): void {
    this.node = node;
    this.hasNode = true;
    this.allocatable = nodeAllocatable(node);
    // The same images keep the same map: whatever is derived from every node's images (image
    // counts) then survives the status updates nodes send all the time.
    const sizes = imageSizes(node);
    if (!sameEntries(sizes, this.imageSizes)) this.imageSizes = sizes;
    this.setSpec(node);
    this.writeRow();
    this.generation = nextGeneration();
  }

  private setSpec(node: Node): void {
    const taints = node.spec?.taints;
    this.taints = taints && taints.length > 0 ? taints : noTaints;
    this.unschedulable = node.spec?.unschedulable === true;
  }

  /** The node is gone but pods remain: keep the sums, forget the node. */
  removeNode(): void {
    this.node = { metadata: { name: this.name } };
    this.hasNode = false;
    this.allocatable = emptyResources();
    this.imageSizes = noImages;
    this.taints = noTaints;
    this.unschedulable = false;
    this.writeRow();
    this.generation = nextGeneration();
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (hasAffinity(pi)) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(pi);
    addResources(this.requested, pi.requests);
    addResources(this.nonZeroRequested, pi.nonZeroRequests);
    for (const port of podHostPorts(pi.pod)) this.usedPorts.push(port);
    this.writeRow();
    this.generation = nextGeneration();
  }

  /** Removes the pod with this pod's uid; false when it is not on this node. */
  removePod(pod: Pod): boolean {
    const uid = podUid(pod);
    const i = this.pods.findIndex((p) => podUid(p.pod) === uid);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods.splice(i, 1);
    removeByUid(this.podsWithAffinity, uid);
    removeByUid(this.podsWithRequiredAntiAffinity, uid);
    subtractResources(this.requested, pi.requests);
    subtractResources(this.nonZeroRequested, pi.nonZeroRequests);
    for (const port of podHostPorts(pi.pod)) {
      const j = this.usedPorts.findIndex((u) => u.port === port.port && u.protocol === port.protocol && u.hostIP === port.hostIP);
      if (j >= 0) this.usedPorts.splice(j, 1);
    }
    this.writeRow();
    this.generation = nextGeneration();
    return true;
  }

  /** A copy that later changes to this one do not affect (pod infos are shared: they are immutable). */
  clone(): NodeInfoImpl {
    const c = Object.create(NodeInfoImpl.prototype) as NodeInfoImpl;
    // Assigned first, in one order for every clone: a snapshot's NodeInfos share one shape.
    c.resourceTable = new Float64Array(ROW_LENGTH);
    c.resourceRow = 0;
    c.copyFrom(this);
    return c;
  }

  /** Makes this a copy of `other` (keeps this object's identity: snapshots' lists point at it). */
  copyFrom(other: NodeInfoImpl): void {
    this.node = other.node;
    this.name = other.name;
    this.hasNode = other.hasNode;
    this.pods = other.pods.slice();
    this.podsWithAffinity = other.podsWithAffinity.slice();
    this.podsWithRequiredAntiAffinity = other.podsWithRequiredAntiAffinity.slice();
    // Copied into this object's own Resources (see copyResourcesInto): a clone starts without them.
    this.requested = copyResourcesInto(this.requested as Resources | undefined, other.requested);
    this.nonZeroRequested = copyResourcesInto(this.nonZeroRequested as Resources | undefined, other.nonZeroRequested);
    this.allocatable = copyResourcesInto(this.allocatable as Resources | undefined, other.allocatable);
    this.writeRow();
    this.usedPorts = other.usedPorts.slice();
    this.imageSizes = other.imageSizes; // replaced, never mutated
    this.taints = other.taints;
    this.unschedulable = other.unschedulable;
    this.generation = other.generation;
  }
}

function removeByUid(list: PodInfo[], uid: string): void {
  const i = list.findIndex((p) => podUid(p.pod) === uid);
  if (i >= 0) list.splice(i, 1);
}
