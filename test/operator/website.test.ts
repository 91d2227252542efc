/**
 * The example WebSite operator (examples/website-operator) against a real etcd + API server
 * (envtest), with the Deployment, ReplicaSet and garbage collector controllers running and pods
 * reported Running/Ready by a pod runner: a WebSite becomes a ConfigMap, a Deployment and a
 * Service it owns; its status follows the Deployment; content changes, ConfigMap references and
 * `kubectl scale` are followed; deletion runs the finalizer (the registry entry) and the garbage
 * collector removes the rest; invalid WebSites are refused with 422 and field paths.
 */
import { join } from 'node:path';
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ConfigMap } from '../../api/kinds/core/configMap';
import type { Service } from '../../api/kinds/core/service';
import type { Condition } from '../../api/kinds/meta';
import { isStatusError, type StatusError } from '../../api/status';
import { busyboxImageRef } from '../../kubelet/images/busybox';
import { configMapsGvr, defaultImage, deploymentsGvr, finalizerName, servicesGvr } from '../../examples/website-operator/controller';
import { registryName } from '../../examples/website-operator/registry';
import { contentHashAnnotation } from '../../examples/website-operator/resources';
import { newWebSite, webSitesGvr, type WebSite, type WebSiteSpec } from '../../examples/website-operator/types';
import { createNamespace, eventually } from '../client/helpers';
import { eventsAbout, reconcileCount, repoRoot, startOperatorEnvironment, type OperatorEnvironment } from './operatorHarness';

jest.setTimeout(60_000);

let op: OperatorEnvironment;
beforeAll(async () => {
  op = await startOperatorEnvironment();
}, 60_000);
afterAll(async () => {
  await op?.stop();
}, 60_000);

const ns = () => op.namespace;
const sites = () => op.client.resource<WebSite>(webSitesGvr, ns());
const deployments = () => op.client.resource<Deployment>(deploymentsGvr, ns());
const services = () => op.client.resource<Service>(servicesGvr, ns());
const configMaps = (namespace = ns()) => op.client.resource<ConfigMap>(configMapsGvr, namespace);

/** The object, or undefined when it does not exist. */
async function find<T>(get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (isStatusError(err, 404)) return undefined;
    throw err;
  }
}

const condition = (site: WebSite, type: string): Condition | undefined => site.status?.conditions?.find((c) => c.type === type);

/** Waits until the site's status describes its current generation and `check` holds. */
function statusWhere(name: string, what: string, check: (s: WebSite) => boolean): Promise<WebSite> {
  return eventually(
    `WebSite ${name}: ${what}`,
    async () => {
      const site = await sites().get(name);
      return site.status?.observedGeneration === site.metadata.generation && check(site) ? site : undefined;
    },
    20_000,
  );
}

const available = (replicas: number) => (s: WebSite) => s.status?.availableReplicas === replicas && condition(s, 'Available')?.status === 'True' && condition(s, 'Progressing')?.status === 'False';

async function createSite(name: string, spec: WebSiteSpec): Promise<WebSite> {
  return sites().create(newWebSite(name, spec));
}

describe('the WebSite operator', () => {
  it('makes a ConfigMap, a Deployment and a Service owned by the WebSite, and reports status', async () => {
    const created = await createSite('hello', { content: '<h1>Hello</h1>', replicas: 2 });
    // The API server applied the CRD's defaults.
    expect(created.spec).toEqual({ content: '<h1>Hello</h1>', replicas: 2, port: 8080 });

    const site = await statusWhere('hello', 'available with 2 replicas', available(2));
    expect(site.metadata.finalizers).toEqual([finalizerName]);
    expect(site.status).toMatchObject({ observedGeneration: 1, availableReplicas: 2, address: `hello.${ns()}.svc:8080` });
    expect(site.status?.selector).toBe('app.kubernetes.io/name=website,app.kubernetes.io/instance=hello');
    expect(condition(site, 'Degraded')).toMatchObject({ status: 'False', reason: 'AsExpected', observedGeneration: 1 });
    expect(condition(site, 'Available')).toMatchObject({ reason: 'MinimumReplicasAvailable', message: '2 of 2 replicas available' });

    const owner = { apiVersion: 'examples.marina.dev/v1', kind: 'WebSite', name: 'hello', uid: site.metadata.uid, controller: true, blockOwnerDeletion: true };
    const cm = await configMaps().get('hello-content');
    expect(cm.data).toEqual({ 'index.html': '<h1>Hello</h1>' });
    expect(cm.metadata?.ownerReferences).toEqual([owner]);

    const d = await deployments().get('hello');
    expect(d.metadata?.ownerReferences).toEqual([owner]);
    expect(d.spec?.replicas).toBe(2);
    const container = d.spec?.template.spec?.containers[0];
    expect(defaultImage).toBe(busyboxImageRef);
    expect(container).toMatchObject({ name: 'httpd', image: busyboxImageRef, command: ['httpd', '-f', '-p', '8080', '-h', '/www'], volumeMounts: [{ name: 'content', mountPath: '/www', readOnly: true }] });
    expect(d.spec?.template.spec?.volumes).toEqual([{ name: 'content', configMap: { name: 'hello-content', items: [{ key: 'index.html', path: 'index.html' }], defaultMode: 0o644 } }]);

    const svc = await services().get('hello');
    expect(svc.metadata?.ownerReferences).toEqual([owner]);
    expect(svc.spec?.selector).toEqual({ 'app.kubernetes.io/name': 'website', 'app.kubernetes.io/instance': 'hello' });
    expect(svc.spec?.ports).toEqual([expect.objectContaining({ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' })]);

    // The registry (outside owner references) lists the site.
    expect((await configMaps(op.operatorNamespace).get(registryName)).data).toMatchObject({ [`${ns()}.hello`]: `hello.${ns()}.svc:8080` });
    const events = await eventually('events', async () => {
      const e = await eventsAbout(op.client, ns(), 'WebSite', 'hello');
      return e.length >= 3 ? e : undefined;
    });
    expect(events).toEqual(expect.arrayContaining(['Normal Created: ConfigMap hello-content created', 'Normal Created: Deployment hello created', 'Normal Created: Service hello created']));

    // Nothing changes: a new reconcile (for an annotation) writes nothing.
    const deploymentVersion = (await deployments().get('hello')).metadata?.resourceVersion;
    const reconciles = reconcileCount(op.operator);
    const annotated = await sites().patch('hello', { metadata: { annotations: { touched: 'yes' } } });
    await eventually('a reconcile after the annotation', async () => (reconcileCount(op.operator) > reconciles ? true : undefined));
    expect((await deployments().get('hello')).metadata?.resourceVersion).toBe(deploymentVersion);
    expect((await sites().get('hello')).metadata.resourceVersion).toBe(annotated.metadata.resourceVersion);
  });

  it('recreates an owned object that is deleted', async () => {
    const svc = await services().get('hello');
    await services().delete('hello');
    await eventually('the Service again', async () => {
      const again = await find(() => services().get('hello'));
      return again && again.metadata?.uid !== svc.metadata?.uid ? again : undefined;
    });
  });

  it('follows a content change: new ConfigMap data, and a new pod template (rollout)', async () => {
    const hashBefore = (await deployments().get('hello')).spec?.template.metadata?.annotations?.[contentHashAnnotation];
    const changed = await sites().patch('hello', { spec: { content: '<h1>Hello again</h1>' } });
    expect(changed.metadata.generation).toBe(2);
    await eventually('the new content', async () => ((await configMaps().get('hello-content')).data?.['index.html'] === '<h1>Hello again</h1>' ? true : undefined));
    const d = await eventually('a new pod template', async () => {
      const dep = await deployments().get('hello');
      const hash = dep.spec?.template.metadata?.annotations?.[contentHashAnnotation];
      return hash && hash !== hashBefore ? dep : undefined;
    });
    expect(d.metadata?.generation).toBeGreaterThan(1);
    const site = await statusWhere('hello', 'rolled out again', available(2));
    expect(site.status?.observedGeneration).toBe(2);
  });

  it('scales with `kubectl scale` (the scale subresource), and prints its columns in `kubectl get`', async () => {
    const scaled = await op.kubectl.run(['scale', 'website/hello', '--replicas=3', '-n', ns()]);
    expect(scaled).toMatchObject({ code: 0, stdout: 'website.examples.marina.dev/hello scaled\n' });
    await eventually('the Deployment scaled', async () => ((await deployments().get('hello')).spec?.replicas === 3 ? true : undefined));
    await statusWhere('hello', 'available with 3 replicas', available(3));
    const scale = await op.client.get<{ spec: { replicas: number }; status: { replicas: number; selector: string } }>(sites().path('hello', 'scale'));
    expect(scale.spec.replicas).toBe(3);
    expect(scale.status).toEqual({ replicas: 3, selector: 'app.kubernetes.io/name=website,app.kubernetes.io/instance=hello' });

    const table = await op.kubectl.run(['get', 'websites', '-n', ns()]);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.trim().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'REPLICAS', 'AVAILABLE', 'ADDRESS', 'AGE']);
    expect(row!.split(/\s{2,}/).slice(0, 4)).toEqual(['hello', '3', '3', `hello.${ns()}.svc:8080`]);
    // The short name and the `all` category.
    expect((await op.kubectl.run(['get', 'ws', '-n', ns(), '-o', 'name'])).stdout).toBe('website.examples.marina.dev/hello\n');
    expect((await op.kubectl.run(['get', 'all', '-n', ns(), '-o', 'name'])).stdout).toContain('website.examples.marina.dev/hello\n');
  });

  it('serves a referenced ConfigMap: Degraded until it exists, then follows its changes', async () => {
    await createSite('ref', { configMapRef: { name: 'ref-page' } });
    const degraded = await statusWhere('ref', 'Degraded', (s) => condition(s, 'Degraded')?.status === 'True');
    expect(degraded.spec.configMapRef).toEqual({ name: 'ref-page', key: 'index.html' });
    expect(condition(degraded, 'Degraded')).toMatchObject({ reason: 'ConfigMapNotFound', message: `ConfigMap ${ns()}/ref-page not found` });
    expect(condition(degraded, 'Available')?.status).toBe('False');
    await eventually('a Warning event', async () => ((await eventsAbout(op.client, ns(), 'WebSite', 'ref')).includes(`Warning ConfigMapNotFound: ConfigMap ${ns()}/ref-page not found`) ? true : undefined));
    expect(await find(() => deployments().get('ref'))).toBeUndefined();

    // The ConfigMap appears: the watch on ConfigMaps brings the site back.
    await configMaps().create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ref-page' }, data: { 'index.html': 'v1' } });
    await statusWhere('ref', 'available', (s) => available(1)(s) && condition(s, 'Degraded')?.status === 'False');
    const d = await deployments().get('ref');
    expect(d.spec?.template.spec?.volumes?.[0]?.configMap).toMatchObject({ name: 'ref-page', items: [{ key: 'index.html', path: 'index.html' }] });
    // The referenced ConfigMap is the user's: the operator does not own it.
    expect((await configMaps().get('ref-page')).metadata?.ownerReferences).toBeUndefined();
    expect(await find(() => configMaps().get('ref-content'))).toBeUndefined();

    // Its content changes: the pods are rolled (a new content hash).
    const hash = d.spec?.template.metadata?.annotations?.[contentHashAnnotation];
    await configMaps().patch('ref-page', { data: { 'index.html': 'v2' } });
    await eventually('a new content hash', async () => {
      const h = (await deployments().get('ref')).spec?.template.metadata?.annotations?.[contentHashAnnotation];
      return h && h !== hash ? true : undefined;
    });
  });

  it('on delete, runs the finalizer (the registry entry goes) and the garbage collector removes what the site owned', async () => {
    await createSite('bye', { content: 'bye', replicas: 1 });
    await statusWhere('bye', 'available', available(1));
    const registry = () => configMaps(op.operatorNamespace).get(registryName);
    expect((await registry()).data?.[`${ns()}.bye`]).toBe(`bye.${ns()}.svc:8080`);

    await sites().delete('bye');
    await eventually('the WebSite gone', async () => ((await find(() => sites().get('bye'))) === undefined ? true : undefined));
    expect((await registry()).data?.[`${ns()}.bye`]).toBeUndefined();
    // Other sites keep their entries.
    expect((await registry()).data?.[`${ns()}.hello`]).toBeDefined();
    await eventually(
      'the owned objects collected',
      async () => {
        const left = await Promise.all([find(() => configMaps().get('bye-content')), find(() => deployments().get('bye')), find(() => services().get('bye'))]);
        return left.every((o) => o === undefined) ? true : undefined;
      },
      30_000,
    );
  });
});

describe('the example manifest', () => {
  it('examples/website-operator/website.yaml applies: a site with content, and one serving a ConfigMap on port 9000', async () => {
    await createNamespace(op.client, 'examples');
    const applied = await op.kubectl.run(['apply', '-n', 'examples', '-f', join(repoRoot, 'examples/website-operator/website.yaml')]);
    expect(applied.stdout).toBe('website.examples.marina.dev/hello created\nconfigmap/docs-page created\nwebsite.examples.marina.dev/docs created\n');
    const inExamples = op.client.resource<Deployment>(deploymentsGvr, 'examples');
    const docs = await eventually('the docs Deployment', () => find(() => inExamples.get('docs')));
    expect(docs.spec?.template.spec?.containers[0]?.command).toEqual(['httpd', '-f', '-p', '9000', '-h', '/www']);
    expect(docs.spec?.template.spec?.volumes?.[0]?.configMap?.name).toBe('docs-page');
    expect((await eventually('the hello Deployment', () => find(() => inExamples.get('hello')))).spec?.replicas).toBe(2);
  });
});

describe('invalid WebSites', () => {
  /** Creates the site and returns the 422's causes as "field: message"; asserts nothing was stored. */
  async function refused(name: string, body: Record<string, unknown>): Promise<string[]> {
    const err = await sites()
      .create({ apiVersion: 'examples.marina.dev/v1', kind: 'WebSite', metadata: { name }, ...body } as WebSite)
      .then(
        () => undefined,
        (e: unknown) => e as StatusError,
      );
    expect(err?.code).toBe(422);
    expect(err?.reason).toBe('Invalid');
    expect(await find(() => sites().get(name))).toBeUndefined();
    return (err?.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }

  it('CEL rules: exactly one of content and configMapRef, the port, the name', async () => {
    expect(await refused('both', { spec: { content: 'x', configMapRef: { name: 'c' } } })).toEqual([
      'spec: Invalid value: "object": exactly one of spec.content and spec.configMapRef must be set',
    ]);
    expect(await refused('neither', { spec: { replicas: 1 } })).toEqual(['spec: Invalid value: "object": exactly one of spec.content and spec.configMapRef must be set']);
    expect(await refused('lowport', { spec: { content: 'x', port: 80 } })).toEqual(['spec.port: Invalid value: "integer": port 80 is privileged: use 1024 or above']);
    // A rule at the root of the schema reports the root (`<nil>`), as Kubernetes does.
    expect(await refused('1st-site', { spec: { content: 'x' } })).toEqual([
      `<nil>: Invalid value: "object": metadata.name must be a DNS-1035 label (lower case letters, digits and '-', at most 63 characters): it names the site's Service`,
    ]);
  });

  it('type errors and bounds', async () => {
    expect(await refused('types', { spec: { content: 'x', replicas: 'two', port: 70000 } })).toEqual(
      expect.arrayContaining([
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
        'spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535',
      ]),
    );
    expect(await refused('negative', { spec: { content: 'x', replicas: -1 } })).toEqual(
      expect.arrayContaining(['spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0']),
    );
  });

  it('missing required fields', async () => {
    expect(await refused('nospec', {})).toEqual(['spec: Required value']);
    expect(await refused('noname', { spec: { configMapRef: { key: 'k' } } })).toEqual(expect.arrayContaining(['spec.configMapRef.name: Required value']));
  });
});
