/**
 * The ReplicaSet controller on a real control plane (etcd + API server), with a pod runner
 * standing in for the scheduler and kubelets: scale up and down (in Kubernetes' deletion order),
 * self-healing, adoption and release, pods being deleted, minReadySeconds, a burst of creates
 * without duplicates, ReplicaFailure with backoff (no hot loop) while creates are refused, a
 * concurrent writer, and quiet once settled.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import { isStatusError } from '../../api/status';
import { register } from '../../controllers/replicaset';
import type { Manager } from '../../controllers/runtime/manager';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventually, sleep, uniqueName } from '../client/helpers';
import { startPodRunner, type PodRunner } from './podRunner';
import { eventsFor, isReady, podsGvr, quotaExceeded, replicaSet, replicaSetsGvr, startManagerWith, type Fault, type FaultyClient } from './workloadHarness';

const plane = useControlPlane();

describe('ReplicaSet controller (integration)', () => {
  let manager: Manager;
  let managerClient: FaultyClient;
  const runners: PodRunner[] = [];

  beforeAll(async () => {
    ({ manager, client: managerClient } = startManagerWith(plane.url, [register]));
    await manager.start();
  });
  afterAll(async () => {
    await manager?.stop();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  const rsApi = (ns: string) => plane.client.resource<ReplicaSet>(replicaSetsGvr, ns);
  const podApi = (ns: string) => plane.client.resource<Pod>(podsGvr, ns);
  const activePods = async (ns: string, selector?: string): Promise<Pod[]> =>
    (await podApi(ns).list(selector ? { labelSelector: selector } : {})).items.filter((p) => !p.metadata?.deletionTimestamp);
  const namespace = async (prefix: string): Promise<string> => {
    const ns = uniqueName(prefix);
    await createNamespace(plane.client, ns);
    return ns;
  };
  const runPods = async (ns: string, ready?: (pod: Pod) => boolean): Promise<PodRunner> => {
    const r = await startPodRunner(plane.client, { namespace: ns, ...(ready ? { ready } : {}) });
    runners.push(r);
    return r;
  };
  const statusOf = async (ns: string, name: string) => (await rsApi(ns).get(name)).status;
  const waitStatus = (ns: string, name: string, want: (s: NonNullable<ReplicaSet['status']>, rs: ReplicaSet) => boolean, what: string, timeoutMs?: number) =>
    eventually(
      what,
      async () => {
        const rs = await rsApi(ns).get(name);
        return rs.status && want(rs.status, rs) ? rs : undefined;
      },
      timeoutMs,
    );

  it('creates pods from the template, owned by the ReplicaSet, and reports them in status', async () => {
    const ns = await namespace('rs-up');
    await runPods(ns);
    const created = await rsApi(ns).create(replicaSet('web', 3, { app: 'web' }, { template: { metadata: { labels: { app: 'web', tier: 'fe' }, annotations: { note: 'x' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } }));
    const rs = await waitStatus(ns, 'web', (s, o) => s.readyReplicas === 3 && s.availableReplicas === 3 && s.observedGeneration === o.metadata?.generation, 'three ready replicas');
    expect(rs.status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const pods = await activePods(ns);
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata?.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata?.generateName).toBe('web-');
      expect(pod.metadata?.labels).toEqual({ app: 'web', tier: 'fe' });
      expect(pod.metadata?.annotations).toEqual({ note: 'x' });
      expect(pod.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
      expect(pod.spec?.containers?.[0]?.image).toBe('nginx:1');
    }
    const events = await eventually('three SuccessfulCreate events', async () => {
      const e = (await eventsFor(plane.client, ns, 'web')).filter((x) => x.startsWith('SuccessfulCreate'));
      return e.length === 3 ? e : undefined;
    });
    expect(events.map((e) => e.replace(/web-\w{5}$/, 'web-X'))).toEqual(Array(3).fill('SuccessfulCreate: Created pod: web-X'));
  });

  it('scales up and down, deleting unscheduled and not-ready pods first', async () => {
    const ns = await namespace('rs-down');
    const runner = await runPods(ns);
    await rsApi(ns).create(replicaSet('web', 3, { app: 'web' }));
    await waitStatus(ns, 'web', (s) => s.readyReplicas === 3, 'three ready replicas');
    const running = new Set((await activePods(ns)).map((p) => p.metadata!.name!));

    // Two more, which nothing schedules: they stay Pending and unbound.
    runner.pause();
    await rsApi(ns).patch('web', { spec: { replicas: 5 } });
    await waitStatus(ns, 'web', (s) => s.replicas === 5, 'five replicas');
    const pending = (await activePods(ns)).filter((p) => !running.has(p.metadata!.name!));
    expect(pending).toHaveLength(2);
    expect(pending.every((p) => !p.spec?.nodeName)).toBe(true);

    // Back to three: the two unscheduled ones go, the running ones stay.
    runner.resume();
    await rsApi(ns).patch('web', { spec: { replicas: 3 } });
    await waitStatus(ns, 'web', (s, rs) => s.replicas === 3 && s.observedGeneration === rs.metadata?.generation, 'three replicas again');
    await eventually('only the original pods', async () => {
      const names = (await activePods(ns)).map((p) => p.metadata!.name!).sort();
      return names.length === 3 && names.every((n) => running.has(n)) ? true : undefined;
    });

    // Down to one: two of the running pods are deleted, and events say which.
    await rsApi(ns).patch('web', { spec: { replicas: 1 } });
    await waitStatus(ns, 'web', (s) => s.replicas === 1 && s.readyReplicas === 1, 'one replica');
    await eventually('the deletions', async () => ((await activePods(ns)).length === 1 ? true : undefined));
    const deleted = await eventually('SuccessfulDelete events', async () => {
      const e = (await eventsFor(plane.client, ns, 'web')).filter((x) => x.startsWith('SuccessfulDelete'));
      return e.length === 4 ? e : undefined;
    });
    expect(deleted.every((e) => /^SuccessfulDelete: Deleted pod: web-\w{5}$/.test(e))).toBe(true);
  });

  it('deletes not-ready pods before ready ones', async () => {
    const ns = await namespace('rs-order');
    // Pods whose name sorts first never become ready: the order must come from readiness.
    const notReady = new Set<string>();
    await runPods(ns, (p) => !notReady.has(p.metadata!.name!));
    await rsApi(ns).create(replicaSet('web', 4, { app: 'web' }));
    await waitStatus(ns, 'web', (s) => s.readyReplicas === 4, 'four ready replicas');
    const pods = await activePods(ns);
    // Make two of them unready, through the API, as a failing readiness probe would.
    for (const pod of pods.slice(0, 2)) {
      notReady.add(pod.metadata!.name!);
      const now = new Date().toISOString().slice(0, 19) + 'Z';
      await podApi(ns).updateStatus({ ...pod, status: { ...pod.status, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }] } });
    }
    await waitStatus(ns, 'web', (s) => s.readyReplicas === 2, 'two ready replicas');
    await rsApi(ns).patch('web', { spec: { replicas: 2 } });
    await eventually('the not-ready pods to be deleted', async () => {
      const left = await activePods(ns);
      return left.length === 2 && left.every(isReady) ? true : undefined;
    });
  });

  it('replaces a pod that is deleted, and does not count pods being deleted', async () => {
    const ns = await namespace('rs-heal');
    await runPods(ns);
    await rsApi(ns).create(replicaSet('web', 2, { app: 'web' }, { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } }));
    await waitStatus(ns, 'web', (s) => s.readyReplicas === 2, 'two ready replicas');
    const [victim] = await activePods(ns);
    await podApi(ns).delete(victim!.metadata!.name!, { gracePeriodSeconds: 0 });
    await eventually('a replacement', async () => {
      const pods = await activePods(ns);
      return pods.length === 2 && !pods.some((p) => p.metadata?.uid === victim!.metadata?.uid) && pods.every(isReady) ? true : undefined;
    });

    // A pod held by a finalizer while being deleted is not counted: a replacement comes at once.
    const [held] = await activePods(ns);
    await podApi(ns).patch(held!.metadata!.name!, { metadata: { finalizers: ['test/hold'] } });
    await podApi(ns).delete(held!.metadata!.name!, { gracePeriodSeconds: 0 });
    await eventually('a replacement for the pod being deleted', async () => {
      const all = (await podApi(ns).list()).items;
      const terminating = all.filter((p) => p.metadata?.deletionTimestamp);
      const active = all.filter((p) => !p.metadata?.deletionTimestamp);
      return terminating.length === 1 && active.length === 2 && active.every(isReady) ? true : undefined;
    });
    const s = await waitStatus(ns, 'web', (st) => st.replicas === 2 && st.readyReplicas === 2, 'status counting only active pods');
    expect(s.status?.replicas).toBe(2);
    await podApi(ns).patch(held!.metadata!.name!, { metadata: { finalizers: null } });
  });

  it('adopts matching orphans and releases pods that no longer match', async () => {
    const ns = await namespace('rs-adopt');
    await runPods(ns);
    const orphan = await podApi(ns).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } });
    const other = await podApi(ns).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other', labels: { app: 'other' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } });
    const rs = await rsApi(ns).create(replicaSet('web', 2, { app: 'web' }));
    await waitStatus(ns, 'web', (s) => s.replicas === 2 && s.readyReplicas === 2, 'two ready replicas');
    const adopted = await podApi(ns).get('orphan');
    expect(adopted.metadata?.uid).toBe(orphan.metadata?.uid);
    expect(adopted.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(await activePods(ns, 'app=web')).toHaveLength(2); // one created, one adopted
    expect((await podApi(ns).get('other')).metadata?.ownerReferences).toBeUndefined();
    void other;

    // Relabelled away: released (no owner), and replaced.
    await podApi(ns).patch('orphan', { metadata: { labels: { app: 'moved' } } });
    await eventually('the release', async () => (((await podApi(ns).get('orphan')).metadata?.ownerReferences ?? []).length === 0 ? true : undefined));
    await eventually('a replacement', async () => ((await activePods(ns, 'app=web')).filter(isReady).length === 2 ? true : undefined));
    expect((await podApi(ns).get('orphan')).metadata?.ownerReferences ?? []).toEqual([]);
  });

  it('counts a pod available only after minReadySeconds, and comes back to count it', async () => {
    const ns = await namespace('rs-minready');
    await runPods(ns);
    await rsApi(ns).create(replicaSet('web', 2, { app: 'web' }, { minReadySeconds: 2 }));
    const ready = await waitStatus(ns, 'web', (s) => s.readyReplicas === 2, 'two ready replicas');
    expect(ready.status?.availableReplicas ?? 0).toBe(0);
    await waitStatus(ns, 'web', (s) => s.availableReplicas === 2, 'two available replicas', 8_000);
  });

  it('creates a burst of pods once, in slow-start batches, without duplicates', async () => {
    const ns = await namespace('rs-burst');
    await runPods(ns);
    await rsApi(ns).create(replicaSet('web', 30, { app: 'web' }));
    await waitStatus(ns, 'web', (s) => s.readyReplicas === 30, 'thirty ready replicas', 20_000);
    await sleep(500);
    expect(await activePods(ns)).toHaveLength(30);
    expect(managerClient.callsTo('POST', `/api/v1/namespaces/${ns}/pods`)).toBe(30);
  });

  it('reports ReplicaFailure while creates are refused, backs off (no hot loop), and recovers', async () => {
    const ns = await namespace('rs-fail');
    await runPods(ns);
    const fault: Fault = { method: 'POST', path: new RegExp(`^/api/v1/namespaces/${ns}/pods$`), error: quotaExceeded };
    managerClient.faults.add(fault);
    try {
      await rsApi(ns).create(replicaSet('web', 5, { app: 'web' }));
      const failed = await waitStatus(ns, 'web', (s) => (s.conditions ?? []).some((c) => c.type === 'ReplicaFailure'), 'the ReplicaFailure condition');
      expect(failed.status?.conditions).toEqual([
        { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: quotaExceeded().message, lastTransitionTime: expect.stringMatching(/Z$/) },
      ]);
      expect(failed.status?.replicas).toBe(0);
      await eventually('a FailedCreate event', async () => ((await eventsFor(plane.client, ns, 'web')).some((e) => e === `FailedCreate: Error creating: ${quotaExceeded().message}`) ? true : undefined));
      // Slow start: one create per attempt; backoff: few attempts over a few seconds.
      const before = managerClient.callsTo('POST', `/api/v1/namespaces/${ns}/pods`);
      const callsBefore = managerClient.callsIn(ns);
      await sleep(3000);
      const attempts = managerClient.callsTo('POST', `/api/v1/namespaces/${ns}/pods`) - before;
      expect(attempts).toBeLessThanOrEqual(12);
      expect(managerClient.callsIn(ns) - callsBefore).toBeLessThanOrEqual(30);
    } finally {
      managerClient.faults.delete(fault);
    }
    // Nudge it (the backoff may be long by now): a spec change brings it back at once.
    await rsApi(ns).patch('web', { spec: { replicas: 4 } });
    const ok = await waitStatus(ns, 'web', (s) => s.readyReplicas === 4 && !(s.conditions ?? []).length, 'recovery', 15_000);
    expect(ok.status?.conditions).toBeUndefined();
  });

  it('converges while another writer keeps changing the ReplicaSet', async () => {
    const ns = await namespace('rs-conflict');
    await runPods(ns);
    await rsApi(ns).create(replicaSet('web', 2, { app: 'web' }));
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        // (The API server may answer a concurrent patch 409: the writer just goes on.)
        await rsApi(ns).patch('web', { metadata: { annotations: { touched: String(i) } } }).catch((err: unknown) => {
          if (!isStatusError(err, 409)) throw err;
        });
        await sleep(5);
      }
    })();
    try {
        await eventually('the scale to 6 to get through', () =>
        rsApi(ns)
          .patch('web', { spec: { replicas: 6 } })
          .then(() => true)
          .catch((err: unknown) => {
            if (!isStatusError(err, 409)) throw err;
            return undefined;
          }),
      );
      await waitStatus(ns, 'web', (s, rs) => s.readyReplicas === 6 && s.observedGeneration === rs.metadata?.generation, 'six ready replicas despite the writer', 15_000);
    } finally {
      stop = true;
      await writer;
    }
    expect(await activePods(ns)).toHaveLength(6);
  });

  it('is quiet once everything is settled', async () => {
    const ns = await namespace('rs-quiet');
    await runPods(ns);
    await rsApi(ns).create(replicaSet('web', 3, { app: 'web' }));
    await waitStatus(ns, 'web', (s) => s.readyReplicas === 3 && s.availableReplicas === 3, 'three available replicas');
    await sleep(500);
    const before = managerClient.callsIn(ns);
    await sleep(2000);
    expect(managerClient.callsIn(ns) - before).toBe(0);
    expect((await statusOf(ns, 'web'))?.replicas).toBe(3);
  });
});
