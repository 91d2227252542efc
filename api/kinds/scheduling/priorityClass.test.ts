import { validateObject } from '../decode';
import { admit, causesOf, manifestFile } from '../testing';
import { priorityClassKind } from './priorityClass';

describe('PriorityClass', () => {
  it('admits the website example and defaults preemptionPolicy', () => {
    const docs = manifestFile('priorityclass/low-priority-class.yaml');
    expect(docs).toHaveLength(1);
    const object = admit(priorityClassKind, docs[0]);
    expect(object).toMatchObject({ value: -1000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('requires value, and only allows known preemption policies', () => {
    expect(causesOf(() => admit(priorityClassKind, { metadata: { name: 'x' } }))).toEqual(['value: Required value']);
    expect(causesOf(() => admit(priorityClassKind, { metadata: { name: 'x' }, value: 1, preemptionPolicy: 'Always' }))).toEqual([
      'preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"',
    ]);
  });

  it('reserves the system- prefix and values above one billion', () => {
    expect(causesOf(() => admit(priorityClassKind, { metadata: { name: 'system-mine' }, value: 5 }))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
    expect(causesOf(() => admit(priorityClassKind, { metadata: { name: 'system-node-critical' }, value: 5 }))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    ]);
    expect(() => admit(priorityClassKind, { metadata: { name: 'system-cluster-critical' }, value: 2000000000 })).not.toThrow();
    expect(causesOf(() => admit(priorityClassKind, { metadata: { name: 'huge' }, value: 1000000001 }))).toEqual([
      'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    ]);
  });

  it('is cluster-scoped', () => {
    expect(causesOf(() => admit(priorityClassKind, { metadata: { name: 'x', namespace: 'default' }, value: 1 }))).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });

  it('keeps value and preemptionPolicy immutable', () => {
    const old = admit(priorityClassKind, { metadata: { name: 'high' }, value: 1000 });
    const next = structuredClone(old);
    next.value = 2000;
    next.preemptionPolicy = 'Never';
    expect(causesOf(() => validateObject(priorityClassKind, next, old))).toEqual([
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]);
    const described = structuredClone(old);
    described.description = 'now documented';
    expect(() => validateObject(priorityClassKind, described, old)).not.toThrow();
  });
});
