import { errorMessage } from '../../api/field/errors';
import type { JSONSchemaProps } from '../../api/kinds/apiextensions/jsonSchemaProps';
import { compileCustomResourceValidator, goFloat, goRegExp } from './customResourceValidator';

/** The messages of validating `spec` (as `{spec}`) against a root schema with these spec properties. */
function specErrors(properties: Record<string, JSONSchemaProps>, spec: unknown, extra: JSONSchemaProps = {}): string[] {
  const validate = compileCustomResourceValidator({ type: 'object', properties: { spec: { type: 'object', properties, ...extra } } });
  return validate({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec }).map(errorMessage);
}

describe('compileCustomResourceValidator: Kubernetes messages', () => {
  it('accepts a valid object, and anything without a schema', () => {
    expect(specErrors({ color: { type: 'string' } }, { color: 'blue' })).toEqual([]);
    expect(compileCustomResourceValidator(undefined)({ anything: 1 })).toEqual([]);
  });

  it('reports type errors with the JSON type found', () => {
    expect(
      specErrors(
        { s: { type: 'string' }, i: { type: 'integer' }, n: { type: 'number' }, b: { type: 'boolean' }, o: { type: 'object' }, a: { type: 'array', items: { type: 'string' } } },
        { s: 1, i: 'string', n: true, b: 'yes', o: [], a: {} },
      ),
    ).toEqual([
      'spec.s: Invalid value: "integer": spec.s in body must be of type string: "integer"',
      'spec.i: Invalid value: "string": spec.i in body must be of type integer: "string"',
      'spec.n: Invalid value: "boolean": spec.n in body must be of type number: "boolean"',
      'spec.b: Invalid value: "string": spec.b in body must be of type boolean: "string"',
      'spec.o: Invalid value: "array": spec.o in body must be of type object: "array"',
      'spec.a: Invalid value: "object": spec.a in body must be of type array: "object"',
    ]);
    expect(specErrors({ i: { type: 'integer' } }, { i: 1.5 })).toEqual(['spec.i: Invalid value: "number": spec.i in body must be of type integer: "number"']);
    expect(specErrors({ n: { type: 'number' } }, { n: 2 })).toEqual([]);
  });

  it('allows null only where nullable', () => {
    expect(specErrors({ a: { type: 'array', items: { type: 'string' } } }, { a: [null] })).toEqual([
      'spec.a[0]: Invalid value: "null": spec.a[0] in body must be of type string: "null"',
    ]);
    expect(specErrors({ a: { type: 'array', items: { type: 'string', nullable: true } } }, { a: [null] })).toEqual([]);
    expect(specErrors({ n: { type: 'object', nullable: true, required: ['x'] } }, { n: null })).toEqual([]);
  });

  it('reports required fields, enums, patterns and lengths', () => {
    expect(
      specErrors(
        {
          color: { type: 'string' },
          size: { type: 'string', enum: ['S', 'M', 'L'] },
          count: { type: 'integer', enum: [1, 2] },
          name: { type: 'string', pattern: '^[a-z]+$', minLength: 2, maxLength: 5 },
        },
        { size: 'XXL', count: 3, name: 'x' },
        { required: ['color'] },
      ).sort(),
    ).toEqual([
      'spec.color: Required value',
      'spec.count: Unsupported value: 3: supported values: "1", "2"',
      'spec.name: Invalid value: "x": spec.name in body should be at least 2 chars long',
      'spec.size: Unsupported value: "XXL": supported values: "S", "M", "L"',
    ]);
    expect(specErrors({ name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 } }, { name: 'Abcdefg' })).toEqual([
      'spec.name: Too long: may not be more than 5 bytes',
      "spec.name: Invalid value: \"Abcdefg\": spec.name in body should match '^[a-z]+$'",
    ]);
    // Lengths count characters, not UTF-16 units.
    expect(specErrors({ name: { type: 'string', maxLength: 2 } }, { name: '😀😀' })).toEqual([]);
  });

  it('reports numeric bounds as Go prints them', () => {
    const props: Record<string, JSONSchemaProps> = {
      i: { type: 'integer', minimum: 0, maximum: 10 },
      x: { type: 'integer', minimum: 0, exclusiveMinimum: true },
      f: { type: 'number', maximum: 1.5, exclusiveMaximum: true },
      big: { type: 'number', maximum: 1000000 },
      m: { type: 'integer', multipleOf: 5 },
      mf: { type: 'number', multipleOf: 0.1 },
    };
    expect(specErrors(props, { i: -1, x: 0, f: 1.5, big: 2000000.5, m: 7, mf: 0.35 })).toEqual([
      'spec.i: Invalid value: -1: spec.i in body should be greater than or equal to 0',
      'spec.x: Invalid value: 0: spec.x in body should be greater than 0',
      'spec.f: Invalid value: 1.5: spec.f in body should be less than 1.5',
      'spec.big: Invalid value: 2000000.5: spec.big in body should be less than or equal to 1e+06',
      'spec.m: Invalid value: 7: spec.m in body should be a multiple of 5',
      'spec.mf: Invalid value: 0.35: spec.mf in body should be a multiple of 0.1',
    ]);
    expect(specErrors(props, { i: 11 })).toEqual(['spec.i: Invalid value: 11: spec.i in body should be less than or equal to 10']);
    // Floating point: 0.3 is a multiple of 0.1, as kube-openapi's tolerance has it.
    expect(specErrors(props, { mf: 0.3 })).toEqual([]);
  });

  it('reports list and object sizes and duplicates', () => {
    const props: Record<string, JSONSchemaProps> = {
      list: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
      set: { type: 'array', uniqueItems: true, items: { type: 'string' } },
      props: { type: 'object', minProperties: 2, maxProperties: 3, additionalProperties: { type: 'string' } },
    };
    expect(specErrors(props, { list: [], set: ['a', 'a'], props: { a: 'x' } })).toEqual([
      'spec.list: Invalid value: 0: spec.list in body should have at least 1 items',
      'spec.set: Invalid value: "": spec.set in body shouldn\'t contain duplicates',
      'spec.props: Invalid value: 1: spec.props in body should have at least 2 properties',
    ]);
    expect(specErrors(props, { list: ['a', 'b', 'c'], props: { a: 'w', b: 'x', c: 'y', d: 'z' } })).toEqual([
      'spec.list: Too many: 3: must have at most 2 items',
      'spec.props: Too many: 4: must have at most 3 items',
    ]);
  });

  it('names list items with [i] and map values with .key', () => {
    expect(
      specErrors(
        {
          servers: { type: 'array', items: { type: 'object', required: ['port'], properties: { port: { type: 'integer' }, name: { type: 'string' } } } },
          byName: { type: 'object', additionalProperties: { type: 'object', properties: { weight: { type: 'integer', minimum: 1 } } } },
        },
        { servers: [{ port: 1 }, { name: 7 }], byName: { 'a.b': { weight: 0 } } },
      ).sort(),
    ).toEqual([
      'spec.byName.a.b.weight: Invalid value: 0: spec.byName.a.b.weight in body should be greater than or equal to 1',
      'spec.servers[1].name: Invalid value: "integer": spec.servers[1].name in body must be of type string: "integer"',
      'spec.servers[1].port: Required value',
    ]);
  });

  it('checks int-or-string values', () => {
    const props: Record<string, JSONSchemaProps> = { port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } };
    expect(specErrors(props, { port: 80 })).toEqual([]);
    expect(specErrors(props, { port: 'http' })).toEqual([]);
    expect(specErrors(props, { port: true })).toEqual(
      expect.arrayContaining(['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']),
    );
  });

  it('explains junctor failures with one composite error and the best alternative', () => {
    const choice: JSONSchemaProps = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer', minimum: 1 } } };
    expect(specErrors({ c: { ...choice, anyOf: [{ required: ['a'] }, { required: ['b'] }] } }, { c: {} })).toEqual([
      '<nil>: Invalid value: "": "spec.c" must validate at least one schema (anyOf)',
      'spec.c.a: Required value',
    ]);
    // The alternative with fewer errors is the one shown.
    expect(specErrors({ c: { ...choice, anyOf: [{ required: ['a'], properties: { b: { maximum: 0 } } }, { required: ['a'] }] } }, { c: { b: 5 } })).toEqual([
      '<nil>: Invalid value: "": "spec.c" must validate at least one schema (anyOf)',
      'spec.c.a: Required value',
    ]);
    expect(specErrors({ c: { ...choice, oneOf: [{ required: ['a'] }, { required: ['b'] }] } }, { c: { a: 'x', b: 2 } })).toEqual([
      '<nil>: Invalid value: "": "spec.c" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ]);
    expect(specErrors({ c: { ...choice, oneOf: [{ required: ['a'] }, { required: ['b'] }] } }, { c: {} })).toEqual([
      '<nil>: Invalid value: "": "spec.c" must validate one and only one schema (oneOf). Found none valid',
      'spec.c.a: Required value',
    ]);
    expect(specErrors({ n: { type: 'integer', allOf: [{ minimum: 5 }, { maximum: 3 }] } }, { n: 4 })).toEqual([
      'spec.n: Invalid value: 4: spec.n in body should be greater than or equal to 5',
      'spec.n: Invalid value: 4: spec.n in body should be less than or equal to 3',
      '<nil>: Invalid value: "": "spec.n" must validate all the schemas (allOf). None validated',
    ]);
    expect(specErrors({ n: { type: 'integer', allOf: [{ minimum: 5 }, { maximum: 30 }] } }, { n: 40 })).toEqual([
      'spec.n: Invalid value: 40: spec.n in body should be less than or equal to 30',
      '<nil>: Invalid value: "": "spec.n" must validate all the schemas (allOf)',
    ]);
    expect(specErrors({ s: { type: 'string', not: { enum: ['x'] } } }, { s: 'x' })).toEqual(['<nil>: Invalid value: "": "spec.s" must not validate the schema (not)']);
    // In list items, each item is explained at its own path.
    expect(
      specErrors({ list: { type: 'array', items: { ...choice, anyOf: [{ required: ['a'] }, { required: ['b'] }] } } }, { list: [{ a: 'x' }, {}] }),
    ).toEqual(['<nil>: Invalid value: "": "spec.list[1]" must validate at least one schema (anyOf)', 'spec.list[1].a: Required value']);
  });

  it('checks the formats Kubernetes knows and ignores the others', () => {
    const formats = ['date-time', 'date', 'uuid', 'ipv4', 'ipv6', 'cidr', 'mac', 'hostname', 'email', 'uri', 'byte', 'duration'];
    const props = Object.fromEntries(formats.map((f) => [f, { type: 'string', format: f }]));
    const good = {
      'date-time': '2024-02-29T12:00:00Z',
      date: '2024-02-29',
      uuid: '123e4567-e89b-12d3-a456-426614174000',
      ipv4: '10.0.0.1',
      ipv6: 'fe80::1',
      cidr: '10.0.0.0/8',
      mac: '01:23:45:67:89:ab',
      hostname: 'example.com',
      email: 'a@example.com',
      uri: 'https://example.com/x',
      byte: 'aGVsbG8=',
      duration: '1h30m',
    };
    expect(specErrors(props, good)).toEqual([]);
    const bad = {
      'date-time': '2023-02-29T12:00:00Z',
      date: '2024-13-01',
      uuid: 'nope',
      ipv4: '10.0.0.256',
      ipv6: '10.0.0.1',
      cidr: '10.0.0.0/33',
      mac: '01:23:45',
      hostname: '-bad-.com',
      email: 'no-at-sign',
      uri: 'relative/path',
      byte: 'not base64!',
      duration: 'soon',
    };
    expect(specErrors(props, bad)).toEqual(formats.map((f) => `spec.${f}: Invalid value: ${JSON.stringify(bad[f as keyof typeof bad])}: spec.${f} in body must be of type ${f}: ${JSON.stringify(bad[f as keyof typeof bad])}`));
    expect(
      specErrors(
        { i: { type: 'integer', format: 'int32' }, f: { type: 'number', format: 'float' }, u: { type: 'string', format: 'k8s-unknown' } },
        { i: 2 ** 40, f: 1e300, u: 'anything' },
      ),
    ).toEqual([]);
  });

  it('validates embedded resources: apiVersion, kind and metadata', () => {
    const props: Record<string, JSONSchemaProps> = {
      template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      list: { type: 'array', items: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } },
    };
    expect(specErrors(props, { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'web' } } } })).toEqual([]);
    expect(specErrors(props, { template: { metadata: { labels: { 'bad key': 'x' } } }, list: [{ apiVersion: 'a/b/c', kind: 'Not_A_Kind' }] })).toEqual([
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
      expect.stringMatching(/^spec\.template\.metadata\.labels: Invalid value: "bad key": name part must consist of/),
      'spec.list[0].apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c',
      expect.stringMatching(/^spec\.list\[0\]\.kind: Invalid value: "Not_A_Kind": may have mixed case, but should otherwise match: /),
    ]);
  });

  it('validates the whole object, including metadata restrictions of the schema and status', () => {
    const validate = compileCustomResourceValidator({
      type: 'object',
      required: ['spec'],
      properties: {
        metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } },
        spec: { type: 'object' },
        status: { type: 'object', properties: { ready: { type: 'boolean' } } },
      },
    });
    expect(validate({ metadata: { name: 'long-name' }, status: { ready: 'yes' } }).map(errorMessage)).toEqual([
      'spec: Required value',
      'metadata.name: Too long: may not be more than 3 bytes',
      'status.ready: Invalid value: "string": status.ready in body must be of type boolean: "string"',
    ]);
  });
});

describe('goRegExp', () => {
  it('translates Go syntax JavaScript lacks', () => {
    expect((goRegExp('(?i)^abc$') as RegExp).test('ABC')).toBe(true);
    expect((goRegExp('\\Aab\\z') as RegExp).test('ab')).toBe(true);
    expect((goRegExp('^[[:alpha:]][[:digit:]]+$') as RegExp).test('a12')).toBe(true);
    expect((goRegExp('^(?P<word>[a-z]+)$') as RegExp).test('abc')).toBe(true);
    expect((goRegExp('^[a-z0-9\\-\\.]+$') as RegExp).test('a-b.c')).toBe(true);
  });

  it('reports a pattern that cannot be compiled', () => {
    expect(goRegExp('(unclosed')).toBeInstanceOf(Error);
    const validate = compileCustomResourceValidator({ type: 'object', properties: { s: { type: 'string', pattern: '(unclosed' } } });
    expect(validate({ s: 'x' }).map(errorMessage)).toEqual([expect.stringMatching(/^s: Invalid value: "x": s in body should match '\(unclosed, but pattern is invalid: /)]);
  });
});

describe('goFloat', () => {
  it('prints as Go prints a float64 with %v', () => {
    expect([0, 1, 1.5, 0.0001, 0.00001, 123456, 1e6, 1234567.5, -2.5e-7, 1e21].map(goFloat)).toEqual([
      '0',
      '1',
      '1.5',
      '0.0001',
      '1e-05',
      '123456',
      '1e+06',
      '1.2345675e+06',
      '-2.5e-07',
      '1e+21',
    ]);
  });
});
