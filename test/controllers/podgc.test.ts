/**
 * The pod garbage collector on a real etcd + API server, with nodes created and deleted through the
 * API (no node agent runs: the test plays its part): orphaned pods are marked Failed
 * (DisruptionTarget, DeletionByPodGC) and force-deleted once their node is confirmed gone, after the
 * quarantine; pods on live nodes, or on a node that shows up within the quarantine, are kept;
 * pods stuck terminating on a deleted or out-of-service node are force-deleted; terminated pods over
 * the threshold go oldest first; no hot loop on a pod that cannot go.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { RestClient } from '../../client/restClient';
import { register } from '../../controllers/podgc';
import { Manager } from '../../controllers/runtime/manager';
import { startTestControlPlane, type TestControlPlane } from '../harness/apiserver';

// Polls have their own deadlines; a loaded machine (CI) must not cut them short.
jest.setTimeout(60_000);

let plane: TestControlPlane;
let manager: Manager;
let managerClient: RestClient;

const quarantineMs = 1000;

interface PodObj extends KubeObject {
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;
const status = async (path: string) => (await plane.client.raw('GET', path)).status;
const getPod = async (name: string) => {
  const res = await plane.client.raw('GET', podPath(name));
  return res.status === 200 ? (res.json as PodObj) : undefined;
};
const gone = (name: string, timeoutMs?: number) => until(`pod ${name} gone`, async () => ((await status(podPath(name))) === 404 ? true : undefined), timeoutMs);

async function createNode(name: string, opts: { ready?: boolean; outOfService?: boolean } = {}): Promise<void> {
  await plane.client.create('/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: opts.outOfService ? { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] } : {},
  });
  await plane.client.patch(`/api/v1/nodes/${name}/status`, { status: { conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] } });
}

async function createPod(name: string, opts: { node?: string; phase?: string; finalizers?: string[] } = {}): Promise<PodObj> {
  const pod = await plane.client.create<PodObj>('/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(opts.finalizers ? { finalizers: opts.finalizers } : {}) },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(opts.node ? { nodeName: opts.node } : {}) },
  });
  if (opts.phase) await plane.client.patch(`${podPath(name)}/status`, { status: { phase: opts.phase } });
  return pod;
}

beforeAll(async () => {
  plane = await startTestControlPlane();
  managerClient = new RestClient({ server: plane.url, rateLimit: false });
  manager = new Manager({ client: managerClient, name: 'podgc-test', leaderElection: false });
  register(manager, { gcCheckPeriodMs: 300, quarantineMs, terminatedPodThreshold: 3 });
  await manager.start();
}, 60_000);

afterAll(async () => {
  await manager?.stop();
  await plane?.stop();
}, 60_000);

describe('pod garbage collector', () => {
  it('marks orphaned pods Failed and force-deletes them once their node is gone; pods on live nodes stay', async () => {
    await createNode('doomed-node');
    await createNode('live-node');
    // A finalizer keeps the orphan visible after the collector's delete, to see what it wrote.
    await createPod('orphan', { node: 'doomed-node', phase: 'Running', finalizers: ['test.marina.dev/hold'] });
    await createPod('orphan-2', { node: 'doomed-node', phase: 'Running' });
    await createPod('kept', { node: 'live-node', phase: 'Running' });

    // Another writer keeps changing a pod meanwhile.
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const res = await plane.client.raw('PATCH', podPath('orphan-2'), { body: { metadata: { labels: { n: String(i) } } }, contentType: 'application/merge-patch+json' });
        if (res.status === 404) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const deletedAt = Date.now();
    await plane.client.delete('/api/v1/nodes/doomed-node');
    await gone('orphan-2');
    stop = true;
    await writer;
    // Not before the quarantine.
    expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(quarantineMs - 100);

    const orphan = await until('the orphan to be force-deleted', async () => {
      const p = await getPod('orphan');
      return p?.metadata?.deletionTimestamp ? p : undefined;
    });
    expect(orphan.metadata?.deletionGracePeriodSeconds).toBe(0);
    expect(orphan.status?.phase).toBe('Failed');
    expect(orphan.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    await plane.client.patch(podPath('orphan'), { metadata: { finalizers: null } });
    await gone('orphan');

    expect((await getPod('kept'))?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('keeps a pod whose node shows up within the quarantine', async () => {
    await createPod('early', { node: 'late-node', phase: 'Running' });
    await new Promise((r) => setTimeout(r, quarantineMs / 3));
    await createNode('late-node');
    await new Promise((r) => setTimeout(r, quarantineMs * 2));
    expect((await getPod('early'))?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('force-deletes a pod stuck terminating on a deleted node', async () => {
    await createNode('vanishing-node');
    await createPod('terminating', { node: 'vanishing-node', phase: 'Running' });
    // A bound pod is deleted gracefully: without a node agent it would stay forever.
    await plane.client.delete(podPath('terminating'), { gracePeriodSeconds: 300 });
    expect((await getPod('terminating'))?.metadata?.deletionTimestamp).toBeDefined();
    await plane.client.delete('/api/v1/nodes/vanishing-node');
    await gone('terminating');
  });

  it('force-deletes terminating pods on an out-of-service node that is not ready', async () => {
    await createNode('oos-node', { ready: false, outOfService: true });
    await createNode('healthy-node');
    await createPod('oos-pod', { node: 'oos-node', phase: 'Running' });
    await createPod('healthy-pod', { node: 'healthy-node', phase: 'Running' });
    await plane.client.delete(podPath('oos-pod'), { gracePeriodSeconds: 300 });
    await plane.client.delete(podPath('healthy-pod'), { gracePeriodSeconds: 300 });
    await gone('oos-pod');
    const healthy = await getPod('healthy-pod');
    expect(healthy?.metadata?.deletionGracePeriodSeconds).toBe(300);
    await plane.client.delete(podPath('healthy-pod'), { gracePeriodSeconds: 0 });
  });

  it('deletes terminated pods over the threshold, oldest first', async () => {
    await createNode('batch-node');
    for (let i = 1; i <= 5; i++) {
      await createPod(`done-${i}`, { node: 'batch-node', phase: i === 3 ? 'Failed' : 'Succeeded' });
      // Creation timestamps have a resolution of one second.
      if (i < 5) await new Promise((r) => setTimeout(r, 1000));
    }
    await gone('done-1');
    await gone('done-2');
    await new Promise((r) => setTimeout(r, 1000));
    for (const name of ['done-3', 'done-4', 'done-5']) expect(await getPod(name)).toBeDefined();
  }, 30_000);

  it('does not hot-loop on an orphan that cannot go', async () => {
    await createNode('gone-node');
    await createPod('stubborn', { node: 'gone-node', phase: 'Running', finalizers: ['test.marina.dev/never'] });
    await plane.client.delete('/api/v1/nodes/gone-node');
    await until('the stubborn pod to be force-deleted', async () => ((await getPod('stubborn'))?.metadata?.deletionTimestamp ? true : undefined));
    const before = managerClient.requestCount;
    await new Promise((r) => setTimeout(r, 3000));
    const sent = managerClient.requestCount - before;
    // Every 300 ms pass: one node GET and one repeated DELETE for the pod.
    expect(sent).toBeLessThan(40);
    await plane.client.patch(podPath('stubborn'), { metadata: { finalizers: null } });
    await gone('stubborn');
  });
});
