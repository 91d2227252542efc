import { any } from '../../api/schema/schema';
import type { KubeObject } from '../../api/kinds/kind';
import type { Storage, StorageWatchHandlers, StoredObject } from '../storage/interface';
import { VersionedStorage } from './versionedStorage';

const schema = any();

/** A base storage that, like EtcdStorage, hands the object its write returned to its watchers too. */
function sharingStorage(): { base: Storage; watchers: StorageWatchHandlers[] } {
  const watchers: StorageWatchHandlers[] = [];
  const base = {
    maxValueBytes: 1 << 20,
    async create(key: string, obj: KubeObject): Promise<StoredObject> {
      const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: '7' } } as StoredObject;
      for (const w of watchers) w.onEvents([{ type: 'ADDED', key, object: stored, revision: 7 }], 7);
      return stored;
    },
    watch(_prefix: string, _from: number, handlers: StorageWatchHandlers) {
      watchers.push(handlers);
      return { close: () => {} };
    },
  } as unknown as Storage;
  return { base, watchers };
}

describe('VersionedStorage', () => {
  it('converts objects its base shares between a write and the watches as copies, so each version keeps its own', async () => {
    const { base } = sharingStorage();
    const versions = ['g/v1beta1', 'g/v1'].map((servedVersion) => new VersionedStorage(base, { servedVersion, servedSchema: schema, storageVersion: 'g/v1', storageSchema: schema }));
    const seen = new Map<string, StoredObject>();
    versions.forEach((v, i) => v.watch('/registry/g/things/', 0, { onEvents: (events) => seen.set(String(i), events[0]!.object!), onProgress: () => {}, onError: () => {} }));
    const created = await versions[0]!.create('/registry/g/things/a', { apiVersion: 'g/v1beta1', kind: 'Thing', metadata: { name: 'a' } });
    expect(created.apiVersion).toBe('g/v1beta1');
    expect(seen.get('0')?.apiVersion).toBe('g/v1beta1');
    expect(seen.get('1')?.apiVersion).toBe('g/v1');
  });
});
