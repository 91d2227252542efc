import { alignColumns, formatObjects, objectName, parseOutputFormat, sortObjects, tableRows, toJson, toYaml } from './printers';

const cm = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, managedFields: [{ manager: 'x' }] }, ...extra });

describe('output formats', () => {
  it('parses -o values, usage errors for the rest', () => {
    expect(parseOutputFormat(undefined)).toEqual({ type: 'table' });
    expect(parseOutputFormat('jsonpath={.a}')).toEqual({ type: 'jsonpath', template: '{.a}' });
    expect(parseOutputFormat('custom-columns=NAME:.metadata.name,N:spec.n')).toEqual({ type: 'custom-columns', columns: [{ header: 'NAME', path: '{.metadata.name}' }, { header: 'N', path: '{.spec.n}' }] });
    expect(() => parseOutputFormat('toml')).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => parseOutputFormat('wide', ['json'])).toThrow(/allowed formats are: json/);
    expect(() => parseOutputFormat('jsonpath={.a')).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => parseOutputFormat('custom-columns=NAME')).toThrow(/expected <header>:<json-path-expr>/);
  });

  it('prints JSON as kubectl: sorted keys, 4 spaces, HTML escaped', () => {
    expect(toJson({ b: 1, a: { d: '<x>', c: [2, 1] } })).toBe('{\n    "a": {\n        "c": [\n            2,\n            1\n        ],\n        "d": "\\u003cx\\u003e"\n    },\n    "b": 1\n}\n');
  });

  it('prints YAML with sorted keys and unindented lists', () => {
    // YAML 1.1 booleans (on, y) are quoted, as Go's yaml writes them.
    expect(toYaml({ b: ['x', 'y'], a: 'on' })).toBe('a: "on"\nb:\n- x\n- "y"\n');
  });

  it('prints one object as itself, several as a List, without managedFields', () => {
    expect(JSON.parse(formatObjects({ type: 'json' }, [cm('a')], { single: true }))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    expect(JSON.parse(formatObjects({ type: 'json' }, [cm('a'), cm('b')], { single: false }))).toMatchObject({ kind: 'List', items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] });
    expect(formatObjects({ type: 'json' }, [cm('a')], { single: true, showManagedFields: true })).toContain('managedFields');
    expect(formatObjects({ type: 'name' }, [cm('a'), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' } }], { single: false })).toBe('configmap/a\ndeployment.apps/w\n');
  });

  it('prints custom columns, <none> for what is missing', () => {
    const format = parseOutputFormat('custom-columns=NAME:.metadata.name,DATA:.data.k');
    expect(formatObjects(format, [cm('a', { data: { k: 'v' } }), cm('bb')], { single: false })).toBe('NAME   DATA\na      v\nbb     <none>\n');
    expect(formatObjects(format, [cm('a')], { single: false, noHeaders: true })).toBe('a     <none>\n');
  });

  it('names objects as kubectl -o name', () => {
    expect(objectName(cm('a'))).toBe('configmap/a');
    expect(objectName({ metadata: { name: 'x' } }, { group: 'batch', kind: 'Job' })).toBe('job.batch/x');
  });
});

describe('tables', () => {
  const table = {
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name' },
      { name: 'Ready', type: 'string' },
      { name: 'IP', type: 'string', priority: 1 },
    ],
    rows: [{ cells: ['web-1', '1/1', '10.0.0.1'], object: { metadata: { name: 'web-1', namespace: 'ns', labels: { b: '2', a: '1' } } } }],
  };
  const options = { wide: false, withKind: false, withNamespace: false, showLabels: false, noHeaders: false };

  it('shows priority-0 columns, wide all, with kind prefixes, namespaces and labels when asked', () => {
    const section = { table, resource: { group: '', kind: 'Pod' } };
    expect(tableRows(section, options)).toEqual([['NAME', 'READY'], ['web-1', '1/1']]);
    expect(tableRows(section, { ...options, wide: true, withKind: true, withNamespace: true, showLabels: true })).toEqual([
      ['NAMESPACE', 'NAME', 'READY', 'IP', 'LABELS'],
      ['ns', 'pod/web-1', '1/1', '10.0.0.1', 'a=1,b=2'],
    ]);
    expect(tableRows(section, { ...options, noHeaders: true, labelColumns: ['b'] })).toEqual([['web-1', '1/1', '2']]);
  });

  it('aligns columns as kubectl\'s tabwriter (padding 3, min width 6, last column unpadded)', () => {
    expect(alignColumns([['NAME', 'AGE'], ['a-long-name', '5s']])).toBe('NAME          AGE\na-long-name   5s\n');
    expect(alignColumns([['A', 'B', 'C']])).toBe('A     B     C\n');
  });

  it('sorts by a JSONPath, quantities by value', () => {
    const objs = [cm('b', { q: '2Gi' }), cm('a', { q: '512Mi' }), cm('c', { q: '1Gi' })];
    expect(sortObjects(objs, '.metadata.name').map((o) => o.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(sortObjects(objs, '{.q}').map((o) => o.metadata.name)).toEqual(['a', 'c', 'b']);
  });
});
