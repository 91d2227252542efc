/**
 * kubectl apply and create against Marina: every manifest of the corpus applies unchanged (created
 * or configured, then unchanged), an edited manifest is configured and stored, server-side apply
 * with a conflict and --force-conflicts, and create -f.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { corpusFiles, corpusRoot, until, useCluster } from './e2e';

const cluster = useCluster();

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function documents(file: string): Doc[] {
  return parseAllDocuments(readFileSync(join(corpusRoot, file), 'utf8'))
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);
}

/** What kubectl prints per object: "deployment.apps/nginx-deployment created". */
function verbs(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ').pop()!);
}

describe('kubectl apply -f, every manifest of the corpus', () => {
  for (const file of corpusFiles()) {
    it(`${file}: created or configured, then unchanged, and stored`, async () => {
      const path = join(corpusRoot, file);
      const docs = documents(file);
      const first = await cluster.ok(['apply', '-f', path]);
      expect(verbs(first)).toHaveLength(docs.length);
      for (const verb of verbs(first)) expect(['created', 'configured']).toContain(verb);
      if (docs.some((d) => d.kind === 'CustomResourceDefinition')) {
        // The custom resources of the next file need the CRD served first.
        await until('the CRD to be established', async () => ((await cluster.kubectl().run(['get', 'shirts'])).code === 0 ? true : undefined));
      }
      const second = await cluster.ok(['apply', '-f', path]);
      expect(verbs(second)).toEqual(docs.map(() => 'unchanged'));
      for (const doc of docs) {
        const args = ['get', doc.kind.toLowerCase() + (doc.apiVersion.includes('/') ? `.${doc.apiVersion.split('/')[0]}` : ''), doc.metadata.name, '-o', 'json'];
        const stored = JSON.parse(await cluster.ok(doc.metadata.namespace ? [...args, '-n', doc.metadata.namespace] : args)) as Doc;
        expect(stored.metadata.name).toBe(doc.metadata.name);
        if (doc.metadata.labels) expect(stored.metadata.labels).toMatchObject(doc.metadata.labels);
      }
    });
  }

  it('an edited manifest is configured and the change is stored', async () => {
    const doc = documents('controllers/nginx-deployment.yaml')[0]!;
    const edited = structuredClone(doc) as Doc & { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
    edited.spec.replicas = 5;
    edited.spec.template.spec.containers[0]!.image = 'nginx:1.27.0';
    await cluster.ok(['apply', '-f', '-'], stringify(doc));
    const out = await cluster.ok(['apply', '-f', '-'], stringify(edited));
    expect(out.trim()).toBe('deployment.apps/nginx-deployment configured');
    const stored = (await cluster.plane.client.get('/apis/apps/v1/namespaces/default/deployments/nginx-deployment')) as typeof edited;
    expect(stored.spec.replicas).toBe(5);
    expect(stored.spec.template.spec.containers[0]!.image).toBe('nginx:1.27.0');
  });
});

describe('kubectl apply --server-side', () => {
  const configMap = (data: Record<string, string>) =>
    stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'default' }, data });

  it('creates, reports a conflict with another manager, and takes ownership with --force-conflicts', async () => {
    expect((await cluster.ok(['apply', '--server-side', '-f', '-'], configMap({ a: '1' }))).trim()).toBe('configmap/ssa serverside-applied');
    const conflict = await cluster.fails(['apply', '--server-side', '--field-manager=other', '-f', '-'], configMap({ a: '2' }));
    expect(conflict.stderr).toMatch(/conflict/i);
    expect(conflict.stderr).toContain('kubectl');
    expect(conflict.stderr).toContain('.data.a');
    const unchanged = (await cluster.plane.client.get('/api/v1/namespaces/default/configmaps/ssa')) as { data: Record<string, string> };
    expect(unchanged.data.a).toBe('1');

    await cluster.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], configMap({ a: '2' }));
    const taken = (await cluster.plane.client.get('/api/v1/namespaces/default/configmaps/ssa')) as {
      data: Record<string, string>;
      metadata: { managedFields: { manager: string; fieldsV1: Record<string, unknown> }[] };
    };
    expect(taken.data.a).toBe('2');
    const other = taken.metadata.managedFields.find((m) => m.manager === 'other');
    expect(JSON.stringify(other?.fieldsV1)).toContain('f:a');
  });
});

describe('kubectl create -f', () => {
  it('creates from a file and refuses to create it twice', async () => {
    const pod = stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'created' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    expect((await cluster.ok(['create', '-f', '-'], pod)).trim()).toBe('pod/created created');
    const again = await cluster.fails(['create', '-f', '-'], pod);
    expect(again.stderr).toContain('Error from server (AlreadyExists): error when creating "STDIN": pods "created" already exists');
  });
});
