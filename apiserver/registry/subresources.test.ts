import { deepFreeze } from '../../client/informer/freeze';
import type { StoredObject } from '../storage/interface';
import { bindingUpdate } from './subresources';

const storedPod = (): StoredObject =>
  deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '5', annotations: { a: '1' } },
    spec: { containers: [{ name: 'c', image: 'i' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  } as StoredObject);

const binding = (node: string, annotations?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', ...(annotations ? { annotations } : {}) }, target: { kind: 'Node', name: node } });

describe('bindingUpdate', () => {
  it('reads the stored pod without changing it (it is shared), copying only what it sets', () => {
    const update = bindingUpdate('p', binding('n1'));
    expect(update.readsStored).toBe(true);
    const current = storedPod(); // frozen: any change would throw
    const { object, checked } = update(current);
    expect(checked).toBe(true);
    expect(object.spec).toEqual({ containers: [{ name: 'c', image: 'i' }], nodeName: 'n1' });
    expect((object.status as { conditions: unknown[] }).conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
    expect(current.spec).toEqual({ containers: [{ name: 'c', image: 'i' }] });
    // What it did not change is shared, not copied.
    expect((object.spec as { containers: unknown }).containers).toBe((current.spec as { containers: unknown }).containers);
    expect(object.metadata).not.toBe(current.metadata);
  });

  it('with annotations works on a copy of its own, merged annotations validated with the pod', () => {
    const update = bindingUpdate('p', binding('n1', { b: '2' }));
    expect(update.readsStored).toBeUndefined();
    const { object, checked } = update(storedPod());
    expect(checked).toBe(false);
    expect(object.metadata?.annotations).toEqual({ a: '1', b: '2' });
  });

  it('refuses a pod already bound', () => {
    const bound = deepFreeze({ ...storedPod(), spec: { containers: [], nodeName: 'n0' } } as StoredObject);
    expect(() => bindingUpdate('p', binding('n1'))(bound)).toThrow('already assigned to node "n0"');
  });
});
