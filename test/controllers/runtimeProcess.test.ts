/**
 * `marina controller-manager` as a process: it reads a kubeconfig, serves /healthz, /readyz and
 * /metrics, takes the Lease kube-system/kube-controller-manager, logs JSON lines, and on SIGTERM
 * (or SIGINT) stops cleanly — releasing the lease — and exits 0. Runs the compiled CLI
 * (bin/marina.js), built first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Lease } from '../../api/kinds/coordination/lease';
import { useControlPlane } from '../harness/apiserver';
import { eventually } from '../client/helpers';

const plane = useControlPlane();
const root = resolve(__dirname, '../..');
let dir: string;

/** Whether a source file is newer than the last build (dist/.built). */
function distIsStale(): boolean {
  let built: number;
  try {
    built = statSync(join(root, 'dist', '.built')).mtimeMs;
  } catch {
    return true;
  }
  const newer = (d: string): boolean => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isDirectory() ? newer(join(d, e.name)) : e.name.endsWith('.ts') && statSync(join(d, e.name)).mtimeMs > built));
  };
  return ['api', 'client', 'apiserver', 'controllers', 'scheduler', 'kubelet', 'cli'].some((d) => newer(join(root, d)));
}

beforeAll(async () => {
  // The CLI runs from dist/: rebuild it when the sources changed since the last build.
  if (distIsStale()) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  }
  dir = await mkdtemp(join(tmpdir(), 'marina-cm-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

function start(args: readonly string[]): Running {
  const child = spawn(process.execPath, ['bin/marina.js', 'controller-manager', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  return { child, exited, stdout: () => out, stderr: () => err };
}

async function kubeconfig(server: string): Promise<string> {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: c', '  cluster:', `    server: ${server}`, 'contexts:', '- name: c', '  context: {cluster: c, user: u}', 'current-context: c', 'users:', '- name: u', '  user: {token: not-checked}', ''].join('\n'));
  return file;
}

const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager';

describe('marina controller-manager (process)', () => {
  const running: Running[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) {
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
      await r.exited;
    }
  });

  it('serves probes and metrics, leads on the Lease, and exits 0 on SIGTERM, releasing the lease', async () => {
    const cm = start(['--kubeconfig', await kubeconfig(plane.url), '--health-port', '0', '--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms']);
    running.push(cm);
    const address = await eventually('the health address on stdout', () => cm.stdout().match(/^(http:\/\/127\.0\.0\.1:\d+)$/m)?.[1], 20_000);
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${address}/readyz`)).text()).toBe('ok');
    const lease = await eventually('the lease', async () => {
      const res = await plane.client.raw('GET', leasePath);
      return res.status === 200 && (res.json as Lease).spec?.holderIdentity ? (res.json as Lease) : undefined;
    });
    expect(lease.spec).toMatchObject({ leaseDurationSeconds: 4 });
    const metrics = await (await fetch(`${address}/metrics`)).text();
    expect(metrics).toContain('leader_election_master_status{name="kube-controller-manager"} 1');
    // JSON log lines on stderr.
    const lines = cm.stderr().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ component: 'controller-manager' });

    cm.child.kill('SIGTERM');
    const exit = await cm.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(cm.stderr()).toContain('"msg":"stopped"');
    const released = await plane.client.get<Lease>(leasePath);
    expect(released.spec?.holderIdentity).toBeUndefined();
  }, 40_000);

  it('--leader-elect=false runs without a lease; SIGINT stops it too', async () => {
    await plane.client.raw('DELETE', leasePath);
    const cm = start(['--kubeconfig', await kubeconfig(plane.url), '--health-port', '0', '--leader-elect=false', '--controllers', '*']);
    running.push(cm);
    const address = await eventually('the health address', () => cm.stdout().match(/^(http:\/\/127\.0\.0\.1:\d+)$/m)?.[1], 20_000);
    expect((await fetch(`${address}/readyz`)).status).toBe(200);
    expect((await plane.client.raw('GET', leasePath)).status).toBe(404);
    cm.child.kill('SIGINT');
    expect(await cm.exited).toEqual({ code: 0, signal: null });
  }, 40_000);

  it('fails with a message for a bad kubeconfig or an unknown controller', async () => {
    const missing = start(['--kubeconfig', join(dir, 'missing'), '--health-port', '0']);
    running.push(missing);
    expect((await missing.exited).code).toBe(1);
    expect(missing.stderr()).toContain('cannot read kubeconfig');
    const unknown = start(['--kubeconfig', await kubeconfig(plane.url), '--health-port', '0', '--controllers', 'no-such-controller']);
    running.push(unknown);
    expect((await unknown.exited).code).toBe(1);
    expect(unknown.stderr()).toContain('unknown controller "no-such-controller"');
  }, 40_000);
});
