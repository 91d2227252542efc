/** Patches race with other writes: without a resourceVersion they are re-applied, never answered 409. */
import { useControlPlane } from '../harness/apiserver';
const plane = useControlPlane();
it('concurrent merge patches without a resourceVersion all succeed', async () => {
  const c = plane.client;
  await c.create('/api/v1/namespaces/default/configmaps', { metadata: { name: 'race' }, data: {} });
  const results = await Promise.all(
    Array.from({ length: 60 }, (_, i) => c.raw('PATCH', '/api/v1/namespaces/default/configmaps/race', { body: { data: { [`k${i}`]: 'v' } }, contentType: 'application/merge-patch+json' })),
  );
  expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
  const cm = await c.get<{ data: Record<string, string> }>('/api/v1/namespaces/default/configmaps/race');
  expect(Object.keys(cm.data)).toHaveLength(60);
  const stale = await c.raw('PATCH', '/api/v1/namespaces/default/configmaps/race', { body: { metadata: { resourceVersion: '1' }, data: { x: 'y' } }, contentType: 'application/merge-patch+json' });
  expect(stale.status).toBe(409);
});
