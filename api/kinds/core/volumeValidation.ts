/**
 * Validation of pod volumes as Kubernetes' ValidateVolumes and validateVolumeSource do it (v1.32),
 * keeping their field paths and messages, quirks included (e.g. gcePersistentDisk errors are
 * reported under `persistentDisk`, downward API items at the volume's own path).
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, key, type FieldPath } from '../../field/path';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names';
import { validatePersistentVolumeClaimTemplate } from './persistentVolumeClaim';
import { quantityNanos } from './resources';
import type { Volume } from './volume';
import {
  fileMode,
  localDescendingPath,
  noBacksteps,
  requiredString,
  validateDownwardAPIVolumeFile,
  validateKeyToPath,
  validateProjected,
} from './volumeProjectionValidation';

export { validateLocalNonReservedPath } from './volumeProjectionValidation';

export interface VolumeValidationOptions {
  /** The pod's name, when known: ephemeral volumes create a PVC named `<pod>-<volume>`. */
  readonly podName?: string;
  /** True for Pods (not templates): image volumes then need a reference. */
  readonly resourceIsPod?: boolean;
}

function inclusiveRange(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

function dns1123Label(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((msg) => field.invalid(path, value, msg));
}

// ---- one volume --------------------------------------------------------------------------------

const iqnPattern = /iqn\.\d{4}-\d{2}\.([a-zA-Z0-9.-]+)(:[^,;*&$|\s]+)$/;
const euiPattern = /^eui.[a-zA-Z0-9]{16}$/;
const naaPattern = /^naa.[a-zA-Z0-9]{32}$/;

function iscsiName(value: string, path: FieldPath): FieldError[] {
  if (!/^(iqn|eui|naa)/.test(value)) return [field.invalid(path, value, 'must be valid format starting with iqn, eui, or naa')];
  const pattern = value.startsWith('iqn') ? iqnPattern : value.startsWith('eui') ? euiPattern : naaPattern;
  return pattern.test(value) ? [] : [field.invalid(path, value, 'must be valid format')];
}

function partition(value: number | undefined, path: FieldPath): FieldError[] {
  return value !== undefined && (value < 0 || value > 255) ? [field.invalid(path, value, inclusiveRange(1, 255))] : [];
}

function secretRefName(ref: { name?: string } | undefined, path: FieldPath): FieldError[] {
  return ref && !ref.name ? [field.required(child(path, 'name'))] : [];
}

/** Go's net.SplitHostPort, enough to tell a host:port pair from anything else. */
function isHostPort(value: string): boolean {
  const m = /^\[([^\]]*)\]:([^:]*)$/.exec(value) ?? /^([^:[\]]*):([^:[\]]*)$/.exec(value);
  return m !== null;
}

function validateSource(vol: Volume, name: keyof Volume & string, path: FieldPath, opts: VolumeValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  const at = child(path, name);
  switch (name) {
    case 'emptyDir': {
      const limit = vol.emptyDir?.sizeLimit;
      const nanos = limit === undefined ? undefined : quantityNanos(limit);
      if (nanos !== undefined && nanos < 0n) errs.push(field.forbidden(child(at, 'sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      break;
    }
    case 'hostPath': {
      const hp = vol.hostPath!;
      if (!hp.path) return [field.required(child(at, 'path'))];
      errs.push(...noBacksteps(hp.path, child(at, 'path')));
      break;
    }
    case 'gitRepo': {
      const git = vol.gitRepo!;
      errs.push(...requiredString(git.repository, child(at, 'repository')), ...localDescendingPath(git.directory ?? '', child(at, 'directory')));
      break;
    }
    case 'gcePersistentDisk': {
      const pd = vol.gcePersistentDisk!;
      const pdPath = child(path, 'persistentDisk');
      errs.push(...requiredString(pd.pdName, child(pdPath, 'pdName')), ...partition(pd.partition, child(pdPath, 'partition')));
      break;
    }
    case 'awsElasticBlockStore': {
      const ebs = vol.awsElasticBlockStore!;
      errs.push(...requiredString(ebs.volumeID, child(at, 'volumeID')), ...partition(ebs.partition, child(at, 'partition')));
      break;
    }
    case 'secret': {
      const secret = vol.secret!;
      errs.push(...requiredString(secret.secretName, child(at, 'secretName')), ...fileMode(secret.defaultMode, child(at, 'defaultMode')));
      (secret.items ?? []).forEach((kp, i) => errs.push(...validateKeyToPath(kp, index(child(at, 'items'), i))));
      break;
    }
    case 'configMap': {
      const cm = vol.configMap!;
      errs.push(...requiredString(cm.name, child(at, 'name')), ...fileMode(cm.defaultMode, child(at, 'defaultMode')));
      (cm.items ?? []).forEach((kp, i) => errs.push(...validateKeyToPath(kp, index(child(at, 'items'), i))));
      break;
    }
    case 'nfs': {
      const nfs = vol.nfs!;
      errs.push(...requiredString(nfs.server, child(at, 'server')), ...requiredString(nfs.path, child(at, 'path')));
      if (!nfs.path.startsWith('/')) errs.push(field.invalid(child(at, 'path'), nfs.path, 'must be an absolute path'));
      break;
    }
    case 'iscsi': {
      const iscsi = vol.iscsi!;
      errs.push(...requiredString(iscsi.targetPortal, child(at, 'targetPortal')));
      if (!iscsi.iqn) errs.push(field.required(child(at, 'iqn')));
      else errs.push(...iscsiName(iscsi.iqn, child(at, 'iqn')));
      if (iscsi.lun < 0 || iscsi.lun > 255) errs.push(field.invalid(child(at, 'lun'), iscsi.lun, inclusiveRange(0, 255)));
      if ((iscsi.chapAuthDiscovery || iscsi.chapAuthSession) && !iscsi.secretRef) errs.push(field.required(child(at, 'secretRef')));
      if (iscsi.initiatorName !== undefined) errs.push(...iscsiName(iscsi.initiatorName, child(at, 'initiatorname')));
      break;
    }
    case 'glusterfs':
      errs.push(...requiredString(vol.glusterfs!.endpoints, child(at, 'endpoints')), ...requiredString(vol.glusterfs!.path, child(at, 'path')));
      break;
    case 'flocker': {
      const { datasetName = '', datasetUUID = '' } = vol.flocker!;
      if (!datasetName && !datasetUUID) errs.push(field.required(at, 'one of datasetName and datasetUUID is required'));
      if (datasetName && datasetUUID) errs.push(field.invalid(at, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
      if (datasetName.includes('/')) errs.push(field.invalid(child(at, 'datasetName'), datasetName, "must not contain '/'"));
      break;
    }
    case 'persistentVolumeClaim':
      errs.push(...requiredString(vol.persistentVolumeClaim!.claimName, child(at, 'claimName')));
      break;
    case 'rbd':
      if (vol.rbd!.monitors.length === 0) errs.push(field.required(child(at, 'monitors')));
      errs.push(...requiredString(vol.rbd!.image, child(at, 'image')));
      break;
    case 'cinder':
      errs.push(...requiredString(vol.cinder!.volumeID, child(at, 'volumeID')), ...secretRefName(vol.cinder!.secretRef, child(at, 'secretRef')));
      break;
    case 'cephfs':
      if (vol.cephfs!.monitors.length === 0) errs.push(field.required(child(at, 'monitors')));
      break;
    case 'quobyte': {
      const q = vol.quobyte!;
      const hostPorts = 'must be a host:port pair or multiple pairs separated by commas';
      if (!q.registry) errs.push(field.required(child(at, 'registry'), hostPorts));
      else if ((q.tenant ?? '').length >= 65) errs.push(field.required(child(at, 'tenant'), 'must be a UUID and may not exceed a length of 64 characters'));
      else for (const pair of q.registry.split(',')) if (!isHostPort(pair)) errs.push(field.invalid(child(at, 'registry'), q.registry, hostPorts));
      errs.push(...requiredString(q.volume, child(at, 'volume')));
      break;
    }
    case 'downwardAPI': {
      const d = vol.downwardAPI!;
      errs.push(...fileMode(d.defaultMode, child(at, 'defaultMode')));
      for (const file of d.items ?? []) errs.push(...validateDownwardAPIVolumeFile(file, at));
      break;
    }
    case 'fc': {
      const fc = vol.fc!;
      const wwns = fc.targetWWNs ?? [];
      const wwids = fc.wwids ?? [];
      if (wwns.length < 1 && wwids.length < 1) errs.push(field.required(child(at, 'targetWWNs'), 'must specify either targetWWNs or wwids, but not both'));
      if (wwns.length && wwids.length) errs.push(field.invalid(child(at, 'targetWWNs'), wwns, 'targetWWNs and wwids can not be specified simultaneously'));
      if (wwns.length) {
        if (fc.lun === undefined) errs.push(field.required(child(at, 'lun'), 'lun is required if targetWWNs is specified'));
        else if (fc.lun < 0 || fc.lun > 255) errs.push(field.invalid(child(at, 'lun'), fc.lun, inclusiveRange(0, 255)));
      }
      break;
    }
    case 'flexVolume': {
      const flex = vol.flexVolume!;
      errs.push(...requiredString(flex.driver, child(at, 'driver')));
      for (const k of Object.keys(flex.options ?? {})) {
        const slash = k.indexOf('/');
        const normalized = '.' + (slash >= 0 ? k.slice(0, slash) : k).toLowerCase();
        if (normalized.endsWith('.kubernetes.io') || normalized.endsWith('.k8s.io')) {
          errs.push(field.invalid(key(child(at, 'options'), k), k, 'kubernetes.io and k8s.io namespaces are reserved'));
        }
      }
      break;
    }
    case 'azureFile':
      errs.push(...requiredString(vol.azureFile!.secretName, child(at, 'secretName')), ...requiredString(vol.azureFile!.shareName, child(at, 'shareName')));
      break;
    case 'vsphereVolume':
      errs.push(...requiredString(vol.vsphereVolume!.volumePath, child(at, 'volumePath')));
      break;
    case 'photonPersistentDisk':
      errs.push(...requiredString(vol.photonPersistentDisk!.pdID, child(at, 'pdID')));
      break;
    case 'portworxVolume':
      errs.push(...requiredString(vol.portworxVolume!.volumeID, child(at, 'volumeID')));
      break;
    case 'azureDisk': {
      const az = vol.azureDisk!;
      errs.push(...requiredString(az.diskName, child(at, 'diskName')), ...requiredString(az.diskURI, child(at, 'diskURI')));
      if (az.kind === 'Managed' && !az.diskURI.startsWith('/subscriptions/')) {
        errs.push(field.notSupported(child(at, 'diskURI'), az.diskURI, ['/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}']));
      }
      if (az.kind !== undefined && az.kind !== 'Managed' && !az.diskURI.startsWith('https://')) {
        errs.push(field.notSupported(child(at, 'diskURI'), az.diskURI, ['https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd']));
      }
      break;
    }
    case 'storageos': {
      const sos = vol.storageos!;
      if (!sos.volumeName) errs.push(field.required(child(at, 'volumeName')));
      else errs.push(...dns1123Label(sos.volumeName, child(at, 'volumeName')));
      if (sos.volumeNamespace) errs.push(...dns1123Label(sos.volumeNamespace, child(at, 'volumeNamespace')));
      errs.push(...secretRefName(sos.secretRef, child(at, 'secretRef')));
      break;
    }
    case 'projected':
      errs.push(...validateProjected(vol.projected!, at));
      break;
    case 'scaleIO': {
      const sio = vol.scaleIO!;
      errs.push(...requiredString(sio.gateway, child(at, 'gateway')), ...requiredString(sio.system, child(at, 'system')), ...requiredString(sio.volumeName, child(at, 'volumeName')));
      break;
    }
    case 'csi': {
      const csi = vol.csi!;
      const driverPath = child(at, 'driver');
      if (!csi.driver) errs.push(field.required(driverPath));
      if (csi.driver.length > 63) errs.push(field.tooLong(driverPath, 63));
      for (const msg of isDNS1123Subdomain(csi.driver.toLowerCase())) errs.push(field.invalid(driverPath, csi.driver, msg));
      const ref = csi.nodePublishSecretRef;
      if (ref && !ref.name) errs.push(field.required(child(child(at, 'nodePublishSecretRef'), 'name')));
      else if (ref?.name) for (const msg of isDNS1123Subdomain(ref.name)) errs.push(field.invalid(child(at, 'name'), ref.name, msg));
      break;
    }
    case 'ephemeral': {
      const template = vol.ephemeral!.volumeClaimTemplate;
      if (!template) errs.push(field.required(child(at, 'volumeClaimTemplate')));
      else errs.push(...validatePersistentVolumeClaimTemplate(template, child(at, 'volumeClaimTemplate')));
      if (opts.podName && vol.name) {
        const pvcName = `${opts.podName}-${vol.name}`;
        for (const msg of isDNS1123Subdomain(pvcName)) errs.push(field.invalid(child(at, 'name'), vol.name, `PVC name "${pvcName}": ${msg}`));
      }
      break;
    }
    case 'image': {
      const image = vol.image!;
      if (opts.resourceIsPod && !image.reference) errs.push(field.required(child(at, 'reference')));
      break;
    }
    default:
      break;
  }
  return errs;
}

/** Kubernetes' order of sources in validateVolumeSource, with the path each one's "more than 1" error names. */
const sourceOrder: readonly [keyof Volume & string, string][] = [
  ['emptyDir', 'emptyDir'],
  ['hostPath', 'hostPath'],
  ['gitRepo', 'gitRepo'],
  ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['secret', 'secret'],
  ['nfs', 'nfs'],
  ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'],
  ['persistentVolumeClaim', 'persistentVolumeClaim'],
  ['rbd', 'rbd'],
  ['cinder', 'cinder'],
  ['cephfs', 'cephFS'],
  ['quobyte', 'quobyte'],
  ['downwardAPI', 'downwarAPI'],
  ['fc', 'fc'],
  ['flexVolume', 'flexVolume'],
  ['configMap', 'configMap'],
  ['azureFile', 'azureFile'],
  ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'],
  ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'],
  ['projected', 'projected'],
  ['scaleIO', 'scaleIO'],
  ['csi', 'csi'],
  ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

function validateVolumeSource(vol: Volume, path: FieldPath, opts: VolumeValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const [name, reportedAs] of sourceOrder) {
    if (vol[name] === undefined) continue;
    if (count > 0) {
      errs.push(field.forbidden(child(path, reportedAs), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateSource(vol, name, path, opts));
    if (name === 'iscsi' && vol.iscsi?.initiatorName !== undefined && `${vol.name}:${vol.iscsi.targetPortal}`.length > 64) {
      errs.push(
        field.invalid(
          child(path, 'name'),
          vol.name,
          'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.',
        ),
      );
    }
  }
  if (count === 0) errs.push(field.required(path, 'must specify a volume type'));
  return errs;
}

/**
 * ValidateVolumes: each volume has a unique DNS-1123 label name and exactly one valid source.
 * `path` is where the list sits, e.g. `spec.volumes` or `spec.template.spec.volumes`.
 */
export function validateVolumes(volumes: Volume[] | undefined, path: FieldPath, opts: VolumeValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const createdClaims = new Set<string>();
  if (opts.podName) for (const vol of volumes ?? []) if (vol.ephemeral) createdClaims.add(`${opts.podName}-${vol.name}`);
  (volumes ?? []).forEach((vol, i) => {
    const at = index(path, i);
    const namePath = child(at, 'name');
    const el = validateVolumeSource(vol, at, opts);
    if (!vol.name) el.push(field.required(namePath));
    else el.push(...dns1123Label(vol.name, namePath));
    if (names.has(vol.name)) el.push(field.duplicate(namePath, vol.name));
    if (el.length === 0) names.add(vol.name);
    else errs.push(...el);
    const claimName = vol.persistentVolumeClaim?.claimName;
    if (claimName !== undefined && createdClaims.has(claimName)) {
      errs.push(field.invalid(child(child(at, 'persistentVolumeClaim'), 'claimName'), claimName, 'must not reference a PVC that gets created for an ephemeral volume'));
    }
  });
  return errs;
}
