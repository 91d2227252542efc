/** kubectl api-resources, explain, create namespace and get all against Marina. */
import { useCluster } from './e2e';

const cluster = useCluster();

describe('kubectl discovery and schema', () => {
  it('lists api-resources with short names, versions, scope and kinds', async () => {
    const out = await cluster.ok(['api-resources']);
    expect(out).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m);
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(out).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
    expect(out).toMatch(/^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m);
  });

  it('explains pod.spec.containers from the OpenAPI document', async () => {
    const out = await cluster.ok(['explain', 'pod.spec.containers']);
    expect(out).toMatch(/^KIND:\s+Pod$/m);
    expect(out).toMatch(/^VERSION:\s+v1$/m);
    expect(out).toMatch(/^FIELD:\s+containers <\[\]Container>$/m);
    expect(out).toMatch(/^DESCRIPTION:/m);
    expect(out).toMatch(/^\s+image\s+<string>/m);
    expect(out).toMatch(/^\s+name\s+<string> -required-/m);
  });
});

describe('kubectl create namespace and get all', () => {
  it('creates a namespace', async () => {
    expect((await cluster.ok(['create', 'namespace', 'team-a'])).trim()).toBe('namespace/team-a created');
    const ns = await cluster.plane.client.get<{ status: { phase: string } }>('/api/v1/namespaces/team-a');
    expect(ns.status.phase).toBe('Active');
  });

  it('gets all in a namespace', async () => {
    const c = cluster.plane.client;
    await c.create('/api/v1/namespaces/team-a/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await c.create('/api/v1/namespaces/team-a/services', { metadata: { name: 's' }, spec: { ports: [{ port: 80 }], selector: { app: 'x' } } });
    await c.create('/apis/batch/v1/namespaces/team-a/jobs', { metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
    await c.create('/api/v1/namespaces/team-a/configmaps', { metadata: { name: 'not-in-all' } });
    const out = await cluster.ok(['get', 'all', '-n', 'team-a']);
    expect(out).toMatch(/^pod\/p\s/m);
    expect(out).toMatch(/^service\/s\s/m);
    expect(out).toMatch(/^job\.batch\/j\s/m);
    expect(out).not.toContain('not-in-all');
  });
});
