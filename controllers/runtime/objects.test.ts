import type { KubeObject } from '../../api/kinds/kind';
import { addFinalizer, AlreadyOwnedError, controllerRef, getControllerOf, hasFinalizer, isOwnedBy, removeFinalizer, removeOwnerReference, setControllerReference, setOwnerReference, type Owner } from './objects';

const owner = (name: string, namespace: string | null = 'ns', kind = 'Widget'): Owner => ({
  apiVersion: 'example.com/v1',
  kind,
  metadata: { name, uid: `uid-${name}`, ...(namespace ? { namespace } : {}) },
});
const child = (namespace: string | null = 'ns'): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c', ...(namespace ? { namespace } : {}) } });

describe('owner references', () => {
  it('controllerRef marks controller and blockOwnerDeletion', () => {
    expect(controllerRef(owner('w'))).toEqual({ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: 'uid-w', controller: true, blockOwnerDeletion: true });
    expect(() => controllerRef({ apiVersion: 'v1', kind: 'X', metadata: { name: 'n' } })).toThrow(/uid/);
  });

  it('setControllerReference adds the reference once, refreshes it, and refuses a second controller', () => {
    const c = child();
    setControllerReference(owner('w'), c);
    setControllerReference(owner('w'), c);
    expect(c.metadata?.ownerReferences).toHaveLength(1);
    expect(getControllerOf(c)?.name).toBe('w');
    expect(isOwnedBy(c, owner('w'))).toBe(true);
    expect(() => setControllerReference(owner('other'), c)).toThrow(AlreadyOwnedError);
    // A plain owner reference besides the controller is fine.
    setOwnerReference(owner('other'), c);
    expect(c.metadata?.ownerReferences?.map((r) => [r.name, r.controller ?? false])).toEqual([
      ['w', true],
      ['other', false],
    ]);
    expect(removeOwnerReference(owner('w'), c)).toBe(true);
    expect(getControllerOf(c)).toBeUndefined();
    expect(removeOwnerReference(owner('w'), c)).toBe(false);
  });

  it('refuses cross-namespace owners and namespaced owners of cluster-scoped objects; allows cluster-scoped owners', () => {
    expect(() => setControllerReference(owner('w', 'a'), child('b'))).toThrow(/cross-namespace/);
    expect(() => setControllerReference(owner('w', 'a'), child(null))).toThrow(/cluster-scoped/);
    const c = child('b');
    setControllerReference(owner('n', null, 'Node'), c);
    expect(getControllerOf(c)?.kind).toBe('Node');
  });
});

describe('finalizers', () => {
  it('add, has and remove report whether they changed the object', () => {
    const o: KubeObject = { metadata: { name: 'x' } };
    expect(hasFinalizer(o, 'f')).toBe(false);
    expect(addFinalizer(o, 'f')).toBe(true);
    expect(addFinalizer(o, 'f')).toBe(false);
    expect(addFinalizer(o, 'g')).toBe(true);
    expect(o.metadata?.finalizers).toEqual(['f', 'g']);
    expect(removeFinalizer(o, 'f')).toBe(true);
    expect(removeFinalizer(o, 'f')).toBe(false);
    expect(o.metadata?.finalizers).toEqual(['g']);
  });
});
