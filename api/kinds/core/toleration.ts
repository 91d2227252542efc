/** core/v1 Toleration: which node taints a pod tolerates; validation as Kubernetes' ValidateTolerations. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import * as s from '../../schema/schema';
import { isQualifiedName, isValidLabelValue } from '../../validation/names';

export const Toleration = s.object(
  'io.k8s.api.core.v1.Toleration',
  'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
  {
    // '' is accepted by Kubernetes (it means match all effects), so it is a valid value here.
    effect: s.enumOf(
      ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''],
      'Effect indicates the taint effect to match. Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute.',
    ),
    key: s.string(
      'Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists; this combination means to match all values and all keys.',
    ),
    // '' is accepted by Kubernetes and means Equal.
    operator: s.enumOf(
      ['Equal', 'Exists', ''],
      "Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal. Exists is equivalent to wildcard for value, so that a pod can tolerate all taints of a particular category.",
    ),
    tolerationSeconds: s.int64(
      'TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint. By default, it is not set, which means tolerate the taint forever (do not evict).',
    ),
    value: s.string('Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string.'),
  },
);
export type Toleration = s.Static<typeof Toleration>;

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations, with Kubernetes' paths and messages (some errors sit at `operator` upstream). */
export function validateTolerations(tolerations: Toleration[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const at = index(path, i);
    const key = t.key ?? '';
    const operator = t.operator ?? '';
    const effect = t.effect ?? '';
    const value = t.value ?? '';
    if (key !== '') for (const msg of isQualifiedName(key)) errs.push(field.invalid(child(at, 'key'), key, msg));
    if (key === '' && operator !== 'Exists') {
      errs.push(field.invalid(child(at, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && effect !== 'NoExecute') {
      errs.push(field.invalid(child(at, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (operator) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length) errs.push(field.invalid(child(at, 'operator'), value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value !== '') errs.push(field.invalid(child(at, 'operator'), t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(field.notSupported(child(at, 'operator'), operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !taintEffects.includes(effect)) errs.push(field.notSupported(child(at, 'effect'), effect, taintEffects));
  });
  return errs;
}

/** What toleration matching reads of a taint. */
export interface TaintLike {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/**
 * core/v1 Toleration.ToleratesTaint: an empty effect matches every effect, an empty key (with
 * Exists) every key; Equal (or no operator) compares values. Shared by the scheduler's
 * TaintToleration plugin and the node lifecycle controller's taint-based eviction.
 */
export function toleratesTaint(t: Toleration, taint: TaintLike): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}
