import { errorMessage } from '../field/errors';
import { checkSchema, quantityPattern, toFieldPath, toJsonSchema } from './ajv';
import * as s from './schema';

const Container = s.object(
  'test.Container',
  undefined,
  {
    name: s.string(),
    image: s.string(),
    imagePullPolicy: s.enumOf(['Always', 'IfNotPresent', 'Never'] as const),
    ports: s.array(s.object(undefined, undefined, { containerPort: s.int32(), name: s.string(undefined, { maxLength: 15 }) }, { required: ['containerPort'] })),
    resources: s.object(undefined, undefined, { limits: s.map(s.quantity()) }),
  },
  { required: ['name'] },
);

const Thing = s.object(
  'test.Thing',
  undefined,
  {
    metadata: s.object(undefined, undefined, { name: s.string(undefined, { pattern: '^[a-z]+$' }), labels: s.map(s.string()), creationTimestamp: s.time() }),
    spec: s.object(
      undefined,
      undefined,
      {
        replicas: s.int32(undefined, { minimum: 0 }),
        generation: s.int64(),
        paused: s.boolean(),
        ratio: s.number(),
        maxSurge: s.intOrString(),
        containers: s.array(Container),
        data: s.map(s.bytes()),
        raw: s.any(),
      },
      { required: ['containers'] },
    ),
  },
  { required: ['spec'] },
);

const check = (value: unknown) => checkSchema(Thing, value);
const valid = { spec: { containers: [{ name: 'c' }] } };
const withSpec = (spec: Record<string, unknown>) => ({ spec: { containers: [{ name: 'c' }], ...spec } });
const withContainer = (container: Record<string, unknown>) => ({ spec: { containers: [{ name: 'c', ...container }] } });

describe('checkSchema', () => {
  it('accepts a value that fits', () => {
    expect(check(valid)).toEqual({ decodeErrors: [], fieldErrors: [] });
    expect(
      check({
        metadata: { name: 'abc', labels: { app: 'web' }, creationTimestamp: '2024-01-02T15:04:05Z' },
        spec: {
          replicas: 3,
          generation: 2 ** 40,
          paused: false,
          ratio: 0.5,
          maxSurge: '25%',
          containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Always', ports: [{ containerPort: 80, name: 'http' }], resources: { limits: { cpu: '500m', memory: '1Gi' } } }],
          data: { key: 'aGVsbG8=' },
          raw: { anything: [null, 1, 'x'] },
        },
      }),
    ).toEqual({ decodeErrors: [], fieldErrors: [] });
  });

  it('reports wrong JSON types as decode errors, with paths', () => {
    const { decodeErrors, fieldErrors } = check(withSpec({ replicas: '3', paused: 'yes', ratio: 'x', maxSurge: true }));
    expect(fieldErrors).toEqual([]);
    expect(decodeErrors).toEqual(
      expect.arrayContaining([
        'spec.replicas: expected integer, got string',
        'spec.paused: expected boolean, got string',
        'spec.ratio: expected number, got string',
        'spec.maxSurge: expected integer or string, got boolean',
      ]),
    );
    expect(decodeErrors).toHaveLength(4);
  });

  it('reports a fraction where an integer goes, and objects, arrays and null of the wrong type', () => {
    expect(check(withSpec({ replicas: 1.5 })).decodeErrors).toEqual(['spec.replicas: expected integer, got number']);
    expect(check(withSpec({ containers: {} })).decodeErrors).toEqual(['spec.containers: expected array, got object']);
    expect(check({ metadata: [], spec: valid.spec }).decodeErrors).toEqual(['metadata: expected object, got array']);
    expect(check(withSpec({ replicas: null })).decodeErrors).toEqual(['spec.replicas: expected integer, got null']);
    expect(check('nope').decodeErrors).toHaveLength(1);
  });

  it('writes list indexes and map keys in paths', () => {
    expect(check(withContainer({ ports: [{ containerPort: 80 }, { containerPort: 'http' }] })).decodeErrors).toEqual([
      'spec.containers[0].ports[1].containerPort: expected integer, got string',
    ]);
    expect(check({ metadata: { labels: { app: 1, 'example.com/x': true } }, spec: valid.spec }).decodeErrors).toEqual([
      'metadata.labels[app]: expected string, got integer',
      'metadata.labels[example.com/x]: expected string, got boolean',
    ]);
  });

  it('reports int32 overflow as a decode error, and accepts the int32 range', () => {
    expect(check(withSpec({ replicas: 2 ** 31 })).decodeErrors).toEqual(['spec.replicas: cannot decode 2147483648 as int32']);
    expect(check(withContainer({ ports: [{ containerPort: -(2 ** 31) - 1 }] })).decodeErrors).toHaveLength(1);
    expect(check(withSpec({ replicas: 2 ** 31 - 1 }))).toEqual({ decodeErrors: [], fieldErrors: [] });
    expect(check(withContainer({ ports: [{ containerPort: -(2 ** 31) }] }))).toEqual({ decodeErrors: [], fieldErrors: [] });
  });

  it('reports int64 values beyond exact integers as decode errors', () => {
    expect(check(withSpec({ generation: Number.MAX_SAFE_INTEGER })).decodeErrors).toEqual([]);
    expect(check(withSpec({ generation: 2 ** 60 })).decodeErrors).toHaveLength(1);
  });

  it.each(['100m', '1Gi', '1.5', '1e3', '1E3', '0', '2', '+1', '-1', '.5', '1.', '500Mi', '1Ki', '3Ti', '1k', '1M', '2G', '1n', '1u', '1E', '1e-3'])(
    'accepts the quantity %j',
    (q) => {
      expect(check(withContainer({ resources: { limits: { cpu: q } } }))).toEqual({ decodeErrors: [], fieldErrors: [] });
    },
  );

  it('accepts a quantity written as a JSON number', () => {
    expect(check(withContainer({ resources: { limits: { cpu: 2, memory: 0.5 } } }))).toEqual({ decodeErrors: [], fieldErrors: [] });
  });

  it.each(['1.2.3', 'abc', '', '1 Gi', '1GB', 'Gi', '1Gi1', '1KI', '--1', '1e'])('reports the quantity %j as a decode error', (q) => {
    expect(check(withContainer({ resources: { limits: { cpu: q } } }))).toEqual({
      decodeErrors: [`spec.containers[0].resources.limits[cpu]: cannot decode ${JSON.stringify(q)} as resource.Quantity`],
      fieldErrors: [],
    });
  });

  it('reports a quantity of the wrong JSON type as a decode error', () => {
    expect(check(withContainer({ resources: { limits: { cpu: true } } })).decodeErrors).toEqual([
      'spec.containers[0].resources.limits[cpu]: expected quantity (string or number), got boolean',
    ]);
  });

  it('checks RFC 3339 timestamps', () => {
    for (const ok of ['2024-01-02T15:04:05Z', '2024-01-02T15:04:05.123456Z', '2024-01-02T15:04:05+02:00']) {
      expect(check({ metadata: { creationTimestamp: ok }, spec: valid.spec }).decodeErrors).toEqual([]);
    }
    for (const bad of ['2024-01-02', 'yesterday', '2024-13-02T00:00:00Z', '2024-01-02 15:04:05Z', '2024-01-02T15:04:05']) {
      expect(check({ metadata: { creationTimestamp: bad }, spec: valid.spec }).decodeErrors).toEqual([
        `metadata.creationTimestamp: cannot decode ${JSON.stringify(bad)} as metav1.Time (RFC 3339)`,
      ]);
    }
  });

  it('checks base64 bytes', () => {
    expect(check(withSpec({ data: { a: 'aGVsbG8=', b: '', c: 'YQ==', d: 'YWI=', e: 'YWJj' } })).decodeErrors).toEqual([]);
    expect(check(withSpec({ data: { a: 'not base64!', b: 'abc', c: 'YQ=' } })).decodeErrors).toEqual([
      'spec.data[a]: cannot decode "not base64!" as base64 []byte',
      'spec.data[b]: cannot decode "abc" as base64 []byte',
      'spec.data[c]: cannot decode "YQ=" as base64 []byte',
    ]);
  });

  it('reports missing required fields as Required value with the full path', () => {
    expect(check({}).fieldErrors).toEqual([{ type: 'FieldValueRequired', field: 'spec' }]);
    expect(check({ spec: {} }).fieldErrors).toEqual([{ type: 'FieldValueRequired', field: 'spec.containers' }]);
    const { decodeErrors, fieldErrors } = check({ spec: { containers: [{ name: 'a' }, { image: 'x', ports: [{ name: 'p' }] }] } });
    expect(decodeErrors).toEqual([]);
    expect(fieldErrors.map(errorMessage)).toEqual(
      expect.arrayContaining(['spec.containers[1].name: Required value', 'spec.containers[1].ports[0].containerPort: Required value']),
    );
    expect(fieldErrors).toHaveLength(2);
  });

  it('reports a value outside an enum as Unsupported value, listing the supported ones', () => {
    const { decodeErrors, fieldErrors } = check(withContainer({ imagePullPolicy: 'Sometimes' }));
    expect(decodeErrors).toEqual([]);
    expect(fieldErrors.map(errorMessage)).toEqual([
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
    ]);
    expect(fieldErrors[0]!.type).toBe('FieldValueNotSupported');
  });

  it('reports a value below its minimum as Invalid value', () => {
    const { fieldErrors } = check(withSpec({ replicas: -1 }));
    expect(fieldErrors).toEqual([{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: -1, detail: 'must be greater than or equal to 0' }]);
    expect(fieldErrors.map(errorMessage)).toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
    expect(check(withSpec({ replicas: 0 })).fieldErrors).toEqual([]);
  });

  it('reports maxLength as Too long and a pattern mismatch as Invalid value', () => {
    expect(check(withContainer({ ports: [{ containerPort: 1, name: 'a-very-long-port-name' }] })).fieldErrors).toEqual([
      expect.objectContaining({ type: 'FieldValueTooLong', field: 'spec.containers[0].ports[0].name' }),
    ]);
    expect(check({ metadata: { name: 'ABC' }, spec: valid.spec }).fieldErrors).toEqual([
      expect.objectContaining({ type: 'FieldValueInvalid', field: 'metadata.name', badValue: 'ABC' }),
    ]);
  });

  it('reports decode errors and field errors together', () => {
    const result = check({ spec: { replicas: 'x', containers: [{ imagePullPolicy: 'Nope' }] } });
    expect(result.decodeErrors).toEqual(['spec.replicas: expected integer, got string']);
    expect(result.fieldErrors.map((e) => [e.type, e.field]).sort()).toEqual([
      ['FieldValueNotSupported', 'spec.containers[0].imagePullPolicy'],
      ['FieldValueRequired', 'spec.containers[0].name'],
    ]);
  });

  it('prefixes paths with the given root', () => {
    expect(checkSchema(Container, { image: 1 }, 'spec.template.spec.containers[0]')).toEqual({
      decodeErrors: ['spec.template.spec.containers[0].image: expected string, got integer'],
      fieldErrors: [{ type: 'FieldValueRequired', field: 'spec.template.spec.containers[0].name' }],
    });
  });

  it('gives the same answers when reusing its compiled validator', () => {
    const bad = withSpec({ replicas: -1 });
    expect(check(bad)).toEqual(check(bad));
    expect(check(valid)).toEqual({ decodeErrors: [], fieldErrors: [] });
  });

  it('validates recursive schemas written with s.lazy', () => {
    interface Node {
      value?: number;
      children?: Node[];
    }
    const TreeNode: s.Schema<Node> = s.object('test.TreeNode', undefined, { value: s.int32(undefined, { minimum: 0 }), children: s.array(s.lazy(() => TreeNode)) });
    expect(checkSchema(TreeNode, { value: 1, children: [{ value: 2, children: [{ value: 3 }] }] })).toEqual({ decodeErrors: [], fieldErrors: [] });
    const result = checkSchema(TreeNode, { children: [{}, { children: [{ value: 'x' }, { value: -1 }] }] });
    expect(result.decodeErrors).toEqual(['children[1].children[0].value: expected integer, got string']);
    expect(result.fieldErrors.map(errorMessage)).toEqual(['children[1].children[1].value: Invalid value: -1: must be greater than or equal to 0']);
  });
});

describe('quantityPattern', () => {
  it('is anchored', () => {
    expect(quantityPattern.test('x1')).toBe(false);
    expect(quantityPattern.test('1x')).toBe(false);
  });
});

describe('toFieldPath', () => {
  it('renders list indexes and map keys in brackets, guided by the schema', () => {
    expect(toFieldPath('/spec/containers/0/image', Thing)).toBe('spec.containers[0].image');
    expect(toFieldPath('/spec/containers/2/ports/1/containerPort', Thing)).toBe('spec.containers[2].ports[1].containerPort');
    expect(toFieldPath('/metadata/labels/app', Thing)).toBe('metadata.labels[app]');
    expect(toFieldPath('/spec/containers/0/resources/limits/cpu', Thing)).toBe('spec.containers[0].resources.limits[cpu]');
  });

  it('decodes ~1 and ~0 in pointer segments', () => {
    expect(toFieldPath('/metadata/labels/example.com~1name', Thing)).toBe('metadata.labels[example.com/name]');
    expect(toFieldPath('/metadata/labels/a~0b', Thing)).toBe('metadata.labels[a~b]');
  });

  it('starts from the root and the empty pointer', () => {
    expect(toFieldPath('', Thing)).toBe('');
    expect(toFieldPath('', Thing, 'spec')).toBe('spec');
    expect(toFieldPath('/image', Container, 'spec.containers[0]')).toBe('spec.containers[0].image');
  });

  it('falls back to dotted names where the schema says nothing', () => {
    expect(toFieldPath('/spec/raw/a/0', Thing)).toBe('spec.raw.a.0');
    expect(toFieldPath('/a/b', undefined)).toBe('a.b');
  });

  it('follows lazy references', () => {
    const Tree: s.Schema<{ children?: unknown[] }> = s.object('test.Tree', undefined, { children: s.array(s.lazy(() => Tree)) });
    expect(toFieldPath('/children/0/children/3', Tree)).toBe('children[0].children[3]');
  });
});

describe('toJsonSchema', () => {
  it('emits named objects once, as $defs referenced by $ref', () => {
    const json = toJsonSchema(Thing) as { $ref: string; $defs: Record<string, unknown> };
    expect(json.$ref).toBe('#/$defs/test.Thing');
    expect(Object.keys(json.$defs).sort()).toEqual(['test.Container', 'test.Thing']);
    expect(JSON.stringify(json.$defs['test.Thing'])).toContain('"$ref":"#/$defs/test.Container"');
  });
});
