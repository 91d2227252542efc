/**
 * Pieces shared by the workload kinds (apps/v1, batch/v1, policy/v1): the condition type and the
 * rolling update defaults of the apps/v1 controllers, and validation after Kubernetes'
 * pkg/apis/apps/validation: non-negative counts, int-or-percent values, controller selectors that
 * must match their pod template, and immutable fields.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, type FieldPath } from '../../field/path';
import { labelSelectorMatches } from '../../labels/selector';
import * as s from '../../schema/schema';
import { deepEqual } from '../../util/deepEqual';
import { isEmptySelector, validateLabelSelector } from '../../validation/labelSelector';
import type { LabelSelector } from '../meta';

/** lastTransitionTime as most apps/v1 conditions describe it. */
export const lastTransitionTime = s.time('Last time the condition transitioned from one status to another.');

/**
 * The condition type of an apps/v1 controller's status (DeploymentCondition, ReplicaSetCondition,
 * StatefulSetCondition, DaemonSetCondition): `times` (lastTransitionTime and the like), then the
 * message, reason, status and type every one of them has; type and status are required.
 */
export function workloadCondition<T extends s.Props>(name: string, description: string, typeDescription: string, times: T) {
  return s.object(
    name,
    description,
    {
      ...times,
      message: s.string('A human readable message indicating details about the transition.'),
      reason: s.string("The reason for the condition's last transition."),
      status: s.string('Status of the condition, one of True, False, Unknown.'),
      type: s.string(typeDescription),
    },
    { required: ['type', 'status'] },
  );
}

/**
 * A strategy of type RollingUpdate unless another type is set, and then its rolling update with
 * these defaults (SetDefaults_Deployment, SetDefaults_DaemonSet).
 */
export function defaultRollingUpdate(
  strategy: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } },
  defaults: { readonly maxUnavailable: number | string; readonly maxSurge: number | string },
): void {
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = (strategy.rollingUpdate ??= {});
    rollingUpdate.maxUnavailable ??= defaults.maxUnavailable;
    rollingUpdate.maxSurge ??= defaults.maxSurge;
  }
}

/** ValidateNonnegativeField: `Invalid value: -1: must be greater than or equal to 0`. */
export function validateNonnegative(value: number | undefined, path: FieldPath): FieldError[] {
  return value !== undefined && value < 0 ? [field.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** validateNonnegative for each of the named fields of `obj` (at `path`), in that order. */
export function validateNonnegativeFields<K extends string>(obj: Partial<Record<K, number>>, names: readonly K[], path: FieldPath): FieldError[] {
  return names.flatMap((name) => validateNonnegative(obj[name], child(path, name)));
}

const percentPattern = /^[0-9]+%$/;
const percentMessage =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** ValidatePositiveIntOrPercent: a non-negative integer or a percent string such as `25%`. */
export function validateIntOrPercent(value: number | string | undefined, path: FieldPath): FieldError[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return percentPattern.test(value) ? [] : [field.invalid(path, value, percentMessage)];
  return validateNonnegative(value, path);
}

/** The number an int-or-percent stands for before scaling: 5 for 5 and for "5%". */
export function intOrPercentValue(value: number | string | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (percentPattern.test(value)) return Number.parseInt(value.slice(0, -1), 10);
  // intstr.IntValue of a string: strconv.Atoi, 0 when it is not a number.
  return /^[+-]?\d+$/.test(value) ? Number.parseInt(value, 10) : 0;
}

/** IsNotMoreThan100Percent: only percentages are checked. */
export function validateNotMoreThan100Percent(value: number | string | undefined, path: FieldPath): FieldError[] {
  if (typeof value !== 'string' || !percentPattern.test(value)) return [];
  return intOrPercentValue(value) > 100 ? [field.invalid(path, value, 'must not be greater than 100%')] : [];
}

/** ValidateImmutableField: `Invalid value: <new>: field is immutable`. */
export function validateImmutable(value: unknown, old: unknown, path: FieldPath): FieldError[] {
  return deepEqual(value, old) ? [] : [field.invalid(path, value ?? null, 'field is immutable')];
}

export interface SelectorRules {
  /** How the empty-selector message names the kind (`empty selector is invalid for deployment`); absent when empty is fine. */
  readonly emptyName?: string;
  /** The detail of the error given when the selector cannot be used for matching, if any. */
  readonly unusableDetail?: string;
}

/**
 * A controller's spec.selector and its pod template labels, as the apps validation checks them:
 * the selector is required, valid and non-empty, and it must select the template's labels.
 */
export function validateControllerSelector(
  selector: LabelSelector | undefined,
  templateLabels: Readonly<Record<string, string>> | undefined,
  specPath: FieldPath,
  rules: SelectorRules,
): FieldError[] {
  const selectorPath = child(specPath, 'selector');
  const errs: FieldError[] = [];
  let usable = true;
  if (!selector) {
    errs.push(field.required(selectorPath));
  } else {
    const selectorErrs = validateLabelSelector(selector, selectorPath);
    errs.push(...selectorErrs);
    if (rules.emptyName !== undefined && isEmptySelector(selector)) errs.push(field.invalid(selectorPath, selector, `empty selector is invalid for ${rules.emptyName}`));
    usable = selectorErrs.length === 0;
  }
  if (!usable) {
    if (rules.unusableDetail !== undefined) errs.push(field.invalid(selectorPath, selector, rules.unusableDetail));
  } else if (!selectorMatchesTemplate(selector, templateLabels)) {
    errs.push(templateLabelsMismatch(specPath, templateLabels));
  }
  return errs;
}

/**
 * Whether the selector selects the template's labels. The empty selector selects everything and a
 * missing one nothing, as metav1.LabelSelectorAsSelector makes them.
 */
export function selectorMatchesTemplate(selector: LabelSelector | undefined, templateLabels: Readonly<Record<string, string>> | undefined): boolean {
  if (selector && isEmptySelector(selector)) return true;
  return labelSelectorMatches(selector, templateLabels ?? {});
}

/** `spec.template.metadata.labels: Invalid value: {...}: `selector` does not match template `labels``. */
export function templateLabelsMismatch(specPath: FieldPath, templateLabels: Readonly<Record<string, string>> | undefined): FieldError {
  return field.invalid(child(specPath, 'template.metadata.labels'), templateLabels ?? null, '`selector` does not match template `labels`');
}

/**
 * The validation of a controller whose selector apps/v1 keeps immutable (Deployment, ReplicaSet,
 * DaemonSet): its spec; on update also an unchanged selector and the status written (on create the
 * status is the server's).
 */
export function validateController<T extends { spec?: { selector?: LabelSelector } | undefined; status?: unknown }>(
  validateSpec: (spec: T['spec']) => FieldError[],
  validateStatus: (status: T['status'], old: T['status']) => FieldError[],
): (obj: T, old?: T) => FieldError[] {
  return (obj, old) => {
    const errs = validateSpec(obj.spec);
    if (old) {
      errs.push(...validateImmutable(obj.spec?.selector, old.spec?.selector, 'spec.selector'));
      errs.push(...validateStatus(obj.status, old.status));
    }
    return errs;
  };
}

/** Pods of long-running controllers (Deployment, ReplicaSet, StatefulSet, DaemonSet) must restart Always. */
export function validateAlwaysRestart(
  podSpec: { readonly restartPolicy?: string; readonly activeDeadlineSeconds?: number } | undefined,
  templatePath: FieldPath,
  kindName: string,
): FieldError[] {
  const errs: FieldError[] = [];
  // An absent restartPolicy has been defaulted to Always with the pod spec.
  const restartPolicy = podSpec?.restartPolicy ?? 'Always';
  if (restartPolicy !== 'Always') errs.push(field.notSupported(child(templatePath, 'spec.restartPolicy'), restartPolicy, ['Always']));
  if (podSpec?.activeDeadlineSeconds !== undefined) {
    errs.push(field.forbidden(child(templatePath, 'spec.activeDeadlineSeconds'), `activeDeadlineSeconds in ${kindName} is not Supported`));
  }
  return errs;
}

/** A status counter may only grow (collisionCount): `Invalid value: 1: cannot be decremented`. */
export function validateNotDecremented(value: number | undefined, old: number | undefined, path: FieldPath): FieldError[] {
  if (old === undefined || (value !== undefined && value >= old)) return [];
  return [field.invalid(path, value ?? 0, 'cannot be decremented')];
}

/** `status.readyReplicas: Invalid value: 3: cannot be greater than status.replicas`. */
export function validateNotGreater(value: number | undefined, limit: number | undefined, path: FieldPath, detail: string): FieldError[] {
  return (value ?? 0) > (limit ?? 0) ? [field.invalid(path, value, detail)] : [];
}

/** The named replica counts of a controller's status may not exceed status.replicas, checked in that order. */
export function validateNotAboveReplicas<K extends string>(status: Partial<Record<K | 'replicas', number>>, names: readonly K[]): FieldError[] {
  return names.flatMap((name) => validateNotGreater(status[name], status.replicas, `status.${name}`, 'cannot be greater than status.replicas'));
}
