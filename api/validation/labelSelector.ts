/** Validation of metav1.LabelSelector, as Kubernetes' ValidateLabelSelector does. */
import * as field from '../field/errors';
import type { FieldError } from '../field/errors';
import { child, index, type FieldPath } from '../field/path';
import type { LabelSelector } from '../kinds/meta';
import { validateLabels } from './objectMeta';
import { isQualifiedName, isValidLabelValue } from './names';

export function validateLabelSelector(selector: LabelSelector | undefined, path: FieldPath): FieldError[] {
  if (!selector) return [];
  const errs: FieldError[] = [...validateLabels(selector.matchLabels, child(path, 'matchLabels'))];
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = index(child(path, 'matchExpressions'), i);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(field.required(child(at, 'values'), 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(field.forbidden(child(at, 'values'), 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      default:
        errs.push(field.invalid(child(at, 'operator'), req.operator, 'not a valid selector operator'));
    }
    for (const msg of isQualifiedName(req.key)) errs.push(field.invalid(child(at, 'key'), req.key, msg));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(v)) errs.push(field.invalid(index(child(at, 'values'), j), v, msg));
    });
  });
  return errs;
}

/** True when the selector selects nothing-in-particular: no labels and no expressions. */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}
