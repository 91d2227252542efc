import { validateTaints } from './taint';

describe('validateTaints', () => {
  it('accepts distinct key/effect pairs, including the same key with two effects', () => {
    expect(
      validateTaints(
        [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2024-01-02T03:04:05Z' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
          { key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' },
        ],
        'spec.taints',
      ),
    ).toEqual([]);
    expect(validateTaints(undefined, 'spec.taints')).toEqual([]);
  });

  it('checks keys, values and uniqueness with the given path', () => {
    const errs = validateTaints(
      [
        { key: 'a', value: 'not a label value', effect: 'NoSchedule' },
        { key: 'a', effect: 'NoSchedule' },
      ],
      'metadata.taints',
    );
    expect(errs.map((e) => [e.type, e.field])).toEqual([
      ['FieldValueInvalid', 'metadata.taints[0].value'],
      ['FieldValueDuplicate', 'metadata.taints[1]'],
    ]);
    expect(errs[1]?.detail).toBe('taints must be unique by key and effect pair');
  });
});
