/**
 * The garbage collector on a real etcd + API server: Background, Foreground and Orphan deletion
 * of Deployment → ReplicaSet → Pod chains whose owner references the test sets by hand; several
 * owners; cluster-scoped owners; owners in another namespace; custom resources as owners and
 * dependents (CRDs created while the collector runs); concurrent writers; and no hot loop on a
 * reference the collector cannot resolve.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { OwnerReference } from '../../api/kinds/meta';
import { register, type GarbageCollector } from '../../controllers/garbagecollector';
import { Manager } from '../../controllers/runtime/manager';
import { RestClient } from '../../client/restClient';
import { startTestControlPlane, type TestControlPlane } from '../harness/apiserver';

// Polls have their own deadlines; a loaded machine (CI) must not cut them short.
jest.setTimeout(60_000);

let plane: TestControlPlane;
let manager: Manager;
let gc: GarbageCollector;
/** The collector's own client, so its requests can be counted. */
let gcClient: RestClient;

interface Obj extends KubeObject {
  metadata: NonNullable<KubeObject['metadata']> & { name: string; uid: string; resourceVersion: string };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function getObj(path: string): Promise<Obj | undefined> {
  const res = await plane.client.raw('GET', path);
  return res.status === 200 ? (res.json as Obj) : undefined;
}

const gone = (path: string, timeoutMs?: number) => until(`${path} gone`, async () => ((await plane.client.raw('GET', path)).status === 404 ? true : undefined), timeoutMs);

function ownerRef(owner: Obj, extra: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name, uid: owner.metadata.uid, ...extra };
}

const blocking = { controller: true, blockOwnerDeletion: true };

const deployments = (ns = 'default') => `/apis/apps/v1/namespaces/${ns}/deployments`;
const replicaSets = (ns = 'default') => `/apis/apps/v1/namespaces/${ns}/replicasets`;
const pods = (ns = 'default') => `/api/v1/namespaces/${ns}/pods`;
const configMaps = (ns = 'default') => `/api/v1/namespaces/${ns}/configmaps`;

const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

function createDeployment(name: string, ns = 'default'): Promise<Obj> {
  return plane.client.create<Obj>(deployments(ns), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: template(name) } });
}

function createReplicaSet(name: string, owners: OwnerReference[], ns = 'default'): Promise<Obj> {
  return plane.client.create<Obj>(replicaSets(ns), {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ownerReferences: owners },
    spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: template(name) },
  });
}

function createPod(name: string, owners: OwnerReference[], extra: { finalizers?: string[] } = {}, ns = 'default'): Promise<Obj> {
  return plane.client.create<Obj>(pods(ns), { apiVersion: 'v1', kind: 'Pod', metadata: { name, ownerReferences: owners, ...extra }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
}

function createConfigMap(name: string, owners: OwnerReference[] = [], ns = 'default'): Promise<Obj> {
  return plane.client.create<Obj>(configMaps(ns), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: owners }, data: { k: 'v' } });
}

async function createNamespace(name: string): Promise<void> {
  await plane.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** A chain Deployment → ReplicaSet → two Pods, every reference a blocking controller reference. */
async function chain(name: string, podExtra: { finalizers?: string[] } = {}) {
  const d = await createDeployment(name);
  const rs = await createReplicaSet(`${name}-rs`, [ownerRef(d, blocking)]);
  const p1 = await createPod(`${name}-p1`, [ownerRef(rs, blocking)], podExtra);
  const p2 = await createPod(`${name}-p2`, [ownerRef(rs, blocking)]);
  return { d, rs, p1, p2 };
}

// The control plane is started and stopped here, around the manager (a manager stopped after its
// API server would log failed watches).
beforeAll(async () => {
  plane = await startTestControlPlane();
  gcClient = new RestClient({ server: plane.url, rateLimit: false });
  manager = new Manager({ client: gcClient, name: 'gc-test', leaderElection: false });
  gc = register(manager, { discoveryPeriodMs: 2000 });
  await manager.start();
  await until('the garbage collector to sync', async () => (gc.isSynced ? true : undefined));
}, 60_000);

afterAll(async () => {
  await manager?.stop();
  await plane?.stop();
}, 60_000);

describe('garbage collector', () => {
  it('watches every deletable resource but events', () => {
    const watched = gc.monitoredResources();
    expect(watched).toEqual(expect.arrayContaining(['pods./v1', 'configmaps./v1', 'deployments.apps/v1', 'replicasets.apps/v1', 'namespaces./v1', 'nodes./v1']));
    expect(watched).not.toContain('events./v1');
  });

  it('Background: deleting the owner deletes the whole chain', async () => {
    const { d, rs, p1, p2 } = await chain('bg');
    await until('the graph to know the chain', async () => (gc.graph?.get(p2.metadata.uid) ? true : undefined));
    await plane.client.delete(`${deployments()}/${d.metadata.name}`, { propagationPolicy: 'Background' });
    await gone(`${replicaSets()}/${rs.metadata.name}`);
    await gone(`${pods()}/${p1.metadata.name}`);
    await gone(`${pods()}/${p2.metadata.name}`);
  });

  it('Foreground: the owner stays until its blocking dependents are gone, then goes', async () => {
    // One pod holds a finalizer of its own, so the chain cannot go at once.
    const { d, rs, p1, p2 } = await chain('fg', { finalizers: ['test.marina.dev/hold'] });
    await plane.client.delete(`${deployments()}/${d.metadata.name}`, { propagationPolicy: 'Foreground' });
    await gone(`${pods()}/${p2.metadata.name}`);
    // The ReplicaSet is deleted in the foreground too (it has dependents and blocks its owner).
    const rsNow = await until('the ReplicaSet to be deleting in the foreground', async () => {
      const o = await getObj(`${replicaSets()}/${rs.metadata.name}`);
      return o?.metadata.deletionTimestamp && o.metadata.finalizers?.includes('foregroundDeletion') ? o : undefined;
    });
    expect(rsNow.metadata.finalizers).toEqual(['foregroundDeletion']);
    const dNow = await getObj(`${deployments()}/${d.metadata.name}`);
    expect(dNow?.metadata.deletionTimestamp).toBeDefined();
    expect(dNow?.metadata.finalizers).toEqual(['foregroundDeletion']);
    const p1Now = await getObj(`${pods()}/${p1.metadata.name}`);
    expect(p1Now?.metadata.deletionTimestamp).toBeDefined();

    // Release the pod: everything goes, bottom up.
    await plane.client.patch(`${pods()}/${p1.metadata.name}`, { metadata: { finalizers: null } });
    await gone(`${pods()}/${p1.metadata.name}`);
    await gone(`${replicaSets()}/${rs.metadata.name}`);
    await gone(`${deployments()}/${d.metadata.name}`);
  });

  it('Foreground: dependents without blockOwnerDeletion do not hold the owner back', async () => {
    const d = await createDeployment('fg-nonblocking');
    const cm = await createConfigMap('fg-nonblocking-dep', [ownerRef(d)]);
    const holder = await createConfigMap('fg-nonblocking-held', [ownerRef(d)]);
    await plane.client.patch(`${configMaps()}/${holder.metadata.name}`, { metadata: { finalizers: ['test.marina.dev/hold'] } });
    await until('the graph to know the dependents', async () => (gc.graph?.get(holder.metadata.uid) ? true : undefined));
    await plane.client.delete(`${deployments()}/${d.metadata.name}`, { propagationPolicy: 'Foreground' });
    await gone(`${deployments()}/${d.metadata.name}`);
    await gone(`${configMaps()}/${cm.metadata.name}`);
    const held = await until('the held dependent to be deleting', async () => {
      const o = await getObj(`${configMaps()}/${holder.metadata.name}`);
      return o?.metadata.deletionTimestamp ? o : undefined;
    });
    expect(held.metadata.finalizers).toEqual(['test.marina.dev/hold']);
    await plane.client.patch(`${configMaps()}/${holder.metadata.name}`, { metadata: { finalizers: null } });
    await gone(`${configMaps()}/${holder.metadata.name}`);
  });

  it('Orphan: the dependents lose their reference to the owner and stay', async () => {
    const { d, rs, p1 } = await chain('orphan');
    await until('the graph to know the chain', async () => (gc.graph?.get(rs.metadata.uid)?.dependents.size === 2 ? true : undefined));
    await plane.client.delete(`${deployments()}/${d.metadata.name}`, { propagationPolicy: 'Orphan' });
    await gone(`${deployments()}/${d.metadata.name}`);
    const rsNow = await getObj(`${replicaSets()}/${rs.metadata.name}`);
    expect(rsNow).toBeDefined();
    expect(rsNow?.metadata.ownerReferences).toBeUndefined();
    expect(rsNow?.metadata.deletionTimestamp).toBeUndefined();
    // The pods keep their (live) owner.
    expect((await getObj(`${pods()}/${p1.metadata.name}`))?.metadata.ownerReferences?.[0]?.uid).toBe(rs.metadata.uid);
    // Orphans are not collected later either.
    await new Promise((r) => setTimeout(r, 500));
    expect(await getObj(`${replicaSets()}/${rs.metadata.name}`)).toBeDefined();
  });

  it('deletes dependents whose owner never existed, or was replaced by another object of the same name', async () => {
    const fakeOwner: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'never-there', uid: '00000000-0000-0000-0000-00000000dead' };
    const a = await createConfigMap('dangling-a', [fakeOwner]);
    const owner = await createConfigMap('replaced-owner');
    await plane.client.delete(`${configMaps()}/replaced-owner`);
    const again = await createConfigMap('replaced-owner');
    expect(again.metadata.uid).not.toBe(owner.metadata.uid);
    const b = await createConfigMap('dangling-b', [ownerRef(owner)]);
    await gone(`${configMaps()}/${a.metadata.name}`);
    await gone(`${configMaps()}/${b.metadata.name}`);
    expect(await getObj(`${configMaps()}/replaced-owner`)).toBeDefined();
  });

  it('keeps a dependent whose owner the collector does not watch but the API server has (live check)', async () => {
    // Events are never watched: the owner is only known from a live GET.
    const event = await plane.client.create<Obj>('/api/v1/namespaces/default/events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'owner-event' },
      involvedObject: { kind: 'ConfigMap', name: 'x', namespace: 'default' },
      reason: 'Test',
      message: 'an owner the collector does not cache',
      type: 'Normal',
    });
    const dep = await createConfigMap('owned-by-event', [ownerRef(event)]);
    await until('the graph to know the dependent', async () => (gc.graph?.get(dep.metadata.uid) ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await getObj(`${configMaps()}/${dep.metadata.name}`)).toBeDefined();
    await plane.client.delete(`/api/v1/namespaces/default/events/owner-event`);
    // The owner's deletion is not observed (events are not watched); the virtual owner is
    // re-checked with backoff and found gone.
    await gone(`${configMaps()}/${dep.metadata.name}`, 30_000);
  });

  it('deletes a dependent of several owners only once all are gone, trimming dangling references first', async () => {
    const a = await createConfigMap('multi-owner-a');
    const b = await createConfigMap('multi-owner-b');
    const dep = await createConfigMap('multi-dep', [ownerRef(a), ownerRef(b)]);
    await until('the graph to know the dependent', async () => (gc.graph?.get(dep.metadata.uid) ? true : undefined));
    await plane.client.delete(`${configMaps()}/${a.metadata.name}`);
    const trimmed = await until('the dangling reference to be removed', async () => {
      const o = await getObj(`${configMaps()}/${dep.metadata.name}`);
      return o?.metadata.ownerReferences?.length === 1 ? o : undefined;
    });
    expect(trimmed.metadata.ownerReferences?.[0]?.uid).toBe(b.metadata.uid);
    expect(trimmed.metadata.deletionTimestamp).toBeUndefined();
    await plane.client.delete(`${configMaps()}/${b.metadata.name}`);
    await gone(`${configMaps()}/${dep.metadata.name}`);
  });

  it('namespaced dependents of a cluster-scoped owner, in several namespaces', async () => {
    await createNamespace('gc-cluster-a');
    await createNamespace('gc-cluster-b');
    const node = await plane.client.create<Obj>('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-owner-node' } });
    const da = await createConfigMap('dep-of-node', [ownerRef(node)], 'gc-cluster-a');
    const db = await createConfigMap('dep-of-node', [ownerRef(node)], 'gc-cluster-b');
    await new Promise((r) => setTimeout(r, 500));
    expect(await getObj(`${configMaps('gc-cluster-a')}/dep-of-node`)).toBeDefined();
    expect(await getObj(`${configMaps('gc-cluster-b')}/dep-of-node`)).toBeDefined();
    await plane.client.delete('/api/v1/nodes/gc-owner-node');
    await gone(`${configMaps('gc-cluster-a')}/${da.metadata.name}`);
    await gone(`${configMaps('gc-cluster-b')}/${db.metadata.name}`);
  });

  it('a namespaced owner must be in the dependent’s namespace', async () => {
    await createNamespace('gc-ns-owner');
    await createNamespace('gc-ns-dep');
    const owner = await createConfigMap('owner', [], 'gc-ns-owner');
    await until('the graph to know the owner', async () => (gc.graph?.get(owner.metadata.uid)?.virtual === false ? true : undefined));
    const dep = await createConfigMap('dep', [ownerRef(owner)], 'gc-ns-dep');
    await gone(`${configMaps('gc-ns-dep')}/${dep.metadata.name}`);
    expect(await getObj(`${configMaps('gc-ns-owner')}/owner`)).toBeDefined();
    const events = await until('an OwnerRefInvalidNamespace event', async () => {
      const list = await plane.client.get<{ items: { reason: string; message: string; involvedObject: { name: string } }[] }>('/api/v1/namespaces/gc-ns-dep/events');
      const found = list.items.filter((e) => e.reason === 'OwnerRefInvalidNamespace');
      return found.length ? found : undefined;
    });
    expect(events[0]!.involvedObject.name).toBe('dep');
    expect(events[0]!.message).toContain('does not exist in namespace "gc-ns-dep"');
  });

  describe('custom resources', () => {
    const crd = (plural: string, kind: string, scope: 'Namespaced' | 'Cluster') => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.gc.marina.dev` },
      spec: {
        group: 'gc.marina.dev',
        scope,
        names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
      },
    });
    const widgets = (ns = 'default') => `/apis/gc.marina.dev/v1/namespaces/${ns}/widgets`;

    beforeAll(async () => {
      // Created while the collector runs: it must start watching them.
      await plane.client.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('widgets', 'Widget', 'Namespaced'));
      await plane.client.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('gizmos', 'Gizmo', 'Cluster'));
      await until('the collector to watch the custom resources', async () => {
        const watched = gc.monitoredResources();
        return watched.includes('widgets.gc.marina.dev/v1') && watched.includes('gizmos.gc.marina.dev/v1') ? true : undefined;
      });
    }, 30_000);

    const createWidget = (name: string, owners: OwnerReference[] = []) =>
      plane.client.create<Obj>(widgets(), { apiVersion: 'gc.marina.dev/v1', kind: 'Widget', metadata: { name, ownerReferences: owners }, spec: { size: 1 } });

    it('a custom resource owns a built-in object, and the other way round', async () => {
      const w = await createWidget('owner-widget');
      const cm = await createConfigMap('owned-by-widget', [ownerRef(w, blocking)]);
      const owner = await createConfigMap('owns-a-widget');
      const w2 = await createWidget('owned-widget', [ownerRef(owner)]);
      await until('the graph to know them', async () => (gc.graph?.get(cm.metadata.uid) && gc.graph?.get(w2.metadata.uid) ? true : undefined));
      await plane.client.delete(`${widgets()}/owner-widget`, { propagationPolicy: 'Foreground' });
      await gone(`${configMaps()}/${cm.metadata.name}`);
      await gone(`${widgets()}/owner-widget`);
      await plane.client.delete(`${configMaps()}/${owner.metadata.name}`);
      await gone(`${widgets()}/${w2.metadata.name}`);
    });

    it('a cluster-scoped custom resource owns namespaced custom resources; orphaning works on them', async () => {
      const gizmo = await plane.client.create<Obj>('/apis/gc.marina.dev/v1/gizmos', { apiVersion: 'gc.marina.dev/v1', kind: 'Gizmo', metadata: { name: 'big-gizmo' } });
      const kept = await createWidget('gizmo-part-kept', [ownerRef(gizmo)]);
      await until('the graph to know the part', async () => (gc.graph?.get(gizmo.metadata.uid)?.dependents.size === 1 ? true : undefined));
      await plane.client.delete('/apis/gc.marina.dev/v1/gizmos/big-gizmo', { propagationPolicy: 'Orphan' });
      await gone('/apis/gc.marina.dev/v1/gizmos/big-gizmo');
      expect((await getObj(`${widgets()}/${kept.metadata.name}`))?.metadata.ownerReferences).toBeUndefined();

      const gizmo2 = await plane.client.create<Obj>('/apis/gc.marina.dev/v1/gizmos', { apiVersion: 'gc.marina.dev/v1', kind: 'Gizmo', metadata: { name: 'big-gizmo-2' } });
      const part = await createWidget('gizmo-part', [ownerRef(gizmo2)]);
      await until('the graph to know the part', async () => (gc.graph?.get(part.metadata.uid) ? true : undefined));
      await plane.client.delete('/apis/gc.marina.dev/v1/gizmos/big-gizmo-2');
      await gone(`${widgets()}/${part.metadata.name}`);
    });

    it('stops watching a custom resource whose CRD is deleted', async () => {
      await plane.client.delete('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.gc.marina.dev');
      await until('the collector to stop watching gizmos', async () => (gc.monitoredResources().includes('gizmos.gc.marina.dev/v1') ? undefined : true), 30_000);
    });
  });

  it('retries past concurrent writers (409 Conflict) until the dependent is deleted', async () => {
    const owner = await createConfigMap('busy-owner');
    const dep = await createConfigMap('busy-dep', [ownerRef(owner)]);
    await until('the graph to know the dependent', async () => (gc.graph?.get(dep.metadata.uid) ? true : undefined));
    // Another writer keeps changing the dependent while the collector works on it.
    let stop = false;
    let writes = 0;
    const writer = (async () => {
      while (!stop) {
        const res = await plane.client.raw('PATCH', `${configMaps()}/busy-dep`, { body: { metadata: { labels: { n: String(writes++) } } }, contentType: 'application/merge-patch+json' });
        if (res.status === 404) return;
      }
    })();
    await plane.client.delete(`${configMaps()}/busy-owner`);
    await new Promise((r) => setTimeout(r, 700));
    stop = true;
    await writer;
    await gone(`${configMaps()}/busy-dep`);
    expect(writes).toBeGreaterThan(0);
  });

  it('backs off on a reference it cannot resolve (no hot loop)', async () => {
    const ghost: OwnerReference = { apiVersion: 'ghosts.marina.dev/v1', kind: 'Ghost', name: 'boo', uid: '00000000-0000-0000-0000-000000000b00' };
    const dep = await createConfigMap('haunted', [ghost]);
    await until('the graph to know the dependent', async () => (gc.graph?.get(dep.metadata.uid) ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    const before = gcClient.requestCount;
    await new Promise((r) => setTimeout(r, 3000));
    const sent = gcClient.requestCount - before;
    // Discovery is re-read at most every 2 s for unknown kinds (about a dozen requests each),
    // and the item itself backs off exponentially.
    expect(sent).toBeLessThan(80);
    // An unknown owner kind is never taken for an absent owner.
    expect(await getObj(`${configMaps()}/haunted`)).toBeDefined();
  });
});
