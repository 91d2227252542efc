import { compileJsonPath } from './jsonPath';

const obj = {
  metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 3, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Synced', status: 'False' },
    ],
  },
};

describe('compileJsonPath', () => {
  it.each([
    ['.spec.replicas', [3]],
    ['{.spec.replicas}', [3]],
    [".metadata.labels['app.kubernetes.io/name']", ['web']],
    ['.spec.ports[0].port', [80]],
    ['.spec.ports[-1].name', ['https']],
    ['.spec.ports[5].name', []],
    ['.spec.ports[*].port', [80, 443]],
    ['.spec.ports', [obj.spec.ports]],
    ['.metadata.*', [obj.metadata.labels, 'x']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type!='Ready')].type", ['Synced']],
    ['.spec.missing.deeper', []],
    ['.spec.replicas.deeper', []],
  ])('%s finds %j', (path, values) => {
    expect(compileJsonPath(path).find(obj)).toEqual(values);
  });

  it('rejects what it cannot read', () => {
    expect(() => compileJsonPath('.spec[')).toThrow(/unclosed/);
    expect(() => compileJsonPath('.spec[1:2]')).toThrow(/unsupported/);
    expect(() => compileJsonPath('spec')).toThrow(/unexpected/);
  });
});
