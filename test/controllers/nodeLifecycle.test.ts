/**
 * The node lifecycle and taint eviction controllers on a real API server, with short grace
 * periods. The tests play the kubelet: they renew the node's Lease and post its Ready heartbeat,
 * or stop doing so.
 */
import type { Lease } from '../../api/kinds/coordination/lease';
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import type { Taint } from '../../api/kinds/core/taint';
import { register } from '../../controllers/nodelifecycle';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventsFor, eventually, podsGVR, reasons, requestsDuring, runningReady, setPodStatus, sleep, startManager, uniqueName, type RunningManager } from './lifecycleHelpers';

const graceMs = 2000;
// Pods created here tolerate not-ready/unreachable for 2 s (the API server's DefaultTolerationSeconds).
const plane = useControlPlane({ defaultTolerationSeconds: { notReady: 2, unreachable: 2 } });
const nodesGVR = { group: '', version: 'v1', resource: 'nodes' };
const leasesGVR = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const ns = 'nodes';
let running: RunningManager;

beforeAll(async () => {
  await createNamespace(plane.client, ns);
  running = await startManager(plane.url, (m) => register(m, { nodeMonitorGracePeriodMs: graceMs, nodeStartupGracePeriodMs: graceMs }));
}, 30_000);

afterAll(async () => {
  await running?.stop();
});

const nodes = () => plane.client.resource<Node>(nodesGVR);
const leases = () => plane.client.resource<Lease>(leasesGVR, 'kube-node-lease');
const nowTime = () => new Date().toISOString().slice(0, 19) + 'Z';
const microTime = () => new Date().toISOString().replace(/Z$/, '000Z');
const taintsOf = (node: Node) => (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
const ready = (node: Node) => node.status?.conditions?.find((c) => c.type === 'Ready');

/** A simulated kubelet: posts the node's Ready status and renews its Lease until stopped. */
class FakeKubelet {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    readonly name: string,
    private readonly useLease = true,
  ) {}

  async register(): Promise<void> {
    await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name: this.name } });
    await this.postStatus('True');
    if (this.useLease) {
      await leases().create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name }, spec: { holderIdentity: this.name, leaseDurationSeconds: 40, renewTime: microTime() } });
    }
  }

  /** Posts the Ready condition (with a fresh heartbeat) and a MemoryPressure condition. */
  async postStatus(status: 'True' | 'False'): Promise<void> {
    for (;;) {
      const node = await nodes().get(this.name);
      const old = ready(node);
      const transition = old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : nowTime();
      node.status = {
        ...node.status,
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: nowTime(), lastTransitionTime: transition },
          { type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', lastHeartbeatTime: microTime(), lastTransitionTime: transition },
        ],
      };
      try {
        await nodes().updateStatus(node);
        return;
      } catch {
        await sleep(10);
      }
    }
  }

  async renew(): Promise<void> {
    if (this.useLease) {
      const lease = await leases().get(this.name);
      lease.spec = { ...lease.spec, renewTime: microTime() };
      await leases().update(lease).catch(() => undefined);
    } else {
      await this.postStatus('True');
    }
  }

  /** Renews every 300 ms (well within the 2 s grace period). */
  start(): void {
    this.timer = setInterval(() => void this.renew().catch(() => undefined), 300);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

async function waitForNode(name: string, what: string, ok: (node: Node) => boolean, timeoutMs = 10_000): Promise<Node> {
  return eventually(what, async () => {
    const node = await nodes().get(name);
    return ok(node) ? node : undefined;
  }, timeoutMs);
}

async function podOn(node: string, name: string, tolerations?: NonNullable<Pod['spec']>['tolerations'], readyIp?: string): Promise<Pod> {
  await plane.client.resource<Pod>(podsGVR, ns).create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], ...(tolerations ? { tolerations } : {}) },
  });
  if (readyIp) await setPodStatus(plane.client, ns, name, runningReady(readyIp));
  return plane.client.resource<Pod>(podsGVR, ns).get(name);
}

const getPod = (name: string) => plane.client.resource<Pod>(podsGVR, ns).get(name);

describe('node lifecycle', () => {
  it('keeps a heartbeating node Ready, and marks a silent one Unknown and unreachable', async () => {
    const kubelet = new FakeKubelet(uniqueName('silent'));
    await kubelet.register();
    kubelet.start();
    const pod = await podOn(kubelet.name, uniqueName('on-silent'), [{ operator: 'Exists' }], '10.1.0.5');
    try {
      await sleep(graceMs + 1500);
      let node = await nodes().get(kubelet.name);
      expect(ready(node)?.status).toBe('True');
      expect(node.spec?.taints).toBeUndefined();
    } finally {
      kubelet.stop();
    }
    const silentAt = Date.now();
    const node = await waitForNode(kubelet.name, 'Ready Unknown', (n) => ready(n)?.status === 'Unknown' && taintsOf(n).length === 2);
    expect(Date.now() - silentAt).toBeGreaterThanOrEqual(graceMs - 500);
    expect(ready(node)).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    const conditions = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, c]));
    expect(conditions.MemoryPressure).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    // Conditions the kubelet never posted are added as Unknown.
    expect(conditions.DiskPressure).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
    expect(conditions.PIDPressure?.status).toBe('Unknown');
    expect(taintsOf(node)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const noExecute = node.spec!.taints!.find((t) => t.effect === 'NoExecute')!;
    expect(noExecute.timeAdded).toBeDefined();
    expect(node.spec!.taints!.find((t) => t.effect === 'NoSchedule')!.timeAdded).toBeUndefined();
    // Its pods are not Ready any more (they tolerate the taint, so they stay).
    await eventually('pod not ready', async () => ((await getPod(pod.metadata!.name!)).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False' ? true : undefined));
    await eventually('events', async () => (reasons(await eventsFor(plane.client, 'default', kubelet.name)).includes('NodeNotReady') ? true : undefined));
    expect(reasons(await eventsFor(plane.client, ns, pod.metadata!.name!))).toContain('NodeNotReady');

    // Back: Ready again, taints gone (the NoExecute one keeps its timeAdded until then).
    await sleep(500);
    expect((await nodes().get(kubelet.name)).spec?.taints?.find((t) => t.effect === 'NoExecute')?.timeAdded).toBe(noExecute.timeAdded);
    await kubelet.postStatus('True');
    kubelet.start();
    try {
      await waitForNode(kubelet.name, 'taints removed', (n) => ready(n)?.status === 'True' && n.spec?.taints === undefined);
    } finally {
      kubelet.stop();
    }
  });

  it('judges a node without a Lease by its Ready heartbeat', async () => {
    const kubelet = new FakeKubelet(uniqueName('nolease'), false);
    await kubelet.register();
    kubelet.start();
    try {
      await sleep(graceMs + 1000);
      expect(ready(await nodes().get(kubelet.name))?.status).toBe('True');
    } finally {
      kubelet.stop();
    }
    await waitForNode(kubelet.name, 'Unknown', (n) => ready(n)?.status === 'Unknown');
  });

  it('taints a node reporting Ready=False not-ready, swapping with unreachable', async () => {
    const kubelet = new FakeKubelet(uniqueName('notready'));
    await kubelet.register();
    kubelet.start();
    try {
      await kubelet.postStatus('False');
      let node = await waitForNode(kubelet.name, 'not-ready taints', (n) => taintsOf(n).length === 2);
      expect(taintsOf(node)).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
      expect(ready(node)?.status).toBe('False');
      kubelet.stop();
      // Silent now: Unknown, and the NoExecute taint swaps to unreachable.
      node = await waitForNode(kubelet.name, 'unreachable', (n) => taintsOf(n).includes('node.kubernetes.io/unreachable:NoExecute'));
      expect(taintsOf(node)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
      await kubelet.postStatus('True');
      kubelet.start();
      await waitForNode(kubelet.name, 'untainted', (n) => n.spec?.taints === undefined);
    } finally {
      kubelet.stop();
    }
  });

  it('adds the NoSchedule taint of unschedulable and pressure conditions, keeping other taints', async () => {
    const kubelet = new FakeKubelet(uniqueName('pressure'));
    await kubelet.register();
    kubelet.start();
    try {
      const custom: Taint = { key: 'example.com/dedicated', value: 'gpu', effect: 'NoSchedule' };
      await nodes().patch(kubelet.name, { spec: { unschedulable: true, taints: [custom] } });
      const node = await waitForNode(kubelet.name, 'unschedulable taint', (n) => taintsOf(n).includes('node.kubernetes.io/unschedulable:NoSchedule'));
      expect(node.spec?.taints).toContainEqual(custom);
      await nodes().patch(kubelet.name, { spec: { unschedulable: false } });
      const after = await waitForNode(kubelet.name, 'untainted', (n) => !taintsOf(n).includes('node.kubernetes.io/unschedulable:NoSchedule'));
      expect(after.spec?.taints).toEqual([custom]);
      // The kubelet reports disk pressure: disk-pressure:NoSchedule, gone when it clears.
      const withPressure = await nodes().get(kubelet.name);
      withPressure.status!.conditions = [...(withPressure.status!.conditions ?? []), { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', lastHeartbeatTime: nowTime(), lastTransitionTime: nowTime() }];
      await nodes().updateStatus(withPressure);
      await waitForNode(kubelet.name, 'disk-pressure taint', (n) => taintsOf(n).includes('node.kubernetes.io/disk-pressure:NoSchedule'));
      await kubelet.postStatus('True');
      const relieved = await waitForNode(kubelet.name, 'no disk-pressure taint', (n) => !taintsOf(n).includes('node.kubernetes.io/disk-pressure:NoSchedule'));
      expect(relieved.spec?.taints).toEqual([custom]);
    } finally {
      kubelet.stop();
    }
  });

  it('keeps its taints right while another writer changes the node', async () => {
    const kubelet = new FakeKubelet(uniqueName('conflict'));
    await kubelet.register();
    let stop = false;
    let writes = 0;
    let lastWritten = '';
    const writer = (async () => {
      while (!stop) {
        const value = String(writes++);
        try {
          await nodes().patch(kubelet.name, { metadata: { labels: { writes: value } } });
          lastWritten = value;
        } catch {
          // (a PATCH racing the controller's write may be answered 409: the next one goes on)
        }
        await sleep(5);
      }
    })();
    try {
      // Not heartbeating: goes Unknown and tainted while the node keeps changing.
      const node = await waitForNode(kubelet.name, 'tainted', (n) => taintsOf(n).length === 2, 15_000);
      expect(taintsOf(node)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    } finally {
      stop = true;
      await writer;
    }
    const node = await nodes().get(kubelet.name);
    // The other writer's changes were never overwritten.
    expect(node.metadata?.labels?.writes).toBe(lastWritten);
    expect(ready(node)?.status).toBe('Unknown');
  });
});

describe('taint-based eviction', () => {
  it('evicts pods that do not tolerate a NoExecute taint at once, marking them DisruptionTarget', async () => {
    const kubelet = new FakeKubelet(uniqueName('evict'));
    await kubelet.register();
    kubelet.start();
    try {
      const intolerant = await podOn(kubelet.name, uniqueName('intolerant'));
      const forever = await podOn(kubelet.name, uniqueName('forever'), [{ key: 'example.com/maintenance', operator: 'Exists', effect: 'NoExecute' }]);
      const brief = await podOn(kubelet.name, uniqueName('brief'), [{ key: 'example.com/maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }]);
      const taintedAt = Date.now();
      await nodes().patch(kubelet.name, { spec: { taints: [{ key: 'example.com/maintenance', effect: 'NoExecute', timeAdded: new Date(taintedAt).toISOString().slice(0, 19) + 'Z' }] } });

      const evicted = await eventually('intolerant pod deleted', async () => {
        const p = await getPod(intolerant.metadata!.name!);
        return p.metadata?.deletionTimestamp ? p : undefined;
      });
      expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
        status: 'True',
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
      });
      expect((await getPod(brief.metadata!.name!)).metadata?.deletionTimestamp).toBeUndefined();
      // tolerationSeconds count from the taint's timeAdded.
      await eventually('brief pod deleted', async () => ((await getPod(brief.metadata!.name!)).metadata?.deletionTimestamp ? true : undefined));
      expect(Date.now() - taintedAt).toBeGreaterThanOrEqual(1000);
      await sleep(500);
      expect((await getPod(forever.metadata!.name!)).metadata?.deletionTimestamp).toBeUndefined();
      const r = reasons(await eventsFor(plane.client, ns, intolerant.metadata!.name!));
      expect(r).toContain('TaintManagerEviction');
    } finally {
      kubelet.stop();
    }
  });

  it('evicts pods from an unreachable node once their default tolerations run out', async () => {
    const kubelet = new FakeKubelet(uniqueName('gone'));
    await kubelet.register();
    kubelet.start();
    const pod = await podOn(kubelet.name, uniqueName('default-tolerations'), undefined, '10.1.0.9');
    // The API server gave it the default tolerations (2 s in this suite, 300 s by default).
    expect(pod.spec?.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
    ]);
    kubelet.stop();
    const node = await waitForNode(kubelet.name, 'unreachable', (n) => taintsOf(n).includes('node.kubernetes.io/unreachable:NoExecute'));
    const taintedAt = Date.parse(node.spec!.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded!);
    await eventually('pod evicted', async () => ((await getPod(pod.metadata!.name!)).metadata?.deletionTimestamp ? true : undefined), 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(taintedAt + 2000);
  });

  it('cancels a scheduled eviction when the taint goes before the toleration runs out', async () => {
    const kubelet = new FakeKubelet(uniqueName('cancel'));
    await kubelet.register();
    kubelet.start();
    try {
      const pod = await podOn(kubelet.name, uniqueName('patient'), [{ key: 'example.com/flaky', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3 }]);
      await nodes().patch(kubelet.name, { spec: { taints: [{ key: 'example.com/flaky', effect: 'NoExecute' }] } });
      await sleep(1000);
      await nodes().patch(kubelet.name, { spec: { taints: null } });
      await eventually('Cancelling event', async () => {
        const events = await eventsFor(plane.client, ns, pod.metadata!.name!);
        return events.some((e) => e.reason === 'TaintManagerEviction' && e.message?.startsWith('Cancelling deletion of Pod')) ? true : undefined;
      });
      await sleep(3000);
      expect((await getPod(pod.metadata!.name!)).metadata?.deletionTimestamp).toBeUndefined();
    } finally {
      kubelet.stop();
    }
  });

  it('goes quiet once a silent node is handled (no hot loop)', async () => {
    const kubelet = new FakeKubelet(uniqueName('quiet'));
    await kubelet.register();
    await podOn(kubelet.name, uniqueName('quiet-pod'), [{ operator: 'Exists' }], '10.1.0.7');
    await waitForNode(kubelet.name, 'handled', (n) => ready(n)?.status === 'Unknown' && taintsOf(n).length === 2);
    await sleep(1000);
    expect(await requestsDuring(running.client, 3000)).toBeLessThan(10);
  });
});
