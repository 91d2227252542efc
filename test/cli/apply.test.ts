/**
 * `marina apply` against a real API server (no controllers: nothing writes but the test, so the
 * etcd revision shows whether anything changed): multi-document files, directories, stdin,
 * client-side three-way apply (strategic for built-in kinds, merge patch for custom resources),
 * --server-side, dry runs, and bad manifests that give one-line errors and change nothing.
 */
import { useCliCluster } from './cliCluster';

const cluster = useCliCluster({ workloads: false });

/** The store's current revision (a list's resourceVersion). */
async function revision(): Promise<string> {
  const list = await cluster.plane.client.get<{ metadata: { resourceVersion: string } }>('/api/v1/namespaces', { limit: 1 });
  return list.metadata.resourceVersion;
}

const get = (path: string) => cluster.plane.client.get<Record<string, any>>(path);
const exists = async (path: string) => get(path).then(() => true, () => false);

function configMap(name: string, data: Record<string, string>, namespace?: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n')}\n`;
}

function deployment(name: string, image: string, replicas = 1): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: ${image}
`;
}

describe('apply', () => {
  it('applies multi-document files, a namespace first, and says what it did', async () => {
    const file = await cluster.file('multi.yaml', `apiVersion: v1\nkind: Namespace\nmetadata: {name: multi}\n---\n${configMap('one', { a: '1' }, 'multi')}---\n${configMap('two', { b: '2' }, 'multi')}`);
    expect(await cluster.run(['apply', '-f', file])).toEqual({ code: 0, stdout: 'namespace/multi created\nconfigmap/one created\nconfigmap/two created\n', stderr: '' });
    expect(await cluster.ok(['apply', '-f', file])).toBe('namespace/multi unchanged\nconfigmap/one unchanged\nconfigmap/two unchanged\n');
    const cm = await get('/api/v1/namespaces/multi/configmaps/one');
    expect(JSON.parse(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'multi' }, data: { a: '1' } });
  });

  it('reads directories (-R for subdirectories) and stdin', async () => {
    await cluster.file('ignored.txt', 'not a manifest');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(`${cluster.dir}/tree/sub`, { recursive: true });
    await cluster.file('tree/a.yaml', configMap('dir-a', { x: '1' }));
    await cluster.file('tree/sub/b.yml', configMap('dir-b', { x: '2' }));
    expect(await cluster.ok(['apply', '-f', 'tree'])).toBe('configmap/dir-a created\n');
    expect(await cluster.ok(['apply', '-f', 'tree', '-R'])).toBe('configmap/dir-a unchanged\nconfigmap/dir-b created\n');
    expect(await cluster.ok(['apply', '-f', '-'], { stdin: configMap('from-stdin', { y: '1' }) })).toBe('configmap/from-stdin created\n');
  });

  it('removes what was removed from the manifest and keeps what others set (three-way)', async () => {
    await cluster.file('three.yaml', configMap('three', { a: '1', b: '2' }));
    await cluster.ok(['apply', '-f', 'three.yaml']);
    await cluster.ok(['label', 'cm', 'three', 'owner=someone-else']);
    await cluster.file('three.yaml', configMap('three', { a: '1', c: '3' }));
    expect(await cluster.ok(['apply', '-f', 'three.yaml'])).toBe('configmap/three configured\n');
    const cm = await get('/api/v1/namespaces/default/configmaps/three');
    expect(cm.data).toEqual({ a: '1', c: '3' });
    expect(cm.metadata.labels).toEqual({ owner: 'someone-else' });
  });

  it('merges lists by key for built-in kinds (strategic): a container\'s env set by another survives an image change', async () => {
    await cluster.file('web.yaml', deployment('web', 'nginx:1'));
    await cluster.ok(['apply', '-f', 'web.yaml']);
    await cluster.ok(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"FOO","value":"bar"}]}]}}}}']);
    await cluster.file('web.yaml', deployment('web', 'nginx:2'));
    expect(await cluster.ok(['apply', '-f', 'web.yaml'])).toBe('deployment.apps/web configured\n');
    const d = await get('/apis/apps/v1/namespaces/default/deployments/web');
    expect(d.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'app', image: 'nginx:2', env: [{ name: 'FOO', value: 'bar' }] })]);
  });

  it('applies custom resources with a merge patch (lists replaced whole)', async () => {
    const crd = await cluster.file('crd.yaml', `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              sizes: {type: array, items: {type: integer}}
              color: {type: string}
`);
    expect(await cluster.ok(['apply', '-f', crd, '--wait', '--timeout=10s'])).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\ncustomresourcedefinition.apiextensions.k8s.io/widgets.example.com ready\n');
    const widget = (sizes: string, color?: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec:\n  sizes: ${sizes}\n${color ? `  color: ${color}\n` : ''}`;
    await cluster.file('w.yaml', widget('[1, 2, 3]', 'red'));
    expect(await cluster.ok(['apply', '-f', 'w.yaml'])).toBe('widget.example.com/w1 created\n');
    await cluster.file('w.yaml', widget('[4]'));
    expect(await cluster.ok(['apply', '-f', 'w.yaml'])).toBe('widget.example.com/w1 configured\n');
    expect((await get('/apis/example.com/v1/namespaces/default/widgets/w1')).spec).toEqual({ sizes: [4] });
  });

  it('applies on the server with --server-side, conflicts included', async () => {
    await cluster.file('ssa.yaml', configMap('ssa', { a: '1' }));
    expect(await cluster.ok(['apply', '--server-side', '-f', 'ssa.yaml'])).toBe('configmap/ssa serverside-applied\n');
    const cm = await get('/api/v1/namespaces/default/configmaps/ssa');
    expect(cm.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(['marina']);
    await cluster.file('ssa2.yaml', configMap('ssa', { a: '2' }));
    const conflict = await cluster.run(['apply', '--server-side', '--field-manager=other', '-f', 'ssa2.yaml']);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^error: ssa2\.yaml: ConfigMap "ssa": .*conflict.*\n$/i);
    expect(await cluster.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', 'ssa2.yaml'])).toBe('configmap/ssa serverside-applied\n');
    expect((await get('/api/v1/namespaces/default/configmaps/ssa')).data).toEqual({ a: '2' });
  });

  it('changes nothing in a dry run, client or server', async () => {
    await cluster.file('dry.yaml', configMap('dry', { a: '1' }));
    const before = await revision();
    expect(await cluster.ok(['apply', '-f', 'dry.yaml', '--dry-run=client'])).toBe('configmap/dry created (dry run)\n');
    expect(await cluster.ok(['apply', '-f', 'dry.yaml', '--dry-run=server'])).toBe('configmap/dry created (server dry run)\n');
    const yaml = await cluster.ok(['apply', '-f', 'dry.yaml', '--dry-run=server', '-o', 'yaml']);
    expect(yaml).toMatch(/^apiVersion: v1\ndata:\n  a: "1"\nkind: ConfigMap\nmetadata:\n/);
    expect(yaml).toMatch(/uid: /); // the server filled it in
    expect(await revision()).toBe(before);
    expect(await exists('/api/v1/namespaces/default/configmaps/dry')).toBe(false);
  });

  it('prints machine output with -o name and -o json', async () => {
    await cluster.file('out.yaml', `${configMap('out-1', { a: '1' })}---\n${configMap('out-2', { a: '2' })}`);
    expect(await cluster.ok(['apply', '-f', 'out.yaml', '-o', 'name'])).toBe('configmap/out-1\nconfigmap/out-2\n');
    const json = JSON.parse(await cluster.ok(['apply', '-f', 'out.yaml', '-o', 'json']));
    expect(json).toMatchObject({ kind: 'List', items: [{ metadata: { name: 'out-1' } }, { metadata: { name: 'out-2' } }] });
  });
});

describe('apply with bad manifests', () => {
  const cases: [string, string, RegExp][] = [
    ['bad-yaml.yaml', `${configMap('ok-1', { a: '1' })}---\nkind: ConfigMap\nmetadata: {name: [oops\n`, /^error: bad-yaml\.yaml: invalid YAML at line \d+: .+\n$/],
    ['no-kind.yaml', `${configMap('ok-2', { a: '1' })}---\napiVersion: v1\nmetadata: {name: x}\n`, /^error: no-kind\.yaml: object "x": kind not set\n$/],
    ['unknown-kind.yaml', `${configMap('ok-3', { a: '1' })}---\napiVersion: example.com/v9\nkind: Gadget\nmetadata: {name: g}\n`, /^error: unknown-kind\.yaml: Gadget "g": no matches for kind "Gadget" in version "example.com\/v9"/],
    ['invalid.yaml', `${configMap('ok-4', { a: '1' })}---\n${deployment('web', 'nginx', -1)}`, /^error: invalid\.yaml: Deployment "web": spec\.replicas: Invalid value: -1: must be greater than or equal to 0\n$/],
    ['no-name.yaml', `${configMap('ok-5', { a: '1' })}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n`, /^error: no-name\.yaml: ConfigMap: metadata\.name is required\n$/],
  ];
  it.each(cases)('%s: one line naming the file and object, nothing changed', async (name, text, message) => {
    await cluster.file(name, text);
    const before = await revision();
    const r = await cluster.run(['apply', '-f', name]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(await revision()).toBe(before);
  });

  it('refuses an object of another namespace than -n', async () => {
    await cluster.file('other-ns.yaml', configMap('elsewhere', { a: '1' }, 'multi'));
    const r = await cluster.run(['apply', '-n', 'default', '-f', 'other-ns.yaml']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(`error: other-ns.yaml: ConfigMap "elsewhere": the namespace from the provided object "multi" does not match the namespace "default". You must pass '--namespace=multi' to perform this operation.\n`);
  });

  it('says which file does not exist, and usage errors exit 2', async () => {
    expect(await cluster.run(['apply', '-f', 'missing.yaml'])).toEqual({ code: 1, stdout: '', stderr: 'error: the path "missing.yaml" does not exist\n' });
    expect((await cluster.run(['apply'])).code).toBe(2);
    expect((await cluster.run(['apply', '-f', 'x.yaml', '--dry-run=maybe'])).code).toBe(2);
    expect((await cluster.run(['apply', '--no-such-flag'])).code).toBe(2);
  });
});
