import { validateObject } from '../decode';
import { admit, causesOf, findFields } from '../testing';
import { persistentVolumeClaimKind } from './persistentVolumeClaim';

const claim = () => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '8Gi' } } },
});

describe('PersistentVolumeClaim', () => {
  it('is served as persistentvolumeclaims (pvc) with a status subresource', () => {
    expect(persistentVolumeClaimKind).toMatchObject({
      group: '',
      version: 'v1',
      plural: 'persistentvolumeclaims',
      singular: 'persistentvolumeclaim',
      shortNames: ['pvc'],
      namespaced: true,
      subresources: { status: true },
    });
    expect(persistentVolumeClaimKind.selectableFields?.['name']?.(admit(persistentVolumeClaimKind, claim()))).toBe('data');
  });

  it('admits a typical claim with volumeMode and phase defaulted', () => {
    const pvc = admit(persistentVolumeClaimKind, claim());
    expect(pvc.spec?.volumeMode).toBe('Filesystem');
    expect(pvc.status?.phase).toBe('Pending');
  });

  it('keeps dataSource and dataSourceRef in step', () => {
    const body = claim();
    const pvc = admit(persistentVolumeClaimKind, { ...body, spec: { ...body.spec, dataSource: { kind: 'PersistentVolumeClaim', name: 'source' } } });
    expect(pvc.spec?.dataSourceRef).toEqual({ kind: 'PersistentVolumeClaim', name: 'source' });
    const snap = admit(persistentVolumeClaimKind, { ...body, spec: { ...body.spec, dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap' } } });
    expect(snap.spec?.dataSource).toEqual({ apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap' });
  });

  it('requires access modes and a storage request', () => {
    expect(causesOf(() => admit(persistentVolumeClaimKind, { metadata: { name: 'x', namespace: 'default' }, spec: {} }))).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Required value',
    ]);
  });

  it('rejects unknown access modes, ReadWriteOncePod with others, and non-positive sizes', () => {
    const body = claim();
    expect(causesOf(() => admit(persistentVolumeClaimKind, { ...body, spec: { accessModes: ['ReadWriteOnce', 'ReadWriteOncePod', 'WriteOnly'], resources: { requests: { storage: '0' } } } }))).toEqual([
      'spec.accessModes: Unsupported value: "WriteOnly": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
    ]);
    expect(causesOf(() => admit(persistentVolumeClaimKind, { ...body, spec: { ...body.spec, volumeMode: 'Raw' } }))).toEqual([
      'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"',
    ]);
  });

  it('checks data sources', () => {
    const body = claim();
    expect(causesOf(() => admit(persistentVolumeClaimKind, { ...body, spec: { ...body.spec, dataSource: { kind: 'Secret', name: 's' } } }))).toEqual([
      "spec.dataSource: Invalid value: \"Secret\": must be 'PersistentVolumeClaim' when referencing the default apiGroup",
      "spec.dataSourceRef: Invalid value: \"Secret\": must be 'PersistentVolumeClaim' when referencing the default apiGroup",
    ]);
  });

  it('reports wrong types with 400 and unknown fields with their path', () => {
    const body = claim();
    expect(() => admit(persistentVolumeClaimKind, { ...body, spec: { ...body.spec, resources: { requests: { storage: 'big' } } } })).toThrow(
      expect.objectContaining({ code: 400, message: expect.stringContaining('spec.resources.requests[storage]: cannot decode "big" as resource.Quantity') }),
    );
    expect(() => admit(persistentVolumeClaimKind, { ...body, spec: { ...body.spec, accessMode: ['ReadWriteOnce'] } })).toThrow('strict decoding error: unknown field "spec.accessMode"');
  });

  it('keeps the spec immutable except the binding and, for bound claims, the requested size', () => {
    const old = admit(persistentVolumeClaimKind, claim());
    const grow = structuredClone(old);
    grow.spec!.resources!.requests!['storage'] = '16Gi';
    expect(causesOf(() => validateObject(persistentVolumeClaimKind, grow, old))).toEqual([
      expect.stringMatching(/^spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n/),
    ]);

    const bound = structuredClone(old);
    bound.spec!.volumeName = 'pv-1';
    bound.status = { phase: 'Bound', capacity: { storage: '8Gi' } };
    expect(() => validateObject(persistentVolumeClaimKind, bound, old)).not.toThrow();

    const resized = structuredClone(bound);
    resized.spec!.resources!.requests!['storage'] = '16Gi';
    expect(() => validateObject(persistentVolumeClaimKind, resized, bound)).not.toThrow();

    const shrunk = structuredClone(resized);
    shrunk.spec!.resources!.requests!['storage'] = '4Gi';
    expect(causesOf(() => validateObject(persistentVolumeClaimKind, shrunk, resized))).toEqual([
      'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    ]);

    const modes = structuredClone(bound);
    modes.spec!.accessModes = ['ReadWriteMany'];
    expect(causesOf(() => validateObject(persistentVolumeClaimKind, modes, bound))[0]).toMatch(/^spec: Forbidden: spec is immutable/);
  });

  it('lets a claim without a class get one later', () => {
    const body = claim();
    const old = admit(persistentVolumeClaimKind, { ...body, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const next = structuredClone(old);
    next.spec!.storageClassName = 'standard';
    expect(() => validateObject(persistentVolumeClaimKind, next, old)).not.toThrow();
  });

  it('admits the volume claim templates of the k8s-website manifests', () => {
    const templates = findFields('volumeClaimTemplates').flatMap(({ value }) => value as unknown[]);
    expect(templates.length).toBeGreaterThan(0);
    for (const template of templates) {
      const pvc = admit(persistentVolumeClaimKind, { ...(template as object), metadata: { ...(template as { metadata?: object }).metadata, namespace: 'default' } });
      expect(pvc.spec?.volumeMode).toBe('Filesystem');
    }
  });
});
