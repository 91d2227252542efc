/**
 * Updates start from the watch cache's copy of the object (one etcd read saved per write), so a
 * copy that is behind etcd must never decide an answer: a current precondition still succeeds, a
 * patch that is a no-op only on the stale copy is still written, a patch lands on the current
 * object, and a precondition that is really stale is still a 409.
 */
import type { StoredObject } from '../../apiserver/storage/interface';
import { isStatusError } from '../../api/status';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace } from './helpers';

const plane = useControlPlane();

interface ConfigMap {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  data?: Record<string, string>;
}

/** A ConfigMap at version 1 (kept as the stale copy) and then at version 2 in etcd. */
async function twoVersions(): Promise<{ ns: string; path: string; v1: ConfigMap; v2: ConfigMap; staleOnce: () => void }> {
  const ns = await createNamespace(plane.client, 'stale');
  const path = `/api/v1/namespaces/${ns}/configmaps/cm`;
  const v1 = await plane.client.create<ConfigMap>(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } });
  const v2 = await plane.client.patch<ConfigMap>(path, { data: { a: '2' } });
  const store = plane.server.registry.lookup('', 'v1', 'configmaps')!;
  // The next read of the cache answers with version 1, as a cache that has not seen version 2 yet.
  const staleOnce = () => void jest.spyOn(store.cacher, 'get').mockResolvedValueOnce(v1 as unknown as StoredObject);
  return { ns, path, v1, v2, staleOnce };
}

afterEach(() => jest.restoreAllMocks());

test('a precondition on the current version succeeds although the cached copy is older', async () => {
  const { path, v2, staleOnce } = await twoVersions();
  staleOnce();
  const updated = await plane.client.update<ConfigMap>(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', resourceVersion: v2.metadata.resourceVersion }, data: { a: '3' } });
  expect(updated.data).toEqual({ a: '3' });
});

test('a patch that would change nothing on the stale copy is still written', async () => {
  const { path, v2, staleOnce } = await twoVersions();
  staleOnce();
  const patched = await plane.client.patch<ConfigMap>(path, { data: { a: '1' } });
  expect(patched.data).toEqual({ a: '1' });
  expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(Number(v2.metadata.resourceVersion));
  expect((await plane.client.get<ConfigMap>(path)).data).toEqual({ a: '1' });
});

test('a patch computed on the stale copy is recomputed on the current object', async () => {
  const { path, staleOnce } = await twoVersions();
  staleOnce();
  const patched = await plane.client.patch<ConfigMap>(path, { data: { b: 'x' } });
  expect(patched.data).toEqual({ a: '2', b: 'x' });
});

test('a precondition that is really stale is a 409 and changes nothing', async () => {
  const { path, v1, v2, staleOnce } = await twoVersions();
  staleOnce();
  const err = await plane.client.update(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', resourceVersion: v1.metadata.resourceVersion }, data: { a: '9' } }).catch((e: unknown) => e);
  expect(isStatusError(err, 409)).toBe(true);
  expect((await plane.client.get<ConfigMap>(path)).metadata.resourceVersion).toBe(v2.metadata.resourceVersion);
});
