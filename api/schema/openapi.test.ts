import { JSONSchemaProps } from '../kinds/apiextensions/jsonSchemaProps';
import { Pod } from '../kinds/core/pod';
import { intOrStringComponent, OpenApiSchemas, quantityComponent, type JsonObject } from './openapi';
import * as s from './schema';

const Inner = s.object('io.example.v1.Inner', 'An inner type.', { a: s.string('field a') }, { required: ['a'] });
const Outer = s.object(
  'io.example.v1.Outer',
  'An outer type.',
  {
    bare: Inner,
    documented: Inner.doc('where the inner goes'),
    defaulted: Inner.with({ default: { a: 'x' } }),
    list: s.array(Inner, 'the items', { listType: 'map', listMapKeys: ['a'], patchMergeKey: 'a', patchStrategy: 'merge,retainKeys' }),
    atomic: s.array(s.string(), 'a set', { listType: 'atomic' }),
    labels: s.map(s.string(), 'labels'),
    selector: Inner.with({ mapType: 'atomic' }),
    mode: s.enumOf(['A', 'B'] as const, 'the mode', { default: 'A' }),
    count: s.int32('how many', { minimum: 0 }),
    when: s.time('when'),
    port: s.intOrString('a port'),
    memory: s.quantity('an amount'),
    raw: s.any('anything'),
  },
  { gvk: [{ group: 'example.io', version: 'v1', kind: 'Outer' }] },
);

function components(version: 'v2' | 'v3', schema: s.Schema = Outer): Record<string, JsonObject> {
  const schemas = new OpenApiSchemas(version);
  schemas.ref(schema);
  return schemas.components();
}

function propertiesOf(component: JsonObject): Record<string, JsonObject> {
  return component.properties as Record<string, JsonObject>;
}

describe('OpenApiSchemas v3', () => {
  const all = components('v3');
  const outer = all['io.example.v1.Outer']!;
  const props = propertiesOf(outer);

  it('makes named objects components, in alphabetical order, with their description, type and required fields', () => {
    expect(Object.keys(all)).toEqual(['io.example.v1.Inner', 'io.example.v1.Outer', intOrStringComponent, quantityComponent].sort());
    expect(all['io.example.v1.Inner']).toEqual({
      description: 'An inner type.',
      type: 'object',
      properties: { a: { type: 'string', description: 'field a' } },
      required: ['a'],
    });
    expect(outer.required).toBeUndefined();
  });

  it('tags top-level kinds with x-kubernetes-group-version-kind, an array', () => {
    expect(outer['x-kubernetes-group-version-kind']).toEqual([{ group: 'example.io', kind: 'Outer', version: 'v1' }]);
  });

  it('uses a component through a bare $ref, or allOf when the use adds a description, default or extension', () => {
    expect(props.bare).toEqual({ $ref: '#/components/schemas/io.example.v1.Inner' });
    expect(props.documented).toEqual({ allOf: [{ $ref: '#/components/schemas/io.example.v1.Inner' }], description: 'where the inner goes' });
    expect(props.defaulted).toEqual({ allOf: [{ $ref: '#/components/schemas/io.example.v1.Inner' }], default: { a: 'x' } });
    expect(props.selector).toEqual({ allOf: [{ $ref: '#/components/schemas/io.example.v1.Inner' }], 'x-kubernetes-map-type': 'atomic' });
  });

  it('publishes list semantics and strategic merge keys on the use', () => {
    expect(props.list).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/io.example.v1.Inner' },
      description: 'the items',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['a'],
      'x-kubernetes-patch-merge-key': 'a',
      'x-kubernetes-patch-strategy': 'merge,retainKeys',
    });
    expect(props.atomic).toEqual({ type: 'array', items: { type: 'string' }, description: 'a set', 'x-kubernetes-list-type': 'atomic' });
  });

  it('publishes scalars with their format, enum, minimum and default; maps with additionalProperties', () => {
    expect(props.labels).toEqual({ type: 'object', additionalProperties: { type: 'string' }, description: 'labels' });
    expect(props.mode).toEqual({ type: 'string', enum: ['A', 'B'], description: 'the mode', default: 'A' });
    expect(props.count).toEqual({ type: 'integer', format: 'int32', minimum: 0, description: 'how many' });
    expect(props.when).toEqual({ type: 'string', format: 'date-time', description: 'when' });
    expect(props.raw).toEqual({ description: 'anything' });
  });

  it('publishes IntOrString and Quantity as Kubernetes does: components with oneOf', () => {
    expect(props.port).toEqual({ allOf: [{ $ref: `#/components/schemas/${intOrStringComponent}` }], description: 'a port' });
    expect(props.memory).toEqual({ allOf: [{ $ref: `#/components/schemas/${quantityComponent}` }], description: 'an amount' });
    expect(all[intOrStringComponent]).toMatchObject({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(all[intOrStringComponent]!.type).toBeUndefined();
    expect(all[quantityComponent]).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'number' }] });
  });

  it('publishes a real kind: containers merge by name in PodSpec', () => {
    const pod = components('v3', Pod);
    expect(propertiesOf(pod['io.k8s.api.core.v1.Pod']!).spec).toMatchObject({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }] });
    expect(propertiesOf(pod['io.k8s.api.core.v1.PodSpec']!).containers).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(propertiesOf(pod['io.k8s.api.core.v1.ResourceRequirements']!).limits).toMatchObject({
      additionalProperties: { $ref: `#/components/schemas/${quantityComponent}` },
    });
  });
});

describe('OpenApiSchemas v2', () => {
  const all = components('v2');
  const props = propertiesOf(all['io.example.v1.Outer']!);

  it('refers to #/definitions/ and keeps what a use adds beside the $ref', () => {
    expect(props.bare).toEqual({ $ref: '#/definitions/io.example.v1.Inner' });
    expect(props.documented).toEqual({ $ref: '#/definitions/io.example.v1.Inner', description: 'where the inner goes' });
    expect(all['io.example.v1.Outer']!['x-kubernetes-group-version-kind']).toEqual([{ group: 'example.io', kind: 'Outer', version: 'v1' }]);
  });

  it('publishes IntOrString and Quantity as strings', () => {
    expect(all[intOrStringComponent]).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(all[intOrStringComponent]!.oneOf).toBeUndefined();
    expect(all[quantityComponent]).toMatchObject({ type: 'string' });
  });
});

describe('recursive schemas', () => {
  it('end in a $ref to their own component (JSONSchemaProps)', () => {
    const all = components('v3', JSONSchemaProps);
    const name = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
    const props = propertiesOf(all[name]!);
    expect(props.properties).toEqual({
      type: 'object',
      additionalProperties: { $ref: `#/components/schemas/${name}` },
      description: 'The schemas of the fields of an object; mutually exclusive with additionalProperties.',
    });
    expect(props.not).toEqual({ allOf: [{ $ref: `#/components/schemas/${name}` }], description: 'The value must not be valid against this schema.' });
    expect(props.allOf).toMatchObject({ type: 'array', items: { $ref: `#/components/schemas/${name}` }, 'x-kubernetes-list-type': 'atomic' });
  });

  it('refuse a lazy schema that only refers to itself', () => {
    const loop: s.Schema = s.lazy(() => loop);
    expect(() => new OpenApiSchemas('v3').use(loop)).toThrow(/refers to itself/);
  });
});

describe('custom resource schemas', () => {
  // What schemaFromJSONSchemaProps makes of a CRD schema: unnamed objects, the CRD's own keywords
  // kept as extensions, and a root whose description and keywords are its metadata.
  const count = new s.Schema({ type: 'int-or-string' }, { extensions: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } });
  const size = new s.Schema({ type: 'string' }, { description: 'The size.', nullable: true, extensions: { enum: ['S', 'M'], 'x-kubernetes-validations': [{ rule: 'self != "XL"' }] } });
  const template = new s.Schema(
    { type: 'object', properties: {}, required: [], preserveUnknownFields: true },
    { extensions: { 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } },
  );
  const spec = s.object(undefined, undefined, { count, size, template });
  const root = new s.Schema(
    { type: 'object', name: 'com.example.stable.v1.Shirt', properties: { spec }, required: ['spec'], gvk: [{ group: 'stable.example.com', version: 'v1', kind: 'Shirt' }] },
    { description: 'A shirt.', extensions: { 'x-kubernetes-validations': [{ rule: 'has(self.spec)' }] } },
  );

  it('publish the CRD keywords as they are (v3)', () => {
    const shirt = components('v3', root)['com.example.stable.v1.Shirt']!;
    expect(shirt).toMatchObject({ description: 'A shirt.', required: ['spec'], 'x-kubernetes-validations': [{ rule: 'has(self.spec)' }] });
    const props = propertiesOf(propertiesOf(shirt).spec!);
    expect(props.count).toEqual({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(props.size).toEqual({ type: 'string', description: 'The size.', nullable: true, enum: ['S', 'M'], 'x-kubernetes-validations': [{ rule: 'self != "XL"' }] });
    expect(props.template).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-embedded-resource': true });
  });

  it('drop in v2 what Swagger 2.0 cannot say (nullable, anyOf)', () => {
    const props = propertiesOf(propertiesOf(components('v2', root)['com.example.stable.v1.Shirt']!).spec!);
    expect(props.count).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(props.size).toEqual({ type: 'string', description: 'The size.', enum: ['S', 'M'], 'x-kubernetes-validations': [{ rule: 'self != "XL"' }] });
  });

  it('ref() needs a named object', () => {
    expect(() => new OpenApiSchemas('v3').ref(spec)).toThrow(/named object/);
  });
});
