import { admit, manifestFile } from '../testing';
import { serviceAccountKind } from './serviceAccount';

describe('ServiceAccount', () => {
  it('admits the ServiceAccounts of the Kubernetes website manifests', () => {
    const docs = (manifestFile('admin/sched/my-scheduler.yaml') as { kind?: string; metadata?: { namespace?: string } }[]).filter((d) => d?.kind === 'ServiceAccount');
    expect(docs).toHaveLength(1);
    for (const doc of docs) {
      doc.metadata!.namespace ??= 'default';
      expect(admit(serviceAccountKind, doc).metadata?.name).toBe('my-scheduler');
    }
  });

  it('admits secrets, imagePullSecrets and automount', () => {
    const sa = admit(serviceAccountKind, {
      metadata: { name: 'builder', namespace: 'ci' },
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'registry' }],
      secrets: [{ name: 'builder-token' }],
    });
    expect(sa.imagePullSecrets).toEqual([{ name: 'registry' }]);
  });

  it('reports wrong types (400) and unknown fields', () => {
    expect(() => admit(serviceAccountKind, { metadata: { name: 'a', namespace: 'ci' }, automountServiceAccountToken: 'no' })).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => admit(serviceAccountKind, { metadata: { name: 'a', namespace: 'ci' }, imagePullSecrets: [{ name: 'r', namespace: 'x' }] })).toThrow(
      'strict decoding error: unknown field "imagePullSecrets[0].namespace"',
    );
  });

  it('is namespaced with the sa short name', () => {
    expect(serviceAccountKind.shortNames).toEqual(['sa']);
    expect(() => admit(serviceAccountKind, { metadata: { name: 'a' } })).toThrow('metadata.namespace: Required value');
  });
});
