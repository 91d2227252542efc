/** Validation of ResourceRequirements as Kubernetes' validateResourceRequirements does it. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, key, type FieldPath } from '../../field/path';
import { isQualifiedName } from '../../validation/names';
import {
  compareQuantities,
  hugePageSizeNanos,
  isExtendedResourceName,
  isHugePageResourceName,
  isIntegerResourceName,
  isNativeResource,
  isOvercommitAllowed,
  isWholeQuantity,
  quantityNanos,
  quantityString,
  type ResourceList,
  type ResourceRequirements,
} from './resources';
import { dns1123Label, notFound } from './validationHelpers';

const standardResources = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);

function isStandardResourceName(name: string): boolean {
  return standardResources.has(name) || isHugePageResourceName(name) || name.startsWith('requests.hugepages-');
}

/** A resource name valid in a container's requests or limits. */
export function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => field.invalid(path, name, msg));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!isStandardResourceName(name)) errs.push(field.invalid(path, name, 'must be a standard resource type or fully qualified'));
    if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !isHugePageResourceName(name)) {
      errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !(isExtendedResourceName(name) && isQualifiedName(`requests.${name}`).length === 0)) {
    errs.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** Non-negative, and whole for resources counted in units. */
export function validateResourceQuantityValue(name: string, q: string | number, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const n = quantityNanos(q);
  if (n !== undefined && n < 0n) errs.push(field.invalid(path, quantityString(q), 'must be greater than or equal to 0'));
  if (isIntegerResourceName(name) && !isWholeQuantity(q)) errs.push(field.invalid(path, quantityString(q), 'must be an integer'));
  return errs;
}

function hugePageValueError(name: string, q: string | number): string | undefined {
  if (!isHugePageResourceName(name)) return undefined;
  const size = hugePageSizeNanos(name);
  const value = quantityNanos(q);
  const divisible = size !== undefined && size > 0n && value !== undefined && value > 0n && value % size === 0n;
  return divisible ? undefined : `${quantityString(q)} is not positive integer multiple of ${name}`;
}

const qosResources = ['cpu', 'memory'];

/**
 * Requests and limits of a container (or of the pod overhead): names, values, requests not above
 * limits (equal for resources that cannot be overcommitted), and claims that name pod claims.
 */
export function validateResourceRequirements(req: ResourceRequirements, podClaimNames: ReadonlySet<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits: ResourceList = req.limits ?? {};
  const requests: ResourceList = req.requests ?? {};
  let cpuOrMemory = false;
  let hugePages = false;
  /** The hugepage value of a limit or request, noting whether there are hugepages and cpu or memory. */
  const checkHugePages = (name: string, q: string | number, at: FieldPath) => {
    const huge = hugePageValueError(name, q);
    if (isHugePageResourceName(name)) hugePages = true;
    if (huge) errs.push(field.invalid(at, quantityString(q), huge));
    if (qosResources.includes(name)) cpuOrMemory = true;
  };
  for (const [name, q] of Object.entries(limits)) {
    const at = key(limPath, name);
    errs.push(...validateContainerResourceName(name, at), ...validateResourceQuantityValue(name, q, at));
    checkHugePages(name, q, at);
  }
  for (const [name, q] of Object.entries(requests)) {
    const at = key(reqPath, name);
    errs.push(...validateContainerResourceName(name, at), ...validateResourceQuantityValue(name, q, at));
    const limit = limits[name];
    if (limit !== undefined) {
      const cmp = compareQuantities(q, limit);
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        errs.push(field.invalid(reqPath, quantityString(q), `must be equal to ${name} limit of ${quantityString(limit)}`));
      } else if (cmp > 0) {
        errs.push(field.invalid(reqPath, quantityString(q), `must be less than or equal to ${name} limit of ${quantityString(limit)}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    checkHugePages(name, q, at);
  }
  if (hugePages && !cpuOrMemory) errs.push(field.forbidden(path, 'HugePages require cpu or memory'));
  errs.push(...validateResourceClaimNames(req.claims ?? [], podClaimNames, child(path, 'claims')));
  return errs;
}

function validateResourceClaimNames(claims: NonNullable<ResourceRequirements['claims']>, podClaimNames: ReadonlySet<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  claims.forEach((claim, i) => {
    const at = index(path, i);
    if (!claim.name) {
      errs.push(field.required(at));
      return;
    }
    if (names.has(claim.name)) {
      errs.push(field.duplicate(at, claim.name));
    } else {
      let id = claim.name;
      if (claim.request) {
        errs.push(...dns1123Label(claim.request, child(at, 'request')));
        id += '/' + claim.request;
      }
      if (names.has(id)) errs.push(field.duplicate(at, id));
      else if (!claim.request) for (const n of names) if (n.startsWith(claim.name + '/')) errs.push(field.duplicate(at, claim.name));
      names.add(id);
    }
    if (!podClaimNames.has(claim.name)) {
      const list = [...podClaimNames].sort();
      const detail = 'must be one of the names in pod.spec.resourceClaims' + (list.length ? ': ' + list.join(', ') : ' which is empty');
      errs.push(notFound(at, claim.name, detail));
    }
  });
  return errs;
}

/** The pod overhead, validated as limits (paths read `overhead.limits[...]`, as in Kubernetes). */
export function validateOverhead(overhead: ResourceList, path: FieldPath): FieldError[] {
  return validateResourceRequirements({ limits: overhead }, new Set(), path);
}
