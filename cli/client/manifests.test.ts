import { parseManifests } from './manifests';

describe('reading manifests', () => {
  it('reads multi-document YAML, skipping empty documents, and flattens Lists', () => {
    const text = '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n- {apiVersion: v1, kind: Secret, metadata: {name: c}}\n';
    expect(parseManifests(text, 'x.yaml').map((m) => `${m.source}:${m.object.kind}/${m.object.metadata?.name}`)).toEqual(['x.yaml:ConfigMap/a', 'x.yaml:Secret/b', 'x.yaml:Secret/c']);
  });

  it('reads JSON', () => {
    expect(parseManifests('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}', 'n.json')[0]!.object.kind).toBe('Namespace');
  });

  it('names the file, the line and the object in its errors', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n', 'bad.yaml')).toThrow(/^bad\.yaml: invalid YAML at line \d+: /);
    expect(() => parseManifests('kind: ConfigMap\nmetadata: {name: x}\n', 'f.yaml')).toThrow('f.yaml: ConfigMap "x": apiVersion not set');
    expect(() => parseManifests('- a\n- b\n', 'list.yaml')).toThrow('list.yaml: a document is not an object (a mapping with apiVersion and kind)');
  });
});
