/**
 * The Deployment controller (with the ReplicaSet controller under it) on a real control plane,
 * with a pod runner standing in for the scheduler and kubelets: the first rollout (ReplicaSet
 * name, pod-template-hash, annotations, status, conditions, events), rolling updates that respect
 * maxSurge and maxUnavailable at every step (numbers and percentages), Recreate, pause and
 * resume, scaling while paused, a progress deadline exceeded (then no hot loop), rollback the way
 * kubectl does it, revisionHistoryLimit, adoption and release of ReplicaSets, a concurrent
 * writer, and quiet once settled.
 */
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { Pod } from '../../api/kinds/core/pod';
import { isStatusError } from '../../api/status';
import type { WatchEvent } from '../../client/restClient';
import { register as registerDeployment } from '../../controllers/deployment';
import { register as registerReplicaSet } from '../../controllers/replicaset';
import type { Manager } from '../../controllers/runtime/manager';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventually, sleep, uniqueName } from '../client/helpers';
import { imagesOf, startPodRunner, type PodRunner } from './podRunner';
import { deployment, deploymentsGvr, eventsFor, isReady, podsGvr, replicaSetsGvr, startManagerWith, type FaultyClient } from './workloadHarness';

const plane = useControlPlane();

describe('Deployment controller (integration)', () => {
  let manager: Manager;
  let managerClient: FaultyClient;
  const runners: PodRunner[] = [];
  const cleanups: (() => void | Promise<void>)[] = [];

  beforeAll(async () => {
    ({ manager, client: managerClient } = startManagerWith(plane.url, [registerReplicaSet, registerDeployment]));
    await manager.start();
  });
  afterAll(async () => {
    await manager?.stop();
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    for (const c of cleanups.splice(0)) await c();
  });

  const dApi = (ns: string) => plane.client.resource<Deployment>(deploymentsGvr, ns);
  const rsApi = (ns: string) => plane.client.resource<ReplicaSet>(replicaSetsGvr, ns);
  const podApi = (ns: string) => plane.client.resource<Pod>(podsGvr, ns);
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
  const replicaSets = async (ns: string): Promise<ReplicaSet[]> => (await rsApi(ns).list()).items;
  const activePods = async (ns: string): Promise<Pod[]> => (await podApi(ns).list()).items.filter((p) => !p.metadata?.deletionTimestamp);
  /** Complete as `kubectl rollout status` decides it. */
  const rolledOut = (d: Deployment): boolean => {
    const s = d.status ?? {};
    const replicas = d.spec?.replicas ?? 1;
    return (
      (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) &&
      !(s.conditions ?? []).some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded') &&
      (s.updatedReplicas ?? 0) === replicas &&
      (s.replicas ?? 0) === (s.updatedReplicas ?? 0) &&
      (s.availableReplicas ?? 0) === (s.updatedReplicas ?? 0)
    );
  };
  const waitRolledOut = (ns: string, name: string, timeoutMs = 20_000) =>
    eventually(
      `deployment ${name} to roll out`,
      async () => {
        const d = await dApi(ns).get(name);
        return rolledOut(d) ? d : undefined;
      },
      timeoutMs,
    );
  const condition = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);
  /**
   * A merge patch, sent again when answered 409: Marina's API server may refuse a patch that
   * races another writer (Kubernetes retries those itself), and the controllers write often.
   */
  const patchD = (ns: string, name: string, patch: unknown, type: 'merge' | 'json' = 'merge') =>
    eventually(`patch of deployment ${name}`, () =>
      dApi(ns)
        .patch(name, patch, type)
        .catch((err: unknown) => {
          if (!isStatusError(err, 409)) throw err;
          return undefined;
        }),
    );
  const setImage = (ns: string, name: string, image: string, annotations?: Record<string, string>) =>
    patchD(ns, name, { ...(annotations ? { metadata: { annotations } } : {}), spec: { template: { spec: { containers: [{ name: 'app', image }] } } } });

  /**
   * Watches a namespace's ReplicaSets and pods and checks, at every event, that the ReplicaSets'
   * replicas stay within replicas + maxSurge and that ready, non-terminating pods stay at least
   * replicas - maxUnavailable; `also` may check more. Returns the violations seen.
   */
  async function watchInvariants(ns: string, limits: { maxTotal: number; minReady: number }, also?: (pods: Map<string, Pod>) => string | undefined) {
    const violations: string[] = [];
    const sizes = new Map<string, number>();
    const pods = new Map<string, Pod>();
    // The current state first, then every change after it.
    const rsList = await rsApi(ns).list();
    for (const rs of rsList.items) sizes.set(rs.metadata!.name!, rs.spec?.replicas ?? 0);
    const podList = await podApi(ns).list();
    for (const pod of podList.items) pods.set(pod.metadata!.name!, pod);
    const w1 = await rsApi(ns).watch({ resourceVersion: rsList.metadata.resourceVersion! }, (e: WatchEvent<ReplicaSet>) => {
      if (e.type === 'BOOKMARK' || e.type === 'ERROR') return;
      const name = e.object.metadata!.name!;
      if (e.type === 'DELETED') sizes.delete(name);
      else sizes.set(name, e.object.spec?.replicas ?? 0);
      const total = [...sizes.values()].reduce((a, b) => a + b, 0);
      if (total > limits.maxTotal) violations.push(`replica sets total ${total} > ${limits.maxTotal}: ${JSON.stringify([...sizes])}`);
    });
    const w2 = await podApi(ns).watch({ resourceVersion: podList.metadata.resourceVersion! }, (e: WatchEvent<Pod>) => {
      if (e.type === 'BOOKMARK' || e.type === 'ERROR') return;
      const name = e.object.metadata!.name!;
      if (e.type === 'DELETED') pods.delete(name);
      else pods.set(name, e.object);
      const ready = [...pods.values()].filter((p) => !p.metadata?.deletionTimestamp && isReady(p)).length;
      if (ready < limits.minReady) violations.push(`only ${ready} ready pods < ${limits.minReady}`);
      const extra = also?.(pods);
      if (extra) violations.push(extra);
    });
    cleanups.push(() => {
      w1.close();
      w2.close();
    });
    return violations;
  }

  it('rolls out a new Deployment: a ReplicaSet named by the template hash, annotations, status and events', async () => {
    const ns = await namespace('d-first');
    await runPods(ns);
    const created = await dApi(ns).create(deployment('web', 3, 'nginx:1'));
    const d = await waitRolledOut(ns, 'web');
    const [rs, ...others] = await replicaSets(ns);
    expect(others).toHaveLength(0);
    const hash = rs!.metadata?.labels?.['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs!.metadata?.name).toBe(`web-${hash}`);
    expect(rs!.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.spec?.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs!.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs!.metadata?.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status?.unavailableReplicas ?? 0).toBe(0);
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    const pods = await activePods(ns);
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata?.labels?.['pod-template-hash'] === hash && p.metadata?.name?.startsWith(`web-${hash}-`))).toBe(true);
    const events = await eventually('the scaling event', async () => {
      const e = await eventsFor(plane.client, ns, 'web');
      return e.length ? e : undefined;
    });
    expect(events).toEqual([`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
  });

  it.each([
    { maxSurge: 1, maxUnavailable: 0, replicas: 4, maxTotal: 5, minReady: 4 },
    { maxSurge: 0, maxUnavailable: 1, replicas: 4, maxTotal: 4, minReady: 3 },
    { maxSurge: '25%', maxUnavailable: '25%', replicas: 5, maxTotal: 7, minReady: 4 },
    { maxSurge: '50%', maxUnavailable: '10%', replicas: 3, maxTotal: 5, minReady: 3 },
  ])('rolls from image A to B within maxSurge $maxSurge and maxUnavailable $maxUnavailable at every step', async ({ maxSurge, maxUnavailable, replicas, maxTotal, minReady }) => {
    const ns = await namespace('d-rolling');
    await runPods(ns);
    await dApi(ns).create(deployment('web', replicas, 'nginx:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } }));
    await waitRolledOut(ns, 'web');
    const violations = await watchInvariants(ns, { maxTotal, minReady });
    await setImage(ns, 'web', 'nginx:2');
    const d = await waitRolledOut(ns, 'web', 30_000);
    expect(violations).toEqual([]);
    expect(d.status).toMatchObject({ replicas, updatedReplicas: replicas, availableReplicas: replicas, observedGeneration: 2 });
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const rss = await replicaSets(ns);
    expect(rss).toHaveLength(2);
    const byImage = (image: string) => rss.find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === image)!;
    expect(byImage('nginx:2').spec?.replicas).toBe(replicas);
    expect(byImage('nginx:2').metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(byImage('nginx:1').spec?.replicas).toBe(0);
    expect(byImage('nginx:1').metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    await eventually('the old pods to be gone', async () => {
      const pods = await podApi(ns).list();
      return pods.items.every((p) => imagesOf(p)[0] === 'nginx:2') && pods.items.length === replicas ? true : undefined;
    });
    const events = await eventually('the last scale-down event', async () => {
      const e = await eventsFor(plane.client, ns, 'web');
      return e.some((x) => x.includes(`Scaled down replica set ${byImage('nginx:1').metadata?.name} from`) && x.endsWith(' to 0')) ? e : undefined;
    });
    expect(events.every((e) => /^ScalingReplicaSet: Scaled (up|down) replica set web-\w+ from \d+ to \d+$/.test(e))).toBe(true);
  });

  it('Recreate: every old pod is gone before a new one is created', async () => {
    const ns = await namespace('d-recreate');
    await runPods(ns);
    await dApi(ns).create(deployment('web', 3, 'nginx:1', { strategy: { type: 'Recreate' } }));
    await waitRolledOut(ns, 'web');
    const violations = await watchInvariants(ns, { maxTotal: 3, minReady: 0 }, (pods) => {
      const images = new Set([...pods.values()].map((p) => imagesOf(p)[0]));
      return images.has('nginx:1') && images.has('nginx:2') ? `old and new pods at once: ${[...pods.keys()].join(', ')}` : undefined;
    });
    await setImage(ns, 'web', 'nginx:2');
    const d = await waitRolledOut(ns, 'web');
    expect(violations).toEqual([]);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    const rss = await replicaSets(ns);
    const oldName = rss.find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'nginx:1')!.metadata!.name!;
    const newName = rss.find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'nginx:2')!.metadata!.name!;
    const events = await eventually('three scaling events', async () => {
      const e = await eventsFor(plane.client, ns, 'web');
      return e.length >= 3 ? e : undefined;
    });
    expect(events).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${oldName} from 0 to 3`,
      `ScalingReplicaSet: Scaled down replica set ${oldName} from 3 to 0`,
      `ScalingReplicaSet: Scaled up replica set ${newName} from 0 to 3`,
    ]);
  });

  it('does not roll out while paused, scales while paused, and rolls out on resume', async () => {
    const ns = await namespace('d-pause');
    await runPods(ns);
    await dApi(ns).create(deployment('web', 2, 'nginx:1'));
    await waitRolledOut(ns, 'web');
    await patchD(ns, 'web', { spec: { paused: true } });
    await setImage(ns, 'web', 'nginx:2');
    const paused = await eventually('the paused condition', async () => {
      const d = await dApi(ns).get('web');
      return condition(d, 'Progressing')?.reason === 'DeploymentPaused' && d.status?.observedGeneration === d.metadata?.generation ? d : undefined;
    });
    expect(condition(paused, 'Progressing')).toMatchObject({ status: 'Unknown', message: 'Deployment is paused' });
    // Scaling still works; no new ReplicaSet appears.
    await patchD(ns, 'web', { spec: { replicas: 4 } });
    await eventually('the scale while paused', async () => {
      const d = await dApi(ns).get('web');
      return d.status?.availableReplicas === 4 && d.status.observedGeneration === d.metadata?.generation ? true : undefined;
    });
    await sleep(300);
    const rss = await replicaSets(ns);
    expect(rss).toHaveLength(1);
    expect(rss[0]!.spec?.template?.spec?.containers?.[0]?.image).toBe('nginx:1');
    expect(rss[0]!.spec?.replicas).toBe(4);
    expect(rss[0]!.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('4');

    await patchD(ns, 'web', { spec: { paused: false } });
    const d = await waitRolledOut(ns, 'web');
    expect((await activePods(ns)).every((p) => imagesOf(p)[0] === 'nginx:2')).toBe(true);
    expect(d.status?.replicas).toBe(4);
    expect(condition(d, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('walks the Progressing condition through its reasons', async () => {
    const ns = await namespace('d-progress');
    await runPods(ns);
    const seen: string[] = [];
    const list = await dApi(ns).list();
    const w = await dApi(ns).watch({ resourceVersion: list.metadata.resourceVersion! }, (e: WatchEvent<Deployment>) => {
      if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
      const c = condition(e.object, 'Progressing');
      const reason = c ? `${c.status} ${c.reason}` : 'none';
      if (seen[seen.length - 1] !== reason) seen.push(reason);
    });
    cleanups.push(() => w.close());
    await dApi(ns).create(deployment('web', 2, 'nginx:1'));
    await waitRolledOut(ns, 'web');
    await setImage(ns, 'web', 'nginx:2');
    await waitRolledOut(ns, 'web');
    // No deadline: no Progressing condition. A deadline again: the new ReplicaSet is found.
    await patchD(ns, 'web', { spec: { progressDeadlineSeconds: 2147483647 } });
    await eventually('the condition to go', async () => (condition(await dApi(ns).get('web'), 'Progressing') ? undefined : true));
    await patchD(ns, 'web', { spec: { progressDeadlineSeconds: 60 } });
    await eventually('the rollout to be complete again', async () => (condition(await dApi(ns).get('web'), 'Progressing')?.reason === 'NewReplicaSetAvailable' ? true : undefined));
    await eventually('the last watch event', () => (seen[seen.length - 1] === 'True NewReplicaSetAvailable' && seen.includes('True FoundNewReplicaSet') ? true : undefined));
    // Each rollout: created, progressing, available (a fast one may skip "progressing").
    const rollout = (s: string[]) => s.filter((r) => r !== 'True ReplicaSetUpdated');
    expect(seen).toContain('True ReplicaSetUpdated');
    expect(rollout(seen)).toEqual([
      'none',
      'True NewReplicaSetCreated',
      'True NewReplicaSetAvailable',
      'True NewReplicaSetCreated',
      'True NewReplicaSetAvailable',
      'none',
      'True FoundNewReplicaSet',
      'True NewReplicaSetAvailable',
    ]);
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready, then stays quiet', async () => {
    const ns = await namespace('d-deadline');
    await runPods(ns, (p) => imagesOf(p)[0] !== 'broken:1');
    await dApi(ns).create(deployment('web', 2, 'nginx:1', { progressDeadlineSeconds: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await waitRolledOut(ns, 'web');
    await setImage(ns, 'web', 'broken:1');
    const stuck = await eventually(
      'the deadline to pass',
      async () => {
        const d = await dApi(ns).get('web');
        return condition(d, 'Progressing')?.reason === 'ProgressDeadlineExceeded' ? d : undefined;
      },
      10_000,
    );
    const newRS = (await replicaSets(ns)).find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'broken:1')!;
    expect(condition(stuck, 'Progressing')).toMatchObject({ status: 'False', message: `ReplicaSet "${newRS.metadata?.name}" has timed out progressing.` });
    // maxUnavailable 0: the old pods all still serve.
    expect(condition(stuck, 'Available')).toMatchObject({ status: 'True' });
    expect(stuck.status).toMatchObject({ replicas: 3, updatedReplicas: 1, availableReplicas: 2, unavailableReplicas: 1 });
    await sleep(300);
    const before = managerClient.callsIn(ns);
    await sleep(3000);
    expect(managerClient.callsIn(ns) - before).toBeLessThanOrEqual(2);
    // A fix rolls out and clears the condition.
    await setImage(ns, 'web', 'nginx:3');
    const d = await waitRolledOut(ns, 'web');
    expect(condition(d, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('scales a stuck rollout proportionally across the old and new ReplicaSets', async () => {
    const ns = await namespace('d-proportional');
    await runPods(ns, (p) => imagesOf(p)[0] !== 'broken:1');
    await dApi(ns).create(deployment('web', 10, 'nginx:1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await waitRolledOut(ns, 'web');
    await setImage(ns, 'web', 'broken:1');
    const sizes = async () => {
      const rss = await replicaSets(ns);
      const of = (image: string) => rss.find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === image);
      return { old: of('nginx:1')?.spec?.replicas, new: of('broken:1')?.spec?.replicas };
    };
    // Old 10 -> 8 (2 may be unavailable), new 0 -> 5 (13 at most), and there it is stuck.
    await eventually('the stuck rollout', async () => {
      const d = await dApi(ns).get('web');
      const s = await sizes();
      return s.old === 8 && s.new === 5 && d.status?.availableReplicas === 8 && d.status.observedGeneration === 2 ? true : undefined;
    });
    // 10 -> 20: 23 at most, the 10 more shared 8:5 (max-replicas was 13): old 14, new 9.
    await patchD(ns, 'web', { spec: { replicas: 20 } });
    await eventually('the proportional scale', async () => {
      const s = await sizes();
      return s.old === 14 && s.new === 9 ? true : undefined;
    });
    const rss = await replicaSets(ns);
    expect(rss.every((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'] === '20' && rs.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'] === '23')).toBe(true);
    const oldName = rss.find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'nginx:1')!.metadata!.name!;
    const newName = rss.find((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === 'broken:1')!.metadata!.name!;
    const wanted = [`ScalingReplicaSet: Scaled up replica set ${oldName} from 8 to 14`, `ScalingReplicaSet: Scaled up replica set ${newName} from 5 to 9`];
    await eventually('the scaling events', async () => {
      const events = await eventsFor(plane.client, ns, 'web');
      return wanted.every((w) => events.includes(w)) ? true : undefined;
    });
  });

  it('rolls back the way kubectl rollout undo does: the old ReplicaSet comes back as a new revision', async () => {
    const ns = await namespace('d-undo');
    await runPods(ns);
    await dApi(ns).create(deployment('web', 2, 'nginx:1'));
    await waitRolledOut(ns, 'web');
    await setImage(ns, 'web', 'nginx:2', { 'kubernetes.io/change-cause': 'to nginx:2' });
    await waitRolledOut(ns, 'web');
    const rss = await replicaSets(ns);
    const first = rss.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '1')!;
    const second = rss.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2')!;
    expect(second.metadata?.annotations?.['kubernetes.io/change-cause']).toBe('to nginx:2');
    expect(first.metadata?.annotations?.['kubernetes.io/change-cause']).toBeUndefined();

    // kubectl: the template of revision 1 without its hash label, and the ReplicaSet's annotations.
    const template = structuredClone(first.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    const annotations = Object.fromEntries(Object.entries(first.metadata?.annotations ?? {}).filter(([k]) => !k.startsWith('deployment.kubernetes.io/')));
    await patchD(
      ns,
      'web',
      [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: { ...annotations, 'deployment.kubernetes.io/revision': '2' } },
      ],
      'json',
    );
    const d = await waitRolledOut(ns, 'web');
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    const after = await replicaSets(ns);
    expect(after).toHaveLength(2); // no new ReplicaSet: the first one is back
    const back = after.find((rs) => rs.metadata?.uid === first.metadata?.uid)!;
    expect(back.spec?.replicas).toBe(2);
    expect(back.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(back.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(after.find((rs) => rs.metadata?.uid === second.metadata?.uid)!.spec?.replicas).toBe(0);
    expect((await activePods(ns)).every((p) => imagesOf(p)[0] === 'nginx:1')).toBe(true);
  });

  it('keeps revisionHistoryLimit old ReplicaSets', async () => {
    const ns = await namespace('d-history');
    await runPods(ns);
    await dApi(ns).create(deployment('web', 1, 'nginx:1', { revisionHistoryLimit: 1 }));
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await waitRolledOut(ns, 'web');
      await setImage(ns, 'web', image);
    }
    await waitRolledOut(ns, 'web');
    const rss = await eventually('old ReplicaSets to be cleaned up', async () => {
      const list = await replicaSets(ns);
      return list.length === 2 ? list : undefined;
    });
    expect(rss.map((rs) => rs.spec?.template?.spec?.containers?.[0]?.image).sort()).toEqual(['nginx:3', 'nginx:4']);
    expect(rss.map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual(['3', '4']);
  });

  it('adopts a matching orphan ReplicaSet and releases one that no longer matches', async () => {
    const ns = await namespace('d-adopt');
    await runPods(ns);
    const d = await dApi(ns).create(deployment('web', 2, 'nginx:1'));
    await waitRolledOut(ns, 'web');
    const [rs] = await replicaSets(ns);
    // Orphan it (as `kubectl delete --cascade=orphan` would leave it): adopted again.
    await rsApi(ns).patch(rs!.metadata!.name!, { metadata: { ownerReferences: null } });
    await eventually('the adoption', async () => {
      const refs = (await rsApi(ns).get(rs!.metadata!.name!)).metadata?.ownerReferences ?? [];
      return refs.length === 1 && refs[0]!.uid === d.metadata?.uid && refs[0]!.controller ? true : undefined;
    });
    // Relabel it out of the selector: released, and a new ReplicaSet takes over.
    await rsApi(ns).patch(rs!.metadata!.name!, { metadata: { labels: { app: 'elsewhere', 'pod-template-hash': 'x' } } });
    await eventually('the release', async () => (((await rsApi(ns).get(rs!.metadata!.name!)).metadata?.ownerReferences ?? []).length === 0 ? true : undefined));
    await eventually('a replacement ReplicaSet', async () => {
      const owned = (await replicaSets(ns)).filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === d.metadata?.uid));
      return owned.length === 1 && owned[0]!.metadata?.name !== rs!.metadata?.name ? true : undefined;
    });
  });

  it('converges while another writer keeps changing the Deployment', async () => {
    const ns = await namespace('d-conflict');
    await runPods(ns);
    await dApi(ns).create(deployment('web', 3, 'nginx:1'));
    await waitRolledOut(ns, 'web');
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        await dApi(ns)
          .patch('web', { metadata: { labels: { touched: String(i % 7) } } })
          .catch((err: unknown) => {
            if (!isStatusError(err, 409)) throw err;
          });
        await sleep(5);
      }
    })();
    try {
      await setImage(ns, 'web', 'nginx:2');
      await waitRolledOut(ns, 'web', 30_000);
    } finally {
      stop = true;
      await writer;
    }
    expect((await activePods(ns)).every((p) => imagesOf(p)[0] === 'nginx:2')).toBe(true);
  });

  it('is quiet once rolled out', async () => {
    const ns = await namespace('d-quiet');
    await runPods(ns);
    await dApi(ns).create(deployment('web', 3, 'nginx:1'));
    await waitRolledOut(ns, 'web');
    await sleep(500);
    const before = managerClient.callsIn(ns);
    await sleep(2000);
    expect(managerClient.callsIn(ns) - before).toBe(0);
  });
});
