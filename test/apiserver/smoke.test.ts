import { useControlPlane } from '../harness/apiserver';

const plane = useControlPlane();

describe('API server smoke', () => {
  it('serves CRUD and watch for pods', async () => {
    const c = plane.client;
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const created = await c.create<{ metadata: { resourceVersion: string; uid: string } }>('/api/v1/namespaces/default/pods', pod);
    expect(created.metadata.uid).toBeTruthy();
    const events: string[] = [];
    const w = await c.watch<{ metadata: { name: string } }>('/api/v1/namespaces/default/pods', { resourceVersion: created.metadata.resourceVersion }, (e) => events.push(`${e.type} ${e.object.metadata.name}`));
    await c.patch('/api/v1/namespaces/default/pods/p1', { metadata: { labels: { a: 'b' } } });
    await c.delete('/api/v1/namespaces/default/pods/p1');
    const deadline = Date.now() + 5000;
    while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    w.close();
    expect(events).toEqual(['MODIFIED p1', 'DELETED p1']);
  });
});
