/**
 * envtest (a private etcd + API server for controller tests) with a CRD installed, a controller
 * of the custom resource built with the builder (its kind given explicitly), and updateStatus
 * under concurrent writers: conflicts are retried by re-reading and re-applying the mutation,
 * so no update is lost.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KubeObject } from '../../api/kinds/kind';
import { loadKubeconfig } from '../../client/kubeconfig';
import { MetricsRegistry } from '../../client/metrics';
import { RestClient } from '../../client/restClient';
import { newControllerManagedBy } from '../../controllers/runtime/builder';
import { installCrds, startEnvironment, type TestEnvironment } from '../../controllers/runtime/envtest';
import { Manager } from '../../controllers/runtime/manager';
import { createOrUpdate, setControllerReference, updateStatus } from '../../controllers/runtime/objects';
import { eventually, uniqueName } from '../client/helpers';

const widgets = { group: 'test.marina.dev', version: 'v1', resource: 'widgets' };
const configMaps = { group: '', version: 'v1', resource: 'configmaps' };

interface Widget extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; generation?: number };
  spec?: { size?: number };
  status?: { count?: number; observedGeneration?: number; notes?: string[] };
}

const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.test.marina.dev' },
  spec: {
    group: 'test.marina.dev',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' } } },
              status: { type: 'object', properties: { count: { type: 'integer' }, observedGeneration: { type: 'integer' }, notes: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
      },
    ],
  },
};

let env: TestEnvironment;
beforeAll(async () => {
  env = await startEnvironment({ crds: [widgetCrd] });
}, 60_000);
afterAll(async () => {
  await env?.stop();
}, 60_000);

const widget = (name: string, size: number): Widget => ({ apiVersion: 'test.marina.dev/v1', kind: 'Widget', metadata: { name }, spec: { size } });

describe('envtest', () => {
  it('serves the installed CRD at once, and writes a kubeconfig for its API server', async () => {
    const list = await env.client.resource(widgets, 'default').list();
    expect(list.items).toEqual([]);
    const kubeconfig = await loadKubeconfig(env.kubeconfig);
    expect(kubeconfig.server).toBe(env.url);
    expect((await fetch(`${env.url}/readyz`)).status).toBe(200);
  });

  it('stop() stops the processes and removes the temporary files', async () => {
    const other = await startEnvironment();
    const dir = dirname(other.kubeconfig);
    expect(existsSync(dir)).toBe(true);
    await other.stop();
    await other.stop(); // twice is fine
    expect(existsSync(dir)).toBe(false);
    await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
    await expect(fetch(`${other.etcdEndpoint}/health`)).rejects.toThrow();
  });

  it('installCrds reports a CRD that never becomes Established (its kind conflicts with an installed one)', async () => {
    const bad = { ...widgetCrd, metadata: { name: 'gadgets.test.marina.dev' }, spec: { ...(widgetCrd['spec'] as object), names: { plural: 'gadgets', kind: 'Widget' } } };
    await expect(installCrds(env.client, [bad], 500)).rejects.toThrow(/gadgets.test.marina.dev was not Established within 500 ms: .*NamesAccepted=False/);
  });
});

describe('a custom resource controller on envtest', () => {
  it('reconciles Widgets (for-kind given explicitly) into owned ConfigMaps, and writes status', async () => {
    const manager = new Manager({ client: new RestClient({ server: env.url, rateLimit: false }), name: uniqueName('widgets'), leaderElection: false });
    try {
      const cache = manager.informers.informerFor<Widget>(widgets);
      newControllerManagedBy(manager)
        .for(widgets, { kind: { apiVersion: 'test.marina.dev/v1', kind: 'Widget' } })
        .owns(configMaps)
        .complete(async (req) => {
          const w = cache.lister.get(req.namespace, req.name);
          if (!w) return;
          await createOrUpdate(manager.client, configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${w.metadata.name}-parts`, namespace: req.namespace } }, (cm) => {
            setControllerReference(w, cm);
            (cm as KubeObject)['data'] = { size: String(w.spec?.size ?? 0) };
          });
          await updateStatus<Widget>(manager.client, widgets, req.namespace, req.name, (latest) => {
            latest.status = { ...latest.status, observedGeneration: latest.metadata.generation ?? 0 };
          });
        });
      await manager.start();
      const ws = env.client.resource<Widget>(widgets, 'default');
      await ws.create(widget('w1', 3));
      const parts = env.client.resource<KubeObject & { data?: Record<string, string> }>(configMaps, 'default');
      const partsSize = async () => {
        const res = await env.client.raw('GET', parts.path('w1-parts'));
        return res.status === 200 ? (res.json as { data?: Record<string, string> }).data?.['size'] : undefined;
      };
      await eventually('the parts ConfigMap', async () => ((await partsSize()) === '3' ? true : undefined));
      await eventually('status.observedGeneration', async () => ((await ws.get('w1')).status?.observedGeneration === 1 ? true : undefined));
      // owns(): deleting the owned ConfigMap brings it back (mapped to the Widget through its controller reference).
      await parts.delete('w1-parts');
      await eventually('the parts ConfigMap again', async () => ((await partsSize()) === '3' ? true : undefined));
    } finally {
      await manager.stop();
    }
  });
});

describe('updateStatus with concurrent writers', () => {
  it('re-reads and re-applies the mutation on 409 Conflict', async () => {
    const ws = env.client.resource<Widget>(widgets, 'default');
    await ws.create(widget('race', 1));
    let calls = 0;
    const result = await updateStatus<Widget>(env.client, widgets, 'default', 'race', async (latest) => {
      calls++;
      // The first time, another writer changes the status between our read and our write.
      if (calls === 1) await updateStatus<Widget>(env.client, widgets, 'default', 'race', (w) => void (w.status = { ...w.status, notes: ['other'] }));
      latest.status = { ...latest.status, count: (latest.status?.count ?? 0) + 1 };
    });
    expect(calls).toBe(2);
    expect(result.status).toEqual({ notes: ['other'], count: 1 });
    // Nothing to change: no write.
    const rv = result.metadata.resourceVersion;
    const same = await updateStatus<Widget>(env.client, widgets, 'default', 'race', (w) => void (w.status = { ...w.status }));
    expect(same.metadata.resourceVersion).toBe(rv);
  });

  it('two writers incrementing a counter 15 times each: every increment lands exactly once', async () => {
    const ws = env.client.resource<Widget>(widgets, 'default');
    await ws.create(widget('counter', 1));
    const metrics = new MetricsRegistry();
    const writers = [0, 1].map(() => new RestClient({ server: env.url, rateLimit: false, metrics }));
    await Promise.all(
      writers.map(async (client) => {
        for (let i = 0; i < 15; i++) {
          await updateStatus<Widget>(client, widgets, 'default', 'counter', (w) => void (w.status = { ...w.status, count: (w.status?.count ?? 0) + 1 }), { attempts: 50, initialDelayMs: 1 });
        }
      }),
    );
    expect((await ws.get('counter')).status?.count).toBe(30);
    // Exactly one successful write per increment: a write that collided (409) was redone on a fresh read.
    expect(metrics.counter('rest_client_requests_total', '').get({ method: 'PUT', code: '200' })).toBe(30);
  });
});
