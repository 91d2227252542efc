/**
 * kubeconfig handling as kubectl's: the files of $KUBECONFIG merged (the first to define a name
 * wins), --kubeconfig, --context, the context's namespace and -n, and the `config` verbs that
 * read and change the files.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { useCliCluster } from './cliCluster';

const cluster = useCliCluster({ workloads: false });

function config(contexts: { name: string; server: string; namespace?: string }[], current?: string, token?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    '# kept as it is',
    ...(current ? [`current-context: ${current}`] : []),
    'clusters:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`]),
    'contexts:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}`, ...(c.namespace ? [`    namespace: ${c.namespace}`] : [])]),
    'users:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, `  user: {${token ? `token: ${token}` : ''}}`]),
    '',
  ].join('\n');
}

let env: Record<string, string>;

beforeAll(async () => {
  const url = cluster.plane.url;
  await cluster.file('a.yaml', config([{ name: 'alpha', server: url, namespace: 'team-a' }], 'alpha', 'sekret'));
  // beta's file also defines alpha (pointing nowhere) and another current context: the first file wins.
  await cluster.file('b.yaml', config([{ name: 'beta', server: url }, { name: 'alpha', server: 'http://127.0.0.1:1' }], 'beta'));
  env = { KUBECONFIG: `${join(cluster.dir, 'a.yaml')}:${join(cluster.dir, 'b.yaml')}` };
  await cluster.ok(['create', 'namespace', 'team-a']);
  await cluster.ok(['create', 'cm', 'in-a', '-n', 'team-a']);
  await cluster.ok(['create', 'cm', 'in-default', '-n', 'default']);
});

describe('kubeconfig', () => {
  it('merges the files of $KUBECONFIG, the first definition winning', async () => {
    expect(await cluster.ok(['config', 'get-contexts'], { env })).toBe('CURRENT   NAME      CLUSTER   AUTHINFO   NAMESPACE\n*         alpha     alpha     alpha      team-a\n          beta      beta      beta       \n'); // padded, as Go's tabwriter pads a cell before an empty last one
    expect(await cluster.ok(['config', 'current-context'], { env })).toBe('alpha\n');
    const view = await cluster.ok(['config', 'view'], { env });
    expect(view).toContain(`server: ${cluster.plane.url}`);
    expect(view).not.toContain('127.0.0.1:1\n');
    expect(view).toContain('token: REDACTED');
    expect(await cluster.ok(['config', 'view', '--raw', '--minify', '-o', 'json'], { env })).toContain('"token": "sekret"');
  });

  it('uses the context\'s namespace, -n over it, and --context to switch', async () => {
    expect(await cluster.ok(['get', 'cm', '-o', 'name'], { env })).toBe('configmap/in-a\n');
    expect(await cluster.ok(['get', 'cm', '-n', 'default', '-o', 'name'], { env })).toBe('configmap/in-default\n');
    expect(await cluster.ok(['--context', 'beta', 'get', 'cm', '-o', 'name'], { env })).toBe('configmap/in-default\n');
    expect(await cluster.ok(['get', 'cm', '--kubeconfig', 'b.yaml', '-o', 'name'], { env })).toBe('configmap/in-default\n');
    expect(await cluster.run(['get', 'cm', '--context', 'gamma'], { env })).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: .*gamma.*\n$/) });
  });

  it('switches contexts in the first file, keeping the rest of it', async () => {
    const before = await readFile(join(cluster.dir, 'b.yaml'), 'utf8');
    expect(await cluster.ok(['config', 'use-context', 'beta'], { env })).toBe('Switched to context "beta".\n');
    const a = await readFile(join(cluster.dir, 'a.yaml'), 'utf8');
    expect(a).toContain('current-context: beta');
    expect(a).toContain('# kept as it is');
    expect(await readFile(join(cluster.dir, 'b.yaml'), 'utf8')).toBe(before);
    expect(await cluster.ok(['config', 'current-context'], { env })).toBe('beta\n');
    expect(await cluster.run(['config', 'use-context', 'nope'], { env })).toEqual({ code: 1, stdout: '', stderr: 'error: no context exists with the name: "nope"\n' });
    expect(await cluster.ok(['config', 'set-context', '--current', '--namespace=team-a'], { env })).toBe('Context "beta" modified.\n');
    expect(await cluster.ok(['get', 'cm', '-o', 'name'], { env })).toBe('configmap/in-a\n');
    expect(await readFile(join(cluster.dir, 'b.yaml'), 'utf8')).toContain('namespace: team-a');
  });

  it('says in one line that the server cannot be reached', async () => {
    // A port nothing listens on.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await cluster.file('dead.yaml', config([{ name: 'dead', server: `http://127.0.0.1:${port}` }], 'dead'));
    const r = await cluster.run(['get', 'pods', '--kubeconfig', 'dead.yaml']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^error: the connection to the server was refused .*\n$/);
  });

  it('says so in one line when there is no kubeconfig', async () => {
    const r = await cluster.run(['get', 'pods'], { env: { KUBECONFIG: '', HOME: join(cluster.dir, 'nowhere') } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no server to talk to: no current context in .*nowhere\/\.kube\/config.*\n$/);
    expect(await cluster.ok(['-s', cluster.plane.url, 'get', 'ns', 'default', '-o', 'name'], { env: { KUBECONFIG: '', HOME: join(cluster.dir, 'nowhere') } })).toBe('namespace/default\n');
  });
});
