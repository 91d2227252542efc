/** Small core/v1 printers: namespaces, configmaps, secrets, serviceaccounts and PVCs. */
import { configMapKind, type ConfigMap } from '../../api/kinds/core/configMap';
import type { Namespace } from '../../api/kinds/core/namespace';
import { persistentVolumeClaimKind, type PersistentVolumeClaim } from '../../api/kinds/core/persistentVolumeClaim';
import { quantityString } from '../../api/kinds/core/resources';
import { secretKind, type Secret } from '../../api/kinds/core/secret';
import { serviceAccountKind, type ServiceAccount } from '../../api/kinds/core/serviceAccount';
import { since } from './duration';
import { ageColumn, column, definePrinter, fieldDoc, nameColumn } from './printer';

export const namespacePrinter = definePrinter<Namespace>({
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  cells(ns, now) {
    return [ns.metadata.name ?? '', ns.status?.phase ?? '', since(ns.metadata.creationTimestamp, now)];
  },
});

export const configMapPrinter = definePrinter<ConfigMap>({
  columns: [nameColumn, column('Data', 'string', fieldDoc(configMapKind.schema, 'data')), ageColumn],
  cells(cm, now) {
    const keys = Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    return [cm.metadata.name ?? '', keys, since(cm.metadata.creationTimestamp, now)];
  },
});

export const secretPrinter = definePrinter<Secret>({
  columns: [nameColumn, column('Type', 'string', fieldDoc(secretKind.schema, 'type')), column('Data', 'string', fieldDoc(secretKind.schema, 'data')), ageColumn],
  cells(secret, now) {
    return [secret.metadata.name ?? '', secret.type ?? '', Object.keys(secret.data ?? {}).length, since(secret.metadata.creationTimestamp, now)];
  },
});

export const serviceAccountPrinter = definePrinter<ServiceAccount>({
  columns: [nameColumn, column('Secrets', 'string', fieldDoc(serviceAccountKind.schema, 'secrets')), ageColumn],
  cells(sa, now) {
    return [sa.metadata.name ?? '', (sa.secrets ?? []).length, since(sa.metadata.creationTimestamp, now)];
  },
});

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
function accessModes(modes: readonly string[] | undefined): string {
  const short: readonly [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([mode]) => (modes ?? []).includes(mode))
    .map(([, abbreviation]) => abbreviation)
    .join(',');
}

/** The claim's storage class: the beta annotation first, then spec.storageClassName. */
function storageClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
}

const pvcDoc = (path: string) => fieldDoc(persistentVolumeClaimKind.schema, path);

export const persistentVolumeClaimPrinter = definePrinter<PersistentVolumeClaim>({
  columns: [
    nameColumn,
    column('Status', 'string', pvcDoc('status.phase')),
    column('Volume', 'string', pvcDoc('spec.volumeName')),
    column('Capacity', 'string', pvcDoc('status.capacity')),
    column('Access Modes', 'string', pvcDoc('status.accessModes')),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    column('VolumeMode', 'string', pvcDoc('spec.volumeMode'), { priority: 1 }),
  ],
  cells(pvc, now) {
    const bound = !!pvc.spec?.volumeName;
    const capacity = pvc.status?.capacity?.storage;
    return [
      pvc.metadata.name ?? '',
      pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
      pvc.spec?.volumeName ?? '',
      // Capacity and access modes are the bound volume's.
      bound && capacity !== undefined ? quantityString(capacity) : bound ? '0' : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClass(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      since(pvc.metadata.creationTimestamp, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
});
