/**
 * Kubernetes' rule for updates of a Pod's spec (ValidatePodUpdate): besides metadata, only the
 * images of containers and init containers, activeDeadlineSeconds (set, or lowered),
 * tolerations (additions, or a new tolerationSeconds), terminationGracePeriodSeconds (to 1 when
 * it was negative), schedulingGates (removals) and, while the pod is gated, additions to its node
 * selector and required node affinity may change.
 */
import { cloneJson } from '../../util/cloneJson';
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import { deepEqual } from '../../util/deepEqual';
import type { Container } from './container';
import type { PodSpec } from './podSpec';
import { inclusiveRangeError, maxInt32 } from './validationHelpers';

const updatableFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** The Forbidden detail Kubernetes gives for any other change (before its diff of the specs). */
export const podUpdateForbiddenMessage = `pod updates may not change fields other than ${updatableFields.join(',')}`;

export function validatePodSpecUpdate(spec: PodSpec, old: PodSpec, path: FieldPath = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of ['containers', 'initContainers'] as const) {
    const [result, stop] = validateContainerUpdates(spec[name] ?? [], old[name] ?? [], child(path, name));
    errs.push(...result);
    if (stop) return errs;
  }

  const deadlinePath = child(path, 'activeDeadlineSeconds');
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined) {
    if (deadline < 0 || deadline > maxInt32) return [...errs, field.invalid(deadlinePath, deadline, inclusiveRangeError(0, maxInt32))];
    if (old.activeDeadlineSeconds !== undefined && old.activeDeadlineSeconds < deadline) {
      return [...errs, field.invalid(deadlinePath, deadline, 'must be less than or equal to previous value')];
    }
  } else if (old.activeDeadlineSeconds !== undefined) {
    errs.push(field.invalid(deadlinePath, null, 'must not update from a positive integer to nil value'));
  }

  errs.push(...validateOnlyAddedTolerations(spec.tolerations ?? [], old.tolerations ?? [], child(path, 'tolerations')));
  errs.push(...validateOnlyDeletedSchedulingGates(spec.schedulingGates ?? [], old.schedulingGates ?? [], child(path, 'schedulingGates')));
  if (deepEqual(spec, old)) return errs;

  // Set what may change to its old value, then anything still different is forbidden.
  const munged = cloneJson(spec);
  munged.containers = munged.containers.map((c, i) => withImage(c, old.containers[i]));
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => withImage(c, old.initContainers?.[i]));
  setOrDelete(munged, 'activeDeadlineSeconds', old.activeDeadlineSeconds);
  setOrDelete(munged, 'schedulingGates', old.schedulingGates);
  setOrDelete(munged, 'tolerations', old.tolerations);
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  if ((old.schedulingGates ?? []).length > 0) errs.push(...mungeGatedPodFields(munged, old, path));
  if (!deepEqual(munged, old)) {
    const diff = differences(old, munged, path).slice(0, 20);
    errs.push(field.forbidden(path, `${podUpdateForbiddenMessage}\n${diff.map((d) => `  ${d}`).join('\n')}`));
  }
  return errs;
}

function validateContainerUpdates(containers: readonly Container[], old: readonly Container[], path: FieldPath): [FieldError[], boolean] {
  if (containers.length !== old.length) return [[field.forbidden(path, 'pod updates may not add or remove containers')], true];
  const errs: FieldError[] = [];
  containers.forEach((c, i) => {
    const image = c.image ?? '';
    if (!image) errs.push(field.required(child(index(path, i), 'image')));
    if (image.trim() !== image) errs.push(field.invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'));
  });
  return [errs, false];
}

function withImage(c: Container, old: Container | undefined): Container {
  const out = { ...c };
  if (old?.image === undefined) delete out.image;
  else out.image = old.image;
  return out;
}

function setOrDelete<K extends keyof PodSpec>(spec: PodSpec, name: K, value: PodSpec[K]): void {
  if (value === undefined) delete spec[name];
  else spec[name] = cloneJson(value);
}

type Toleration = NonNullable<PodSpec['tolerations']>[number];

/** Every old toleration must still be there, except that its tolerationSeconds may change. */
function validateOnlyAddedTolerations(tolerations: readonly Toleration[], old: readonly Toleration[], path: FieldPath): FieldError[] {
  for (const o of old) {
    const found = tolerations.some((t) => deepEqual({ ...o, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [field.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

type SchedulingGate = NonNullable<PodSpec['schedulingGates']>[number];

function validateOnlyDeletedSchedulingGates(gates: readonly SchedulingGate[], old: readonly SchedulingGate[], path: FieldPath): FieldError[] {
  const oldNames = new Set(old.map((g) => g.name));
  const errs: FieldError[] = [];
  gates.forEach((g, i) => {
    if (!oldNames.has(g.name)) errs.push(field.forbidden(child(index(path, i), 'name'), `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  });
  return errs;
}

type NodeAffinity = NonNullable<NonNullable<PodSpec['affinity']>['nodeAffinity']>;

/** A gated pod may gain node selector entries and required node affinity expressions. */
function mungeGatedPodFields(munged: PodSpec, old: PodSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!deepEqual(munged.nodeSelector ?? {}, old.nodeSelector ?? {})) {
    const next = munged.nodeSelector ?? {};
    if (Object.entries(old.nodeSelector ?? {}).some(([k, v]) => next[k] !== v)) {
      errs.push(field.invalid(child(path, 'nodeSelector'), next, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
    }
    setOrDelete(munged, 'nodeSelector', old.nodeSelector);
  }
  const oldAffinity = old.affinity?.nodeAffinity;
  const newAffinity = munged.affinity?.nodeAffinity;
  if (!deepEqual(oldAffinity, newAffinity)) {
    errs.push(...validateNodeAffinityMutation(newAffinity, oldAffinity, child(child(path, 'affinity'), 'nodeAffinity')));
    if (!munged.affinity) {
      if (oldAffinity) munged.affinity = { nodeAffinity: cloneJson(oldAffinity) };
    } else if (!old.affinity && !munged.affinity.podAffinity && !munged.affinity.podAntiAffinity) {
      delete munged.affinity;
    } else if (oldAffinity) {
      munged.affinity.nodeAffinity = cloneJson(oldAffinity);
    } else {
      delete munged.affinity.nodeAffinity;
    }
  }
  return errs;
}

function validateNodeAffinityMutation(next: NodeAffinity | undefined, old: NodeAffinity | undefined, path: FieldPath): FieldError[] {
  const oldTerms = old?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!oldTerms) return [];
  const newTerms = next?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const at = child(path, 'requiredDuringSchedulingIgnoredDuringExecution');
  const text = 'only additions are allowed (no mutations or deletions)';
  if (newTerms.length !== oldTerms.length) return [field.invalid(at, next?.requiredDuringSchedulingIgnoredDuringExecution ?? null, text)];
  const errs: FieldError[] = [];
  oldTerms.forEach((term, i) => {
    const added = newTerms[i]!;
    const keeps = (olds: readonly unknown[] | undefined, news: readonly unknown[] | undefined) =>
      (olds ?? []).every((o) => (news ?? []).some((n) => deepEqual(o, n)));
    if (!keeps(term.matchExpressions, added.matchExpressions) || !keeps(term.matchFields, added.matchFields)) {
      errs.push(field.invalid(index(child(at, 'nodeSelectorTerms'), i), added, text));
    }
  });
  return errs;
}

/** Paths where two JSON values differ, with old and new values, to show after the Forbidden message. */
export function differences(a: unknown, b: unknown, path: FieldPath): string[] {
  if (deepEqual(a, b)) return [];
  const bothObjects = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null;
  if (bothObjects && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return [`${path}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`];
      return a.flatMap((v, i) => differences(v, b[i], index(path, i)));
    }
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    return keys.flatMap((k) => differences(ao[k], bo[k], child(path, k)));
  }
  return [`${path}: ${JSON.stringify(a) ?? 'null'} -> ${JSON.stringify(b) ?? 'null'}`];
}
