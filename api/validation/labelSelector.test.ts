import { errorMessage } from '../field/errors';
import type { LabelSelector } from '../kinds/meta';
import { isEmptySelector, validateLabelSelector } from './labelSelector';

const messages = (selector: LabelSelector | undefined) => validateLabelSelector(selector, 'spec.selector').map(errorMessage);

describe('validateLabelSelector', () => {
  it('accepts a missing, an empty and a well-formed selector', () => {
    expect(messages(undefined)).toEqual([]);
    expect(messages({})).toEqual([]);
    expect(
      messages({
        matchLabels: { app: 'web', 'app.kubernetes.io/part-of': '' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'staging', ''] },
          { key: 'tier', operator: 'NotIn', values: ['db'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'spot', operator: 'DoesNotExist', values: [] },
        ],
      }),
    ).toEqual([]);
  });

  it('validates matchLabels like object labels, at matchLabels', () => {
    const errs = validateLabelSelector({ matchLabels: { '-bad': 'ok', ok: 'bad value' } }, 'spec.selector');
    expect(errs.map((e) => [e.field, e.badValue])).toEqual([
      ['spec.selector.matchLabels', '-bad'],
      ['spec.selector.matchLabels', 'bad value'],
    ]);
  });

  it('requires values for In and NotIn', () => {
    expect(messages({ matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'NotIn', values: [] }] })).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });

  it('forbids values for Exists and DoesNotExist', () => {
    expect(messages({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toEqual([
      "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
    expect(messages({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: ['x'] }] })).toHaveLength(1);
  });

  it('rejects other operators (Gt and Lt are not LabelSelector operators)', () => {
    expect(messages({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toEqual([
      'spec.selector.matchExpressions[0].operator: Invalid value: "Gt": not a valid selector operator',
    ]);
    expect(messages({ matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] })).toHaveLength(1);
  });

  it('validates keys as qualified names', () => {
    const errs = validateLabelSelector({ matchExpressions: [{ key: 'a/b/c', operator: 'Exists' }] }, 'spec.selector');
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueInvalid', field: 'spec.selector.matchExpressions[0].key', badValue: 'a/b/c' });
  });

  it('validates values as label values, at their index', () => {
    const errs = validateLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['ok', '-bad', 'v'.repeat(64)] }] }, 'spec.selector');
    expect(errs.map((e) => [e.field, e.badValue])).toEqual([
      ['spec.selector.matchExpressions[0].values[1]', '-bad'],
      ['spec.selector.matchExpressions[0].values[2]', 'v'.repeat(64)],
    ]);
  });

  it('reports several problems of one requirement together', () => {
    const errs = validateLabelSelector({ matchExpressions: [{ key: '-x', operator: 'Bogus' }] }, 'sel');
    expect(errs.map((e) => e.field)).toEqual(['sel.matchExpressions[0].operator', 'sel.matchExpressions[0].key']);
  });
});

describe('isEmptySelector', () => {
  it('is true for a missing selector and one with no requirements', () => {
    expect(isEmptySelector(undefined)).toBe(true);
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {}, matchExpressions: [] })).toBe(true);
  });

  it('is false when there is any requirement', () => {
    expect(isEmptySelector({ matchLabels: { a: 'b' } })).toBe(false);
    expect(isEmptySelector({ matchExpressions: [{ key: 'a', operator: 'Exists' }] })).toBe(false);
  });
});
