/** Simulated mode: many hollow nodes in one process (and `marina kubelet --simulate` as a process). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node } from '../../api/kinds/core/node';
import type { Lease } from '../../api/kinds/coordination/lease';
import { RestClient } from '../../client/restClient';
import { startHollowNodes } from '../../kubelet/kubelet';
import { useControlPlane } from '../harness/apiserver';
import { ensureCliBuilt, startMarina, writeKubeconfig } from '../harness/marinaProcess';
import { createPod, eventually, getPod, image, isReady, podOn, pods, waitForPod } from './agentHarness';

const plane = useControlPlane();
const nodes = { group: '', version: 'v1', resource: 'nodes' };
const leases = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const ready = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

test('40 hollow nodes register, hold leases and run pods through the same lifecycle', async () => {
  const hollow = await startHollowNodes({ client: new RestClient({ server: plane.url, rateLimit: false }), count: 40, prefix: 'sim-', startDelayMs: 50, rootDir: '/nonexistent/hollow', leasePeriodMs: 2000 });
  try {
    const list = await plane.client.resource<Node>(nodes).list({ labelSelector: 'node.marina.dev/hollow=true' });
    expect(list.items.length).toBe(40);
    expect(list.items.every(ready)).toBe(true);
    expect(new Set(list.items.map((n) => n.status?.daemonEndpoints?.kubeletEndpoint?.Port))).toEqual(new Set([hollow.server.port]));
    const held = await eventually('40 leases', async () => {
      const items = (await plane.client.resource<Lease>(leases, 'kube-node-lease').list()).items.filter((l) => l.metadata?.name?.startsWith('sim-'));
      return items.length === 40 ? items : undefined;
    });
    expect(held.every((l) => l.spec?.holderIdentity === l.metadata?.name)).toBe(true);

    const names = Array.from({ length: 80 }, (_, i) => `hollow-pod-${i}`);
    await Promise.all(names.map((name, i) => createPod(plane.client, 'default', podOn(`sim-${i % 40}`, name))));
    await eventually('80 ready pods', async () => {
      const items = (await plane.client.resource(pods, 'default').list({ labelSelector: '' })).items as Parameters<typeof isReady>[0][];
      return items.filter((p) => names.includes(p.metadata?.name ?? '') && isReady(p)).length === 80 ? true : undefined;
    }, 30_000);
    const one = await getPod(plane.client, 'default', 'hollow-pod-41');
    expect(one?.status?.podIP).toMatch(/^10\.64\.1\.\d+$/);
    expect(one?.status?.containerStatuses?.[0]?.image).toBe(image);

    // The API server reaches a hollow node's pod through the shared server.
    const log = await plane.client.raw('GET', '/api/v1/namespaces/default/pods/hollow-pod-11/log');
    expect(log.status).toBe(200);
    // Graceful deletion completes.
    await Promise.all(names.slice(0, 10).map((n) => plane.client.delete(`/api/v1/namespaces/default/pods/${n}`)));
    await eventually('10 pods gone', async () => ((await Promise.all(names.slice(0, 10).map((n) => getPod(plane.client, 'default', n)))).every((p) => !p) ? true : undefined));
    // The agents forget a pod when their watch delivers its deletion, which may follow the API's answer.
    await eventually('agents hold 70 pods', () => (hollow.agents.reduce((n, a) => n + a.podCount, 0) === 70 ? true : undefined));
  } finally {
    await hollow.stop();
  }
}, 60_000);

test('marina kubelet --simulate runs hollow nodes as a process and stops on SIGTERM', async () => {
  ensureCliBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'marina-sim-'));
  const kubeconfig = await writeKubeconfig(dir, plane.url);
  const proc = startMarina(['kubelet', '--kubeconfig', kubeconfig, '--simulate', '--nodes', '3', '--node-name-prefix', 'proc-', '--port', '0', '--root-dir', dir]);
  try {
    const url = await eventually('the server URL', () => proc.stdout().match(/^(http:\/\/127\.0\.0\.1:\d+)$/m)?.[1], 30_000);
    expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok');
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('kubelet_nodes 3');
    for (const n of ['proc-0', 'proc-1', 'proc-2']) expect(ready(await plane.client.resource<Node>(nodes).get(n))).toBe(true);
    await createPod(plane.client, 'default', podOn('proc-1', 'proc-pod'));
    await waitForPod(plane.client, 'default', 'proc-pod', 'ready', isReady);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  } finally {
    await proc.kill();
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
