/** kubectl label, annotate, patch (strategic, merge, json) and scale against Marina. */
import { useCluster } from './e2e';

const cluster = useCluster();

interface Deployment {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion: string };
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string; env?: { name: string; value: string }[] }[] } } };
}

const path = '/apis/apps/v1/namespaces/default/deployments/web';
const get = () => cluster.plane.client.get<Deployment>(path);

beforeAll(async () => {
  await cluster.plane.client.create('/apis/apps/v1/namespaces/default/deployments', {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.26' }, { name: 'sidecar', image: 'busybox:1.36' }] } },
    },
  });
});

describe('kubectl label and annotate', () => {
  it('adds, overwrites and removes labels', async () => {
    expect((await cluster.ok(['label', 'deploy', 'web', 'tier=front'])).trim()).toBe('deployment.apps/web labeled');
    expect((await get()).metadata.labels).toEqual({ app: 'web', tier: 'front' });
    const refused = await cluster.fails(['label', 'deploy', 'web', 'tier=back']);
    expect(refused.stderr).toContain("'tier' already has a value (front), and --overwrite is false");
    await cluster.ok(['label', 'deploy', 'web', 'tier=back', '--overwrite']);
    await cluster.ok(['label', 'deploy', 'web', 'tier-']);
    expect((await get()).metadata.labels).toEqual({ app: 'web' });
  });

  it('annotates', async () => {
    expect((await cluster.ok(['annotate', 'deploy', 'web', 'owner=team-a'])).trim()).toBe('deployment.apps/web annotated');
    expect((await get()).metadata.annotations).toMatchObject({ owner: 'team-a' });
  });
});

describe('kubectl patch', () => {
  it('applies a strategic merge patch by default (containers merged by name)', async () => {
    await cluster.ok(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}']);
    const containers = (await get()).spec.template.spec.containers;
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['app=nginx:1.27', 'sidecar=busybox:1.36']);
  });

  it('applies a merge patch (lists replaced)', async () => {
    await cluster.ok(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}']);
    expect((await get()).spec.replicas).toBe(3);
  });

  it('applies a JSON patch', async () => {
    await cluster.ok(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"add","path":"/spec/template/spec/containers/1/env","value":[{"name":"MODE","value":"debug"}]}]']);
    expect((await get()).spec.template.spec.containers[1]!.env).toEqual([{ name: 'MODE', value: 'debug' }]);
  });

  it('reports a patch that changes nothing', async () => {
    const before = (await get()).metadata.resourceVersion;
    expect((await cluster.ok(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}'])).trim()).toBe('deployment.apps/web patched (no change)');
    expect((await get()).metadata.resourceVersion).toBe(before);
  });
});

describe('kubectl scale', () => {
  it('scales through the scale subresource', async () => {
    expect((await cluster.ok(['scale', 'deploy', 'web', '--replicas=4'])).trim()).toBe('deployment.apps/web scaled');
    expect((await get()).spec.replicas).toBe(4);
  });

  it('checks --current-replicas', async () => {
    const refused = await cluster.fails(['scale', 'deploy', 'web', '--current-replicas=2', '--replicas=6']);
    expect(refused.stderr).toContain('error: Expected replicas to be 2, was 4');
    expect((await get()).spec.replicas).toBe(4);
    await cluster.ok(['scale', 'deploy', 'web', '--current-replicas=4', '--replicas=6']);
    expect((await get()).spec.replicas).toBe(6);
  });
});
