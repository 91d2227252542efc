import type { PersistentVolumeClaim } from '../../api/kinds/core/persistentVolumeClaim';
import { configMapPrinter, namespacePrinter, persistentVolumeClaimPrinter, secretPrinter, serviceAccountPrinter } from './core';
import { ago, columnNames, printRow } from './testing';

const metadata = { name: 'x', namespace: 'default', creationTimestamp: ago(90) };

describe('namespace printer', () => {
  it('prints STATUS AGE', () => {
    expect(columnNames(namespacePrinter).wide).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(printRow(namespacePrinter, { metadata: { name: 'dev', creationTimestamp: ago(90) }, status: { phase: 'Terminating' } })).toEqual({ Name: 'dev', Status: 'Terminating', Age: '90s' });
  });
});

describe('configmap printer', () => {
  it('counts data and binaryData keys', () => {
    expect(columnNames(configMapPrinter).wide).toEqual(['NAME', 'DATA', 'AGE']);
    expect(printRow(configMapPrinter, { metadata, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })).toEqual({ Name: 'x', Data: 3, Age: '90s' });
    expect(printRow(configMapPrinter, { metadata }).Data).toBe(0);
  });
});

describe('secret printer', () => {
  it('prints TYPE DATA AGE', () => {
    expect(columnNames(secretPrinter).wide).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(printRow(secretPrinter, { metadata, type: 'kubernetes.io/tls', data: { 'tls.crt': 'AA==', 'tls.key': 'AA==' } })).toEqual({ Name: 'x', Type: 'kubernetes.io/tls', Data: 2, Age: '90s' });
  });
});

describe('serviceaccount printer', () => {
  it('counts the secrets', () => {
    expect(columnNames(serviceAccountPrinter).wide).toEqual(['NAME', 'SECRETS', 'AGE']);
    expect(printRow(serviceAccountPrinter, { metadata, secrets: [{ name: 'token' }] })).toEqual({ Name: 'x', Secrets: 1, Age: '90s' });
    expect(printRow(serviceAccountPrinter, { metadata }).Secrets).toBe(0);
  });
});

describe('persistentvolumeclaim printer', () => {
  it('prints the bound volume’s capacity and access modes', () => {
    expect(columnNames(persistentVolumeClaimPrinter)).toEqual({
      normal: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
      wide: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE', 'VOLUMEMODE'],
    });
    const bound: PersistentVolumeClaim & { metadata: typeof metadata } = {
      metadata,
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeName: 'pv-1', volumeMode: 'Filesystem' },
      status: { phase: 'Bound', capacity: { storage: '2Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] },
    };
    expect(printRow(persistentVolumeClaimPrinter, bound)).toEqual({
      Name: 'x',
      Status: 'Bound',
      Volume: 'pv-1',
      Capacity: '2Gi',
      'Access Modes': 'RWO,RWX,RWOP',
      StorageClass: 'standard',
      VolumeAttributesClass: '<unset>',
      Age: '90s',
      VolumeMode: 'Filesystem',
    });
  });

  it('prints a pending claim without capacity, and Terminating when deleted', () => {
    const pending: PersistentVolumeClaim & { metadata: typeof metadata } = {
      metadata: { ...metadata, annotations: { 'volume.beta.kubernetes.io/storage-class': 'beta' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' },
      status: { phase: 'Pending' },
    };
    expect(printRow(persistentVolumeClaimPrinter, pending)).toMatchObject({ Status: 'Pending', Volume: '', Capacity: '', 'Access Modes': '', StorageClass: 'beta', VolumeMode: '<unset>' });
    expect(printRow(persistentVolumeClaimPrinter, { ...pending, metadata: { ...metadata, deletionTimestamp: ago(1) } }).Status).toBe('Terminating');
  });
});
