/**
 * `marina scheduler` as a process (bin/marina.js, built first): it schedules pods, serves
 * /healthz, /readyz and /metrics, leads on the Lease kube-system/kube-scheduler, logs JSON lines,
 * stops cleanly on SIGTERM (exit 0, lease released), and refuses a bad --config with one line and
 * exit status 2. Two replicas: one leads, the other takes over when it stops.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lease } from '../../api/kinds/coordination/lease';
import { useControlPlane } from '../harness/apiserver';
import { ensureCliBuilt, probeAddress, startMarina, writeKubeconfig, type MarinaProcess } from '../harness/marinaProcess';
import { createNode, createPod, eventually, waitForBound } from './helpers';

const plane = useControlPlane();
let dir: string;

beforeAll(async () => {
  ensureCliBuilt();
  dir = await mkdtemp(join(tmpdir(), 'marina-sched-'));
  await createNode(plane.client, 'n0');
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler';
// Default lease duration and renew deadline (short ones lose the lease on a loaded machine); a
// stopping leader releases the lease, so the standby takes over at its next retry.
const fastLease = ['--leader-elect-retry-period', '500ms'];

async function holder(): Promise<string | undefined> {
  const res = await plane.client.raw('GET', leasePath);
  return res.status === 200 ? (res.json as Lease).spec?.holderIdentity || undefined : undefined;
}

describe('marina scheduler (process)', () => {
  const running: MarinaProcess[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) await r.kill();
  });

  it('schedules pods, serves probes and metrics, leads, and hands over on SIGTERM', async () => {
    const kubeconfig = await writeKubeconfig(dir, plane.url);
    const a = startMarina(['scheduler', '--kubeconfig', kubeconfig, '--health-port', '0', ...fastLease]);
    running.push(a);
    const address = await eventually('the health address on stdout', () => probeAddress(a), 20_000);
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    await eventually('ready', async () => ((await fetch(`${address}/readyz`)).status === 200 ? true : undefined));
    const first = await eventually('a leader', holder);

    await createPod(plane.client, 'default', 'proc-0');
    expect(await waitForBound(plane.client, 'default', 'proc-0', 30_000)).toBe('n0');
    const metrics = await (await fetch(`${address}/metrics`)).text();
    expect(metrics).toContain('scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} 1');
    expect(metrics).toContain('scheduler_pending_pods{queue="active"} 0');
    expect(metrics).toContain('scheduler_scheduling_attempt_duration_seconds_bucket');

    // A standby replica: it does not schedule while the first leads; it takes over after SIGTERM.
    const b = startMarina(['scheduler', '--kubeconfig', kubeconfig, '--health-port', '0', ...fastLease]);
    running.push(b);
    await eventually('the standby health address', () => probeAddress(b), 20_000);
    a.child.kill('SIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(a.stderr()).toContain('"msg":"stopped"');
    for (const line of a.stderr().split('\n').filter(Boolean)) expect(JSON.parse(line)).toMatchObject({ component: 'scheduler' });
    const second = await eventually('the standby leading', async () => {
      const h = await holder();
      return h && h !== first ? h : undefined;
    }, 20_000);
    expect(second).toBeTruthy();
    await createPod(plane.client, 'default', 'proc-1');
    expect(await waitForBound(plane.client, 'default', 'proc-1', 30_000)).toBe('n0');
  }, 90_000);

  it('refuses a bad --config with one line on stderr and exit status 2', async () => {
    const kubeconfig = await writeKubeconfig(dir, plane.url);
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'profiles:\n- schedulerName: x\n  plugins:\n    score:\n      enabled:\n      - name: NoSuchPlugin\n');
    const bad = startMarina(['scheduler', '--kubeconfig', kubeconfig, '--config', file]);
    running.push(bad);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr()).toBe('marina scheduler: invalid configuration: profile "x": plugins.score.enabled: unknown plugin "NoSuchPlugin"\n');
    const missing = startMarina(['scheduler', '--kubeconfig', kubeconfig, '--config', join(dir, 'missing.yaml')]);
    running.push(missing);
    expect((await missing.exited).code).toBe(2);
    expect(missing.stderr()).toMatch(/^marina scheduler: invalid configuration: cannot read .*missing.yaml/);
  }, 30_000);
});
