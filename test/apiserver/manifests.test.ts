/**
 * Real-world manifests: every document of every YAML file under
 * test/fixtures/manifests/k8s-website/ (examples from the Kubernetes website) is POSTed as JSON
 * with fieldValidation=Strict to the path discovery gives for its kind, must be accepted (201),
 * and must read back with the same name, namespace, labels and container images.
 *
 * The custom resources (kind Shirt, stable.example.com/v1) need their CRD, which comes from the
 * corpus too: the CRD is created first, then the Shirts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { useControlPlane } from '../harness/apiserver';
import { expectOk, type LooseObj } from './crudHelpers';
import { eventually } from './helpers';

const plane = useControlPlane();

const corpusDir = join(__dirname, '..', 'fixtures', 'manifests', 'k8s-website');

interface Manifest {
  /** file:index, for test names. */
  readonly source: string;
  readonly doc: LooseObj;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

function loadCorpus(): Manifest[] {
  const out: Manifest[] = [];
  for (const file of yamlFiles(corpusDir)) {
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    if (!Array.isArray(docs)) continue; // an empty stream
    docs.forEach((d, i) => {
      if (d.errors.length) throw new Error(`${file} document ${i}: ${d.errors.map((e) => e.message).join('; ')}`);
      const doc = d.toJS() as LooseObj | null;
      if (doc === null || doc === undefined) return; // an empty document (e.g. a leading ---)
      out.push({ source: `${relative(corpusDir, file)}#${i}`, doc });
    });
  }
  return out;
}

const corpus = loadCorpus();

/** Namespaces first, then CRDs, then everything else, each group in file order. */
function rank(m: Manifest): number {
  if (m.doc.kind === 'Namespace' && m.doc.apiVersion === 'v1') return 0;
  if (m.doc.kind === 'CustomResourceDefinition') return 1;
  return 2;
}
const ordered = [...corpus].sort((a, b) => rank(a) - rank(b));

function groupVersionOf(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const isShirt = (doc: LooseObj) => doc.apiVersion === 'stable.example.com/v1' && doc.kind === 'Shirt';

interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
}

/** Discovery: the APIResourceList of a group version, or undefined when it is not served. */
async function discover(apiVersion: string): Promise<APIResource[] | undefined> {
  const { group, version } = groupVersionOf(apiVersion);
  const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const res = await plane.client.raw('GET', path);
  if (res.status === 404) return undefined;
  const list = expectOk<{ kind: string; groupVersion: string; resources: APIResource[] }>(res, 200);
  expect(list.kind).toBe('APIResourceList');
  expect(list.groupVersion).toBe(apiVersion);
  return list.resources;
}

async function resourceFor(doc: LooseObj): Promise<APIResource | undefined> {
  const resources = await discover(doc.apiVersion!);
  return resources?.find((r) => r.kind === doc.kind && !r.name.includes('/'));
}

/** The collection path of a document's kind, and the namespace it goes to (undefined if cluster-scoped). */
function collectionPath(doc: LooseObj, resource: APIResource): { path: string; namespace: string | undefined } {
  const { group, version } = groupVersionOf(doc.apiVersion!);
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  if (!resource.namespaced) return { path: `${base}/${resource.name}`, namespace: undefined };
  const namespace = doc.metadata?.namespace ?? 'default';
  return { path: `${base}/namespaces/${namespace}/${resource.name}`, namespace };
}

/** The pod spec of a Pod or of a workload's template. */
function podSpecOf(doc: LooseObj): { containers?: { image?: string }[]; initContainers?: { image?: string }[] } | undefined {
  switch (doc.kind) {
    case 'Pod':
      return doc.spec;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return doc.spec?.template?.spec;
    case 'CronJob':
      return doc.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return undefined;
  }
}

function imagesOf(doc: LooseObj): { containers: (string | undefined)[]; initContainers: (string | undefined)[] } | undefined {
  const spec = podSpecOf(doc);
  if (!spec) return undefined;
  return { containers: (spec.containers ?? []).map((c) => c.image), initContainers: (spec.initContainers ?? []).map((c) => c.image) };
}

function keyOf(doc: LooseObj): string {
  return `${doc.apiVersion}/${doc.kind}/${doc.metadata?.namespace ?? ''}/${doc.metadata?.name}`;
}

/** What each key was last created from (a later file may replace an earlier example, e.g. nginx-deployment). */
const latest = new Map<string, Manifest>();
for (const m of ordered) latest.set(keyOf(m.doc), m);
const created = new Set<string>();

/** Discovery of the Shirt kind, waited for once (the CRD is created before the Shirts). */
let shirtDiscovery: Promise<APIResource | undefined> | undefined;

/** Where each created object lives. */
const locations = new Map<string, string>();

describe('the k8s-website manifest corpus', () => {
  it('has documents of many kinds, including the Shirt CRD and Shirts', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(corpus.map((m) => m.doc.kind));
    for (const k of ['Namespace', 'Pod', 'Deployment', 'Service', 'ConfigMap', 'Secret', 'CustomResourceDefinition', 'Shirt', 'CronJob', 'StatefulSet']) {
      expect(kinds).toContain(k);
    }
  });

  it('discovery serves every built-in group version the corpus uses', async () => {
    const versions = new Set(corpus.filter((m) => !isShirt(m.doc)).map((m) => m.doc.apiVersion!));
    for (const v of versions) {
      const resources = await discover(v);
      expect(resources).toBeDefined();
      for (const m of corpus.filter((x) => x.doc.apiVersion === v)) {
        expect(resources!.map((r) => r.kind)).toContain(m.doc.kind);
      }
    }
  });

  it.each(ordered.map((m) => [`${m.source} ${m.doc.kind} ${m.doc.metadata?.name}`, m] as const))('POST %s is accepted (201)', async (_title, m) => {
    const doc = structuredClone(m.doc);
    // Custom resources are served once their CRD is: wait for discovery (bounded), as kubectl would.
    let resource: APIResource | undefined;
    if (isShirt(doc)) {
      shirtDiscovery ??= eventually(`discovery of ${doc.apiVersion} ${doc.kind}`, () => resourceFor(doc), 3000).catch(() => undefined);
      resource = await shirtDiscovery;
      // Not in discovery: still try the path the CRD declares, so the failure shows what the server answers.
      resource ??= { name: 'shirts', namespaced: true, kind: 'Shirt' };
    } else {
      resource = await resourceFor(doc);
    }
    expect(resource).toBeDefined();
    const { path, namespace } = collectionPath(doc, resource!);

    // Create the namespace a document goes to if it does not exist (kube-system and default do).
    if (namespace !== undefined) {
      const ns = await plane.client.raw('GET', `/api/v1/namespaces/${namespace}`);
      if (ns.status === 404) expectOk(await plane.client.raw('POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } }), 201);
    }

    // A later example of the same object (deployment-update.yaml after nginx-deployment.yaml) replaces it.
    const key = keyOf(doc);
    const objectPath = `${path}/${encodeURIComponent(doc.metadata!.name!)}`;
    if (created.has(key)) {
      const del = await plane.client.raw('DELETE', objectPath);
      expect(del.status).toBe(200);
      await eventually(`deletion of ${key}`, async () => ((await plane.client.raw('GET', objectPath)).status === 404 ? true : undefined));
    }

    const res = await plane.client.raw('POST', path, { body: doc, query: { fieldValidation: 'Strict' } });
    if (res.status !== 201) throw new Error(`POST ${path} (${m.source}) answered ${res.status}: ${res.text.slice(0, 1000)}`);
    expect(res.headers.get('warning')).toBeNull();
    const obj = res.json as LooseObj;
    expect(obj.kind).toBe(doc.kind);
    expect(obj.apiVersion).toBe(doc.apiVersion);
    expect(obj.metadata.name).toBe(doc.metadata!.name);
    expect(obj.metadata.uid).toBeTruthy();
    created.add(key);
    locations.set(key, objectPath);
  });

  it.each([...latest.values()].map((m) => [`${m.doc.kind} ${m.doc.metadata?.namespace ?? ''}/${m.doc.metadata?.name} (${m.source})`, m] as const))(
    'GET %s round-trips',
    async (_title, m) => {
      const doc = m.doc;
      const path = locations.get(keyOf(doc));
      if (!path) throw new Error(`${m.source} was not created, so it cannot be read back`);
      const obj = expectOk(await plane.client.raw('GET', path), 200);
      expect(obj.apiVersion).toBe(doc.apiVersion);
      expect(obj.kind).toBe(doc.kind);
      expect(obj.metadata.name).toBe(doc.metadata!.name);

      const resource = isShirt(doc) ? { name: 'shirts', namespaced: true, kind: 'Shirt' } : await resourceFor(doc);
      if (resource!.namespaced) expect(obj.metadata.namespace).toBe(doc.metadata!.namespace ?? 'default');
      else expect(obj.metadata.namespace).toBeUndefined();

      // Labels exactly as sent; a namespace also carries its kubernetes.io/metadata.name label.
      const expectedLabels: Record<string, string> = { ...doc.metadata!.labels };
      if (doc.kind === 'Namespace' && doc.apiVersion === 'v1') expectedLabels['kubernetes.io/metadata.name'] = doc.metadata!.name!;
      // A Job without labels takes its pod template's, which include the generated selector labels
      // (SetDefaults_Job), as `kubectl get job -o yaml` shows.
      if (doc.kind === 'Job' && Object.keys(expectedLabels).length === 0) {
        const templateLabels = obj.spec.template.metadata.labels as Record<string, string>;
        expect(templateLabels['batch.kubernetes.io/job-name']).toBe(doc.metadata!.name);
        expect(templateLabels['batch.kubernetes.io/controller-uid']).toBe(obj.metadata.uid);
        Object.assign(expectedLabels, templateLabels);
      }
      expect(obj.metadata.labels ?? {}).toEqual(expectedLabels);

      const images = imagesOf(doc);
      if (images) expect(imagesOf(obj)).toEqual(images);

      // Kind-specific content survives too.
      if (doc.kind === 'ConfigMap') expect(obj.data).toEqual(doc.data);
      if (doc.kind === 'Secret') expect(obj.data).toEqual(doc.data);
      if (doc.kind === 'Shirt') expect(obj.spec).toEqual(doc.spec);
      if (doc.kind === 'PriorityClass') expect(obj.value).toBe(doc.value);
      if (doc.kind === 'Deployment') expect(obj.spec.replicas).toBe(doc.spec.replicas);
      if (doc.kind === 'CustomResourceDefinition') expect(obj.spec.names).toEqual(expect.objectContaining(doc.spec.names));
    },
  );
});
