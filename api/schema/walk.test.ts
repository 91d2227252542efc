import * as s from './schema';
import { applyDefaults, isPlainObject, normalize } from './walk';

const Port = s.object(undefined, undefined, { containerPort: s.int32(), protocol: s.string() });
const Container = s.object('test.Container', undefined, {
  name: s.string(),
  image: s.string(),
  ports: s.array(Port),
});
const Spec = s.object(undefined, undefined, {
  replicas: s.int32(),
  containers: s.array(Container),
  volumes: s.map(s.object(undefined, undefined, { size: s.string() })),
  extra: s.object(undefined, undefined, { known: s.string() }, { preserveUnknownFields: true }),
  raw: s.any(),
});
const Thing = s.object('test.Thing', undefined, {
  metadata: s.object(undefined, undefined, { name: s.string(), labels: s.map(s.string()) }),
  spec: Spec,
});

function normalized(value: unknown, schema: s.Schema = Thing) {
  const copy = structuredClone(value);
  const { unknownFields } = normalize(schema, copy);
  return { value: copy, unknownFields };
}

describe('normalize', () => {
  it('leaves a value the schema fully describes alone', () => {
    const value = { metadata: { name: 'a', labels: { app: 'web' } }, spec: { replicas: 1, containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } };
    expect(normalized(value)).toEqual({ value, unknownFields: [] });
  });

  it('drops null fields as "not set", at any depth', () => {
    expect(
      normalized({ metadata: null, spec: { replicas: null, containers: [{ name: 'c', image: null, ports: [{ containerPort: 80, protocol: null }] }] } }),
    ).toEqual({ value: { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } }, unknownFields: [] });
  });

  it('removes and reports unknown fields with their paths through objects, lists and maps', () => {
    const { value, unknownFields } = normalized({
      kind: 'Thing',
      metadata: { name: 'a', nmae: 'typo' },
      spec: {
        replicas: 1,
        containers: [{ name: 'a' }, { name: 'b', imagePullPolicyy: 'Always', ports: [{ containerPort: 1 }, { containerPort: 2, hostPortt: 3 }] }],
        volumes: { data: { size: '1Gi', sizee: 'x' } },
      },
    });
    expect(unknownFields).toEqual([
      'kind',
      'metadata.nmae',
      'spec.containers[1].imagePullPolicyy',
      'spec.containers[1].ports[1].hostPortt',
      'spec.volumes[data].sizee',
    ]);
    expect(value).toEqual({
      metadata: { name: 'a' },
      spec: { replicas: 1, containers: [{ name: 'a' }, { name: 'b', ports: [{ containerPort: 1 }, { containerPort: 2 }] }], volumes: { data: { size: '1Gi' } } },
    });
  });

  it('prefixes paths with the given root', () => {
    expect(normalize(Spec, { bogus: 1 }, 'spec').unknownFields).toEqual(['spec.bogus']);
    expect(normalize(Spec, { bogus: 1 }).unknownFields).toEqual(['bogus']);
  });

  it('keeps unknown fields (and their nulls) of objects that preserve them, still normalizing known ones', () => {
    const { value, unknownFields } = normalized({ spec: { extra: { known: null, anything: { nested: null }, other: null } } });
    expect(unknownFields).toEqual([]);
    expect(value).toEqual({ spec: { extra: { anything: { nested: null }, other: null } } });
  });

  it('leaves values of type any untouched', () => {
    const raw = { a: null, b: [null, { c: 1 }], d: 'x' };
    expect(normalized({ spec: { raw } })).toEqual({ value: { spec: { raw } }, unknownFields: [] });
  });

  it('decodes a null string map value as the empty string, as Go does', () => {
    expect(normalized({ metadata: { labels: { a: null, b: 'x' } } }).value).toEqual({ metadata: { labels: { a: '', b: 'x' } } });
  });

  it('does not descend into values of the wrong type (ajv reports them)', () => {
    const value = { metadata: 'oops', spec: { containers: { name: 'x' }, volumes: [1] } };
    expect(normalized(value)).toEqual({ value, unknownFields: [] });
  });

  it('reports fields named like Object.prototype members as unknown', () => {
    const body = JSON.parse('{"constructor": 1, "toString": "x", "__proto__": {"x": 1}, "metadata": {"hasOwnProperty": "x"}}');
    const { unknownFields } = normalize(Thing, body);
    expect(unknownFields).toEqual(['constructor', 'toString', '__proto__', 'metadata.hasOwnProperty']);
    expect(Object.keys(body)).toEqual(['metadata']);
    expect(body.metadata).toEqual({});
  });

  it('follows recursive schemas', () => {
    interface Node {
      value?: string;
      children?: Node[];
    }
    const TreeNode: s.Schema<Node> = s.object('test.Node', undefined, { value: s.string(), children: s.array(s.lazy(() => TreeNode)) });
    const { value, unknownFields } = normalized({ value: 'a', children: [{ value: 'b', children: [{ bogus: 1, value: null }] }] }, TreeNode);
    expect(unknownFields).toEqual(['children[0].children[0].bogus']);
    expect(value).toEqual({ value: 'a', children: [{ value: 'b', children: [{}] }] });
  });
});

describe('applyDefaults', () => {
  const Strategy = s.object(undefined, undefined, {
    type: s.string(undefined, { default: 'RollingUpdate' }),
    rollingUpdate: s.object(undefined, undefined, { maxSurge: s.intOrString(undefined, { default: '25%' }), maxUnavailable: s.intOrString() }).with({ default: {} }),
  });
  const DeploymentSpec = s.object(undefined, undefined, {
    replicas: s.int32(undefined, { default: 1 }),
    paused: s.boolean(undefined, { default: false }),
    strategy: Strategy.with({ default: {} }),
    containers: s.array(s.object(undefined, undefined, { name: s.string(), imagePullPolicy: s.string(undefined, { default: 'IfNotPresent' }) })),
    env: s.map(s.object(undefined, undefined, { value: s.string(undefined, { default: '' }) })),
    template: s.object(undefined, undefined, { restartPolicy: s.string(undefined, { default: 'Always' }) }),
    labels: s.map(s.string()).with({ default: { app: 'default' } }),
  });

  it('fills absent fields, and lets the inner defaults of a {} default apply', () => {
    const value: Record<string, unknown> = {};
    applyDefaults(DeploymentSpec, value);
    expect(value).toEqual({
      replicas: 1,
      paused: false,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
      labels: { app: 'default' },
    });
  });

  it('does not touch present values, even falsy ones', () => {
    const value = { replicas: 0, paused: true, strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 0 } }, labels: {} };
    applyDefaults(DeploymentSpec, value);
    expect(value).toEqual({ replicas: 0, paused: true, strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 0 } }, labels: {} });
  });

  it('descends into present objects, list items and map values', () => {
    const value = { strategy: { type: 'Recreate' }, containers: [{ name: 'a' }, { name: 'b', imagePullPolicy: 'Always' }], env: { A: {}, B: { value: 'x' } }, template: {} };
    applyDefaults(DeploymentSpec, value);
    expect(value).toMatchObject({
      strategy: { type: 'Recreate', rollingUpdate: { maxSurge: '25%' } },
      containers: [
        { name: 'a', imagePullPolicy: 'IfNotPresent' },
        { name: 'b', imagePullPolicy: 'Always' },
      ],
      env: { A: { value: '' }, B: { value: 'x' } },
      template: { restartPolicy: 'Always' },
    });
  });

  it('does not create absent objects that have no default', () => {
    const value: Record<string, unknown> = {};
    applyDefaults(DeploymentSpec, value);
    expect(value).not.toHaveProperty('template');
    expect(value).not.toHaveProperty('containers');
  });

  it('gives every object its own copy of a default', () => {
    const a: Record<string, { app: string }> = {};
    const b: Record<string, { app: string }> = {};
    applyDefaults(DeploymentSpec, a);
    applyDefaults(DeploymentSpec, b);
    a.labels!.app = 'changed';
    expect(b.labels).toEqual({ app: 'default' });
    expect((DeploymentSpec.node as s.ObjectNode).properties.labels!.meta.default).toEqual({ app: 'default' });
  });

  it('applies no defaults below a field kept as written', () => {
    const inner = s.object('test.Inner', undefined, { mode: s.string(undefined, { default: 'Filesystem' }) });
    const outer = s.object('test.Outer', undefined, {
      kept: s.array(inner).with({ keepAsWritten: true }),
      defaulted: s.array(inner),
    });
    const value = { kept: [{}], defaulted: [{}] };
    applyDefaults(outer, value);
    expect(value).toEqual({ kept: [{}], defaulted: [{ mode: 'Filesystem' }] });
  });

  it('ignores values of the wrong type', () => {
    const value = { strategy: 'oops', containers: 'nope' };
    applyDefaults(DeploymentSpec, value);
    expect(value).toMatchObject({ strategy: 'oops', containers: 'nope', replicas: 1 });
  });
});

describe('isPlainObject', () => {
  it('is true only for non-null, non-array objects', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject('x')).toBe(false);
    expect(isPlainObject(undefined)).toBe(false);
  });
});
