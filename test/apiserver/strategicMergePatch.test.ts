/**
 * Strategic merge patch over HTTP (PATCH with Content-Type application/strategic-merge-patch+json)
 * on Pods, Deployments and ConfigMaps; 415 for custom resources; and the real kubectl: `kubectl
 * patch` (strategic by default, --type=merge, --type=json) and the client-side apply cycle, whose
 * three-way patches carry $setElementOrder, $patch: delete and $retainKeys.
 */
import { stringify } from 'yaml';
import { manifestFile } from '../../api/kinds/testing';
import type { RawResponse } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { useKubectl } from '../harness/kubectl';
import { eventually, expectStatus, resourcePath, uniqueName, type Obj } from './helpers';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);

const pods = resourcePath('/api/v1', 'pods');
const configmaps = resourcePath('/api/v1', 'configmaps');
const deployments = resourcePath('/apis/apps/v1', 'deployments');

type Json = Record<string, unknown>;
interface Container {
  name: string;
  image: string;
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  env?: { name: string; value?: string }[];
  [key: string]: unknown;
}
interface Deployment extends Obj {
  spec: Json & {
    replicas: number;
    strategy: Json;
    template: { metadata: Json; spec: Json & { containers: Container[]; volumes?: Json[] } };
  };
}

const strategicPatch = (path: string, body: unknown): Promise<RawResponse> =>
  plane.client.raw('PATCH', path, { body, contentType: 'application/strategic-merge-patch+json' });

async function patched<T = Obj>(path: string, body: unknown): Promise<T> {
  const res = await strategicPatch(path, body);
  if (res.status !== 200) throw new Error(`PATCH ${path}: HTTP ${res.status}: ${res.text}`);
  return res.json as T;
}

function deploymentBody(name: string): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'nginx:1.25',
              ports: [
                { containerPort: 80, name: 'http' },
                { containerPort: 8443, name: 'https' },
              ],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', 'infinity'] },
          ],
        },
      },
    },
  };
}

const containerNamed = (d: Deployment, name: string): Container => d.spec.template.spec.containers.find((c) => c.name === name)!;

describe('PATCH application/strategic-merge-patch+json', () => {
  it('Deployment: containers merge by name, ports by containerPort, env by name, in $setElementOrder order', async () => {
    const name = uniqueName('smp');
    await plane.client.create(deployments(), deploymentBody(name));
    const result = await patched<Deployment>(deployments(name), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }, { name: 'logger' }],
            containers: [
              {
                name: 'app',
                image: 'nginx:1.27',
                '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
                env: [{ name: 'C', value: '3' }],
                ports: [{ containerPort: 8443, $patch: 'delete' }],
              },
              { name: 'logger', image: 'busybox:1.36' },
            ],
          },
        },
      },
    });
    expect(result.spec.template.spec.containers.map((c) => c.name)).toEqual(['app', 'sidecar', 'logger']);
    const app = containerNamed(result, 'app');
    expect(app.image).toBe('nginx:1.27');
    expect(app.ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
    expect(app.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
    expect(containerNamed(result, 'sidecar').command).toEqual(['sleep', 'infinity']);
    // New values are defaulted like created ones.
    expect(containerNamed(result, 'logger').imagePullPolicy).toBe('IfNotPresent');
    expect(result.metadata.generation).toBe(2);
    expect(await plane.client.get(deployments(name))).toEqual(result);
  });

  it('Deployment: $retainKeys clears the other strategy fields; volumes merge by name and retain keys', async () => {
    const name = uniqueName('smp');
    const body = deploymentBody(name) as { spec: { template: { spec: Json } } };
    body.spec.template.spec.volumes = [
      { name: 'cache', emptyDir: {} },
      { name: 'conf', emptyDir: {} },
    ];
    const created = await plane.client.create<Deployment>(deployments(), body);
    expect(created.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const result = await patched<Deployment>(deployments(name), {
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: { spec: { volumes: [{ name: 'conf', $retainKeys: ['configMap', 'name'], configMap: { name: 'settings' } }] } },
      },
    });
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
    expect(result.spec.template.spec.volumes).toEqual([
      { name: 'cache', emptyDir: {} },
      { name: 'conf', configMap: { name: 'settings', defaultMode: 420 } },
    ]);
  });

  it('Pod: labels merge, null deletes, a container image changes by name; status conditions merge by type', async () => {
    const name = uniqueName('smp');
    await plane.client.create(pods(), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { a: '1', b: '2' } },
      spec: { containers: [{ name: 'one', image: 'busybox:1.36' }, { name: 'two', image: 'busybox:1.36' }] },
    });
    const result = await patched<Obj & { spec: { containers: Container[] } }>(pods(name), {
      metadata: { labels: { b: null, c: '3' } },
      spec: { containers: [{ name: 'two', image: 'busybox:1.37' }] },
    });
    expect(result.metadata.labels).toEqual({ a: '1', c: '3' });
    expect(result.spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['one', 'busybox:1.36'],
      ['two', 'busybox:1.37'],
    ]);
    const withStatus = await patched(`${pods(name)}/status`, { status: { conditions: [{ type: 'Example', status: 'True' }] } });
    const again = await patched(`${pods(name)}/status`, { status: { conditions: [{ type: 'Example', status: 'False' }, { type: 'Other', status: 'True' }] } });
    expect(withStatus.status?.conditions?.map((c) => [c.type, c.status])).toContainEqual(['Example', 'True']);
    const conditions = again.status?.conditions?.map((c) => [c.type, c.status]) ?? [];
    expect(conditions.filter(([type]) => type === 'Example')).toEqual([['Example', 'False']]);
    expect(conditions).toContainEqual(['Other', 'True']);
    expect(conditions).toHaveLength((withStatus.status?.conditions?.length ?? 0) + 1);
  });

  it('ConfigMap: data merges key by key; a patch that changes nothing keeps the resourceVersion', async () => {
    const name = uniqueName('smp');
    const created = await plane.client.create<Obj>(configmaps(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { keep: 'x', drop: 'y' } });
    const result = await patched(configmaps(name), { data: { drop: null, add: 'z' } });
    expect(result.data).toEqual({ keep: 'x', add: 'z' });
    expect(result.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    const unchanged = await patched(configmaps(name), { data: { keep: 'x' } });
    expect(unchanged.metadata.resourceVersion).toBe(result.metadata.resourceVersion);
  });

  it('malformed directives are answered as Kubernetes answers them, and change nothing', async () => {
    const name = uniqueName('smp');
    const created = await plane.client.create<Obj>(deployments(), deploymentBody(name));
    const path = deployments(name);
    const retainKeys = expectStatus(await strategicPatch(path, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }), 400, 'BadRequest');
    expect(retainKeys.message).toBe('invalid patch format of retainKeys');
    const order = expectStatus(await strategicPatch(path, { metadata: { '$setElementOrderX/finalizers': ['a'] } }), 400, 'BadRequest');
    expect(order.message).toBe('invalid patch format of setElementOrder list');
    // Not an API error in Kubernetes: 500 without a reason (kubectl prints "Error from server: ...").
    const mergeKey = expectStatus(await strategicPatch(path, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }), 500);
    expect(mergeKey.message).toBe('map: map[image:x] does not contain declared merge key: name');
    expect(mergeKey.reason).toBeUndefined();
    const directive = expectStatus(await strategicPatch(path, { spec: { $patch: 'merge' } }), 500);
    expect(directive.message).toMatch(/^unknown patch type: merge in map: map\[\$patch:merge\]/);
    expectStatus(await strategicPatch(path, ['not', 'an', 'object']), 400, 'BadRequest');
    expect(await plane.client.get(path)).toEqual(created);
  });
});

describe('strategic merge patch and custom resources', () => {
  it('is 415 UnsupportedMediaType for a custom resource, over HTTP and from kubectl patch', async () => {
    const [crd] = manifestFile('customresourcedefinition/shirt-resource-definition.yaml') as Json[];
    await plane.client.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    const shirts = '/apis/stable.example.com/v1/namespaces/default/shirts';
    await eventually('the Shirt resource to be served', async () => ((await plane.client.raw('GET', shirts)).status === 200 ? true : undefined), 10_000);
    await plane.client.create(shirts, { apiVersion: 'stable.example.com/v1', kind: 'Shirt', metadata: { name: 'smp' }, spec: { color: 'blue', size: 'S' } });
    const status = expectStatus(await strategicPatch(`${shirts}/smp`, { spec: { color: 'red' } }), 415, 'UnsupportedMediaType');
    expect(status.message).toContain('application/merge-patch+json');

    const run = await kubectl.get().run(['patch', 'shirt', 'smp', '-p', '{"spec":{"color":"red"}}']);
    expect(run.code).not.toBe(0);
    // kubectl recognises the 415 and names the patch type the resource does not take.
    expect(run.stderr).toContain('application/strategic-merge-patch+json is not supported by stable.example.com/v1, Kind=Shirt');
    const merged = await kubectl.get().run(['patch', 'shirt', 'smp', '--type=merge', '-p', '{"spec":{"color":"red"}}']);
    expect(merged).toMatchObject({ code: 0, stdout: 'shirt.stable.example.com/smp patched\n' });
    expect(((await plane.client.get(`${shirts}/smp`)) as { spec: Json }).spec).toEqual({ color: 'red', size: 'S' });
  });
});

describe('kubectl patch and apply (real kubectl)', () => {
  async function ok(args: readonly string[], stdin?: string): Promise<string> {
    const result = await kubectl.get().run(args, stdin === undefined ? {} : { stdin });
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  it('kubectl patch: strategic by default (merges containers by name), --type=merge, --type=json', async () => {
    const name = uniqueName('kp');
    await plane.client.create(deployments(), deploymentBody(name));
    const strategic = await ok(['patch', 'deployment', name, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}']);
    expect(strategic).toBe(`deployment.apps/${name} patched\n`);
    let stored = await plane.client.get<Deployment>(deployments(name));
    expect(stored.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['app', 'nginx:1.25'],
      ['sidecar', 'busybox:1.37'],
    ]);

    expect(await ok(['patch', 'deployment', name, '--type=merge', '-p', '{"metadata":{"labels":{"tier":"web"}}}'])).toBe(`deployment.apps/${name} patched\n`);
    expect(await ok(['patch', 'deployment', name, '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]'])).toBe(
      `deployment.apps/${name} patched\n`,
    );
    stored = await plane.client.get<Deployment>(deployments(name));
    expect(stored.metadata.labels).toEqual({ app: name, tier: 'web' });
    expect(stored.spec.replicas).toBe(3);

    // The same strategic patch again changes nothing.
    const again = await ok(['patch', 'deployment', name, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}']);
    expect(again).toBe(`deployment.apps/${name} patched (no change)\n`);
  });

  it('kubectl apply: created, unchanged, then configured with exactly the edits (three-way, keeping other writers\' changes)', async () => {
    const name = uniqueName('ka');
    const manifest = { ...deploymentBody(name), metadata: { name, namespace: 'default', labels: { app: name } } } as Json;
    expect(await ok(['apply', '-f', '-'], stringify(manifest))).toBe(`deployment.apps/${name} created\n`);
    const created = await plane.client.get<Deployment>(deployments(name));
    expect(created.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeDefined();
    expect(await ok(['apply', '-f', '-'], stringify(manifest))).toBe(`deployment.apps/${name} unchanged\n`);

    // Another writer's change, which the manifest does not mention, must survive the apply.
    await plane.client.patch(deployments(name), { metadata: { annotations: { owner: 'team-a' } }, spec: { template: { spec: { terminationGracePeriodSeconds: 5 } } } });
    const before = await plane.client.get<Deployment>(deployments(name));

    const edited = structuredClone(manifest) as unknown as Deployment;
    const app = containerNamed(edited, 'app');
    app.image = 'nginx:1.27';
    app.ports = app.ports!.filter((p) => p.containerPort !== 8443);
    app.env!.push({ name: 'C', value: '3' });
    edited.spec.strategy = { type: 'Recreate' };
    expect(await ok(['apply', '-f', '-'], stringify(edited))).toBe(`deployment.apps/${name} configured\n`);

    const after = await plane.client.get<Deployment>(deployments(name));
    const expected = structuredClone(before.spec);
    const expectedApp = containerNamed({ ...before, spec: expected } as Deployment, 'app');
    expectedApp.image = 'nginx:1.27';
    expectedApp.ports = expectedApp.ports!.filter((p) => p.containerPort !== 8443);
    expectedApp.env!.push({ name: 'C', value: '3' });
    expected.strategy = { type: 'Recreate' };
    expect(after.spec).toEqual(expected);
    expect(after.metadata.annotations?.owner).toBe('team-a');
    expect(after.metadata.labels).toEqual(before.metadata.labels);
    // kubectl records the manifest it applied (with the empty annotations it strips the record from).
    const recorded = JSON.parse(after.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']!) as Json;
    expect(recorded).toEqual({ ...edited, metadata: { ...edited.metadata, annotations: {} } });
    expect(await ok(['apply', '-f', '-'], stringify(edited))).toBe(`deployment.apps/${name} unchanged\n`);
  });
});
