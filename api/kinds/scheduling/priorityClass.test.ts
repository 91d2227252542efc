import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isStatusError } from '../../status';
import { decodeObject, defaultObject, validateObject } from '../decode';
import { priorityClassKind, type PriorityClass } from './priorityClass';

const fixtures = join(__dirname, '../../../test/fixtures/manifests/k8s-website');

function admit(body: unknown, old?: PriorityClass) {
  const { object } = decodeObject(priorityClassKind, body);
  defaultObject(priorityClassKind, object);
  validateObject(priorityClassKind, object, old);
  return object;
}

function causes(fn: () => unknown, code = 422): string[] {
  try {
    fn();
  } catch (err) {
    expect(isStatusError(err, code)).toBe(true);
    return ((err as { details?: { causes?: { field: string; message: string }[] } }).details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
  throw new Error('expected an error');
}

describe('PriorityClass', () => {
  it('admits the website example and defaults preemptionPolicy', () => {
    const docs = parseAllDocuments(readFileSync(join(fixtures, 'priorityclass/low-priority-class.yaml'), 'utf8')).map((d) => d.toJS() as unknown);
    expect(docs).toHaveLength(1);
    const object = admit(docs[0]);
    expect(object).toMatchObject({ value: -1000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('requires value, and only allows known preemption policies', () => {
    expect(causes(() => admit({ metadata: { name: 'x' } }))).toEqual(['value: Required value']);
    expect(causes(() => admit({ metadata: { name: 'x' }, value: 1, preemptionPolicy: 'Always' }))).toEqual([
      'preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"',
    ]);
  });

  it('reserves the system- prefix and values above one billion', () => {
    expect(causes(() => admit({ metadata: { name: 'system-mine' }, value: 5 }))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
    expect(causes(() => admit({ metadata: { name: 'system-node-critical' }, value: 5 }))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    ]);
    expect(() => admit({ metadata: { name: 'system-cluster-critical' }, value: 2000000000 })).not.toThrow();
    expect(causes(() => admit({ metadata: { name: 'huge' }, value: 1000000001 }))).toEqual([
      'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    ]);
  });

  it('is cluster-scoped', () => {
    expect(causes(() => admit({ metadata: { name: 'x', namespace: 'default' }, value: 1 }))).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });

  it('keeps value and preemptionPolicy immutable', () => {
    const old = admit({ metadata: { name: 'high' }, value: 1000 });
    const next = structuredClone(old);
    next.value = 2000;
    next.preemptionPolicy = 'Never';
    expect(causes(() => validateObject(priorityClassKind, next, old))).toEqual([
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]);
    const described = structuredClone(old);
    described.description = 'now documented';
    expect(() => validateObject(priorityClassKind, described, old)).not.toThrow();
  });
});
