/**
 * The namespace controller on a real etcd + API server: `kubectl delete namespace` returns once the
 * namespace and everything in it (pods, configmaps, a deployment, a custom resource) are gone;
 * content held by finalizers keeps the namespace Terminating with Kubernetes' conditions until
 * released; a concurrent writer does not stop it; content that never goes does not cause a hot loop.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { RestClient } from '../../client/restClient';
import { register as registerGarbageCollector } from '../../controllers/garbagecollector';
import { register as registerNamespaceController } from '../../controllers/namespace';
import { Manager } from '../../controllers/runtime/manager';
import { startTestControlPlane, type TestControlPlane } from '../harness/apiserver';
import { createKubectl, type Kubectl } from '../harness/kubectl';

// Polls have their own deadlines; a loaded machine (CI) must not cut them short.
jest.setTimeout(60_000);

let plane: TestControlPlane;
let manager: Manager;
let managerClient: RestClient;
let kubectl: Kubectl;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface NamespaceObj extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: Condition[] };
}

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.ns.marina.dev' },
  spec: {
    group: 'ns.marina.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
  },
};

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const status = async (path: string) => (await plane.client.raw('GET', path)).status;
const getNs = async (name: string) => {
  const res = await plane.client.raw('GET', `/api/v1/namespaces/${name}`);
  return res.status === 200 ? (res.json as NamespaceObj) : undefined;
};
const condition = (ns: NamespaceObj | undefined, type: string) => ns?.status?.conditions?.find((c) => c.type === type);

async function fillNamespace(ns: string, widgetFinalizers: string[] = []): Promise<void> {
  await plane.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await plane.client.create(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'cm' }, data: { a: 'b' } });
  await plane.client.create(`/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'pod' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await plane.client.create(`/apis/apps/v1/namespaces/${ns}/deployments`, {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  await plane.client.create(`/apis/ns.marina.dev/v1/namespaces/${ns}/widgets`, {
    apiVersion: 'ns.marina.dev/v1',
    kind: 'Widget',
    metadata: { name: 'w', ...(widgetFinalizers.length ? { finalizers: widgetFinalizers } : {}) },
    spec: { size: 3 },
  });
}

const contentPaths = (ns: string) => [
  `/api/v1/namespaces/${ns}/configmaps/cm`,
  `/api/v1/namespaces/${ns}/pods/pod`,
  `/apis/apps/v1/namespaces/${ns}/deployments/web`,
  `/apis/ns.marina.dev/v1/namespaces/${ns}/widgets/w`,
];

beforeAll(async () => {
  plane = await startTestControlPlane();
  await plane.client.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  await until('the CRD to be served', async () => ((await status('/apis/ns.marina.dev/v1/widgets')) === 200 ? true : undefined));
  managerClient = new RestClient({ server: plane.url, rateLimit: false });
  manager = new Manager({ client: managerClient, name: 'ns-test', leaderElection: false });
  registerNamespaceController(manager, { maxRequeueMs: 1000 });
  registerGarbageCollector(manager);
  await manager.start();
  kubectl = await createKubectl(plane.url);
}, 60_000);

afterAll(async () => {
  await kubectl?.dispose();
  await manager?.stop();
  await plane?.stop();
}, 60_000);

describe('namespace controller', () => {
  it('kubectl delete namespace returns once the namespace and its content are gone', async () => {
    await fillNamespace('doomed');
    const result = await kubectl.run(['delete', 'namespace', 'doomed', '--timeout=60s']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('namespace "doomed" deleted');
    expect(await status('/api/v1/namespaces/doomed')).toBe(404);
    for (const path of contentPaths('doomed')) expect(await status(path)).toBe(404);
  });

  it('waits for content held by finalizers, reporting it in the conditions, and goes once it is released', async () => {
    await fillNamespace('held', ['test.marina.dev/hold']);
    await plane.client.delete('/api/v1/namespaces/held');
    const ns = await until('the conditions to report the held widget', async () => {
      const n = await getNs('held');
      return condition(n, 'NamespaceFinalizersRemaining')?.status === 'True' ? n : undefined;
    });
    expect(ns.status?.phase).toBe('Terminating');
    expect(ns.spec?.finalizers).toEqual(['kubernetes']);
    expect(condition(ns, 'NamespaceFinalizersRemaining')).toMatchObject({
      reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: test.marina.dev/hold in 1 resource instances',
    });
    expect(condition(ns, 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: widgets.ns.marina.dev has 1 resource instances',
    });
    expect(condition(ns, 'NamespaceDeletionDiscoveryFailure')).toMatchObject({ status: 'False', reason: 'ResourcesDiscovered' });
    expect(condition(ns, 'NamespaceDeletionContentFailure')).toMatchObject({ status: 'False', reason: 'ContentDeleted' });
    // Everything else is gone already; the widget is marked.
    for (const path of contentPaths('held').slice(0, 3)) expect(await status(path)).toBe(404);
    const widgetPath = '/apis/ns.marina.dev/v1/namespaces/held/widgets/w';
    expect(((await plane.client.get(widgetPath)) as KubeObject).metadata?.deletionTimestamp).toBeDefined();

    // Another writer changes the namespace meanwhile: the controller's writes retry on conflict.
    for (let i = 0; i < 5; i++) await plane.client.patch('/api/v1/namespaces/held', { metadata: { labels: { touched: String(i) } } });

    await plane.client.patch(widgetPath, { metadata: { finalizers: null } });
    await until('the namespace to go', async () => ((await status('/api/v1/namespaces/held')) === 404 ? true : undefined));
  });

  it('content that never goes does not cause a hot loop', async () => {
    await plane.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'stuck' } });
    await plane.client.create('/apis/ns.marina.dev/v1/namespaces/stuck/widgets', {
      apiVersion: 'ns.marina.dev/v1',
      kind: 'Widget',
      metadata: { name: 'forever', finalizers: ['test.marina.dev/never'] },
    });
    await plane.client.delete('/api/v1/namespaces/stuck');
    await until('the conditions to report the stuck widget', async () => (condition(await getNs('stuck'), 'NamespaceFinalizersRemaining')?.status === 'True' ? true : undefined));
    const before = managerClient.requestCount;
    await new Promise((r) => setTimeout(r, 3000));
    const sent = managerClient.requestCount - before;
    // A pass is discovery plus a deletecollection and a list per namespaced resource (about 60
    // requests), repeated every second at most here (maxRequeueMs).
    expect(sent).toBeLessThan(300);
    expect((await getNs('stuck'))?.status?.phase).toBe('Terminating');
    await plane.client.patch('/apis/ns.marina.dev/v1/namespaces/stuck/widgets/forever', { metadata: { finalizers: null } });
    await until('the namespace to go', async () => ((await status('/api/v1/namespaces/stuck')) === 404 ? true : undefined));
  });

  it('leaves namespaces that are not being deleted alone', async () => {
    await plane.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'alive' } });
    await plane.client.create('/api/v1/namespaces/alive/configmaps', { metadata: { name: 'cm' } });
    await new Promise((r) => setTimeout(r, 500));
    expect(await status('/api/v1/namespaces/alive/configmaps/cm')).toBe(200);
    expect((await getNs('alive'))?.status?.conditions).toBeUndefined();
  });
});
