/**
 * The garbage collector's dependency graph, as Kubernetes' GraphBuilder keeps it: one node per
 * object uid, with the object's owner references and the set of its dependents (objects whose
 * owner references name its uid). Every change observed by an informer goes through
 * `processChange`, which updates the graph and tells the sink which nodes to look at:
 *
 *   - attemptToDelete: a dependent whose owner may be gone, an owner that may no longer be
 *     blocked by its dependents, a "virtual" node (an owner known only from a reference, whose
 *     existence must be checked with the API server);
 *   - attemptToOrphan: an owner whose deletion started with the `orphan` finalizer;
 *   - absent: an owner identity verified to be gone (the absent-owner cache);
 *   - invalidNamespaceOwnerRef: a dependent referring to an owner in another namespace.
 *
 * Pure and synchronous: no I/O. The collector (garbageCollector.ts) feeds it informer events and
 * "virtual delete" events (an object the API server says is gone).
 */
import type { OwnerReference } from '../../api/kinds/meta';

export const foregroundDeletionFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

/** Coordinates of an object: what an owner reference names, plus the namespace ('' when cluster-scoped). */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** What the graph reads of an object's metadata. */
export interface ObjectMetaView {
  readonly uid?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly finalizers?: readonly string[];
  readonly deletionTimestamp?: string;
}

export interface GraphChange {
  readonly type: 'add' | 'update' | 'delete';
  /** The object's identity, its apiVersion and kind from the resource it was observed on. */
  readonly identity: ObjectIdentity;
  readonly meta: ObjectMetaView;
  /** For updates: the previous state (undefined for adds, and for deletes). */
  readonly oldMeta?: ObjectMetaView;
  /** A deletion inferred from the API server answering 404, not observed by an informer. */
  readonly virtual?: boolean;
}

export interface GraphSink {
  attemptToDelete(node: GraphNode, rateLimited?: boolean): void;
  attemptToOrphan(node: GraphNode): void;
  absent(identity: ObjectIdentity): void;
  invalidNamespaceOwnerRef?(dependent: GraphNode, ownerUid: string): void;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();

  constructor(
    public identity: ObjectIdentity,
    public owners: readonly OwnerReference[],
    /** Known only from an owner reference: not (yet) observed by an informer. */
    public virtual: boolean,
    public beingDeleted = false,
    /** Being deleted with the foregroundDeletion finalizer: waiting for its dependents to go. */
    public deletingDependents = false,
  ) {}

  get uid(): string {
    return this.identity.uid;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion=true. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((o) => o.uid === this.uid && o.blockOwnerDeletion === true));
  }
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.namespace === b.namespace && a.kind === b.kind && a.apiVersion === b.apiVersion;
}

/** An owner reference's coordinates match an identity (namespace aside). */
export function referenceMatches(ref: OwnerReference, id: Pick<ObjectIdentity, 'apiVersion' | 'kind' | 'name' | 'uid'>): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

export function identityKey(id: ObjectIdentity): string {
  return JSON.stringify([id.apiVersion, id.kind, id.namespace, id.name, id.uid]);
}

export function hasFinalizer(meta: ObjectMetaView | undefined, finalizer: string): boolean {
  return (meta?.finalizers ?? []).includes(finalizer);
}

function beingDeleted(meta: ObjectMetaView | undefined): boolean {
  return meta?.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
}

/** True when this change is where the object's deletion with `finalizer` starts (or is first seen). */
export function deletionStartsWithFinalizer(oldMeta: ObjectMetaView | undefined, meta: ObjectMetaView, finalizer: string): boolean {
  if (!beingDeleted(meta) || !hasFinalizer(meta, finalizer)) return false;
  if (!oldMeta) return true;
  return !beingDeleted(oldMeta) || !hasFinalizer(oldMeta, finalizer);
}

/** Owner references added, removed and changed (same uid, other content) between two lists. */
export function referencesDiff(
  oldRefs: readonly OwnerReference[],
  newRefs: readonly OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: { oldRef: OwnerReference; newRef: OwnerReference }[] } {
  const old = new Map(oldRefs.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: { oldRef: OwnerReference; newRef: OwnerReference }[] = [];
  for (const ref of newRefs) {
    const before = old.get(ref.uid);
    if (!before) {
      added.push(ref);
      continue;
    }
    old.delete(ref.uid);
    if (!sameReference(before, ref)) changed.push({ oldRef: before, newRef: ref });
  }
  return { added, removed: [...old.values()], changed };
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return (
    a.uid === b.uid &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.apiVersion === b.apiVersion &&
    (a.controller ?? undefined) === (b.controller ?? undefined) &&
    (a.blockOwnerDeletion ?? undefined) === (b.blockOwnerDeletion ?? undefined)
  );
}

/**
 * Splits dependents into those whose reference to `owner.uid` matches `owner` (coordinates and,
 * for a namespaced owner, namespace) and those that refer to that uid otherwise. A dependent
 * with several references to the uid can be in both.
 */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: ObjectIdentity): { matching: GraphNode[]; nonmatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonmatching: GraphNode[] = [];
  const ownerNamespaced = owner.namespace !== '';
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (ownerNamespaced && owner.namespace !== dep.identity.namespace) {
      mismatch = true;
    } else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (referenceMatches(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonmatching.push(dep);
  }
  return { matching, nonmatching };
}

/** Orders identities by kind, apiVersion, namespace, name, uid. */
export function identityLessThan(a: ObjectIdentity, b: ObjectIdentity): boolean {
  for (const k of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k];
  }
  return false;
}

/**
 * Another identity under which `deps` refer to the uid of `absent` (verified gone): the first
 * one following `absent` in identity order, else the first one. Undefined when there is none.
 */
export function alternateOwnerIdentity(deps: readonly GraphNode[], absent: ObjectIdentity): ObjectIdentity | undefined {
  const clusterScoped = absent.namespace === '';
  const seen = new Set<string>([identityKey(absent)]);
  let first: ObjectIdentity | undefined;
  let firstFollowing: ObjectIdentity | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (referenceMatches(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      let alt: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: dep.identity.namespace };
      // That apiVersion/kind is known to be cluster-scoped: drop the namespace.
      if (clusterScoped && alt.apiVersion === absent.apiVersion && alt.kind === absent.kind) alt = { ...alt, namespace: '' };
      const key = identityKey(alt);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!first || identityLessThan(alt, first)) first = alt;
      if (identityLessThan(absent, alt) && (!firstFollowing || identityLessThan(alt, firstFollowing))) firstFollowing = alt;
    }
  }
  return firstFollowing ?? first;
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  constructor(private readonly sink: GraphSink) {}

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Every node (for tests and debugging). */
  all(): GraphNode[] {
    return [...this.nodes.values()];
  }

  /** The API server says this object is gone: remove it as if a deletion had been observed. */
  virtualDelete(identity: ObjectIdentity): void {
    this.processChange({ type: 'delete', identity, meta: { uid: identity.uid, name: identity.name, namespace: identity.namespace }, virtual: true });
  }

  processChange(change: GraphChange): void {
    const { identity, meta } = change;
    if (!identity.uid) return;
    let existing = this.nodes.get(identity.uid);

    if (existing && !change.virtual && existing.virtual) {
      // First observation of an object known so far only from references.
      if (!sameIdentity(identity, existing.identity)) {
        // Dependents that referred to it under other coordinates may be invalid: check them.
        const { nonmatching } = partitionDependents(existing.dependents, identity);
        for (const dep of nonmatching) {
          if (identity.namespace !== '' && dep.identity.namespace !== identity.namespace) this.sink.invalidNamespaceOwnerRef?.(dep, identity.uid);
          this.sink.attemptToDelete(dep);
        }
        existing.identity = identity;
      }
      existing.virtual = false;
    }

    if (change.type !== 'delete') {
      const owners = meta.ownerReferences ?? [];
      if (!existing) {
        const node = new GraphNode(identity, owners, false, beingDeleted(meta), beingDeleted(meta) && hasFinalizer(meta, foregroundDeletionFinalizer));
        this.nodes.set(identity.uid, node);
        this.addDependentToOwners(node, owners);
        this.processTransitions(change.oldMeta, meta, node);
        return;
      }
      if (!change.virtual && (existing.identity.apiVersion !== identity.apiVersion || existing.identity.kind !== identity.kind)) {
        existing.identity = { ...existing.identity, apiVersion: identity.apiVersion, kind: identity.kind };
      }
      const { added, removed, changed } = referencesDiff(existing.owners, owners);
      if (added.length || removed.length || changed.length) {
        this.addUnblockedOwnersToDeleteQueue(removed, changed);
        existing.owners = owners;
        this.addDependentToOwners(existing, added);
        this.removeDependentFromOwners(existing, removed);
      }
      if (beingDeleted(meta)) existing.beingDeleted = true;
      this.processTransitions(change.oldMeta, meta, existing);
      return;
    }

    // Deletion.
    if (!existing) return;
    let remove = true;
    if (change.virtual) {
      if (existing.virtual) {
        // Unsure of our own coordinates: dependents may refer to this uid otherwise.
        const { matching, nonmatching } = partitionDependents(existing.dependents, identity);
        if (nonmatching.length > 0) {
          remove = false;
          if (matching.length > 0) {
            this.sink.absent(identity);
            for (const dep of matching) this.sink.attemptToDelete(dep);
          }
          if (sameIdentity(existing.identity, identity)) {
            const alt = alternateOwnerIdentity(nonmatching, identity);
            if (alt) {
              existing.identity = alt;
              this.sink.attemptToDelete(existing, true);
            }
          }
        }
      } else if (!sameIdentity(existing.identity, identity)) {
        // An observed object is not removed on a virtual event naming other coordinates.
        remove = false;
        const { matching } = partitionDependents(existing.dependents, identity);
        if (matching.length > 0) {
          this.sink.absent(identity);
          for (const dep of matching) this.sink.attemptToDelete(dep);
        }
      }
    }
    if (!remove) return;
    existing = existing as GraphNode;
    this.removeNode(existing);
    if (existing.dependents.size > 0) this.sink.absent(identity);
    for (const dep of existing.dependents) this.sink.attemptToDelete(dep);
    for (const ref of existing.owners) {
      const owner = this.nodes.get(ref.uid);
      // Let an owner waiting for its dependents see that one fewer remains.
      if (owner?.deletingDependents) this.sink.attemptToDelete(owner);
    }
  }

  private processTransitions(oldMeta: ObjectMetaView | undefined, meta: ObjectMetaView, node: GraphNode): void {
    if (deletionStartsWithFinalizer(oldMeta, meta, orphanFinalizer)) {
      this.sink.attemptToOrphan(node);
      return;
    }
    if (deletionStartsWithFinalizer(oldMeta, meta, foregroundDeletionFinalizer)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.sink.attemptToDelete(dep);
      this.sink.attemptToDelete(node);
    }
  }

  /** Adds `node` to its owners' dependents, creating virtual nodes for owners not seen yet. */
  private addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const ref of owners) {
      let owner = this.nodes.get(ref.uid);
      const found = owner !== undefined;
      if (!owner) {
        owner = new GraphNode({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: node.identity.namespace }, [], true);
        this.nodes.set(ref.uid, owner);
      }
      owner.dependents.add(node);
      if (!found) {
        // Is it there at all? The collector asks the API server.
        this.sink.attemptToDelete(owner);
        continue;
      }
      if (potentiallyInvalid) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (!owner.virtual) this.sink.invalidNamespaceOwnerRef?.(node, ref.uid);
        potentiallyInvalid = true;
      } else if (!referenceMatches(ref, owner.identity)) {
        potentiallyInvalid = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== node.identity.namespace && owner.virtual) {
        potentiallyInvalid = true;
      }
    }
    if (potentiallyInvalid) this.sink.attemptToDelete(node);
  }

  private removeDependentFromOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) this.nodes.get(ref.uid)?.dependents.delete(node);
  }

  private removeNode(node: GraphNode): void {
    this.nodes.delete(node.uid);
    this.removeDependentFromOwners(node, node.owners);
  }

  /** A blocking reference removed or made non-blocking: its owner may now finish a foreground deletion. */
  private addUnblockedOwnersToDeleteQueue(removed: readonly OwnerReference[], changed: readonly { oldRef: OwnerReference; newRef: OwnerReference }[]): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion !== true) continue;
      const owner = this.nodes.get(ref.uid);
      if (owner) this.sink.attemptToDelete(owner);
    }
    for (const { oldRef, newRef } of changed) {
      if (oldRef.blockOwnerDeletion === true && newRef.blockOwnerDeletion !== true) {
        const owner = this.nodes.get(newRef.uid);
        if (owner) this.sink.attemptToDelete(owner);
      }
    }
  }
}
