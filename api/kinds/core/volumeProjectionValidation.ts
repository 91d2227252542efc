/**
 * Validation of the file-projecting volume sources (configMap and secret items, downward API,
 * projected volumes) and of the relative paths they write, as Kubernetes v1.32 does it, with its
 * paths and messages. Used by volumeValidation.ts.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import { validateLabelSelector } from '../../validation/labelSelector';
import { isDNS1123Subdomain, isQualifiedName } from '../../validation/names';
import { compareQuantities, quantityNanos } from './resources';
import type { DownwardAPIVolumeFile, KeyToPath, ProjectedVolumeSource } from './volumeProjections';

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Mode bits must lie in 0..0777. */
export function fileMode(mode: number | undefined, path: FieldPath): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [field.invalid(path, mode, fileModeErrorMsg)] : [];
}

export function requiredString(value: string | undefined, path: FieldPath): FieldError[] {
  return value ? [] : [field.required(path)];
}

// ---- paths -------------------------------------------------------------------------------------

export function noBacksteps(target: string, path: FieldPath): FieldError[] {
  return target.split('/').includes('..') ? [field.invalid(path, target, "must not contain '..'")] : [];
}

export function localDescendingPath(target: string, path: FieldPath): FieldError[] {
  const errs = target.startsWith('/') ? [field.invalid(path, target, 'must be a relative path')] : [];
  return [...errs, ...noBacksteps(target, path)];
}

/** Relative, no '..' element, and not starting with '..' (ValidateLocalNonReservedPath). */
export function validateLocalNonReservedPath(target: string, path: FieldPath): FieldError[] {
  const errs = localDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(field.invalid(path, target, "must not start with '..'"));
  return errs;
}

export function validateKeyToPath(kp: KeyToPath, path: FieldPath): FieldError[] {
  return [
    ...requiredString(kp.key, child(path, 'key')),
    ...requiredString(kp.path, child(path, 'path')),
    ...validateLocalNonReservedPath(kp.path, child(path, 'path')),
    ...fileMode(kp.mode, child(path, 'mode')),
  ];
}

// ---- downward API ------------------------------------------------------------------------------

/** Pod fields a downward API volume may expose (labels and annotations also by key). */
const volumeFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
/** Fields Kubernetes knows how to convert at all; others fail conversion before the allow-list. */
const convertibleFieldPaths = new Set([
  ...volumeFieldPaths,
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
const resourceFieldPaths = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const cpuDivisors = ['1m', '1'];
const byteDivisors = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

function validateFieldRef(ref: NonNullable<DownwardAPIVolumeFile['fieldRef']>, path: FieldPath): FieldError[] {
  if (!ref.apiVersion) return [field.required(child(path, 'apiVersion'))];
  if (!ref.fieldPath) return [field.required(child(path, 'fieldPath'))];
  if (ref.apiVersion !== 'v1') {
    return [field.invalid(child(path, 'fieldPath'), ref.fieldPath, `error converting fieldPath: unsupported pod version: ${ref.apiVersion}`)];
  }
  const sub = /^(.+)\['(.*)'\]$/s.exec(ref.fieldPath);
  if (sub) {
    const [, base = '', subscript = ''] = sub;
    if (base !== 'metadata.annotations' && base !== 'metadata.labels') {
      return [field.invalid(child(path, 'fieldPath'), ref.fieldPath, `error converting fieldPath: field label does not support subscript: ${ref.fieldPath}`)];
    }
    const name = base === 'metadata.annotations' ? subscript.toLowerCase() : subscript;
    return isQualifiedName(name).map((msg) => field.invalid(path, name, msg));
  }
  if (!convertibleFieldPaths.has(ref.fieldPath)) {
    return [field.invalid(child(path, 'fieldPath'), ref.fieldPath, `error converting fieldPath: field label not supported: ${ref.fieldPath}`)];
  }
  if (!volumeFieldPaths.includes(ref.fieldPath)) return [field.notSupported(child(path, 'fieldPath'), ref.fieldPath, volumeFieldPaths)];
  return [];
}

function validateResourceFieldRef(ref: NonNullable<DownwardAPIVolumeFile['resourceFieldRef']>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const resource = ref.resource;
  const hugePages = /^(requests|limits)\.hugepages-/.test(resource);
  if (!ref.containerName) errs.push(field.required(child(path, 'containerName')));
  else if (!resource) errs.push(field.required(child(path, 'resource')));
  else if (!resourceFieldPaths.includes(resource) && !hugePages) errs.push(field.notSupported(child(path, 'resource'), resource, resourceFieldPaths));
  const divisor = ref.divisor;
  if (divisor === undefined || quantityNanos(divisor) === 0n) return errs;
  const matches = (allowed: readonly string[]) => allowed.some((a) => compareQuantities(divisor, a) === 0);
  const bytes = byteDivisors.join(', ');
  const divisorPath = child(path, 'divisor');
  if (resource.endsWith('.cpu') && !matches(cpuDivisors)) {
    errs.push(field.invalid(divisorPath, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
  } else if (resource.endsWith('.memory') && !matches(byteDivisors)) {
    errs.push(field.invalid(divisorPath, resource, `only divisor's values ${bytes} are supported with the memory resource`));
  } else if (resource.endsWith('.ephemeral-storage') && !matches(byteDivisors)) {
    errs.push(field.invalid(divisorPath, resource, `only divisor's values ${bytes} are supported with the local ephemeral storage resource`));
  } else if (hugePages && !matches(byteDivisors)) {
    errs.push(field.invalid(divisorPath, resource, `only divisor's values ${bytes} are supported with the hugepages resource`));
  }
  return errs;
}

/** validateDownwardAPIVolumeFile; Kubernetes passes the source's path, not the item's index. */
export function validateDownwardAPIVolumeFile(file: DownwardAPIVolumeFile, path: FieldPath): FieldError[] {
  const errs = [...requiredString(file.path, child(path, 'path')), ...validateLocalNonReservedPath(file.path, child(path, 'path'))];
  if (file.fieldRef) {
    errs.push(...validateFieldRef(file.fieldRef, child(path, 'fieldRef')));
    if (file.resourceFieldRef) errs.push(field.invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (file.resourceFieldRef) {
    errs.push(...validateResourceFieldRef(file.resourceFieldRef, child(path, 'resourceFieldRef')));
  } else {
    errs.push(field.required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...fileMode(file.mode, child(path, 'mode')));
  return errs;
}

// ---- projected ---------------------------------------------------------------------------------

const clusterTrustBundleSignerName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[^/]+$/;

export function validateProjected(projected: ProjectedVolumeSource, path: FieldPath): FieldError[] {
  const errs = fileMode(projected.defaultMode, child(path, 'defaultMode'));
  const seen = new Set<string>();
  const claim = (p: string, badValue: unknown) => {
    if (seen.has(p)) errs.push(field.invalid(path, badValue, 'conflicting duplicate paths'));
    seen.add(p);
  };
  (projected.sources ?? []).forEach((source, i) => {
    const srcPath = index(child(path, 'sources'), i);
    let count = 0;
    for (const name of ['secret', 'configMap'] as const) {
      const src = source[name];
      if (!src) continue;
      count++;
      const projPath = child(srcPath, name);
      if (!src.name) errs.push(field.required(child(projPath, 'name')));
      (src.items ?? []).forEach((kp, j) => {
        errs.push(...validateKeyToPath(kp, index(child(projPath, 'items'), j)));
        if (kp.path) claim(kp.path, src.name ?? '');
      });
    }
    if (source.downwardAPI) {
      count++;
      for (const file of source.downwardAPI.items ?? []) {
        errs.push(...validateDownwardAPIVolumeFile(file, child(srcPath, 'downwardAPI')));
        if (file.path) claim(file.path, file.path);
      }
    }
    const token = source.serviceAccountToken;
    if (token) {
      count++;
      const seconds = token.expirationSeconds ?? 3600;
      const secondsPath = child(child(srcPath, 'serviceAccountToken'), 'expirationSeconds');
      if (seconds < 600) errs.push(field.invalid(secondsPath, seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32) errs.push(field.invalid(secondsPath, seconds, 'may not specify a duration larger than 2^32 seconds'));
      if (!token.path) errs.push(field.required(child(path, 'path')));
      else errs.push(...validateLocalNonReservedPath(token.path, child(path, 'path')));
    }
    const bundle = source.clusterTrustBundle;
    if (bundle) {
      count++;
      const projPath = child(srcPath, 'clusterTrustBundlePEM');
      if (bundle.name !== undefined && bundle.signerName !== undefined) {
        errs.push(field.invalid(projPath, bundle, 'only one of name and signerName may be used'));
      } else if (bundle.name !== undefined) {
        if (bundle.name === '') errs.push(field.required(child(projPath, 'name'), 'must be a valid object name'));
        // `<signer name with ':' for '/'>:<suffix>` or a plain name; either way the last part is a DNS subdomain.
        for (const msg of isDNS1123Subdomain(bundle.name.slice(bundle.name.lastIndexOf(':') + 1))) {
          errs.push(field.invalid(child(projPath, 'name'), bundle.name, `not a valid clustertrustbundlename: ${msg}`));
        }
        if (bundle.labelSelector) errs.push(field.invalid(child(projPath, 'labelSelector'), bundle.labelSelector, 'labelSelector must be unset if name is specified'));
      } else if (bundle.signerName !== undefined) {
        if (bundle.signerName === '') errs.push(field.required(child(projPath, 'signerName'), 'must be a valid signer name'));
        else if (!clusterTrustBundleSignerName.test(bundle.signerName)) {
          errs.push(field.invalid(child(projPath, 'signerName'), bundle.signerName, 'must be a fully qualified domain and path of the form \'example.com/signer-name\''));
        }
        errs.push(...validateLabelSelector(bundle.labelSelector, child(projPath, 'labelSelector')));
      } else {
        errs.push(field.required(projPath, 'either name or signerName must be specified'));
      }
      if (!bundle.path) errs.push(field.required(child(projPath, 'path')));
      errs.push(...validateLocalNonReservedPath(bundle.path, child(projPath, 'path')));
      claim(bundle.path, bundle.path);
    }
    if (count > 1) errs.push(field.forbidden(srcPath, 'may not specify more than 1 volume type'));
  });
  return errs;
}
