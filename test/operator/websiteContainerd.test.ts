/**
 * The WebSite operator end to end on a real node: a node agent on a private containerd with the
 * busybox image imported and a pod network of its own, the Deployment, ReplicaSet and garbage
 * collector controllers, and a binder placing every pod on the node (standing in for the
 * scheduler). The site's pods serve its content at their pod IPs; a content change rolls them;
 * a scale adds one; deleting the site removes the registry entry, the pods and the rest.
 */
import type { Pod } from '../../api/kinds/core/pod';
import { isStatusError } from '../../api/status';
import { RestClient, type Watch } from '../../client/restClient';
import { builtinControllers } from '../../controllers/index';
import { startEnvironment, type TestEnvironment } from '../../controllers/runtime/envtest';
import { Manager } from '../../controllers/runtime/manager';
import { addWebSiteController } from '../../examples/website-operator/controller';
import { registryName } from '../../examples/website-operator/registry';
import { newWebSite, webSitesGvr, type WebSite } from '../../examples/website-operator/types';
import { startKubelet, type RunningKubelet } from '../../kubelet/kubelet';
import { eventually } from '../client/helpers';
import { useCtrRuntime } from '../harness/containerd';
import { tempDir } from '../harness/tmp';
import { webSiteCrd } from './operatorHarness';

jest.setTimeout(90_000);

const rt = useCtrRuntime();
const nodeName = 'web-node';
const podsGvr = { group: '', version: 'v1', resource: 'pods' };
let env: TestEnvironment;
const stops: (() => Promise<unknown>)[] = [];

/** Bindings that failed for another reason than a pod already bound or gone (the test expects none). */
const bindErrors: unknown[] = [];

/** Binds every unbound pod of the namespace to the node, as the scheduler would. */
async function startBinder(client: RestClient, namespace: string): Promise<Watch> {
  const pods = client.resource<Pod>(podsGvr, namespace);
  return pods.watch({}, (event) => {
    const pod = event.object;
    if (event.type !== 'ADDED' || !pod.metadata?.name || pod.spec?.nodeName) return;
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name }, target: { kind: 'Node', name: nodeName } };
    client.create(`${pods.path(pod.metadata.name)}/binding`, binding).catch((err: unknown) => {
      if (!isStatusError(err, 409) && !isStatusError(err, 404)) bindErrors.push(err);
    });
  });
}

beforeAll(async () => {
  env = await startEnvironment({ crds: [webSiteCrd()] });
  stops.push(() => env.stop());
  const root = await tempDir('website-node');
  stops.push(() => root.remove());
  const kubelet: RunningKubelet = await startKubelet({ client: new RestClient({ server: env.url, rateLimit: false }), nodeName, runtime: rt.runtime, rootDir: root.path, port: 0, podCIDR: rt.podCidr });
  stops.push(() => kubelet.stop());
  const binder = await startBinder(env.client, 'default');
  stops.push(async () => binder.close());

  const cluster = new Manager({ client: new RestClient({ server: env.url, rateLimit: false }), name: 'cluster-controllers', leaderElection: false });
  for (const c of builtinControllers) if (['deployment', 'replicaset', 'garbagecollector'].includes(c.name)) c.register(cluster);
  await cluster.start();
  stops.push(() => cluster.stop());
  const operator = new Manager({ client: new RestClient({ server: env.url, rateLimit: false }), name: 'website-operator', leaderElection: false });
  // The operator's default image is the one imported into the node's containerd.
  addWebSiteController(operator, { registryNamespace: 'default' });
  expect(rt.image).toBe('marina.local/busybox:latest');
  await operator.start();
  stops.push(() => operator.stop());
}, 90_000);

afterAll(async () => {
  // Everything this file started, newest first (useCtrRuntime's own afterAll removes the containers and stops containerd).
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
}, 90_000);

const sites = () => env.client.resource<WebSite>(webSitesGvr, 'default');
const sitePods = async (name: string) =>
  (await env.client.resource<Pod>(podsGvr, 'default').list({ labelSelector: `app.kubernetes.io/instance=${name}` })).items.filter((p) => !p.metadata?.deletionTimestamp);

/** What each pod of the site serves at http://<pod IP>:<port>/ once `count` pods are Ready (else undefined). */
async function served(name: string, count: number, port = 8080): Promise<string[] | undefined> {
  const pods = await sitePods(name);
  const ready = pods.filter((p) => p.status?.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (pods.length !== count || ready.length !== count) return undefined;
  return Promise.all(ready.map(async (p) => (await fetch(`http://${p.status!.podIP}:${port}/`, { signal: AbortSignal.timeout(5000) })).text()));
}

const allServe = (name: string, count: number, content: string) =>
  eventually(`${count} pods of ${name} serving ${JSON.stringify(content)}`, async () => ((await served(name, count))?.every((c) => c === content) ? true : undefined), 45_000);

test('a WebSite is served at its pods’ IPs, follows a content change and a scale, reports status, and is cleaned up on delete', async () => {
  await sites().create(newWebSite('site', { content: 'version 1\n' }));
  await allServe('site', 1, 'version 1\n');
  await eventually('status Available', async () => {
    const s = await sites().get('site');
    return s.status?.availableReplicas === 1 && s.status.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ? s : undefined;
  });

  // A content change rolls the pod: the new one serves the new page.
  await sites().patch('site', { spec: { content: 'version 2\n' } });
  await allServe('site', 1, 'version 2\n');

  // A scale: two pods serve it.
  await env.client.call('PATCH', sites().path('site', 'scale'), { body: { spec: { replicas: 2 } }, contentType: 'application/merge-patch+json' });
  await allServe('site', 2, 'version 2\n');
  const status = await eventually('status with 2 available', async () => {
    const s = await sites().get('site');
    return s.status?.availableReplicas === 2 && s.status.observedGeneration === s.metadata.generation ? s.status : undefined;
  });
  expect(status.address).toBe('site.default.svc:8080');

  // Delete: the finalizer's cleanup, then the garbage collector and the node agent remove the rest.
  await sites().delete('site');
  await eventually('the site gone', async () => ((await env.client.raw('GET', sites().path('site'))).status === 404 ? true : undefined), 20_000);
  const registry = await env.client.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/default/configmaps/${registryName}`);
  expect(registry.data?.['default.site']).toBeUndefined();
  await eventually(
    'the pods gone',
    async () => ((await env.client.resource<Pod>(podsGvr, 'default').list({ labelSelector: 'app.kubernetes.io/instance=site' })).items.length === 0 ? true : undefined),
    45_000,
  );
  expect(bindErrors).toEqual([]);
  for (const path of ['/apis/apps/v1/namespaces/default/deployments/site', '/api/v1/namespaces/default/services/site', '/api/v1/namespaces/default/configmaps/site-content']) {
    expect((await env.client.raw('GET', path)).status).toBe(404);
  }
});
