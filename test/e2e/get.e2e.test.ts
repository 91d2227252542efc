/**
 * kubectl get against Marina: server-side tables, output formats, selectors, all namespaces,
 * sorting and watching.
 */
import { useCluster } from './e2e';

const cluster = useCluster();

const pod = (name: string, labels: Record<string, string>, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
});

/** Rows of a printed table as arrays of cells (columns split on 2+ spaces). */
function table(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

beforeAll(async () => {
  const c = cluster.plane.client;
  await c.create('/api/v1/namespaces', { metadata: { name: 'other' } });
  await c.create('/api/v1/namespaces/default/pods', pod('web-b', { app: 'web', tier: 'front' }));
  await c.create('/api/v1/namespaces/default/pods', pod('web-a', { app: 'web', tier: 'back' }));
  await c.create('/api/v1/namespaces/default/pods', pod('db', { app: 'db' }));
  await c.create('/api/v1/namespaces/other/pods', pod('elsewhere', { app: 'web' }, 'other'));
  await c.create('/apis/apps/v1/namespaces/default/deployments', {
    metadata: { name: 'site' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'site' } }, template: { metadata: { labels: { app: 'site' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
  });
});

describe('kubectl get', () => {
  it('prints pods as the server-side table, with the columns Kubernetes has', async () => {
    const rows = table(await cluster.ok(['get', 'pods']));
    expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['db', '0/1', 'Pending', '0'],
      ['web-a', '0/1', 'Pending', '0'],
      ['web-b', '0/1', 'Pending', '0'],
    ]);
    for (const row of rows.slice(1)) expect(row[4]).toMatch(/^\d+[smhd]/);
  });

  it('adds the wide columns with -o wide', async () => {
    const rows = table(await cluster.ok(['get', 'pods', '-o', 'wide']));
    expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(rows[1]!.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });

  it('prints deployments with READY UP-TO-DATE AVAILABLE', async () => {
    const rows = table(await cluster.ok(['get', 'deployments']));
    expect(rows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(rows[1]!.slice(0, 4)).toEqual(['site', '0/2', '0', '0']);
  });

  it('prints yaml, json, names and jsonpath', async () => {
    const yaml = await cluster.ok(['get', 'pod', 'db', '-o', 'yaml']);
    expect(yaml).toMatch(/^apiVersion: v1\nkind: Pod\n/);
    expect(yaml).toContain('  name: db\n');
    const json = JSON.parse(await cluster.ok(['get', 'pods', '-o', 'json'])) as { kind: string; items: { metadata: { name: string } }[] };
    expect(json.kind).toBe('List');
    expect(json.items.map((i) => i.metadata.name)).toEqual(['db', 'web-a', 'web-b']);
    expect((await cluster.ok(['get', 'pods', '-o', 'name'])).trim().split('\n')).toEqual(['pod/db', 'pod/web-a', 'pod/web-b']);
    expect(await cluster.ok(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.labels.app}'])).toBe('db web web');
  });

  it('filters with -l and lists all namespaces with -A', async () => {
    expect((await cluster.ok(['get', 'pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n')).toEqual(['pod/web-a', 'pod/web-b']);
    expect((await cluster.ok(['get', 'pods', '-l', 'app=web,tier!=back', '-o', 'name'])).trim()).toBe('pod/web-b');
    const rows = table(await cluster.ok(['get', 'pods', '-A', '-l', 'app=web']));
    expect(rows[0]!.slice(0, 2)).toEqual(['NAMESPACE', 'NAME']);
    expect(rows.slice(1).map((r) => `${r[0]}/${r[1]}`)).toEqual(['default/web-a', 'default/web-b', 'other/elsewhere']);
  });

  it('sorts with --sort-by', async () => {
    const rows = table(await cluster.ok(['get', 'pods', '--sort-by=.metadata.labels.tier', '-l', 'app=web']));
    expect(rows.slice(1).map((r) => r[0])).toEqual(['web-a', 'web-b']);
    const byTime = table(await cluster.ok(['get', 'pods', '--sort-by=.metadata.creationTimestamp']));
    expect(byTime.slice(1).map((r) => r[0])).toHaveLength(3);
  });

  it('watches with -w and prints a later change', async () => {
    await cluster.plane.client.create('/api/v1/namespaces/default/pods', pod('early', { app: 'watched' }));
    const watch = cluster.kubectl().start(['get', 'pods', '-w', '-l', 'app=watched']);
    try {
      // The first row shows the watch is under way.
      await watch.waitFor(/early\s+0\/1\s+Pending/, 15_000);
      await cluster.plane.client.create('/api/v1/namespaces/default/pods', pod('late', { app: 'watched' }));
      await watch.waitFor(/late\s+0\/1\s+Pending/, 15_000);
    } finally {
      await watch.stop();
    }
  });

  it('gets everything in the category all', async () => {
    const out = await cluster.ok(['get', 'all']);
    expect(out).toContain('pod/db');
    expect(out).toContain('deployment.apps/site');
  });
});
