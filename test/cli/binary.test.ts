/**
 * The real `marina` executable (bin/marina.js, built to dist/): exit codes (0 success, 1 failure,
 * 2 usage error, a command's own through exec), errors as one line on stderr, no colour without a
 * terminal.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startFakeNodeAgent, type FakeNodeAgent } from '../apiserver/fakeNodeAgent';
import { useControlPlane } from '../harness/apiserver';
import { ensureCliBuilt, repoRoot } from '../harness/marinaProcess';
import { tempDir } from '../harness/tmp';
import { kubeconfigText } from './cliCluster';
import { writeFile } from 'node:fs/promises';

const plane = useControlPlane();
let dir: { path: string; remove: () => Promise<void> };
let agent: FakeNodeAgent;

beforeAll(async () => {
  ensureCliBuilt();
  dir = await tempDir('cli-binary');
  await writeFile(join(dir.path, 'kubeconfig'), kubeconfigText(plane.url));
  agent = await startFakeNodeAgent();
  await plane.client.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker' }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: agent.port } } } });
  await plane.client.create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo' }, spec: { nodeName: 'worker', containers: [{ name: 'app', image: 'busybox' }] } });
  agent.logs.set('default/solo/app', { current: [] });
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await dir?.remove();
});

function marina(args: readonly string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/marina.js'), ...args], { cwd: dir.path, env: { ...process.env, KUBECONFIG: join(dir.path, 'kubeconfig'), HOME: dir.path } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('the marina executable', () => {
  it('exits 0 on success, without colour when not on a terminal', async () => {
    const info = await marina(['cluster-info']);
    expect(info).toEqual({ code: 0, stdout: `Kubernetes control plane is running at ${plane.url} (${(await plane.client.get<{ gitVersion: string }>('/version')).gitVersion})\n`, stderr: '' });
  }, 30_000);

  it('exits 2 on usage errors: an unknown verb or flag', async () => {
    const verb = await marina(['frobnicate']);
    expect(verb.code).toBe(2);
    expect(verb.stderr).toMatch(/^error: unknown command 'frobnicate'\n/);
    expect(await marina(['get', 'pods', '--bogus'])).toMatchObject({ code: 2, stderr: "error: unknown option '--bogus'\n" });
  }, 30_000);

  it('exits 1 with one line naming the file and object when a manifest is refused, changing nothing', async () => {
    await writeFile(join(dir.path, 'deploy.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: -1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: nginx}]\n');
    const r = await marina(['apply', '-f', 'deploy.yaml']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: deploy.yaml: Deployment "web": spec.replicas: Invalid value: -1: must be greater than or equal to 0\n' });
    expect((await plane.client.get<{ items: unknown[] }>('/api/v1/namespaces/default/configmaps')).items).toEqual([]);
  }, 30_000);

  it('passes the exit code of an exec\'d command through', async () => {
    expect(await marina(['exec', 'solo', '--', 'exit', '7'])).toEqual({ code: 7, stdout: '', stderr: 'bye\ncommand terminated with exit code 7\n' });
  }, 30_000);
});
