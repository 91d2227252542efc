/**
 * Server-side printing over HTTP and with the real kubectl: meta.k8s.io Tables for get, list and
 * watch (columns, formatted cells, row objects by includeObject, list metadata), metadata-only
 * answers (PartialObjectMetadata, PartialObjectMetadataList), Accept negotiation with its 406s,
 * custom resources' printer columns, and what `kubectl get` prints from all of it.
 */
import { manifestFile } from '../../api/kinds/testing';
import { useControlPlane } from '../harness/apiserver';
import { useKubectl } from '../harness/kubectl';
import { eventually, expectStatus, uniqueName, withDeadline, type ListOf, type Obj } from './helpers';

// Node's fetch keeps aborted streaming connections open; idle requests over the pool let the
// plane stop at once (see watch.test.ts). Declared first so that it runs before the plane stops.
afterAll(async () => {
  await Promise.all(Array.from({ length: 32 }, () => fetch(`${plane.url}/healthz`).then((r) => r.text())));
});
// A small watch cache window, so that a watch from an old resourceVersion is answered 410.
const plane = useControlPlane({ bookmarkIntervalMs: 200, watchCacheCapacity: 5 });
const kubectl = useKubectl(() => plane.url);

/** What kubectl get sends. */
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const ns = uniqueName('tables');
const pods = `/api/v1/namespaces/${ns}/pods`;
const shirts = `/apis/stable.example.com/v1/namespaces/${ns}/shirts`;

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}
interface Table {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: Column[] | null;
  rows: { cells: unknown[]; object: Obj | null; conditions?: unknown[] }[];
}

async function read<T>(path: string, accept: string, query: Record<string, string> = {}): Promise<T> {
  const res = await plane.client.raw('GET', path, { headers: { Accept: accept }, query });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.json as T;
}

const container = { name: 'app', image: 'nginx:1.27' };
/** The AGE of an object created by this suite, as the server prints it: "5s", "2m10s". */
const age = expect.stringMatching(/^\d+(s|m(\d+s)?)$/);

beforeAll(async () => {
  const c = plane.client;
  await c.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await c.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', labels: { app: 'web' } }, spec: { nodeName: 'node-1', containers: [container] } });
  const web = await c.get<Obj>(`${pods}/web-0`);
  await c.update(`${pods}/web-0/status`, {
    ...web,
    status: {
      ...web.status,
      phase: 'Running',
      podIP: '10.0.0.7',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: '', started: true, state: { running: { startedAt: new Date().toISOString() } } }],
    },
  });
  await c.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-0', labels: { app: 'db' } }, spec: { nodeName: 'node-2', containers: [container] } });
  await c.create(`/apis/apps/v1/namespaces/${ns}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } },
  });
  const template = { metadata: { labels: { app: 'batch' } }, spec: { restartPolicy: 'Never', containers: [container] } };
  const apps = `/apis/apps/v1/namespaces/${ns}`;
  const selector = { matchLabels: { app: 'web' } };
  const podTemplate = { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } };
  await c.create(`${apps}/replicasets`, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-rs' }, spec: { replicas: 1, selector, template: podTemplate } });
  await c.create(`${apps}/statefulsets`, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web-sts' }, spec: { replicas: 3, serviceName: 'web', selector, template: podTemplate } });
  await c.create(`${apps}/daemonsets`, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'web-ds' }, spec: { selector, template: podTemplate } });
  await c.create(`/apis/batch/v1/namespaces/${ns}/jobs`, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' }, spec: { template } });
  await c.create(`/apis/batch/v1/namespaces/${ns}/cronjobs`, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly' },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template } } },
  });
  await c.create(`/api/v1/namespaces/${ns}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const nodeInfo = { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' };
  await c.create('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.168.1.10' }], nodeInfo: { ...nodeInfo, architecture: 'amd64', operatingSystem: 'linux', bootID: '', machineID: '', systemUUID: '', kubeProxyVersion: '' } },
  });
  await c.create(`/api/v1/namespaces/${ns}/events`, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-0.1' },
    involvedObject: { kind: 'Pod', name: 'web-0', namespace: ns },
    type: 'Normal',
    reason: 'Scheduled',
    message: 'Successfully assigned web-0 to node-1',
    source: { component: 'default-scheduler' },
    firstTimestamp: new Date().toISOString(),
    lastTimestamp: new Date().toISOString(),
    count: 1,
  });
}, 30_000);

describe('Tables over HTTP', () => {
  it('answers kubectl’s Accept for a list with a meta.k8s.io/v1 Table of every column', async () => {
    const table = await read<Table>(pods, tableAccept);
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(table.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(table.columnDefinitions!.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
    ]);
    expect(table.columnDefinitions![0]).toEqual({ name: 'Name', type: 'string', format: 'name', description: expect.stringMatching(/^Name must be unique/), priority: 0 });
    const byName = Object.fromEntries(table.rows.map((r) => [r.cells[0], r]));
    expect(byName['web-0']!.cells).toEqual(['web-0', '1/1', 'Running', '0', age, '10.0.0.7', 'node-1', '<none>', '<none>']);
    expect(byName['db-0']!.cells.slice(1, 4)).toEqual(['0/1', 'Pending', '0']);
    expect(byName['web-0']!.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'web-0', namespace: ns, labels: { app: 'web' } }) });
  });

  it('answers a Table of meta.k8s.io/v1beta1 when only that is asked, and in YAML', async () => {
    expect(await read<Table>(pods, 'application/json;as=Table;v=v1beta1;g=meta.k8s.io')).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1beta1' });
    const res = await plane.client.raw('GET', pods, { headers: { Accept: 'application/yaml;as=Table;v=v1;g=meta.k8s.io' } });
    expect(res.headers.get('content-type')).toBe('application/yaml');
    expect(res.text).toMatch(/^kind: Table\napiVersion: meta.k8s.io\/v1\n/);
  });

  it('answers a GET of one object with a one-row Table at its resourceVersion', async () => {
    const pod = await plane.client.get<Obj>(`${pods}/web-0`);
    const table = await read<Table>(`${pods}/web-0`, tableAccept);
    expect(table.metadata).toEqual({ resourceVersion: pod.metadata.resourceVersion });
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]!.cells[0]).toBe('web-0');
  });

  it('carries the whole object with includeObject=Object, none with None; 400 for anything else', async () => {
    const full = await read<Table>(`${pods}/web-0`, tableAccept, { includeObject: 'Object' });
    expect(full.rows[0]!.object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web-0' }, spec: { nodeName: 'node-1' }, status: { phase: 'Running' } });
    const none = await plane.client.raw('GET', pods, { headers: { Accept: tableAccept }, query: { includeObject: 'None' } });
    expect(none.text).toContain('"object":null');
    const bad = await plane.client.raw('GET', pods, { headers: { Accept: tableAccept }, query: { includeObject: 'Everything' } });
    expect(expectStatus(bad, 400, 'BadRequest').message).toBe(
      `Unable to convert to Table as requested: includeObject: Invalid value: "Everything": must be 'Metadata', 'Object', 'None', or empty`,
    );
  });

  it('keeps the list’s continue token and remaining count', async () => {
    const page = await read<Table>(pods, tableAccept, { limit: '1' });
    expect(page.rows).toHaveLength(1);
    expect(page.metadata).toMatchObject({ continue: expect.any(String), remainingItemCount: 1 });
    const rest = await read<Table>(pods, tableAccept, { limit: '1', continue: page.metadata.continue! });
    expect(rest.rows.map((r) => r.cells[0])).not.toEqual(page.rows.map((r) => r.cells[0]));
    expect(rest.metadata.continue).toBeUndefined();
  });

  it('answers metadata only: PartialObjectMetadataList for a list, PartialObjectMetadata for one object', async () => {
    const list = await read<ListOf>(pods, 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    expect(list).toMatchObject({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: expect.any(String) } });
    expect(list.items.map((i) => [i.kind, i.apiVersion, i.metadata.name, Object.keys(i).sort()])).toEqual(
      expect.arrayContaining([['PartialObjectMetadata', 'meta.k8s.io/v1', 'web-0', ['apiVersion', 'kind', 'metadata']]]),
    );
    const one = await read<Obj>(`${pods}/web-0`, 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1');
    expect(Object.keys(one).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(one).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1beta1', metadata: { name: 'web-0', labels: { app: 'web' } } });
  });

  it('answers 406 for a conversion it cannot do and no fallback, and falls back when there is one', async () => {
    const get = (path: string, accept: string) => plane.client.raw('GET', path, { headers: { Accept: accept } });
    expectStatus(await get(pods, 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1'), 406, 'NotAcceptable');
    expect(expectStatus(await get(`${pods}/web-0`, 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'), 406).message).toBe(
      'you requested PartialObjectMetadataList, but the requested object is not a list (*v1.Pod)',
    );
    for (const accept of ['application/json;as=Table;g=example.com;v=v1', 'application/json;as=Widget;g=meta.k8s.io;v=v1', 'application/json;as=Table;g=meta.k8s.io;v=v2', 'text/html']) {
      expectStatus(await get(pods, accept), 406, 'NotAcceptable');
    }
    const plain = await get(pods, 'application/json;as=Table;g=meta.k8s.io;v=v2,application/json');
    expect((plain.json as ListOf).kind).toBe('PodList');
    // Preference goes by q before order.
    const preferred = await get(pods, 'application/json;q=0.5,application/json;as=Table;g=meta.k8s.io;v=v1');
    expect((preferred.json as Table).kind).toBe('Table');
  });
});

/** A watch read over HTTP with an Accept header: its events as they come. */
async function watchEvents(path: string, accept: string, query: string, until: (events: { type: string; object: Table & Obj }[]) => boolean, act?: () => Promise<unknown>) {
  const controller = new AbortController();
  const res = await fetch(`${plane.url}${path}?watch=true&${query}`, { headers: { Accept: accept }, signal: controller.signal });
  expect(res.status).toBe(200);
  const events: { type: string; object: Table & Obj }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const reading = (async () => {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        events.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
      }
    }
  })();
  try {
    await act?.();
    await withDeadline(reading, 10_000, `watch events of ${path}; got ${JSON.stringify(events.map((e) => e.type))}`);
  } finally {
    controller.abort();
    await reading.catch(() => undefined);
  }
  return events;
}

describe('Table watches', () => {
  // Objects created here live in their own namespace, out of the lists the other tests print.
  const watchNs = uniqueName('table-watches');
  const watchedPods = `/api/v1/namespaces/${watchNs}/pods`;
  beforeAll(() => plane.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: watchNs } }));

  it('sends each object as a one-row Table, with column definitions in the first event only', async () => {
    const name = uniqueName('watched');
    const events = await watchEvents(watchedPods, tableAccept, `fieldSelector=metadata.name=${name}&resourceVersion=0`, (e) => e.length >= 2, async () => {
      const created = await plane.client.create<Obj>(watchedPods, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [container] } });
      await plane.client.patch(`${watchedPods}/${name}`, { metadata: { labels: { changed: 'yes' } } });
      return created;
    });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    const [added, modified] = events.map((e) => e.object);
    expect(added).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', rows: [{ cells: [name, '0/1', 'Pending', '0', age, '<none>', '<none>', '<none>', '<none>'] }] });
    expect(added!.columnDefinitions).toHaveLength(9);
    expect(modified!.columnDefinitions).toBeNull();
    expect(modified!.rows[0]!.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name, labels: { changed: 'yes' } } });
    expect(modified!.metadata.resourceVersion).toBe(modified!.rows[0]!.object!.metadata.resourceVersion);
  });

  it('leaves bookmarks and errors as they are', async () => {
    const bookmarks = await watchEvents(pods, tableAccept, 'resourceVersion=0&allowWatchBookmarks=true&timeoutSeconds=1', (e) => e.some((x) => x.type === 'BOOKMARK'));
    expect(bookmarks.find((e) => e.type === 'BOOKMARK')!.object).toEqual({ kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: expect.any(String) } });
    const configMaps = `/api/v1/namespaces/${watchNs}/configmaps`;
    const before = (await plane.client.get<ListOf>(configMaps)).metadata.resourceVersion!;
    for (let i = 0; i < 7; i++) await plane.client.create(configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } });
    const expired = await watchEvents(configMaps, tableAccept, `resourceVersion=${before}`, (e) => e.length > 0);
    expect(expired).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', apiVersion: 'v1', code: 410, reason: 'Expired' }) }]);
  });

  it('sends PartialObjectMetadata, bookmarks included, to a metadata-only watch', async () => {
    const events = await watchEvents(pods, 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1', 'resourceVersion=0&allowWatchBookmarks=true&timeoutSeconds=1', (e) =>
      e.some((x) => x.type === 'BOOKMARK'),
    );
    const added = events.find((e) => e.type === 'ADDED' && e.object.metadata.name === 'web-0')!.object;
    expect(Object.keys(added).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(added.kind).toBe('PartialObjectMetadata');
    expect(events.find((e) => e.type === 'BOOKMARK')!.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' });
  });
});

describe('custom resources', () => {
  beforeAll(async () => {
    const [crd, ...shirtObjects] = [...manifestFile('customresourcedefinition/shirt-resource-definition.yaml'), ...manifestFile('customresourcedefinition/shirt-resources.yaml')];
    await plane.client.create('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    await eventually('the shirts resource', async () => ((await plane.client.raw('GET', shirts)).status === 200 ? true : undefined), 10_000);
    for (const shirt of shirtObjects) await plane.client.create(shirts, shirt);
  }, 30_000);

  it('prints NAME and the CRD’s additionalPrinterColumns', async () => {
    const table = await read<Table>(shirts, tableAccept);
    expect(table.columnDefinitions!.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Color', 'string'], ['Size', 'string']]);
    expect(table.rows.map((r) => r.cells)).toEqual([['example1', 'blue', 'S'], ['example2', 'blue', 'M'], ['example3', 'green', 'M']]);
  });
});

/** The lines kubectl printed, each split on runs of two or more spaces (its column gaps). */
function rows(stdout: string): string[][] {
  return stdout.trimEnd().split('\n').map((line) => line.trim().split(/\s{2,}/));
}

async function get(...args: string[]): Promise<string[][]> {
  const result = await kubectl.get().run(['get', ...args]);
  if (result.code !== 0) throw new Error(`kubectl get ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return rows(result.stdout);
}

describe('kubectl get', () => {
  it('prints pods with Kubernetes’ columns, and more with -o wide', async () => {
    expect(await get('pods', '-n', ns)).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['db-0', '0/1', 'Pending', '0', age],
      ['web-0', '1/1', 'Running', '0', age],
    ]);
    const wide = await get('pods', '-n', ns, '-o', 'wide');
    expect(wide[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(wide[2]).toEqual(['web-0', '1/1', 'Running', '0', age, '10.0.0.7', 'node-1', '<none>', '<none>']);
  });

  it('prints deployments, services, nodes, namespaces and events', async () => {
    expect(await get('deploy', '-n', ns)).toEqual([['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['web', '0/2', '0', '0', age]]);
    expect(await get('svc', '-n', ns, '-o', 'wide')).toEqual([
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
      ['web', 'ClusterIP', '10.96.0.20', '<none>', '80/TCP', age, 'app=web'],
    ]);
    expect(await get('nodes')).toEqual([['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'], ['node-1', 'Ready', 'control-plane', age, 'v1.32.0']]);
    expect((await get('nodes', '-o', 'wide'))[1]).toEqual(['node-1', 'Ready', 'control-plane', age, 'v1.32.0', '192.168.1.10', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.0']);
    expect(await get('ns', ns)).toEqual([['NAME', 'STATUS', 'AGE'], [ns, 'Active', age]]);
    expect(await get('events', '-n', ns)).toEqual([['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], [age, 'Normal', 'Scheduled', 'pod/web-0', 'Successfully assigned web-0 to node-1']]);
  });

  it('prints every resource of the category all, one table per kind', async () => {
    const result = await kubectl.get().run(['get', 'all', '-n', ns]);
    const sections = result.stdout.trimEnd().split('\n\n').map(rows);
    expect(sections).toEqual([
      [['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], ['pod/db-0', '0/1', 'Pending', '0', age], ['pod/web-0', '1/1', 'Running', '0', age]],
      [['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], ['service/web', 'ClusterIP', '10.96.0.20', '<none>', '80/TCP', age]],
      [['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'], ['daemonset.apps/web-ds', '0', '0', '0', '0', '0', '<none>', age]],
      [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['deployment.apps/web', '0/2', '0', '0', age]],
      [['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], ['replicaset.apps/web-rs', '1', '0', '0', age]],
      [['NAME', 'READY', 'AGE'], ['statefulset.apps/web-sts', '0/3', age]],
      [['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'], ['cronjob.batch/nightly', '0 3 * * *', '<none>', 'False', '0', '<none>', age]],
      // DURATION is empty until the job starts: the split leaves the gap between COMPLETIONS and AGE.
      [['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], ['job.batch/once', 'Running', '0/1', age]],
    ]);
  });

  it('adds NAMESPACE with -A and LABELS with --show-labels, filters with -l, sorts with --sort-by', async () => {
    const all = await get('pods', '-A');
    expect(all[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(all).toContainEqual([ns, 'web-0', '1/1', 'Running', '0', age]);
    expect(await get('pods', '-n', ns, '--show-labels')).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS'],
      ['db-0', '0/1', 'Pending', '0', age, 'app=db'],
      ['web-0', '1/1', 'Running', '0', age, 'app=web'],
    ]);
    expect((await get('pods', '-n', ns, '-l', 'app=web')).map((r) => r[0])).toEqual(['NAME', 'web-0']);
    // Sorting by a field outside metadata needs the whole objects (includeObject=Object).
    expect((await get('pods', '-n', ns, '--sort-by=.spec.nodeName')).map((r) => r[0])).toEqual(['NAME', 'web-0', 'db-0']);
  });

  it('prints a custom resource’s printer columns, and its CRD with the default NAME CREATED AT', async () => {
    expect(await get('crd', 'shirts.stable.example.com')).toEqual([['NAME', 'CREATED AT'], ['shirts.stable.example.com', expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)]]);
    expect(await get('shirts', '-n', ns)).toEqual([
      ['NAME', 'COLOR', 'SIZE'],
      ['example1', 'blue', 'S'],
      ['example2', 'blue', 'M'],
      ['example3', 'green', 'M'],
    ]);
  });

  it('prints later changes with -w', async () => {
    const watching = kubectl.get().start(['get', 'pods', '-n', ns, '-w']);
    try {
      await watching.waitFor(/web-0\s+1\/1\s+Running/);
      await plane.client.create(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late-0' }, spec: { containers: [container] } });
      await watching.waitFor(/late-0\s+0\/1\s+Pending\s+0\s+\d+s/);
      expect(watching.output().match(/^NAME\s/gm)).toHaveLength(1);
    } finally {
      await watching.stop();
    }
  });
});
