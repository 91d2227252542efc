import { errorMessage } from '../../api/field/errors';
import type { JSONSchemaProps } from '../../api/kinds/apiextensions/jsonSchemaProps';
import { compileCelValidator } from './celValidator';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: 'self.minReplicas <= self.replicas', message: 'replicas should be greater than or equal to minReplicas' },
        { rule: 'self.replicas <= self.maxReplicas', messageExpression: "'replicas ' + string(self.replicas) + ' is above ' + string(self.maxReplicas)", fieldPath: '.replicas' },
        { rule: 'self.image == oldSelf.image', message: 'image is immutable', reason: 'FieldValueForbidden', fieldPath: '.image' },
      ],
      properties: {
        replicas: { type: 'integer' },
        minReplicas: { type: 'integer' },
        maxReplicas: { type: 'integer' },
        ratio: { type: 'number', 'x-kubernetes-validations': [{ rule: 'self < 1.0' }] },
        image: { type: 'string' },
        tags: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.startsWith('t-')", message: 'tags start with t-' }] } },
        limits: { type: 'object', additionalProperties: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self >= 0', message: 'no negative limits' }] } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.port >= oldSelf.port', message: 'ports only grow' }] },
        },
        missingKey: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule: 'self.nothere == 1' }] },
      },
    },
  },
};

const validate = compileCelValidator(schema)!;
const messages = (obj: unknown, old?: unknown) => validate(obj, old).map(errorMessage);
const spec = (s: Record<string, unknown>) => ({ apiVersion: 'x/v1', kind: 'X', spec: { replicas: 3, minReplicas: 1, maxReplicas: 5, image: 'a', ...s } });

describe('CEL validation rules', () => {
  it('passes a valid object and reports failed rules with message, messageExpression, fieldPath and reason', () => {
    expect(messages(spec({}))).toEqual([]);
    expect(messages(spec({ replicas: 0 }))).toEqual(['spec: Invalid value: "object": replicas should be greater than or equal to minReplicas']);
    expect(messages(spec({ replicas: 9 }))).toEqual(['spec.replicas: Invalid value: "object": replicas 9 is above 5']);
  });

  it('runs transition rules only on updates, with oldSelf', () => {
    expect(messages(spec({ image: 'b' }))).toEqual([]);
    expect(messages(spec({ image: 'b' }), spec({ image: 'a' }))).toEqual(['spec.image: Forbidden: image is immutable']);
    expect(messages(spec({ image: 'a' }), spec({ image: 'a' }))).toEqual([]);
  });

  it('scopes rules to list items and map values, with their paths', () => {
    expect(messages(spec({ tags: ['t-1', 'x', 't-2', 'y'] }))).toEqual(['spec.tags[1]: Invalid value: "string": tags start with t-', 'spec.tags[3]: Invalid value: "string": tags start with t-']);
    expect(messages(spec({ limits: { cpu: 1, mem: -2 } }))).toEqual(['spec.limits[mem]: Invalid value: "integer": no negative limits']);
  });

  it('correlates list-type=map items by key for transition rules', () => {
    const old = spec({ ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] });
    expect(messages(spec({ ports: [{ name: 'https', port: 443 }, { name: 'http', port: 81 }] }), old)).toEqual([]);
    expect(messages(spec({ ports: [{ name: 'https', port: 400 }, { name: 'new', port: 1 }] }), old)).toEqual(['spec.ports[0]: Invalid value: "object": ports only grow']);
  });

  it('compares doubles and ints as CEL does, and uses the default message', () => {
    expect(messages(spec({ ratio: 0.5 }))).toEqual([]);
    expect(messages(spec({ ratio: 1.5 }))).toEqual(['spec.ratio: Invalid value: "number": failed rule: self < 1.0']);
  });

  it('reports an evaluation error rather than throwing', () => {
    const [err] = messages(spec({ missingKey: { other: 1 } }));
    expect(err).toMatch(/^spec\.missingKey: Invalid value: "object": rule evaluation error: .*nothere/);
  });

  it('has no validator for a schema without rules', () => {
    expect(compileCelValidator({ type: 'object', properties: { a: { type: 'string' } } })).toBeUndefined();
  });
});
