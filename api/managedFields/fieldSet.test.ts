import { FieldSet } from './fieldSet';
import { compareElements, elementString, fieldElement, keyElement, parseElement, PathElementError, pathString, valueElement, type FieldPath } from './pathElement';

const f = fieldElement;

describe('fieldsV1 serialization', () => {
  // structured-merge-diff's golden data (fieldpath/serialize_test.go): reading and writing back
  // must give the same bytes, which fixes the element order (fields, keys, values, indices).
  const golden = [
    '{"f:aaa":{},"f:aab":{},"f:aac":{},"f:aad":{},"f:aae":{},"f:aaf":{},"k:{\\"name\\":\\"first\\"}":{},"k:{\\"name\\":\\"second\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{},"v:1":{},"v:2":{},"v:3":{},"v:\\"aa\\"":{},"v:\\"ab\\"":{},"v:true":{},"i:1":{},"i:2":{},"i:3":{},"i:4":{}}',
    '{"f:aaa":{"k:{\\"name\\":\\"second\\"}":{"v:3":{"f:aab":{}}},"v:3":{},"v:true":{}},"f:aab":{"f:aaa":{},"f:aaf":{"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{}}},"k:{\\"name\\":\\"first\\"}":{}},"f:aac":{"f:aaa":{"v:1":{}},"f:aac":{},"v:3":{"k:{\\"name\\":\\"second\\"}":{}}},"f:aad":{"f:aac":{"v:1":{}},"f:aaf":{"k:{\\"name\\":\\"first\\"}":{"k:{\\"name\\":\\"first\\"}":{}}},"i:1":{"i:1":{},"i:3":{"v:true":{}}}},"f:aae":{"f:aae":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{}},"i:4":{"f:aaf":{}}},"f:aaf":{"i:1":{"f:aac":{}},"i:2":{},"i:3":{}},"k:{\\"name\\":\\"first\\"}":{"f:aad":{"f:aaf":{}}},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{"f:aaa":{"f:aad":{}}},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{"f:aac":{},"k:{\\"name\\":\\"first\\"}":{"i:3":{}},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{"i:4":{}}},"v:1":{"f:aac":{"i:4":{}},"f:aaf":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{}},"v:2":{"f:aad":{"f:aaf":{}},"i:1":{}},"v:3":{"f:aaa":{},"k:{\\"name\\":\\"first\\"}":{},"i:2":{}},"v:\\"aa\\"":{"f:aab":{"f:aaf":{}},"f:aae":{},"k:{\\"name\\":\\"first\\"}":{"f:aad":{}},"i:2":{}},"v:\\"ab\\"":{"f:aaf":{"i:4":{}},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{},"v:1":{"k:{\\"port\\":443,\\"protocol\\":\\"udp\\"}":{}},"i:1":{"f:aae":{"i:4":{}}}},"v:true":{"k:{\\"name\\":\\"second\\"}":{"f:aaa":{}},"i:2":{"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{}}},"i:1":{"i:3":{"f:aaf":{}}},"i:2":{"f:aae":{},"k:{\\"port\\":443,\\"protocol\\":\\"tcp\\"}":{"v:1":{}}},"i:3":{"f:aab":{"v:true":{"v:\\"aa\\"":{}}},"f:aaf":{},"i:1":{}},"i:4":{"v:\\"aa\\"":{"f:aab":{"k:{\\"name\\":\\"second\\"}":{}}}}}',
  ];
  it.each(golden.map((json, i) => [i, json]))("round-trips structured-merge-diff's golden example %i byte for byte", (_i, json) => {
    expect(JSON.stringify(FieldSet.fromJSON(JSON.parse(json)))).toBe(json);
  });

  // managedFields of a Deployment applied with `kubectl apply --server-side`, as Kubernetes stores them.
  const deployment = {
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"nginx"}': {
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { 'f:containerPort': {}, '.': {} } },
              '.': {},
            },
          },
        },
      },
    },
  };

  it('reads members, children and "." as Kubernetes writes them', () => {
    const set = FieldSet.fromJSON(deployment);
    const container = [f('spec'), f('template'), f('spec'), f('containers'), 'k:{"name":"nginx"}'];
    expect(set.has([f('spec'), f('replicas')])).toBe(true);
    expect(set.has([f('spec')])).toBe(false); // a prefix only
    expect(set.has(container)).toBe(true); // "." makes the item itself a member
    expect(set.has([...container, f('image')])).toBe(true);
    expect(set.paths().map(pathString)).toEqual([
      '.spec.replicas',
      '.spec.selector',
      '.spec.template.metadata.labels.app',
      '.spec.template.spec.containers[name="nginx"]',
      '.spec.template.spec.containers[name="nginx"].image',
      '.spec.template.spec.containers[name="nginx"].name',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
    expect(set.toJSON()).toEqual(deployment);
    // "." comes after the children, as structured-merge-diff writes it.
    expect(Object.keys(set.toJSON()['f:spec']!['f:template']!['f:spec']!['f:containers']!['k:{"name":"nginx"}']!)).toEqual(['f:image', 'f:name', 'f:ports', '.']);
  });

  it('reads `{}`, only "." or only unknown kinds below an element as a member', () => {
    const set = FieldSet.fromJSON({ 'f:a': {}, 'f:b': { '.': {} }, 'f:c': { 'r:x': {} }, 'f:d': { 'f:e': {} } });
    expect(set.paths().map(pathString)).toEqual(['.a', '.b', '.c', '.d.e']);
    expect(set.toJSON()).toEqual({ 'f:a': {}, 'f:b': {}, 'f:c': {}, 'f:d': { 'f:e': {} } });
  });

  it('drops element kinds it does not know and rejects malformed ones', () => {
    expect(FieldSet.fromJSON({ 'f:aaa': {}, 'r:aab': {} }).toJSON()).toEqual({ 'f:aaa': {} });
    expect(() => FieldSet.fromJSON({ 'k:{not json': {} })).toThrow(PathElementError);
    expect(() => FieldSet.fromJSON({ 'f:a': 'x' })).toThrow(PathElementError);
    expect(() => FieldSet.fromJSON([])).toThrow(PathElementError);
    expect(FieldSet.fromJSON(undefined).empty).toBe(true);
  });

  it('serializes keys canonically: key fields and object keys sorted', () => {
    expect(keyElement([['protocol', 'TCP'], ['containerPort', 80]])).toBe('k:{"containerPort":80,"protocol":"TCP"}');
    expect(valueElement({ b: 1, a: [true] })).toBe('v:{"a":[true],"b":1}');
    expect(parseElement('k:{"protocol":"TCP","containerPort":80}')).toEqual({ kind: 'key', fields: [['containerPort', 80], ['protocol', 'TCP']] });
    expect(compareElements('v:2', 'v:10')).toBeLessThan(0); // numbers compare as numbers
    expect(compareElements('f:z', 'k:{"a":1}')).toBeLessThan(0);
  });

  it('prints paths as conflict messages do', () => {
    expect(elementString(valueElement('example.com/x'))).toBe('[="example.com/x"]');
    expect(elementString('i:3')).toBe('[3]');
    expect(pathString([f('metadata'), f('finalizers'), valueElement('a')])).toBe('.metadata.finalizers[="a"]');
  });
});

describe('FieldSet operations', () => {
  const p = (...names: string[]): FieldPath => names.map((n) => (n.startsWith('k:') ? n : f(n)));
  const a = FieldSet.of(p('spec', 'replicas'), p('spec', 'template', 'image'), p('metadata', 'labels', 'app'));
  const b = FieldSet.of(p('spec', 'replicas'), p('metadata', 'labels', 'tier'));

  it('unions, intersects and subtracts paths', () => {
    expect(a.union(b).paths().map(pathString)).toEqual(['.metadata.labels.app', '.metadata.labels.tier', '.spec.replicas', '.spec.template.image']);
    expect(a.intersection(b).paths().map(pathString)).toEqual(['.spec.replicas']);
    expect(a.difference(b).paths().map(pathString)).toEqual(['.metadata.labels.app', '.spec.template.image']);
    expect(a.difference(a).empty).toBe(true);
    expect(a.union(b).equals(b.union(a))).toBe(true);
  });

  it('difference removes members only; recursiveDifference removes what lies below a member', () => {
    const spec = FieldSet.of(p('spec'));
    expect(a.difference(spec).equals(a)).toBe(true);
    expect(a.recursiveDifference(spec).paths().map(pathString)).toEqual(['.metadata.labels.app']);
    expect(a.within(spec).paths().map(pathString)).toEqual(['.spec.replicas', '.spec.template.image']);
  });

  it('subtracting what a set does not hold leaves it as it was', () => {
    const other = FieldSet.of(p('spec', 'selector'), p('status', 'ready'));
    expect(JSON.stringify(a.difference(other))).toBe(JSON.stringify(a));
    expect(JSON.stringify(a.recursiveDifference(other))).toBe(JSON.stringify(a));
    expect(a.difference(FieldSet.of(p('spec', 'replicas'))).paths().map(pathString)).toEqual(['.metadata.labels.app', '.spec.template.image']);
  });

  it('writes many elements of one node in structured-merge-diff order', () => {
    const names = Array.from({ length: 20 }, (_, i) => `n${(i * 7) % 20}`);
    const fields = FieldSet.of(...names.map((n) => p('spec', n)), p('spec', 'Z'));
    const sorted = [...names.map((n) => f(n)), f('Z')].sort((x, y) => (x < y ? -1 : 1));
    expect(Object.keys(fields.toJSON()['f:spec']!)).toEqual(sorted);
    const mixed = FieldSet.of(...names.map((n) => [f(n)]), ['v:2'], ['k:{"name":"b"}'], ['i:1'], ['v:10'], ['k:{"name":"a"}']);
    expect(Object.keys(mixed.toJSON())).toEqual([...sorted.filter((e) => e !== 'f:Z'), 'k:{"name":"a"}', 'k:{"name":"b"}', 'v:2', 'v:10', 'i:1']);
  });

  it('keeps a path that is both a member and a prefix', () => {
    const item = p('spec', 'containers', 'k:{"name":"a"}');
    const set = FieldSet.of(item, [...item, f('image')]);
    expect(set.difference(FieldSet.of([...item, f('image')])).paths().map(pathString)).toEqual(['.spec.containers[name="a"]']);
    expect(set.difference(FieldSet.of(item)).paths().map(pathString)).toEqual(['.spec.containers[name="a"].image']);
  });
});
