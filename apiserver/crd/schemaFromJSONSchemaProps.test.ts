import type { JSONSchemaProps } from '../../api/kinds/apiextensions/jsonSchemaProps';
import { ObjectMeta } from '../../api/kinds/meta';
import type { Schema } from '../../api/schema/schema';
import { applyDefaults, normalize } from '../../api/schema/walk';
import { schemaFromJSONSchemaProps } from './schemaFromJSONSchemaProps';

/** Prunes (and defaults) a copy of `value` as the API server does with a request body. */
function decode(schema: Schema, value: unknown, defaults = false): { value: unknown; unknownFields: readonly string[] } {
  const copy = structuredClone(value);
  const { unknownFields } = normalize(schema, copy);
  if (defaults) applyDefaults(schema, copy);
  return { value: copy, unknownFields };
}

function node(schema: Schema, ...path: string[]): Schema {
  let at = schema;
  for (const name of path) {
    const n = at.resolved().node;
    if (n.type === 'object') at = n.properties[name]!;
    else if (n.type === 'array') at = n.items;
    else if (n.type === 'map') at = n.values;
    else throw new Error(`no ${name} in ${n.type}`);
  }
  return at.resolved();
}

const shirt: JSONSchemaProps = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { color: { type: 'string' }, size: { type: 'string' } } } },
};

describe('schemaFromJSONSchemaProps: pruning', () => {
  it('keeps what the schema specifies, and apiVersion, kind and metadata at the root', () => {
    const value = { apiVersion: 'stable.example.com/v1', kind: 'Shirt', metadata: { name: 'a', labels: { x: 'y' } }, spec: { color: 'blue', size: 'S' } };
    expect(decode(schemaFromJSONSchemaProps(shirt), value)).toEqual({ value, unknownFields: [] });
  });

  it('drops and reports fields the schema does not specify, at any depth', () => {
    const { value, unknownFields } = decode(schemaFromJSONSchemaProps(shirt), {
      metadata: { name: 'a', nmae: 'typo' },
      spec: { color: 'blue', fabric: 'cotton' },
      status: { worn: true },
    });
    expect(unknownFields).toEqual(['metadata.nmae', 'spec.fabric', 'status']);
    expect(value).toEqual({ metadata: { name: 'a' }, spec: { color: 'blue' } });
  });

  it('gives the root metadata the ObjectMeta schema even when the CRD restricts metadata.name', () => {
    const schema = schemaFromJSONSchemaProps({
      type: 'object',
      description: 'A widget.',
      properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } } },
    });
    expect(node(schema, 'metadata').node).toBe(ObjectMeta.node);
    expect(schema.meta.description).toBe('A widget.');
    expect(decode(schema, { metadata: { name: 'a', finalizers: ['f'], bogus: 1 } }).value).toEqual({ metadata: { name: 'a', finalizers: ['f'] } });
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields, but prunes the specified ones', () => {
    const schema = schemaFromJSONSchemaProps({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
        },
      },
    });
    const { value, unknownFields } = decode(schema, { spec: { anything: { deep: [1, { x: null }] }, known: { a: 'x', b: 'pruned' } } });
    expect(value).toEqual({ spec: { anything: { deep: [1, { x: null }] }, known: { a: 'x' } } });
    expect(unknownFields).toEqual(['spec.known.b']);
  });

  it('preserves everything under an untyped preserving field', () => {
    const schema = schemaFromJSONSchemaProps({ type: 'object', properties: { raw: { 'x-kubernetes-preserve-unknown-fields': true } } });
    expect(node(schema, 'raw').node).toEqual({ type: 'any' });
    const value = { raw: [{ a: 1 }, 'b', null] };
    expect(decode(schema, value)).toEqual({ value, unknownFields: [] });
  });

  it('passes preservation of an array on to its items', () => {
    const schema = schemaFromJSONSchemaProps({
      type: 'object',
      properties: {
        list: { type: 'array', 'x-kubernetes-preserve-unknown-fields': true, items: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    });
    expect(decode(schema, { list: [{ a: 'x', b: 'kept' }] })).toEqual({ value: { list: [{ a: 'x', b: 'kept' }] }, unknownFields: [] });
  });

  it('makes maps of additionalProperties and prunes inside their values', () => {
    const schema = schemaFromJSONSchemaProps({
      type: 'object',
      properties: {
        byName: { type: 'object', additionalProperties: { type: 'object', properties: { port: { type: 'integer' } } } },
        anyValues: { type: 'object', additionalProperties: true },
      },
    });
    expect(node(schema, 'byName').node.type).toBe('map');
    const { value, unknownFields } = decode(schema, { byName: { web: { port: 80, host: 'x' } }, anyValues: { a: { b: 1 } } });
    expect(value).toEqual({ byName: { web: { port: 80 } }, anyValues: { a: { b: 1 } } });
    expect(unknownFields).toEqual(['byName[web].host']);
  });

  it('gives embedded resources apiVersion, kind and an ObjectMeta metadata', () => {
    const schema = schemaFromJSONSchemaProps({
      type: 'object',
      properties: {
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } },
      },
    });
    const { value, unknownFields } = decode(schema, {
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', nope: 1 }, spec: { a: 'x', b: 'y' }, other: 1 },
    });
    expect(value).toEqual({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { a: 'x' } } });
    expect(unknownFields).toEqual(['template.metadata.nope', 'template.spec.b', 'template.other']);
    expect(node(schema, 'template', 'metadata').node).toBe(ObjectMeta.node);
  });

  it('maps scalars, int-or-string and arrays to their nodes', () => {
    const schema = schemaFromJSONSchemaProps({
      type: 'object',
      properties: {
        s: { type: 'string' },
        t: { type: 'string', format: 'date-time' },
        i: { type: 'integer' },
        i32: { type: 'integer', format: 'int32' },
        n: { type: 'number' },
        b: { type: 'boolean' },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        list: { type: 'array', items: { type: 'string' } },
      },
    });
    expect(node(schema, 's').node).toEqual({ type: 'string' });
    expect(node(schema, 't').node).toEqual({ type: 'string', format: 'date-time' });
    expect(node(schema, 'i').node).toEqual({ type: 'integer', format: 'int64' });
    expect(node(schema, 'i32').node).toEqual({ type: 'integer', format: 'int32' });
    expect(node(schema, 'n').node).toEqual({ type: 'number' });
    expect(node(schema, 'b').node).toEqual({ type: 'boolean' });
    expect(node(schema, 'port').node).toEqual({ type: 'int-or-string' });
    expect(node(schema, 'list', 'items').node).toEqual({ type: 'string' });
  });

  it('does not treat "" in an enum field as unset (a custom resource keeps what was sent)', () => {
    const schema = schemaFromJSONSchemaProps({ type: 'object', properties: { mode: { type: 'string', enum: ['a', 'b'] } } });
    expect(decode(schema, { mode: '' }).value).toEqual({ mode: '' });
  });

  it('preserves everything without a schema', () => {
    const schema = schemaFromJSONSchemaProps(undefined);
    const value = { metadata: { name: 'a' }, spec: { anything: 1 } };
    expect(decode(schema, value)).toEqual({ value, unknownFields: [] });
  });
});

describe('schemaFromJSONSchemaProps: nulls and defaults', () => {
  const schema = schemaFromJSONSchemaProps({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          mode: { type: 'string', default: 'fast' },
          note: { type: 'string', nullable: true },
          optional: { type: 'string' },
          options: { type: 'object', default: {}, properties: { retries: { type: 'integer', default: 3 } } },
          servers: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer', default: 80 } } } },
          byName: { type: 'object', additionalProperties: { type: 'object', properties: { weight: { type: 'integer', default: 1 } } } },
          nullableValues: { type: 'object', additionalProperties: { type: 'string', nullable: true } },
        },
      },
    },
  });

  it('applies defaults to absent fields, inside defaulted objects, list items and map values', () => {
    expect(decode(schema, { spec: { servers: [{}, { port: 8080 }], byName: { a: {} } } }, true).value).toEqual({
      spec: { mode: 'fast', options: { retries: 3 }, servers: [{ port: 80 }, { port: 8080 }], byName: { a: { weight: 1 } } },
    });
    expect(decode(schema, {}, true).value).toEqual({ spec: { mode: 'fast', options: { retries: 3 } } });
  });

  it('drops nulls of non-nullable fields (then defaulted) and keeps those of nullable ones', () => {
    expect(decode(schema, { spec: { mode: null, note: null, optional: null, nullableValues: { a: null } } }, true).value).toEqual({
      spec: { mode: 'fast', note: null, options: { retries: 3 }, nullableValues: { a: null } },
    });
  });
});

describe('schemaFromJSONSchemaProps: what is kept for publishing', () => {
  it('keeps descriptions, defaults, nullable and list/map semantics in the metadata of each use', () => {
    const schema = schemaFromJSONSchemaProps({
      type: 'object',
      properties: {
        ports: {
          type: 'array',
          description: 'The ports.',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port'],
          items: { type: 'object', required: ['port'], properties: { port: { type: 'integer' } } },
        },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: { a: { type: 'string' } } },
        mode: { type: 'string', default: 'fast', nullable: true },
      },
    });
    expect(node(schema, 'ports').meta).toEqual({ description: 'The ports.', listType: 'map', listMapKeys: ['port'] });
    expect(node(schema, 'ports', 'items').node).toEqual(expect.objectContaining({ type: 'object', required: ['port'] }));
    expect(node(schema, 'selector').meta).toEqual({ mapType: 'atomic' });
    expect(node(schema, 'mode').meta).toEqual({ default: 'fast', nullable: true });
  });

  it('keeps the other keywords and extensions as they are', () => {
    const validations = [{ rule: 'self.size() > 0', message: 'must not be empty' }];
    const schema = schemaFromJSONSchemaProps({
      type: 'object',
      properties: {
        size: { type: 'string', enum: ['S', 'M'], pattern: '^[SM]$', maxLength: 1, format: 'password', 'x-kubernetes-validations': validations },
        port: { 'x-kubernetes-int-or-string': true },
        count: { type: 'integer', minimum: 0, exclusiveMaximum: true, maximum: 10, multipleOf: 2 },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-embedded-resource': true },
        choice: { type: 'object', properties: { a: { type: 'string' } }, oneOf: [{ required: ['a'] }] },
      },
    });
    expect(node(schema, 'size').meta.extensions).toEqual({ enum: ['S', 'M'], pattern: '^[SM]$', maxLength: 1, format: 'password', 'x-kubernetes-validations': validations });
    expect(node(schema, 'port').meta.extensions).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(node(schema, 'count').meta.extensions).toEqual({ minimum: 0, exclusiveMaximum: true, maximum: 10, multipleOf: 2 });
    expect(node(schema, 'raw').meta.extensions).toEqual({ 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-embedded-resource': true });
    expect(node(schema, 'choice').meta.extensions).toEqual({ oneOf: [{ required: ['a'] }] });
  });
});
