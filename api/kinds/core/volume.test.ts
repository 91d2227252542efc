import * as s from '../../schema/schema';
import { checkValue, findFields, messages } from '../testing';
import { defaultVolumes, validateVolumes, Volume, volumeSourceFields } from './volume';

const Volumes = s.array(Volume);

/** Schema check, schema defaults, computed defaults and validation, as for a pod's spec.volumes. */
function admitVolumes(volumes: unknown, opts: { podName?: string; resourceIsPod?: boolean } = {}) {
  const checked = checkValue(Volumes, volumes, 'spec.volumes');
  const typed = volumes as Volume[];
  defaultVolumes(typed);
  return { ...checked, volumes: typed, errors: messages(validateVolumes(typed, 'spec.volumes', opts)) };
}

/** One volume of every kind Kubernetes v1.32 defines, each realistic and valid. */
const everySource: Record<string, unknown>[] = [
  { name: 'ebs', awsElasticBlockStore: { volumeID: 'vol-0abc', fsType: 'ext4', partition: 1, readOnly: true } },
  { name: 'azdisk', azureDisk: { diskName: 'data', diskURI: 'https://acct.blob.core.windows.net/vhds/data.vhd' } },
  { name: 'azfile', azureFile: { secretName: 'azure-secret', shareName: 'share', readOnly: false } },
  { name: 'ceph', cephfs: { monitors: ['10.16.154.78:6789'], path: '/', user: 'admin', secretRef: { name: 'ceph-secret' } } },
  { name: 'cinder', cinder: { volumeID: 'bd82f7e2', fsType: 'ext4' } },
  { name: 'config', configMap: { name: 'app-config', items: [{ key: 'log_level', path: 'log_level', mode: 0o400 }], optional: true } },
  { name: 'csi', csi: { driver: 'inline.storage.kubernetes.io', volumeAttributes: { foo: 'bar' }, nodePublishSecretRef: { name: 'csi-secret' } } },
  {
    name: 'podinfo',
    downwardAPI: {
      items: [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'team', fieldRef: { fieldPath: "metadata.annotations['example.com/team']" } },
        { path: 'cpu_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
      ],
    },
  },
  { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '500Mi' } },
  {
    name: 'scratch',
    ephemeral: {
      volumeClaimTemplate: {
        metadata: { labels: { type: 'scratch' } },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
      },
    },
  },
  { name: 'fc', fc: { targetWWNs: ['500a0982991b8dc5'], lun: 2, fsType: 'ext4' } },
  { name: 'flex', flexVolume: { driver: 'example/lvm', options: { volumeID: 'vol1', size: '1000m' } } },
  { name: 'flocker', flocker: { datasetName: 'my-flocker-vol' } },
  { name: 'pd', gcePersistentDisk: { pdName: 'my-data-disk', fsType: 'ext4' } },
  { name: 'git', gitRepo: { repository: 'https://github.com/kubernetes/examples.git', revision: '22f1d8406d464b0c0874075539c1f2e96c253775', directory: '.' } },
  { name: 'gluster', glusterfs: { endpoints: 'glusterfs-cluster', path: 'kube_vol', readOnly: true } },
  { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
  { name: 'image', image: { reference: 'quay.io/crio/artifact:v2' } },
  { name: 'iscsi', iscsi: { targetPortal: '10.0.2.15:3260', iqn: 'iqn.2001-04.com.example:storage.kube.sys1.xyz', lun: 0, fsType: 'ext4', readOnly: true } },
  { name: 'nfs', nfs: { server: 'nfs.example.com', path: '/exports', readOnly: true } },
  { name: 'claim', persistentVolumeClaim: { claimName: 'my-claim' } },
  { name: 'photon', photonPersistentDisk: { pdID: 'pd-1', fsType: 'ext4' } },
  { name: 'pwx', portworxVolume: { volumeID: 'pxvol', fsType: 'ext4' } },
  {
    name: 'all-in-one',
    projected: {
      sources: [
        { secret: { name: 'mysecret', items: [{ key: 'username', path: 'my-group/my-username' }] } },
        { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { configMap: { name: 'myconfigmap', items: [{ key: 'config', path: 'my-group/my-config' }] } },
        { serviceAccountToken: { audience: 'api', path: 'token' } },
        { clusterTrustBundle: { signerName: 'example.com/my-signer', labelSelector: { matchLabels: { trusted: 'yes' } }, path: 'ca.pem' } },
      ],
    },
  },
  { name: 'quobyte', quobyte: { registry: 'registry:7861', volume: 'testVolume' } },
  { name: 'rbd', rbd: { monitors: ['10.16.154.78:6789'], image: 'foo', fsType: 'ext4', secretRef: { name: 'ceph-secret' } } },
  { name: 'sio', scaleIO: { gateway: 'https://localhost:443/api', system: 'scaleio', volumeName: 'vol-0', secretRef: { name: 'sio-secret' } } },
  { name: 'secret', secret: { secretName: 'dotfile-secret', defaultMode: 0o400, items: [{ key: '.secret-file', path: 'secret-file' }] } },
  { name: 'sos', storageos: { volumeName: 'redis-vol01', fsType: 'ext4' } },
  { name: 'vsphere', vsphereVolume: { volumePath: '[DatastoreName] volumes/myDisk', fsType: 'ext4' } },
];

describe('Volume', () => {
  it('defines every v1.32 volume source', () => {
    const sources = Object.keys((Volume.node as { properties: object }).properties).filter((k) => k !== 'name');
    expect(sources.sort()).toEqual([...volumeSourceFields].sort());
    expect(sources).toHaveLength(30);
    expect(new Set(everySource.map((v) => Object.keys(v).find((k) => k !== 'name')))).toEqual(new Set(volumeSourceFields));
  });

  it('accepts a valid volume of every source and applies the defaults Kubernetes applies', () => {
    const result = admitVolumes(structuredClone(everySource), { podName: 'web-0', resourceIsPod: true });
    expect(result.unknownFields).toEqual([]);
    expect(result.decodeErrors).toEqual([]);
    expect(result.fieldErrors).toEqual([]);
    expect(result.errors).toEqual([]);
    const byName = Object.fromEntries(result.volumes.map((v) => [v.name, v]));
    expect(byName['config']?.configMap?.defaultMode).toBe(420);
    expect(byName['secret']?.secret?.defaultMode).toBe(0o400);
    expect(byName['podinfo']?.downwardAPI?.defaultMode).toBe(420);
    expect(byName['podinfo']?.downwardAPI?.items?.[0]?.fieldRef?.apiVersion).toBe('v1');
    expect(byName['all-in-one']?.projected?.defaultMode).toBe(420);
    expect(byName['all-in-one']?.projected?.sources?.[3]?.serviceAccountToken?.expirationSeconds).toBe(3600);
    expect(byName['host']?.hostPath?.type).toBe('Directory');
    expect(byName['azdisk']?.azureDisk).toMatchObject({ cachingMode: 'ReadWrite', fsType: 'ext4', kind: 'Shared', readOnly: false });
    expect(byName['rbd']?.rbd).toMatchObject({ pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' });
    expect(byName['sio']?.scaleIO).toMatchObject({ storageMode: 'ThinProvisioned', fsType: 'xfs' });
    expect(byName['iscsi']?.iscsi?.iscsiInterface).toBe('default');
    expect(byName['scratch']?.ephemeral?.volumeClaimTemplate?.spec.volumeMode).toBe('Filesystem');
    expect(byName['image']?.image?.pullPolicy).toBe('IfNotPresent');
  });

  it('defaults hostPath type to "", a sourceless volume to emptyDir and image pull policies by tag', () => {
    const { volumes, errors } = admitVolumes([
      { name: 'logs', hostPath: { path: '/var/log' } },
      { name: 'bare' },
      { name: 'latest', image: { reference: 'registry.example/artifact' } },
      { name: 'pinned', image: { reference: 'registry.example/artifact@sha256:0123' } },
    ]);
    expect(errors).toEqual([]);
    expect(volumes[0]?.hostPath?.type).toBe('');
    expect(volumes[1]?.emptyDir).toEqual({});
    expect(volumes[2]?.image?.pullPolicy).toBe('Always');
    expect(volumes[3]?.image?.pullPolicy).toBe('IfNotPresent');
  });

  it('checks names: DNS-1123 labels, unique', () => {
    const { errors } = admitVolumes([
      { name: 'data', emptyDir: {} },
      { name: 'data', emptyDir: {} },
      { name: 'Bad_Name', emptyDir: {} },
    ]);
    expect(errors).toEqual([
      'spec.volumes[1].name: Duplicate value: "data"',
      expect.stringMatching(/^spec\.volumes\[2\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of/),
    ]);
  });

  it('requires exactly one source', () => {
    const none = validateVolumes([{ name: 'x' }], 'spec.volumes');
    expect(messages(none)).toEqual(['spec.volumes[0]: Required value: must specify a volume type']);
    const two = admitVolumes([{ name: 'x', emptyDir: {}, hostPath: { path: '/tmp' }, secret: { secretName: 's' } }]);
    expect(two.errors).toEqual([
      'spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[0].secret: Forbidden: may not specify more than 1 volume type',
    ]);
  });

  it('reports missing required fields of sources as schema errors, empty ones as validation errors', () => {
    const missing = checkValue(Volumes, [{ name: 'h', hostPath: {} }, { name: 'n', nfs: { server: 's' } }], 'spec.volumes');
    expect(messages(missing.fieldErrors)).toEqual(['spec.volumes[0].hostPath.path: Required value', 'spec.volumes[1].nfs.path: Required value']);
    const { errors } = admitVolumes([
      { name: 'h', hostPath: { path: '' } },
      { name: 'n', nfs: { server: 'nfs', path: 'exports' } },
      { name: 's', secret: {} },
      { name: 'c', configMap: {} },
    ]);
    expect(errors).toEqual([
      'spec.volumes[0].hostPath.path: Required value',
      'spec.volumes[1].nfs.path: Invalid value: "exports": must be an absolute path',
      'spec.volumes[2].secret.secretName: Required value',
      'spec.volumes[3].configMap.name: Required value',
    ]);
  });

  it('rejects item paths that escape the volume and out-of-range modes', () => {
    const { errors } = admitVolumes([
      {
        name: 'cfg',
        configMap: {
          name: 'c',
          defaultMode: 0o1000,
          items: [
            { key: 'a', path: '/etc/passwd' },
            { key: 'b', path: '../b' },
            { key: 'c', path: '..c' },
            { key: 'd', path: 'd', mode: -1 },
          ],
        },
      },
      { name: 'hp', hostPath: { path: '/var/../etc' } },
    ]);
    expect(errors).toEqual([
      'spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
      'spec.volumes[0].configMap.items[0].path: Invalid value: "/etc/passwd": must be a relative path',
      'spec.volumes[0].configMap.items[1].path: Invalid value: "../b": must not contain \'..\'',
      'spec.volumes[0].configMap.items[2].path: Invalid value: "..c": must not start with \'..\'',
      'spec.volumes[0].configMap.items[3].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive',
      'spec.volumes[1].hostPath.path: Invalid value: "/var/../etc": must not contain \'..\'',
    ]);
  });

  it('answers unsupported enum values like Kubernetes', () => {
    const { fieldErrors } = checkValue(Volumes, [{ name: 'h', hostPath: { path: '/x', type: 'Folder' } }], 'spec.volumes');
    expect(messages(fieldErrors)).toEqual([
      'spec.volumes[0].hostPath.type: Unsupported value: "Folder": supported values: "", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"',
    ]);
  });

  it('validates projected volumes: one source per projection, unique paths, token lifetimes', () => {
    const { errors } = admitVolumes([
      {
        name: 'proj',
        projected: {
          sources: [
            { secret: { name: 's', items: [{ key: 'k', path: 'same' }] }, configMap: { name: 'c' } },
            { configMap: { name: 'c', items: [{ key: 'k', path: 'same' }] } },
            { serviceAccountToken: { path: 'token', expirationSeconds: 60 } },
            { clusterTrustBundle: { path: 'ca.pem' } },
          ],
        },
      },
    ]);
    expect(errors).toEqual([
      'spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[0].projected: Invalid value: "c": conflicting duplicate paths',
      'spec.volumes[0].projected.sources[2].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
      'spec.volumes[0].projected.sources[3].clusterTrustBundlePEM: Required value: either name or signerName must be specified',
    ]);
  });

  it('validates downward API items with Kubernetes\' paths', () => {
    const { errors } = admitVolumes([
      {
        name: 'info',
        downwardAPI: {
          items: [
            { path: 'node', fieldRef: { fieldPath: 'spec.nodeName' } },
            { path: 'cpu', resourceFieldRef: { resource: 'limits.cpu' } },
            { path: 'none' },
          ],
        },
      },
    ]);
    expect(errors).toEqual([
      'spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
      'spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value',
      'spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required',
    ]);
  });

  it('validates the claim template of ephemeral volumes and the PVC it creates', () => {
    const { errors } = admitVolumes(
      [
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { name: 'x' }, spec: { resources: {} } } } },
        { name: 'claim', persistentVolumeClaim: { claimName: 'pod-scratch' } },
      ],
      { podName: 'pod' },
    );
    expect(errors).toEqual([
      'spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.name: Forbidden: cannot be set',
      'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required',
      'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value',
      'spec.volumes[1].persistentVolumeClaim.claimName: Invalid value: "pod-scratch": must not reference a PVC that gets created for an ephemeral volume',
    ]);
    const missing = checkValue(Volumes, [{ name: 'e', ephemeral: { volumeClaimTemplate: {} } }], 'spec.volumes');
    expect(messages(missing.fieldErrors)).toEqual(['spec.volumes[0].ephemeral.volumeClaimTemplate.spec: Required value']);
  });

  it('reports wrong types as decode errors and unknown fields with their path', () => {
    const wrong = checkValue(Volumes, [{ name: 'x', emptyDir: { sizeLimit: 'lots' } }, { name: 'y', secret: { defaultMode: '0644' } }], 'spec.volumes');
    expect(wrong.decodeErrors).toEqual([
      'spec.volumes[0].emptyDir.sizeLimit: cannot decode "lots" as resource.Quantity',
      'spec.volumes[1].secret.defaultMode: expected integer, got string',
    ]);
    const unknown = checkValue(Volumes, [{ name: 'x', configMap: { name: 'c', item: [] } }, { name: 'y', nfs: { server: 's', path: '/p', readonly: true } }], 'spec.volumes');
    expect(unknown.unknownFields).toEqual(['spec.volumes[0].configMap.item', 'spec.volumes[1].nfs.readonly']);
  });

  it('accepts every volume in the k8s-website manifests', () => {
    const found = findFields('volumes');
    expect(found.length).toBeGreaterThan(3);
    for (const { where, value } of found) {
      const { unknownFields, decodeErrors, fieldErrors, errors } = admitVolumes(value);
      expect({ where, unknownFields, decodeErrors, fieldErrors: messages(fieldErrors), errors }).toEqual({ where, unknownFields: [], decodeErrors: [], fieldErrors: [], errors: [] });
    }
  });
});
