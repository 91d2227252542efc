import type { Pod } from '../api/kinds/core/pod';
import { withoutManagedFields } from './server';

describe('withoutManagedFields', () => {
  it('drops managedFields without touching the original, and returns other objects as they are', () => {
    const pod = { metadata: { name: 'p', managedFields: [{ manager: 'kubectl' }] }, spec: { containers: [] } } as unknown as Pod;
    const trimmed = withoutManagedFields(pod);
    expect(trimmed).toEqual({ metadata: { name: 'p' }, spec: { containers: [] } });
    expect(pod.metadata?.managedFields).toHaveLength(1);
    const plain = { metadata: { name: 'q' } } as Pod;
    expect(withoutManagedFields(plain)).toBe(plain);
  });
});
