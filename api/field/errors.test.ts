import * as field from './errors';
import { causeMessage, errorMessage } from './errors';
import { child, index, key } from './path';

describe('field error constructors', () => {
  it('carry the Kubernetes cause types', () => {
    expect(field.required('a').type).toBe('FieldValueRequired');
    expect(field.invalid('a', 1, 'x').type).toBe('FieldValueInvalid');
    expect(field.notSupported('a', 'x', ['y']).type).toBe('FieldValueNotSupported');
    expect(field.duplicate('a', 'x').type).toBe('FieldValueDuplicate');
    expect(field.forbidden('a', 'x').type).toBe('FieldValueForbidden');
    expect(field.tooLong('a', 5).type).toBe('FieldValueTooLong');
    expect(field.tooMany('a', 5, 3).type).toBe('FieldValueTooMany');
  });

  it('omit an empty detail from Required', () => {
    expect(field.required('spec.x')).toEqual({ type: 'FieldValueRequired', field: 'spec.x' });
    expect(field.required('spec.x', '')).toEqual({ type: 'FieldValueRequired', field: 'spec.x' });
  });
});

describe('errorMessage: as Kubernetes prints field errors', () => {
  it('Required value, with or without a detail', () => {
    expect(errorMessage(field.required('spec.containers[0].image'))).toBe('spec.containers[0].image: Required value');
    expect(errorMessage(field.required('metadata.name', 'name or generateName is required'))).toBe(
      'metadata.name: Required value: name or generateName is required',
    );
  });

  it('Invalid value quotes strings and prints numbers and booleans bare', () => {
    expect(errorMessage(field.invalid('spec.replicas', -1, 'must be greater than or equal to 0'))).toBe(
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    expect(errorMessage(field.invalid('metadata.name', 'Bad_Name', 'bad'))).toBe('metadata.name: Invalid value: "Bad_Name": bad');
    expect(errorMessage(field.invalid('spec.paused', true, 'bad'))).toBe('spec.paused: Invalid value: true: bad');
    expect(errorMessage(field.invalid('spec.x', 1.5, 'bad'))).toBe('spec.x: Invalid value: 1.5: bad');
  });

  it('Invalid value escapes quotes in strings and shows null for a missing value', () => {
    expect(errorMessage(field.invalid('a', 'say "hi"', 'bad'))).toBe('a: Invalid value: "say \\"hi\\"": bad');
    expect(errorMessage(field.invalid('a', undefined, 'bad'))).toBe('a: Invalid value: null: bad');
    expect(errorMessage(field.invalid('a', null, 'bad'))).toBe('a: Invalid value: null: bad');
  });

  it('Unsupported value lists the supported values quoted', () => {
    expect(errorMessage(field.notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']))).toBe(
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    );
  });

  it('Duplicate value shows the value and nothing else', () => {
    expect(errorMessage(field.duplicate('spec.containers[1].name', 'web'))).toBe('spec.containers[1].name: Duplicate value: "web"');
  });

  it('Forbidden shows the detail but never a value', () => {
    expect(errorMessage(field.forbidden('metadata.namespace', 'not allowed on this type'))).toBe('metadata.namespace: Forbidden: not allowed on this type');
  });

  it('Too long shows the limit but never the value', () => {
    expect(errorMessage(field.tooLong('data', 1048576))).toBe('data: Too long: may not be more than 1048576 bytes');
    expect(errorMessage({ ...field.tooLong('data', 5), badValue: 'a very long value' })).not.toContain('a very long value');
  });

  it('Too many shows the actual count and the limit', () => {
    // e.g. `spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items`
    expect(errorMessage(field.tooMany('spec.podFailurePolicy.rules', 21, 20))).toBe('spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items');
  });

  it('causeMessage is the message without the field', () => {
    expect(causeMessage(field.invalid('spec.replicas', -1, 'must be greater than or equal to 0'))).toBe(
      'Invalid value: -1: must be greater than or equal to 0',
    );
    expect(causeMessage(field.required('x'))).toBe('Required value');
  });
});

describe('field paths', () => {
  it('join children with dots, from an empty root', () => {
    expect(child('', 'spec')).toBe('spec');
    expect(child(child('', 'spec'), 'replicas')).toBe('spec.replicas');
  });

  it('write list indexes and map keys in brackets', () => {
    expect(child(index(child('spec', 'containers'), 0), 'image')).toBe('spec.containers[0].image');
    expect(key(child('metadata', 'labels'), 'app.kubernetes.io/name')).toBe('metadata.labels[app.kubernetes.io/name]');
    expect(index(index('a', 1), 2)).toBe('a[1][2]');
  });
});
