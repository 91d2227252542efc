/** Bad input through kubectl prints the errors Kubernetes gives and stores nothing. */
import { stringify } from 'yaml';
import { useCluster } from './e2e';

const cluster = useCluster();

async function revision(): Promise<number> {
  return cluster.plane.server.storage.currentRevision();
}

describe('bad input through kubectl', () => {
  it('an invalid manifest: the Invalid error with its causes, nothing stored', async () => {
    const before = await revision();
    const manifest = stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'c' }] } });
    const result = await cluster.fails(['apply', '-f', '-'], manifest);
    expect(result.stderr).toContain('The Pod "Bad_Name" is invalid:');
    expect(result.stderr).toContain('metadata.name: Invalid value: "Bad_Name"');
    expect(result.stderr).toContain('spec.containers[0].image: Required value');
    expect(await revision()).toBe(before);
  });

  it('an unknown field: strict decoding error, nothing stored', async () => {
    const before = await revision();
    const manifest = stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unknown-field' }, data: { a: 'b' }, dataa: { c: 'd' } });
    const result = await cluster.fails(['apply', '-f', '-'], manifest);
    expect(result.stderr).toMatch(/unknown field "dataa"/);
    expect(await revision()).toBe(before);
  });

  it('a wrong type: a decode error, nothing stored', async () => {
    const before = await revision();
    const manifest = stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'wrong-type' },
      spec: { replicas: 'three', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    const result = await cluster.fails(['apply', '-f', '-'], manifest);
    expect(result.stderr).toMatch(/replicas/);
    expect(result.stderr).toMatch(/Error from server \(BadRequest\)|cannot unmarshal|invalid type/);
    expect(await revision()).toBe(before);
  });
});
