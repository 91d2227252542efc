import { errorMessage } from '../../api/field/errors';
import { compileListTypeValidator } from './listTypeValidator';

const validate = compileListTypeValidator({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name', 'protocol'],
          items: { type: 'object', properties: { name: { type: 'string' }, protocol: { type: 'string' }, port: { type: 'integer' } } },
        },
        groups: { type: 'object', additionalProperties: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'integer' } } },
        atomic: { type: 'array', items: { type: 'string' } },
      },
    },
  },
})!;

const messages = (spec: Record<string, unknown>) => validate({ spec }).map(errorMessage);

describe('list-type uniqueness', () => {
  it('accepts unique sets and maps, and duplicates in atomic lists', () => {
    expect(messages({ tags: ['a', 'b'], ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: 'http', protocol: 'UDP', port: 80 }], atomic: ['x', 'x'] })).toEqual([]);
  });

  it('reports a value twice in a set, at the later item', () => {
    expect(messages({ tags: ['a', 'b', 'a'] })).toEqual(['spec.tags[2]: Duplicate value: "a"']);
    expect(messages({ groups: { g1: [1, 2, 1] } })).toEqual(['spec.groups[g1][2]: Duplicate value: 1']);
  });

  it('reports two map items with the same keys', () => {
    expect(messages({ ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { name: 'http', protocol: 'TCP', port: 81 }] })).toEqual([
      'spec.ports[1]: Duplicate value: {"name":"http","protocol":"TCP"}',
    ]);
  });

  it('has no validator for a schema without set or map lists', () => {
    expect(compileListTypeValidator({ type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } })).toBeUndefined();
  });
});
