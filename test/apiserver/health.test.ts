/**
 * The server's own endpoints: health (/healthz, /livez, /readyz), /version, /metrics in the
 * Prometheus text format, legacy discovery (/api, /apis, /api/v1, /apis/<group>/<version>), and
 * the real `marina apiserver` process: start, serve, SIGTERM, clean exit with JSON logs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RestClient, type Watch } from '../../client/restClient';
import { useControlPlane } from '../harness/apiserver';
import { startTestEtcd, type TestEtcd } from '../harness/etcd';
import { eventually, resourcePath, uniqueName, withDeadline } from './helpers';

const plane = useControlPlane();

const ns = 'default';
const cmPath = resourcePath('/api/v1', 'configmaps', ns);

// --- Prometheus text format -------------------------------------------------------------------

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}
interface Exposition {
  readonly types: Map<string, string>;
  readonly helps: Map<string, string>;
  readonly samples: Sample[];
}

function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help) {
      helps.set(help[1]!, help[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    let consumed = 0;
    for (let l = re.exec(body); l; l = re.exec(body)) {
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      consumed = re.lastIndex;
    }
    if (consumed !== body.length) throw new Error(`bad label set in ${JSON.stringify(line)}`);
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`bad value in ${JSON.stringify(line)}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, helps, samples };
}

async function scrape(): Promise<Exposition> {
  const res = await plane.client.raw('GET', '/metrics', { headers: { Accept: 'text/plain' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parseExposition(res.text);
}

const matching = (e: Exposition, name: string, labels: Record<string, string>) =>
  e.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

const valueOf = (e: Exposition, name: string, labels: Record<string, string>) => matching(e, name, labels).reduce((sum, s) => sum + s.value, 0);

// --- health and version ---------------------------------------------------------------------

describe('health endpoints', () => {
  it.each(['/healthz', '/livez', '/readyz'])('%s answers 200 ok', async (path) => {
    const res = await plane.client.raw('GET', path, { headers: { Accept: '*/*' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toBe('ok');
  });

  it.each([
    ['/healthz', 'healthz'],
    ['/livez', 'livez'],
    ['/readyz', 'readyz'],
  ])('%s?verbose lists each check and the verdict', async (path, name) => {
    const res = await plane.client.raw('GET', path, { query: { verbose: '' }, headers: { Accept: '*/*' } });
    expect(res.status).toBe(200);
    // As Kubernetes prints it: `[+]ping ok` ... then `healthz check passed`.
    expect(res.text).toMatch(new RegExp(`^(\\[\\+\\][\\w-]+ ok\n)+${name} check passed\n?$`));
    const lines = res.text.trim().split('\n');
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^\[\+\][\w-]+ ok$/);
    expect(lines[lines.length - 1]).toBe(`${name} check passed`);
    if (name !== 'readyz') expect(lines).toContain('[+]ping ok');
    else expect(lines).toContain('[+]etcd ok');
  });
});

describe('/version', () => {
  it('reports Kubernetes 1.32', async () => {
    const res = await plane.client.raw('GET', '/version');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const v = res.json as Record<string, string>;
    expect(v.major).toBe('1');
    expect(v.minor).toBe('32');
    expect(v.gitVersion).toMatch(/^v1\.32\.\d+/);
    for (const field of ['gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']) expect(typeof v[field]).toBe('string');
    expect(v.platform).toMatch(/^\w+\/\w+$/);
  });
});

// --- metrics --------------------------------------------------------------------------------

describe('/metrics', () => {
  it('is valid Prometheus text with HELP and TYPE for every metric', async () => {
    const e = await scrape();
    const names = new Set(e.samples.map((s) => s.name.replace(/_(bucket|sum|count)$/, '')));
    for (const n of names) {
      const base = e.types.has(n) ? n : undefined;
      expect({ metric: n, typed: base !== undefined }).toEqual({ metric: n, typed: true });
      expect(e.helps.has(n)).toBe(true);
    }
  });

  it('apiserver_request_total counts requests by verb, group, resource, subresource and code', async () => {
    const missing = uniqueName('missing');
    const before = await scrape();
    const getLabels = { verb: 'get', group: '', resource: 'configmaps', subresource: '', code: '404' };
    const createLabels = { verb: 'create', group: '', resource: 'configmaps', subresource: '', code: '201' };
    const deployLabels = { verb: 'list', group: 'apps', resource: 'deployments', subresource: '', code: '200' };
    expect(before.types.get('apiserver_request_total')).toBe('counter');

    expect((await plane.client.raw('GET', cmPath(missing))).status).toBe(404);
    expect((await plane.client.raw('GET', cmPath(missing))).status).toBe(404);
    expect((await plane.client.raw('POST', cmPath(), { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: uniqueName('m') } } })).status).toBe(201);
    expect((await plane.client.raw('GET', `/apis/apps/v1/namespaces/${ns}/deployments`)).status).toBe(200);

    const after = await scrape();
    expect(valueOf(after, 'apiserver_request_total', getLabels) - valueOf(before, 'apiserver_request_total', getLabels)).toBe(2);
    expect(valueOf(after, 'apiserver_request_total', createLabels) - valueOf(before, 'apiserver_request_total', createLabels)).toBe(1);
    expect(valueOf(after, 'apiserver_request_total', deployLabels) - valueOf(before, 'apiserver_request_total', deployLabels)).toBe(1);
  });

  it('apiserver_request_duration_seconds is a histogram per verb and resource', async () => {
    await plane.client.raw('GET', cmPath(uniqueName('h')));
    const e = await scrape();
    expect(e.types.get('apiserver_request_duration_seconds')).toBe('histogram');
    const labels = { verb: 'get', group: '', resource: 'configmaps', subresource: '' };
    const buckets = matching(e, 'apiserver_request_duration_seconds_bucket', labels);
    expect(buckets.length).toBeGreaterThan(1);
    const sorted = [...buckets].sort((a, b) => Number(a.labels.le === '+Inf' ? Infinity : a.labels.le) - Number(b.labels.le === '+Inf' ? Infinity : b.labels.le));
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.value).toBeGreaterThanOrEqual(sorted[i - 1]!.value);
    const inf = buckets.find((b) => b.labels.le === '+Inf');
    const count = valueOf(e, 'apiserver_request_duration_seconds_count', labels);
    expect(inf?.value).toBe(count);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(valueOf(e, 'apiserver_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
  });

  it('apiserver_registered_watchers follows open watches', async () => {
    const watchersFor = async () => {
      const e = await scrape();
      expect(e.types.get('apiserver_registered_watchers')).toBe('gauge');
      return e.samples.filter((s) => s.name === 'apiserver_registered_watchers' && Object.values(s.labels).some((v) => /configmaps?/i.test(v))).reduce((n, s) => n + s.value, 0);
    };
    const initial = await watchersFor();
    const w = await plane.client.watch(cmPath(), { resourceVersion: '0' }, () => {});
    try {
      await eventually('the watcher to be counted', async () => ((await watchersFor()) === initial + 1 ? true : undefined));
    } finally {
      w.close();
    }
    await eventually('the watcher to be uncounted', async () => ((await watchersFor()) === initial ? true : undefined));
  });

  it('etcd_request_duration_seconds is a histogram per operation', async () => {
    await plane.client.raw('GET', cmPath(uniqueName('etcd')));
    const e = await scrape();
    expect(e.types.get('etcd_request_duration_seconds')).toBe('histogram');
    const counts = e.samples.filter((s) => s.name === 'etcd_request_duration_seconds_count');
    expect(counts.length).toBeGreaterThan(0);
    for (const c of counts) expect(c.labels.operation).toMatch(/\w/);
    expect(valueOf(e, 'etcd_request_duration_seconds_count', { operation: 'get' })).toBeGreaterThanOrEqual(1);
  });
});

// --- discovery ------------------------------------------------------------------------------

interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
  shortNames?: string[];
  categories?: string[];
}
interface APIResourceList {
  kind: string;
  apiVersion: string;
  groupVersion: string;
  resources: APIResource[];
}
interface APIGroup {
  name: string;
  versions: { groupVersion: string; version: string }[];
  preferredVersion: { groupVersion: string; version: string };
}

describe('legacy discovery', () => {
  const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

  it('/api lists the core versions', async () => {
    const res = await plane.client.raw('GET', '/api');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  it('/apis lists the groups with their preferred version', async () => {
    const res = await plane.client.raw('GET', '/apis');
    expect(res.status).toBe(200);
    const list = res.json as { kind: string; apiVersion: string; groups: APIGroup[] };
    expect(list.kind).toBe('APIGroupList');
    expect(list.apiVersion).toBe('v1');
    const names = list.groups.map((g) => g.name);
    for (const g of ['apps', 'batch', 'rbac.authorization.k8s.io', 'coordination.k8s.io', 'policy', 'scheduling.k8s.io', 'apiextensions.k8s.io']) expect(names).toContain(g);
    expect(names).not.toContain('');
    for (const g of list.groups) {
      expect(g.versions.length).toBeGreaterThan(0);
      expect(g.versions).toContainEqual(g.preferredVersion);
      expect(g.preferredVersion.groupVersion).toBe(`${g.name}/${g.preferredVersion.version}`);
    }
    expect(list.groups.find((g) => g.name === 'apps')?.preferredVersion).toEqual({ groupVersion: 'apps/v1', version: 'v1' });

    const apps = await plane.client.raw('GET', '/apis/apps');
    expect(apps.status).toBe(200);
    expect(apps.json).toMatchObject({ kind: 'APIGroup', name: 'apps', preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });
    expect((await plane.client.raw('GET', '/apis/no.such.group')).status).toBe(404);
    expect((await plane.client.raw('GET', '/apis/apps/v7')).status).toBe(404);
  });

  it('/api/v1 lists the core resources and their subresources', async () => {
    const res = await plane.client.raw('GET', '/api/v1');
    expect(res.status).toBe(200);
    const list = res.json as APIResourceList;
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const byName = new Map(list.resources.map((r) => [r.name, r]));

    const pods = byName.get('pods')!;
    expect(pods).toMatchObject({ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] });
    expect([...pods.verbs].sort()).toEqual(allVerbs);
    expect(byName.get('pods/status')).toMatchObject({ namespaced: true, kind: 'Pod' });
    expect([...byName.get('pods/status')!.verbs].sort()).toEqual(['get', 'patch', 'update']);
    expect(byName.get('pods/binding')).toMatchObject({ namespaced: true, kind: 'Binding', verbs: ['create'] });

    expect(byName.get('namespaces')).toMatchObject({ singularName: 'namespace', namespaced: false, kind: 'Namespace', shortNames: ['ns'] });
    expect(byName.get('namespaces/finalize')).toMatchObject({ kind: 'Namespace', verbs: ['update'] });
    expect(byName.get('nodes')).toMatchObject({ namespaced: false, kind: 'Node', shortNames: ['no'] });
    expect(byName.get('configmaps')).toMatchObject({ namespaced: true, kind: 'ConfigMap', singularName: 'configmap', shortNames: ['cm'] });
    expect(byName.has('configmaps/status')).toBe(false);
    // Only core resources here.
    expect(byName.has('deployments')).toBe(false);
  });

  it('/apis/apps/v1 lists deployments with scale and status', async () => {
    const res = await plane.client.raw('GET', '/apis/apps/v1');
    expect(res.status).toBe(200);
    const list = res.json as APIResourceList;
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
    const byName = new Map(list.resources.map((r) => [r.name, r]));
    const deployments = byName.get('deployments')!;
    expect(deployments).toMatchObject({ singularName: 'deployment', namespaced: true, kind: 'Deployment', shortNames: ['deploy'], categories: ['all'] });
    expect([...deployments.verbs].sort()).toEqual(allVerbs);
    expect(byName.get('deployments/scale')).toMatchObject({ namespaced: true, kind: 'Scale', group: 'autoscaling', version: 'v1' });
    expect([...byName.get('deployments/scale')!.verbs].sort()).toEqual(['get', 'patch', 'update']);
    expect(byName.get('deployments/status')).toMatchObject({ namespaced: true, kind: 'Deployment' });
    for (const r of ['statefulsets', 'replicasets', 'daemonsets', 'statefulsets/scale', 'replicasets/scale']) expect(byName.has(r)).toBe(true);
    expect(byName.has('pods')).toBe(false);
  });
});

// --- the real process -----------------------------------------------------------------------

const root = join(__dirname, '..', '..');
const sourceDirs = ['api', 'client', 'apiserver', 'controllers', 'scheduler', 'kubelet', 'cli', 'bench'];

function newestSourceMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const main = join(root, 'dist', 'cli', 'main.js');
  const sources = Math.max(...sourceDirs.map((d) => newestSourceMtime(join(root, d))));
  if (existsSync(main) && statSync(main).mtimeMs >= sources) return;
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
}

interface Running {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

function startMarina(etcdEndpoint: string): Running {
  const env = { ...process.env };
  delete env.MARINA_LOG_LEVEL;
  const child = spawn(process.execPath, [join(root, 'bin', 'marina.js'), 'apiserver', '--etcd-servers', etcdEndpoint, '--port', '0'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l, i, all) => i < all.length - 1 && /^https?:\/\//.test(l.trim()));
      if (line) resolve(line.trim());
    });
    void exit.then(({ code, signal }) => reject(new Error(`marina apiserver exited (code ${code}, signal ${signal}) before printing its URL; stderr:\n${err}`)));
  });
  url.catch(() => {}); // observed by the test
  return { child, url, exit, stderr: () => err };
}

describe('the marina apiserver process', () => {
  let etcd: TestEtcd | undefined;
  let running: Running | undefined;

  beforeAll(async () => {
    ensureBuilt();
    etcd = await startTestEtcd();
  }, 60_000);

  afterAll(async () => {
    const child = running?.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await running!.exit;
    }
    await etcd?.stop();
  }, 30_000);

  it('serves, then on SIGTERM ends open watches cleanly and exits 0, logging JSON lines to stderr', async () => {
    running = startMarina(etcd!.endpoint);
    const url = await withDeadline(running.url, 15_000, 'the URL on stdout');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new RestClient({ server: url });

    const version = await client.raw('GET', '/version');
    expect(version.status).toBe(200);
    expect((version.json as { minor: string }).minor).toBe('32');
    const name = uniqueName('proc');
    expect((await client.raw('POST', cmPath(), { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } })).status).toBe(201);
    expect((await client.raw('GET', '/readyz')).status).toBe(200);

    const events: string[] = [];
    const watch: Watch = await client.watch<{ metadata: { name: string } }>(cmPath(), { resourceVersion: '0' }, (e) => events.push(`${e.type} ${e.object.metadata.name}`));
    await eventually('the watch to list the configmap', () => (events.includes(`ADDED ${name}`) ? true : undefined));

    const watchEnded = watch.done.then(
      () => 'ended',
      (err: unknown) => `failed: ${String(err)}`,
    );
    running.child.kill('SIGTERM');
    const exit = await withDeadline(running.exit, 5000, 'the process exit after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    // The stream was finished by the server (a clean end of the chunked body), not torn down.
    expect(await withDeadline(watchEnded, 1000, 'the end of the watch stream')).toBe('ended');

    const lines = running.stderr().split('\n').filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      let parsed: Record<string, unknown> | undefined;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        parsed = undefined;
      }
      expect({ line, json: parsed !== undefined }).toEqual({ line, json: true });
      expect(typeof parsed!.time).toBe('string');
      expect(Number.isNaN(Date.parse(parsed!.time as string))).toBe(false);
      expect(['debug', 'info', 'warn', 'error']).toContain(parsed!.level);
      expect(typeof parsed!.msg).toBe('string');
    }
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages).toContain('API server listening');
    expect(messages).toContain('API server stopped');
  }, 30_000);
});
