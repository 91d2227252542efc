/**
 * The whole product as a CI job uses it: `marina up --detach` with one real node agent on a
 * private containerd, then the `marina` CLI (the compiled binary) against it — a Deployment from
 * YAML becomes available, is scaled, updated, rolled back and deleted; a Job runs to completion
 * under `apply --wait`; logs and exec work; a bad manifest is one line on stderr and changes
 * nothing; `marina down` leaves no process, mount, network namespace, bridge or iptables rule
 * behind; `up` again on the same data dir finds the earlier objects.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { busyboxImageRef } from '../../kubelet/images/busybox';
import { runCommand } from '../../kubelet/network/command';
import { defaultBridgeName } from '../../kubelet/runtime/ctr/runtime';
import { eventually } from '../client/helpers';
import { writeBusyboxArchive } from '../harness/containerd';
import { ensureCliBuilt, repoRoot } from '../harness/marinaProcess';
import { tempDir } from '../harness/tmp';

let dir: Awaited<ReturnType<typeof tempDir>>;
let dataDir: string;
const podUids = new Set<string>();

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled `marina ARGS` with the cluster's kubeconfig; resolves when it exits. */
function marina(args: readonly string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/marina.js', ...args], { cwd: repoRoot, env: { ...process.env, KUBECONFIG: join(dataDir, 'kubeconfig'), NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(stdin);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function ok(args: readonly string[], stdin?: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await marina(args, stdin, env);
  if (r.code !== 0) throw new Error(`marina ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const deployment = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: web
        image: ${busyboxImageRef}
        imagePullPolicy: Never
        command: ["sh", "-c", "echo hello from $GREETING; exec sleep 3600"]
        env:
        - {name: GREETING, value: ${env}}
`;

const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: count
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: count
        image: ${busyboxImageRef}
        imagePullPolicy: Never
        command: ["sh", "-c", "for i in 1 2 3; do echo step $i; done"]
`;

async function rememberPods(): Promise<void> {
  const uids = await ok(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.uid}']);
  for (const uid of uids.split(/\s+/).filter(Boolean)) podUids.add(uid);
}

/** What a stopped cluster must not leave: processes, mounts, network namespaces, its bridge, iptables rules. */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
    if (cmdline.includes(dataDir)) found.push(`process ${entry}: ${cmdline.slice(0, 100)}`);
  }
  for (const line of (await readFile('/proc/self/mountinfo', 'utf8')).split('\n')) if (line.includes(dataDir)) found.push(`mount: ${line}`);
  const netns = (await runCommand('ip', ['netns', 'list'])).stdout;
  for (const uid of podUids) if (netns.includes(uid)) found.push(`network namespace of pod ${uid}`);
  const bridge = defaultBridgeName('marina-marina-node');
  if ((await runCommand('ip', ['link', 'show', bridge])).code === 0) found.push(`bridge ${bridge}`);
  const rules = (await runCommand('iptables-save', [])).stdout;
  for (const line of rules.split('\n')) if (line.includes(bridge) || line.includes('10.244.0.0/24')) found.push(`iptables: ${line}`);
  return found;
}

beforeAll(async () => {
  ensureCliBuilt();
  dir = await tempDir('up-e2e');
  dataDir = join(dir.path, 'd');
  const up = await marina(['up', '--data-dir', dataDir, '--port', '0', '--nodes', '1', '--detach']);
  if (up.code !== 0) throw new Error(`marina up failed: ${up.stderr}${up.stdout}`);
  // No registry is reachable: the node gets its image from an archive.
  const archive = await writeBusyboxArchive(dir.path);
  await ok(['images', 'import', archive, '--containerd-address', join(dataDir, 'containerd', 'containerd.sock'), '--node-name', 'marina-node']);
}, 180_000);

afterAll(async () => {
  await marina(['down', '--data-dir', dataDir]);
  await dir.remove();
}, 120_000);

describe('a cluster from marina up, driven by the marina CLI', () => {
  it('runs a Deployment: available, scaled, updated, rolled back; logs and exec', async () => {
    await writeFile(join(dir.path, 'web.yaml'), deployment('one'));
    expect(await ok(['apply', '-f', join(dir.path, 'web.yaml'), '--wait', '--timeout', '120s'])).toContain('deployment.apps/web created');
    expect(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}'])).toBe('2');
    const ips = (await ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).split(' ');
    for (const ip of ips) expect(ip).toMatch(/^10\.244\.0\.\d+$/);
    // The pod network exists while the cluster runs (what `down` must remove).
    expect((await runCommand('ip', ['link', 'show', defaultBridgeName('marina-marina-node')])).code).toBe(0);

    await ok(['scale', 'deployment/web', '--replicas=3']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    expect(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}'])).toBe('3');

    await writeFile(join(dir.path, 'web.yaml'), deployment('two').replace('replicas: 2', 'replicas: 3'));
    await ok(['apply', '-f', join(dir.path, 'web.yaml'), '--wait', '--timeout', '120s']);
    expect(await ok(['logs', 'deploy/web'])).toContain('hello from two');
    expect(await ok(['rollout', 'history', 'deployment/web'])).toMatch(/^1\s/m);
    await ok(['rollout', 'undo', 'deployment/web']);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    expect(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].env[0].value}'])).toBe('one');
    await eventually('the rolled-back pods logging', async () => ((await ok(['logs', 'deploy/web'])).includes('hello from one') ? true : undefined), 60_000);

    const exec = await marina(['exec', 'deploy/web', '--', 'sh', '-c', 'echo inside; exit 3']);
    expect(exec.stdout).toContain('inside');
    expect(exec.code).toBe(3);
    await rememberPods();
  }, 300_000);

  it('runs a Job to completion under apply --wait', async () => {
    await writeFile(join(dir.path, 'job.yaml'), job);
    const applied = await marina(['apply', '-f', join(dir.path, 'job.yaml'), '--wait', '--timeout', '120s']);
    expect(applied.code).toBe(0);
    expect(await ok(['get', 'job', 'count', '-o', 'jsonpath={.status.succeeded}'])).toBe('1');
    expect(await ok(['logs', 'job/count'])).toBe('step 1\nstep 2\nstep 3\n');
    await rememberPods();
  }, 180_000);

  it('refuses a bad manifest in one line and changes nothing', async () => {
    const before = await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.resourceVersion}']);
    await writeFile(join(dir.path, 'bad.yaml'), deployment('three').replace('replicas: 2', 'replicas: -1'));
    const bad = await marina(['apply', '-f', join(dir.path, 'bad.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('bad.yaml');
    expect(bad.stderr).toContain('spec.replicas');
    expect(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.resourceVersion}'])).toBe(before);
  }, 60_000);

  it('serves every other verb against the same cluster', async () => {
    expect(await ok(['version'])).toMatch(/Server Version: v1\.32/);
    expect(await ok(['cluster-info'])).toContain('is running at http://127.0.0.1:');
    expect(await ok(['config', 'get-contexts', '-o', 'name'])).toBe('marina\n');
    expect(await ok(['config', 'view'])).toContain('current-context: marina');
    expect(await ok(['api-resources'])).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(await ok(['explain', 'pod.spec.containers.image'])).toContain('image');
    expect(await ok(['completion', 'bash'])).toContain('marina');
    expect(await ok(['get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status'])).toMatch(/^marina-node\s+True$/m);
    expect(await ok(['wait', '--for=condition=Available', 'deployment/web', '--timeout=60s'])).toContain('condition met');
    expect(await ok(['describe', 'deployment', 'web'])).toMatch(/Replicas:\s+3 desired/);
    expect(await ok(['describe', 'node', 'marina-node'])).toContain('Ready');
    expect(await ok(['events'])).toMatch(/ScalingReplicaSet|SuccessfulCreate/);
    await ok(['label', 'deployment/web', 'tier=front']);
    await ok(['annotate', 'deployment/web', 'note=e2e']);
    await ok(['patch', 'deployment/web', '--type', 'merge', '-p', '{"metadata":{"labels":{"patched":"yes"}}}']);
    expect(await ok(['get', 'deployment', 'web', '-o', 'jsonpath={.metadata.labels.tier}/{.metadata.labels.patched}/{.metadata.annotations.note}'])).toBe('front/yes/e2e');
    expect(await ok(['create', 'namespace', 'extra'])).toContain('namespace/extra created');
    await ok(['create', 'configmap', 'cfg', '--from-literal=a=1']);
    await ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    expect(await ok(['get', 'secret', 'creds', '-o', 'jsonpath={.data.password}'])).toBe(Buffer.from('s3cret').toString('base64'));
    const editor = join(dir.path, 'editor.sh');
    await writeFile(editor, '#!/bin/sh\nsed -i \'s/a: "1"/a: "2"/\' "$1"\n', { mode: 0o755 });
    await ok(['edit', 'configmap/cfg'], '', { EDITOR: editor });
    expect(await ok(['get', 'configmap', 'cfg', '-o', 'jsonpath={.data.a}'])).toBe('2');
    // diff: nothing to change for the live manifest, a difference for an edited one (exit 1).
    expect((await marina(['diff', '-f', join(dir.path, 'job.yaml')])).code).toBe(0);
    await writeFile(join(dir.path, 'cfg.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "3"\n');
    const diff = await marina(['diff', '-f', join(dir.path, 'cfg.yaml')]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/^\+\s+a: "3"$/m);
    expect(await ok(['get', 'configmap', 'cfg', '-o', 'jsonpath={.data.a}'])).toBe('2');
    // Usage errors are exit code 2.
    expect((await marina(['get', '--no-such-flag'])).code).toBe(2);
  }, 120_000);

  it('deletes the Deployment and its pods', async () => {
    await ok(['delete', '-f', join(dir.path, 'web.yaml')]);
    await eventually('the pods gone', async () => ((await ok(['get', 'pods', '-l', 'app=web', '-o', 'name'])).trim() === '' ? true : undefined), 60_000);
  }, 90_000);

  it('down leaves nothing behind; up again finds the objects', async () => {
    expect(podUids.size).toBeGreaterThanOrEqual(4);
    const down = await marina(['down', '--data-dir', dataDir]);
    expect(down.code).toBe(0);
    expect(await leftovers()).toEqual([]);

    const up = await marina(['up', '--data-dir', dataDir, '--port', '0', '--nodes', '1', '--detach']);
    expect(up.code).toBe(0);
    expect(await ok(['get', 'job', 'count', '-o', 'jsonpath={.status.succeeded}'])).toBe('1');
    expect((await marina(['get', 'deployment', 'web'])).code).toBe(1);
  }, 180_000);
});
