/**
 * kubectl delete against Marina: by file, by name and by selector; each --cascade mode; kubectl
 * returns only once the object is gone. The garbage collector runs in-process for the whole file
 * (foreground and orphan deletion wait for it to remove their finalizers).
 */
import { stringify } from 'yaml';
import { RestClient } from '../../client/restClient';
import { register as registerGarbageCollector, type GarbageCollector } from '../../controllers/garbagecollector';
import { Manager } from '../../controllers/runtime/manager';
import { until, useCluster } from './e2e';

const cluster = useCluster();

const configMap = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data: { k: 'v' } });

async function exists(path: string): Promise<boolean> {
  return (await cluster.plane.client.raw('GET', path)).status === 200;
}

describe('kubectl delete', () => {
  // Inside the describe, so the manager starts after the control plane and stops before it.
  let manager: Manager | undefined;
  beforeAll(async () => {
    manager = new Manager({ client: new RestClient({ server: cluster.plane.url, rateLimit: false }), name: 'kube-controller-manager', leaderElection: false });
    const gc: GarbageCollector = registerGarbageCollector(manager);
    await manager.start();
    await until('the garbage collector to sync', async () => (gc.isSynced ? true : undefined), 30_000);
  }, 60_000);
  afterAll(async () => {
    await manager?.stop();
  }, 30_000);

  it('deletes by file', async () => {
    const manifest = stringify(configMap('from-file'));
    await cluster.ok(['apply', '-f', '-'], manifest);
    expect((await cluster.ok(['delete', '-f', '-'], manifest)).trim()).toBe('configmap "from-file" deleted');
    expect(await exists('/api/v1/namespaces/default/configmaps/from-file')).toBe(false);
  });

  it('deletes by name and by selector', async () => {
    for (const [name, tier] of [['a', 'x'], ['b', 'x'], ['c', 'y']] as const) {
      await cluster.plane.client.create('/api/v1/namespaces/default/configmaps', configMap(name, { tier }));
    }
    expect((await cluster.ok(['delete', 'configmap', 'c'])).trim()).toBe('configmap "c" deleted');
    const out = (await cluster.ok(['delete', 'configmaps', '-l', 'tier=x'])).trim().split('\n').sort();
    expect(out).toEqual(['configmap "a" deleted', 'configmap "b" deleted']);
    for (const n of ['a', 'b', 'c']) expect(await exists(`/api/v1/namespaces/default/configmaps/${n}`)).toBe(false);
  });

  for (const cascade of ['background', 'foreground', 'orphan'] as const) {
    it(`deletes with --cascade=${cascade} and returns once the object is gone`, async () => {
      const name = `cascade-${cascade}`;
      await cluster.plane.client.create('/apis/apps/v1/namespaces/default/deployments', {
        metadata: { name },
        spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      });
      const out = await cluster.ok(['delete', 'deployment', name, `--cascade=${cascade}`, '--timeout=60s']);
      expect(out.trim()).toBe(`deployment.apps "${name}" deleted`);
      expect(await exists(`/apis/apps/v1/namespaces/default/deployments/${name}`)).toBe(false);
    });
  }

  it('reports a missing object', async () => {
    const missing = await cluster.fails(['delete', 'configmap', 'nope']);
    expect(missing.stderr).toContain('Error from server (NotFound): configmaps "nope" not found');
  });
});
