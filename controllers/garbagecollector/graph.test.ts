import type { OwnerReference } from '../../api/kinds/meta';
import {
  alternateOwnerIdentity,
  DependencyGraph,
  deletionStartsWithFinalizer,
  GraphNode,
  partitionDependents,
  referencesDiff,
  type GraphSink,
  type ObjectIdentity,
  type ObjectMetaView,
} from './graph';

class RecordingSink implements GraphSink {
  deletes: string[] = [];
  rateLimited: string[] = [];
  orphans: string[] = [];
  absents: ObjectIdentity[] = [];
  invalid: [string, string][] = [];
  attemptToDelete(node: GraphNode, rateLimited?: boolean): void {
    (rateLimited ? this.rateLimited : this.deletes).push(node.uid);
  }
  attemptToOrphan(node: GraphNode): void {
    this.orphans.push(node.uid);
  }
  absent(identity: ObjectIdentity): void {
    this.absents.push(identity);
  }
  invalidNamespaceOwnerRef(dep: GraphNode, ownerUid: string): void {
    this.invalid.push([dep.uid, ownerUid]);
  }
  reset(): void {
    this.deletes = [];
    this.rateLimited = [];
    this.orphans = [];
    this.absents = [];
    this.invalid = [];
  }
}

const deploy = (name: string, uid: string, namespace = 'default'): ObjectIdentity => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name, uid });
const rs = (name: string, uid: string, namespace = 'default'): ObjectIdentity => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, name, uid });
const ref = (id: ObjectIdentity, extra: Partial<OwnerReference> = {}): OwnerReference => ({ apiVersion: id.apiVersion, kind: id.kind, name: id.name, uid: id.uid, ...extra });
const meta = (id: ObjectIdentity, extra: ObjectMetaView = {}): ObjectMetaView => ({ uid: id.uid, name: id.name, namespace: id.namespace, ...extra });

function setup() {
  const sink = new RecordingSink();
  const graph = new DependencyGraph(sink);
  const add = (id: ObjectIdentity, extra: ObjectMetaView = {}) => graph.processChange({ type: 'add', identity: id, meta: meta(id, extra) });
  const update = (id: ObjectIdentity, oldExtra: ObjectMetaView, extra: ObjectMetaView) =>
    graph.processChange({ type: 'update', identity: id, meta: meta(id, extra), oldMeta: meta(id, oldExtra) });
  const del = (id: ObjectIdentity, extra: ObjectMetaView = {}) => graph.processChange({ type: 'delete', identity: id, meta: meta(id, extra) });
  return { sink, graph, add, update, del };
}

describe('DependencyGraph', () => {
  it('links owners and dependents, creating a virtual owner until the owner is observed', () => {
    const { sink, graph, add } = setup();
    const d = deploy('web', 'd1');
    const r = rs('web-1', 'r1');
    add(r, { ownerReferences: [ref(d, { controller: true, blockOwnerDeletion: true })] });
    const owner = graph.get('d1')!;
    expect(owner.virtual).toBe(true);
    expect([...owner.dependents].map((n) => n.uid)).toEqual(['r1']);
    // The virtual owner is checked against the API server.
    expect(sink.deletes).toEqual(['d1']);
    sink.reset();
    add(d);
    expect(graph.get('d1')!.virtual).toBe(false);
    expect(graph.get('d1')).toBe(owner);
    expect(sink.deletes).toEqual([]);
  });

  it('queues the dependents of a deleted owner and remembers the owner as absent', () => {
    const { sink, graph, add, del } = setup();
    const d = deploy('web', 'd1');
    add(d);
    add(rs('a', 'r1'), { ownerReferences: [ref(d)] });
    add(rs('b', 'r2'), { ownerReferences: [ref(d)] });
    sink.reset();
    del(d);
    expect(graph.get('d1')).toBeUndefined();
    expect(sink.deletes.sort()).toEqual(['r1', 'r2']);
    expect(sink.absents).toEqual([d]);
  });

  it('starts a foreground deletion when the foregroundDeletion finalizer appears with a deletion timestamp', () => {
    const { sink, graph, add, update } = setup();
    const d = deploy('web', 'd1');
    add(d);
    add(rs('a', 'r1'), { ownerReferences: [ref(d, { blockOwnerDeletion: true })] });
    sink.reset();
    update(d, {}, { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    expect(graph.get('d1')!.deletingDependents).toBe(true);
    expect(sink.deletes).toEqual(['r1', 'd1']);
    expect(graph.get('d1')!.blockingDependents().map((n) => n.uid)).toEqual(['r1']);
    // A resync (same state again) does not start it again.
    sink.reset();
    update(d, { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }, { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    expect(sink.deletes).toEqual([]);
  });

  it('sees a deletion in progress on the first list (no old state)', () => {
    const { sink, graph, add } = setup();
    const d = deploy('web', 'd1');
    add(d, { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['orphan'] });
    expect(sink.orphans).toEqual(['d1']);
    expect(graph.get('d1')!.beingDeleted).toBe(true);
    const d2 = deploy('api', 'd2');
    add(d2, { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    expect(graph.get('d2')!.deletingDependents).toBe(true);
    expect(sink.deletes).toContain('d2');
  });

  it('queues the orphaning of an owner deleted with the orphan finalizer', () => {
    const { sink, add, update } = setup();
    const d = deploy('web', 'd1');
    add(d);
    sink.reset();
    update(d, {}, { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['orphan'] });
    expect(sink.orphans).toEqual(['d1']);
  });

  it('requeues an owner waiting for its dependents when a blocking reference goes or stops blocking', () => {
    const { sink, graph, add, update, del } = setup();
    const d = deploy('web', 'd1');
    add(d, { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    const r1 = rs('a', 'r1');
    const r2 = rs('b', 'r2');
    add(r1, { ownerReferences: [ref(d, { blockOwnerDeletion: true })] });
    add(r2, { ownerReferences: [ref(d, { blockOwnerDeletion: true })] });
    sink.reset();
    update(r1, { ownerReferences: [ref(d, { blockOwnerDeletion: true })] }, { ownerReferences: [ref(d, { blockOwnerDeletion: false })] });
    expect(sink.deletes).toEqual(['d1']);
    expect(graph.get('d1')!.blockingDependents().map((n) => n.uid)).toEqual(['r2']);
    sink.reset();
    del(r2, { ownerReferences: [ref(d, { blockOwnerDeletion: true })] });
    expect(sink.deletes).toEqual(['d1']);
    expect(graph.get('d1')!.blockingDependents()).toEqual([]);
    sink.reset();
    update(r1, { ownerReferences: [ref(d, { blockOwnerDeletion: false })] }, {});
    expect(graph.get('d1')!.dependents.size).toBe(0);
  });

  it('a virtual delete removes a virtual owner and queues its dependents', () => {
    const { sink, graph, add } = setup();
    const d = deploy('gone', 'd1');
    add(rs('a', 'r1'), { ownerReferences: [ref(d)] });
    sink.reset();
    graph.virtualDelete(graph.get('d1')!.identity);
    expect(graph.get('d1')).toBeUndefined();
    expect(sink.deletes).toEqual(['r1']);
    expect(sink.absents).toEqual([d]);
  });

  it('a virtual delete under other coordinates keeps an observed owner but queues the dependents that used them', () => {
    const { sink, graph, add } = setup();
    const d = deploy('web', 'd1');
    add(d);
    const wrong = { ...d, name: 'other' };
    add(rs('a', 'r1'), { ownerReferences: [ref(wrong)] });
    // The dependent names the uid with other coordinates: it is checked at once.
    expect(sink.deletes).toEqual(['r1']);
    sink.reset();
    graph.virtualDelete(wrong);
    expect(graph.get('d1')).toBeDefined();
    expect(sink.deletes).toEqual(['r1']);
    expect(sink.absents).toEqual([wrong]);
  });

  it('a virtual owner referred to under several coordinates switches to another identity when one is verified absent', () => {
    const { sink, graph, add } = setup();
    const a = deploy('one', 'd1');
    const b = { ...a, name: 'two' };
    add(rs('x', 'r1'), { ownerReferences: [ref(a)] });
    add(rs('y', 'r2'), { ownerReferences: [ref(b)] });
    sink.reset();
    graph.virtualDelete(a);
    const owner = graph.get('d1')!;
    expect(owner.identity.name).toBe('two');
    expect(sink.deletes).toEqual(['r1']);
    expect(sink.rateLimited).toEqual(['d1']);
  });

  it('reports a dependent referring to an observed owner of another namespace', () => {
    const { sink, add } = setup();
    const d = deploy('web', 'd1', 'ns1');
    add(d);
    sink.reset();
    add(rs('a', 'r1', 'ns2'), { ownerReferences: [ref(d)] });
    expect(sink.invalid).toEqual([['r1', 'd1']]);
    expect(sink.deletes).toEqual(['r1']);
  });

  it('lets namespaced dependents refer to cluster-scoped owners', () => {
    const { sink, graph, add } = setup();
    const node: ObjectIdentity = { apiVersion: 'v1', kind: 'Node', namespace: '', name: 'n1', uid: 'n1' };
    add(node);
    sink.reset();
    add(rs('a', 'r1', 'ns1'), { ownerReferences: [ref(node)] });
    add(rs('b', 'r2', 'ns2'), { ownerReferences: [ref(node)] });
    expect(sink.deletes).toEqual([]);
    expect(graph.get('n1')!.dependents.size).toBe(2);
  });

  it('updates the identity when an object is seen under another apiVersion', () => {
    const { graph, add, update } = setup();
    const d = deploy('web', 'd1');
    add(d);
    update({ ...d, apiVersion: 'apps/v2' }, {}, {});
    expect(graph.get('d1')!.identity.apiVersion).toBe('apps/v2');
  });
});

describe('graph helpers', () => {
  it('diffs owner references by uid', () => {
    const a = { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1' };
    const b = { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2' };
    const c = { apiVersion: 'v1', kind: 'C', name: 'c', uid: '3' };
    const diff = referencesDiff([a, b], [{ ...b, blockOwnerDeletion: true }, c]);
    expect(diff.added).toEqual([c]);
    expect(diff.removed).toEqual([a]);
    expect(diff.changed).toEqual([{ oldRef: b, newRef: { ...b, blockOwnerDeletion: true } }]);
    expect(referencesDiff([a], [{ ...a }])).toEqual({ added: [], removed: [], changed: [] });
  });

  it('tells when a deletion with a finalizer starts', () => {
    const deleting = { deletionTimestamp: 't', finalizers: ['orphan'] };
    expect(deletionStartsWithFinalizer(undefined, deleting, 'orphan')).toBe(true);
    expect(deletionStartsWithFinalizer({}, deleting, 'orphan')).toBe(true);
    expect(deletionStartsWithFinalizer(deleting, deleting, 'orphan')).toBe(false);
    expect(deletionStartsWithFinalizer({ deletionTimestamp: 't' }, deleting, 'orphan')).toBe(true);
    expect(deletionStartsWithFinalizer(undefined, { finalizers: ['orphan'] }, 'orphan')).toBe(false);
    expect(deletionStartsWithFinalizer(undefined, deleting, 'foregroundDeletion')).toBe(false);
  });

  it('partitions dependents by how they refer to an owner', () => {
    const owner = deploy('web', 'd1', 'ns1');
    const good = new GraphNode(rs('a', 'r1', 'ns1'), [ref(owner)], false);
    const otherName = new GraphNode(rs('b', 'r2', 'ns1'), [ref({ ...owner, name: 'x' })], false);
    const otherNs = new GraphNode(rs('c', 'r3', 'ns2'), [ref(owner)], false);
    const { matching, nonmatching } = partitionDependents([good, otherName, otherNs], owner);
    expect(matching.map((n) => n.uid)).toEqual(['r1']);
    expect(nonmatching.map((n) => n.uid)).toEqual(['r2', 'r3']);
  });

  it('finds the alternate identity following the absent one', () => {
    const absent = deploy('b', 'd1');
    const deps = [
      new GraphNode(rs('x', 'r1'), [ref({ ...absent, name: 'a' })], false),
      new GraphNode(rs('y', 'r2'), [ref({ ...absent, name: 'c' })], false),
      new GraphNode(rs('z', 'r3'), [ref(absent)], false),
    ];
    expect(alternateOwnerIdentity(deps, absent)?.name).toBe('c');
    expect(alternateOwnerIdentity(deps.slice(0, 1), absent)?.name).toBe('a');
    expect(alternateOwnerIdentity(deps.slice(2), absent)).toBeUndefined();
  });
});
