/** core/v1 Taint: what a node carries to repel pods that do not tolerate it. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import * as s from '../../schema/schema';
import { isQualifiedName, isValidLabelValue } from '../../validation/names';

/** Kubernetes' order in "supported values" messages. */
export const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export const Taint = s.object(
  'io.k8s.api.core.v1.Taint',
  'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.',
  {
    effect: s.enumOf(taintEffects, 'Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.'),
    key: s.string('Required. The taint key to be applied to a node.'),
    timeAdded: s.time('TimeAdded represents the time at which the taint was added. It is only written for NoExecute taints.'),
    value: s.string('The taint value corresponding to the taint key.'),
  },
  { required: ['key', 'effect'] },
);
export type Taint = s.Static<typeof Taint>;

/**
 * validateNodeTaints: keys are qualified names, values label values, and a taint is unique by
 * its key and effect.
 */
export function validateTaints(taints: readonly Taint[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  (taints ?? []).forEach((taint, i) => {
    const at = index(path, i);
    for (const msg of isQualifiedName(taint.key)) errs.push(field.invalid(child(at, 'key'), taint.key, msg));
    const value = taint.value ?? '';
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length) errs.push(field.invalid(child(at, 'value'), value, valueErrs.join(';')));
    const keys = seen.get(taint.effect) ?? new Set<string>();
    if (keys.has(taint.key)) {
      errs.push({ ...field.duplicate(at, taint), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    keys.add(taint.key);
    seen.set(taint.effect, keys);
  });
  return errs;
}
