import { JsonPath, relaxedTemplate } from './jsonpath';

const pod = {
  kind: 'Pod',
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web', tier: 'front' } },
  spec: { containers: [{ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }] }, { name: 'b', image: 'redis' }] },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'False' }], restarts: 3 },
};
const run = (template: string, data: unknown = pod, allowMissingKeys = false) => new JsonPath(template, { allowMissingKeys }).execute(data);

describe('JsonPath (kubectl templates)', () => {
  it('reads fields, indexes, negative indexes, slices and wildcards', () => {
    expect(run('{.metadata.name}')).toBe('web');
    expect(run('{.spec.containers[0].image}')).toBe('nginx');
    expect(run('{.spec.containers[-1].name}')).toBe('b');
    expect(run('{.spec.containers[0:2].name}')).toBe('a b');
    expect(run('{.spec.containers[*].name}')).toBe('a b');
    expect(run('{.status.restarts}')).toBe('3');
    expect(run('{.spec.containers[0].ports}')).toBe('[{"containerPort":80}]');
  });

  it('escapes dots in keys and takes bracketed keys', () => {
    expect(run('{.metadata.labels.app\\.kubernetes\\.io/name}')).toBe('web');
    expect(run("{.metadata.labels['app.kubernetes.io/name']}")).toBe('web');
  });

  it('filters, descends recursively and ranges with literals', () => {
    expect(run('{.status.conditions[?(@.type=="Ready")].status}')).toBe('True');
    expect(run('{.status.conditions[?(@.status!="True")].type}')).toBe('Initialized');
    expect(run('{..image}')).toBe('nginx redis');
    expect(run('{range .spec.containers[*]}{.name}={.image}{"\\n"}{end}')).toBe('a=nginx\nb=redis\n');
    expect(run('name: {.metadata.name}!')).toBe('name: web!');
  });

  it('fails on missing keys unless they are allowed; a key some values have is not missing', () => {
    expect(() => run('{.spec.nothing}')).toThrow('nothing is not found');
    expect(run('{.spec.containers[*].ports[0].containerPort}')).toBe('80');
    expect(run('{.spec.nothing}', pod, true)).toBe('');
  });

  it('rejects templates it cannot parse', () => {
    expect(() => new JsonPath('{.a')).toThrow(/unclosed/);
    expect(() => new JsonPath('{range .a}{.b}')).toThrow(/unclosed range/);
    expect(() => new JsonPath('{end}')).toThrow(/not in range/);
  });

  it('gives the results of each expression (custom columns, sorting)', () => {
    expect(new JsonPath('{.spec.containers[*].name}').results(pod)).toEqual([['a', 'b']]);
  });

  it('accepts the relaxed forms of --sort-by and custom-columns', () => {
    expect(relaxedTemplate('.metadata.name')).toBe('{.metadata.name}');
    expect(relaxedTemplate('metadata.name')).toBe('{.metadata.name}');
    expect(relaxedTemplate('{.metadata.name}')).toBe('{.metadata.name}');
  });
});
