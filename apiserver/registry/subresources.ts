/**
 * Subresources whose writes are computed from the stored object: /scale (any kind with a
 * ScaleSubresource), pods/binding, and namespaces/finalize. Each turns a request body into an
 * UpdateFn for the store's read-modify-write loop.
 */
import * as field from '../../api/field/errors';
import { decodeObject, type FieldValidation } from '../../api/kinds/decode';
import { defineKind, type KubeObject, type ScaleSubresource } from '../../api/kinds/kind';
import { Scale } from '../../api/kinds/autoscaling/scale';
import { formatLabelSelector, fromLabelSelector } from '../../api/labels/selector';
import type { LabelSelector } from '../../api/kinds/meta';
import { dns1123Subdomain } from '../../api/kinds/core/validationHelpers';
import { isPlainObject } from '../../api/schema/walk';
import * as status from '../../api/status';
import type { StoredObject } from '../storage/interface';
import type { UpdateFn } from './store';
import { timestamp } from './systemFields';

/** autoscaling/v1 Scale as a kind, to decode and validate /scale bodies (never stored). */
export const scaleKind = defineKind<Scale>({
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  listKind: 'ScaleList',
  plural: 'scale',
  singular: 'scale',
  shortNames: [],
  categories: [],
  namespaced: true,
  schema: Scale,
  subresources: {},
  validate: (scale) => {
    const replicas = scale.spec?.replicas ?? 0;
    return replicas < 0 ? [field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')] : [];
  },
});

/** Reads `.a.b.c` from an object. */
export function getPath(obj: unknown, path: string): unknown {
  let at: unknown = obj;
  for (const part of path.split('.').filter(Boolean)) {
    if (!isPlainObject(at)) return undefined;
    at = at[part];
  }
  return at;
}

/** Writes `.a.b.c` into an object, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.').filter(Boolean);
  let at = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(at[part])) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]!] = value;
}

/** The Scale view of an object. */
export function toScale(obj: StoredObject, sub: ScaleSubresource): Scale {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const selectorFromPath = sub.labelSelectorPath ? getPath(obj, sub.labelSelectorPath) : undefined;
  const specSelector = getPath(obj, '.spec.selector');
  const selector =
    typeof selectorFromPath === 'string'
      ? selectorFromPath
      : isPlainObject(specSelector)
        ? formatLabelSelector(fromLabelSelector(specSelector as LabelSelector))
        : undefined;
  const replicas = getPath(obj, sub.statusReplicasPath);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: Number(getPath(obj, sub.specReplicasPath) ?? 0) },
    status: { replicas: typeof replicas === 'number' ? replicas : 0, ...(selector !== undefined ? { selector } : {}) },
  };
}

/**
 * An update that sets the desired replicas from a Scale computed by `scaleOf` (the request body,
 * or a patch applied to the current Scale). The Scale's resourceVersion is a precondition.
 */
export function scaleUpdate(sub: ScaleSubresource, scaleOf: (current: Scale) => unknown, fieldValidation: FieldValidation): UpdateFn {
  return (current) => {
    const { object: scale, warnings } = decodeObject(scaleKind, scaleOf(toScale(current, sub)), fieldValidation);
    const errors = scaleKind.validate!(scale);
    if (errors.length) throw status.invalid(scaleKind, current.metadata.name!, errors);
    const next = current; // the update's own copy
    setPath(next, sub.specReplicasPath, scale.spec?.replicas ?? 0);
    // The Scale's resourceVersion (if any) guards the write like the object's own.
    next.metadata.resourceVersion = scale.metadata?.resourceVersion || current.metadata.resourceVersion;
    return { object: next, warnings };
  };
}

/** pods/binding: assigns an unassigned pod to the node the Binding targets. */
export function bindingUpdate(podName: string, body: unknown): UpdateFn {
  if (isPlainObject(body) && isPlainObject(body.metadata) && body.metadata.name !== undefined && body.metadata.name !== podName) {
    throw status.badRequest('name in URL does not match name in Binding object');
  }
  if (!isPlainObject(body) || !isPlainObject(body.target) || typeof body.target.name !== 'string' || body.target.name === '') {
    throw status.invalid({ group: '', kind: 'Binding' }, '', [field.required('target.name')]);
  }
  if (body.kind !== undefined && body.kind !== 'Binding') throw status.badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Binding)`);
  const nodeName = body.target.name;
  // Node names are DNS subdomains: a pod bound to anything else could never be updated again.
  const nameErrors = dns1123Subdomain(nodeName, 'target.name');
  if (nameErrors.length) throw status.invalid({ group: '', kind: 'Binding' }, podName, nameErrors);
  const targetKind = body.target.kind;
  if (targetKind !== undefined && targetKind !== '' && targetKind !== 'Node') {
    throw status.invalid({ group: '', kind: 'Binding' }, '', [field.notSupported('target.kind', targetKind, ['Node'])]);
  }
  const annotations = isPlainObject(body.metadata) && isPlainObject(body.metadata.annotations) ? (body.metadata.annotations as Record<string, string>) : {};
  const withAnnotations = Object.keys(annotations).length > 0;
  const update = (current: StoredObject) => {
    const gr = { group: '', resource: 'pods/binding' };
    const name = current.metadata.name!;
    if (current.metadata.deletionTimestamp) throw status.conflict(gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    const spec = (isPlainObject(current.spec) ? current.spec : {}) as Record<string, unknown>;
    if (spec.nodeName) throw status.conflict(gr, name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
    // `current` may be the stored pod itself (readsStored): what changes is copied, the rest shared.
    const podStatus = { ...(isPlainObject(current.status) ? current.status : {}) } as Record<string, unknown>;
    const conditions = (Array.isArray(podStatus.conditions) ? podStatus.conditions : []) as Record<string, unknown>[];
    podStatus.conditions = [
      ...conditions.filter((c) => c.type !== 'PodScheduled'),
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp() },
    ];
    const metadata = withAnnotations ? { ...current.metadata, annotations: { ...current.metadata.annotations, ...annotations } } : { ...current.metadata };
    const next: KubeObject = { ...current, metadata, spec: { ...spec, nodeName }, status: podStatus };
    // Without annotations (validated with the pod), only nodeName (checked above) and a
    // well-formed condition changed on a valid stored pod.
    return { object: next, warnings: [], checked: !withAnnotations };
  };
  // With annotations the pod is defaulted and validated again: on a copy of its own, as any update.
  return withAnnotations ? update : Object.assign(update, { readsStored: true } as const);
}

/** namespaces/finalize: replaces spec.finalizers (and only them) with the body's. */
export function finalizeUpdate(body: unknown): UpdateFn {
  if (!isPlainObject(body)) throw status.badRequest('the body of a finalize request must be a Namespace');
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const finalizers = spec.finalizers ?? [];
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) {
    throw status.badRequest('spec.finalizers must be a list of strings');
  }
  const resourceVersion = isPlainObject(body.metadata) && typeof body.metadata.resourceVersion === 'string' ? body.metadata.resourceVersion : undefined;
  return (current) => {
    const next = current as KubeObject & { spec?: Record<string, unknown> }; // the update's own copy
    next.spec = { ...next.spec, finalizers: [...(finalizers as string[])] };
    if (resourceVersion) next.metadata = { ...next.metadata, resourceVersion };
    return { object: next, warnings: [] };
  };
}
