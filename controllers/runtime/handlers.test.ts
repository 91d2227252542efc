import type { KubeObject } from '../../api/kinds/kind';
import type { OwnerReference } from '../../api/kinds/meta';
import { enqueueForObject, enqueueForOwner, enqueueMapped } from './handlers';

const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
const ref = (name: string, extra: Partial<OwnerReference> = {}): OwnerReference => ({ ...rs, name, uid: `uid-${name}`, controller: true, ...extra });
const pod = (owners: OwnerReference[] = [], namespace = 'ns'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace, ownerReferences: owners } });

describe('event handlers', () => {
  it('enqueueForObject maps to the object itself (the new one on updates)', () => {
    const h = enqueueForObject();
    expect(h.create(pod())).toEqual([{ namespace: 'ns', name: 'p' }]);
    expect(h.update(pod(), { metadata: { name: 'n' } })).toEqual([{ name: 'n' }]);
    expect(h.delete({ metadata: {} })).toEqual([]);
  });

  it('enqueueForOwner maps to the controller owner of the for-kind only', () => {
    const h = enqueueForOwner({ ...rs, namespaced: true });
    expect(h.create(pod([ref('a')]))).toEqual([{ namespace: 'ns', name: 'a' }]);
    expect(h.create(pod([ref('a', { controller: false })]))).toEqual([]);
    expect(h.create(pod([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u', controller: true }]))).toEqual([]);
    // Another version of the same group and kind still matches.
    expect(h.create(pod([ref('a', { apiVersion: 'apps/v1beta2' })]))).toEqual([{ namespace: 'ns', name: 'a' }]);
    expect(h.delete(pod([ref('a')]))).toEqual([{ namespace: 'ns', name: 'a' }]);
    expect(enqueueForOwner({ ...rs }, { onlyController: false }).create(pod([ref('a', { controller: false })]))).toEqual([{ namespace: 'ns', name: 'a' }]);
  });

  it('on updates, maps to the old owner too: changed or removed controller references reach it', () => {
    const h = enqueueForOwner(rs);
    expect(h.update(pod([ref('a')]), pod([ref('b')]))).toEqual([
      { namespace: 'ns', name: 'a' },
      { namespace: 'ns', name: 'b' },
    ]);
    expect(h.update(pod([ref('a')]), pod([]))).toEqual([{ namespace: 'ns', name: 'a' }]);
    expect(h.update(pod([ref('a')]), pod([ref('a')]))).toEqual([{ namespace: 'ns', name: 'a' }]);
  });

  it('a cluster-scoped owner is requested without a namespace', () => {
    const h = enqueueForOwner({ apiVersion: 'v1', kind: 'Node', namespaced: false });
    expect(h.create(pod([{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'u', controller: true }]))).toEqual([{ name: 'n1' }]);
  });

  it('enqueueMapped maps old and new objects on updates, without duplicates', () => {
    const h = enqueueMapped((o) => [{ namespace: 'ns', name: String(o.metadata?.labels?.['app'] ?? 'none') }]);
    const a = { metadata: { name: 'x', labels: { app: 'a' } } };
    const b = { metadata: { name: 'x', labels: { app: 'b' } } };
    expect(h.update(a, b)).toEqual([
      { namespace: 'ns', name: 'a' },
      { namespace: 'ns', name: 'b' },
    ]);
    expect(h.update(a, a)).toEqual([{ namespace: 'ns', name: 'a' }]);
  });
});
