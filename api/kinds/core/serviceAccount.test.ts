import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { decodeObject, defaultObject, validateObject } from '../decode';
import { serviceAccountKind, type ServiceAccount } from './serviceAccount';

function admit(body: unknown): ServiceAccount {
  const { object } = decodeObject(serviceAccountKind, body, 'Strict');
  defaultObject(serviceAccountKind, object);
  validateObject(serviceAccountKind, object);
  return object;
}

describe('ServiceAccount', () => {
  it('admits the ServiceAccounts of the Kubernetes website manifests', () => {
    const file = join(__dirname, '../../../test/fixtures/manifests/k8s-website/admin/sched/my-scheduler.yaml');
    const docs = parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJSON() as { kind?: string; metadata?: { namespace?: string } })
      .filter((d) => d?.kind === 'ServiceAccount');
    expect(docs).toHaveLength(1);
    for (const doc of docs) {
      doc.metadata!.namespace ??= 'default';
      expect(admit(doc).metadata?.name).toBe('my-scheduler');
    }
  });

  it('admits secrets, imagePullSecrets and automount', () => {
    const sa = admit({
      metadata: { name: 'builder', namespace: 'ci' },
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'registry' }],
      secrets: [{ name: 'builder-token' }],
    });
    expect(sa.imagePullSecrets).toEqual([{ name: 'registry' }]);
  });

  it('reports wrong types (400) and unknown fields', () => {
    expect(() => admit({ metadata: { name: 'a', namespace: 'ci' }, automountServiceAccountToken: 'no' })).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => admit({ metadata: { name: 'a', namespace: 'ci' }, imagePullSecrets: [{ name: 'r', namespace: 'x' }] })).toThrow(
      'strict decoding error: unknown field "imagePullSecrets[0].namespace"',
    );
  });

  it('is namespaced with the sa short name', () => {
    expect(serviceAccountKind.shortNames).toEqual(['sa']);
    expect(() => admit({ metadata: { name: 'a' } })).toThrow('metadata.namespace: Required value');
  });
});
