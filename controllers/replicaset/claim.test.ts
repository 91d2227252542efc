import type { KubeObject } from '../../api/kinds/kind';
import { adoptPatch, planClaim, releasePatch } from './claim';

const claimant = { uid: 'rs-uid', namespace: 'ns', selector: { matchLabels: { app: 'web' } }, deleting: false };

function obj(name: string, labels: Record<string, string>, owner?: string, extra: Partial<NonNullable<KubeObject['metadata']>> = {}): KubeObject {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `${name}-uid`,
      labels,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `${owner === 'me' ? 'rs' : owner}-uid`, controller: true }] } : {}),
      ...extra,
    },
  };
}

const names = (objs: KubeObject[]) => objs.map((o) => o.metadata?.name);

describe('claiming objects', () => {
  it('keeps its own, adopts matching orphans, releases its own that no longer match, ignores others', () => {
    const plan = planClaim(claimant, [
      obj('mine', { app: 'web' }, 'me'),
      obj('orphan', { app: 'web' }),
      obj('strayed', { app: 'api' }, 'me'),
      obj('theirs', { app: 'web' }, 'other'),
      obj('unrelated', { app: 'api' }),
      obj('dying-orphan', { app: 'web' }, undefined, { deletionTimestamp: '2025-01-01T00:00:00Z' }),
      obj('elsewhere', { app: 'web' }, undefined, { namespace: 'other-ns' }),
    ]);
    expect(names(plan.owned)).toEqual(['mine']);
    expect(names(plan.adopt)).toEqual(['orphan']);
    expect(names(plan.release)).toEqual(['strayed']);
  });

  it('adopts and releases nothing while the claimant is being deleted', () => {
    const plan = planClaim({ ...claimant, deleting: true }, [obj('mine', { app: 'web' }, 'me'), obj('orphan', { app: 'web' }), obj('strayed', { app: 'api' }, 'me')]);
    expect(names(plan.owned)).toEqual(['mine']);
    expect(plan.adopt).toEqual([]);
    expect(plan.release).toEqual([]);
  });

  it('writes strategic merge patches guarded by the dependent uid', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true };
    expect(adoptPatch(ref, 'pod-uid')).toEqual({ metadata: { ownerReferences: [ref], uid: 'pod-uid' } });
    expect(releasePatch('rs-uid', 'pod-uid')).toEqual({ metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-uid' }], uid: 'pod-uid' } });
  });
});
