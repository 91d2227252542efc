/**
 * `marina controller-manager` as a process: it reads a kubeconfig, serves /healthz, /readyz and
 * /metrics, takes the Lease kube-system/kube-controller-manager, logs JSON lines, and on SIGTERM
 * (or SIGINT) stops cleanly — releasing the lease — and exits 0. Runs the compiled CLI
 * (bin/marina.js), built first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lease } from '../../api/kinds/coordination/lease';
import { useControlPlane } from '../harness/apiserver';
import { ensureCliBuilt, probeAddress, startMarina, writeKubeconfig, type MarinaProcess } from '../harness/marinaProcess';
import { eventually } from '../client/helpers';

const plane = useControlPlane();
let dir: string;

beforeAll(async () => {
  ensureCliBuilt();
  dir = await mkdtemp(join(tmpdir(), 'marina-cm-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const start = (args: readonly string[]): MarinaProcess => startMarina(['controller-manager', ...args]);
const kubeconfig = (server: string): Promise<string> => writeKubeconfig(dir, server);

const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager';

describe('marina controller-manager (process)', () => {
  const running: MarinaProcess[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) await r.kill();
  });

  it('serves probes and metrics, leads on the Lease, and exits 0 on SIGTERM, releasing the lease', async () => {
    const cm = start(['--kubeconfig', await kubeconfig(plane.url), '--health-port', '0', '--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms']);
    running.push(cm);
    const address = await eventually('the health address on stdout', () => probeAddress(cm), 20_000);
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
    const address = await eventually('the health address', () => probeAddress(cm), 20_000);
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
