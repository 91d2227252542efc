/**
 * Managers with leader election on a real Lease: of two managers only the leader runs its
 * controllers; when the leader stops, it stops its controllers, then releases the lease and the
 * other takes over at its next retry; when the leader is cut off from the API server, it stops
 * its controllers within the renew deadline and the other takes over within a lease duration,
 * never overlapping.
 */
import type { Lease } from '../../api/kinds/coordination/lease';
import { RestClient } from '../../client/restClient';
import { ReconcileController } from '../../controllers/runtime/controller';
import { Manager } from '../../controllers/runtime/manager';
import type { Runnable } from '../../controllers/runtime/runnable';
import { useControlPlane } from '../harness/apiserver';
import { FaultyProxy } from '../client/proxy';
import { createNamespace, eventually, sleep, uniqueName } from '../client/helpers';
import { addToyController, configMaps, type ConfigMap } from './toyController';

const plane = useControlPlane();

const leaseDurationMs = 4000;
const renewDeadlineMs = 3000;
const retryPeriodMs = 250;

/** A leader runnable recording its terms: [start, end] times. */
class TermRecorder implements Runnable {
  readonly terms: [number, number | undefined][] = [];
  async start(signal: AbortSignal): Promise<void> {
    const term: [number, number | undefined] = [Date.now(), undefined];
    this.terms.push(term);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    term[1] = Date.now();
  }
  get running(): boolean {
    return this.terms.some(([, end]) => end === undefined);
  }
}

interface Candidate {
  readonly manager: Manager;
  readonly controller: ReconcileController;
  readonly reconciled: string[];
  readonly terms: TermRecorder;
}

describe('manager leader election (integration)', () => {
  const managers: Manager[] = [];
  const proxies: FaultyProxy[] = [];
  afterEach(async () => {
    for (const p of proxies) p.resume();
    await Promise.all(managers.splice(0).map((m) => m.stop()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });

  function candidate(lease: string, identity: string, ns: string, server = plane.url): Candidate {
    const manager = new Manager({
      client: new RestClient({ server, rateLimit: false }),
      name: 'test-controller-manager',
      leaderElection: { namespace: 'kube-system', leaseName: lease, identity, leaseDurationMs, renewDeadlineMs, retryPeriodMs },
    });
    managers.push(manager);
    const toy = addToyController(manager, ns);
    const terms = new TermRecorder();
    manager.add(terms);
    if (!(toy.controller instanceof ReconcileController)) throw new Error('expected a ReconcileController');
    return { manager, controller: toy.controller, reconciled: toy.reconciled, terms };
  }

  const getLease = (name: string) => plane.client.get<Lease>(`/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${name}`);
  const cms = (ns: string) => plane.client.resource<ConfigMap>(configMaps, ns);

  it('only the leader runs controllers; when it stops, the other takes over within a retry period', async () => {
    const ns = uniqueName('le');
    await createNamespace(plane.client, ns);
    const lease = uniqueName('lease');
    const a = candidate(lease, 'a', ns);
    const b = candidate(lease, 'b', ns);
    await Promise.all([a.manager.start(), b.manager.start()]);
    await eventually('a leader', () => (a.manager.isLeader() || b.manager.isLeader() ? true : undefined));
    await sleep(600);
    const [leader, follower] = a.manager.isLeader() ? [a, b] : [b, a];
    expect(follower.manager.isLeader()).toBe(false);
    await eventually('the leader to run its controller', () => (leader.controller.isRunning ? true : undefined));
    expect(follower.controller.isRunning).toBe(false);
    expect((await getLease(lease)).spec?.holderIdentity).toBe(leader.manager.identity);

    await cms(ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    await eventually('the leader to reconcile one', () => (leader.reconciled.includes(`${ns}/one`) ? true : undefined));
    await sleep(200);
    expect(follower.reconciled).toEqual([]);

    await leader.manager.stop();
    const stoppedAt = Date.now();
    expect(leader.controller.isRunning).toBe(false);
    expect(leader.terms.running).toBe(false);
    await eventually('the follower to take over', () => (follower.controller.isRunning ? true : undefined), 5000);
    expect(Date.now() - stoppedAt).toBeLessThan(leaseDurationMs); // the lease was released: no waiting for it to expire
    // The new leader's controller starts from the cache: it reconciles what exists, then new things.
    await eventually('the new leader to reconcile one', () => (follower.reconciled.includes(`${ns}/one`) ? true : undefined));
    await cms(ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' } });
    await eventually('the new leader to reconcile two', () => (follower.reconciled.includes(`${ns}/two`) ? true : undefined));
    expect(leader.reconciled).not.toContain(`${ns}/two`);
    expect((await getLease(lease)).spec).toMatchObject({ holderIdentity: follower.manager.identity, leaseTransitions: 1 });
    // Terms never overlap.
    expect(follower.terms.terms[0]![0]).toBeGreaterThanOrEqual(leader.terms.terms[0]![1]!);
  });

  it('a leader cut off from the API server stops its controllers; the other takes over within a lease duration, never overlapping', async () => {
    const ns = uniqueName('le');
    await createNamespace(plane.client, ns);
    const lease = uniqueName('lease');
    const proxy = await FaultyProxy.start(plane.url);
    proxies.push(proxy);
    const a = candidate(lease, 'a', ns, proxy.url);
    await a.manager.start();
    await eventually('a to lead', () => (a.controller.isRunning ? true : undefined));
    const b = candidate(lease, 'b', ns);
    await b.manager.start();
    await sleep(700);
    expect(b.manager.isLeader()).toBe(false);
    expect(b.terms.terms).toHaveLength(0);

    proxy.cut();
    const cutAt = Date.now();
    await eventually('b to take over', () => (b.controller.isRunning ? true : undefined), 10_000);
    const takenAt = Date.now();
    expect(a.manager.isLeader()).toBe(false);
    expect(a.controller.isRunning).toBe(false);
    const [aStart, aEnd] = a.terms.terms[0]!;
    expect(aStart).toBeLessThan(cutAt);
    expect(aEnd).toBeDefined();
    expect(aEnd! - cutAt).toBeLessThanOrEqual(renewDeadlineMs + retryPeriodMs + 1000);
    const bStart = b.terms.terms[0]![0];
    expect(bStart).toBeGreaterThanOrEqual(aEnd!); // never two leaders running controllers
    expect(takenAt - cutAt).toBeLessThanOrEqual(leaseDurationMs + 3 * retryPeriodMs + 1000);
    await cms(ns).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-cut' } });
    await eventually('b to reconcile', () => (b.reconciled.includes(`${ns}/after-cut`) ? true : undefined));

    // Back on the network, a stands by: its controllers stay stopped.
    proxy.resume();
    await sleep(1000);
    expect(a.controller.isRunning).toBe(false);
    expect(a.terms.terms).toHaveLength(1);
    expect(b.manager.isLeader()).toBe(true);
  });

  it('without leader election, controllers start at once and no Lease is written', async () => {
    const ns = uniqueName('nole');
    await createNamespace(plane.client, ns);
    const manager = new Manager({ client: new RestClient({ server: plane.url, rateLimit: false }), name: uniqueName('nolease'), leaderElection: false });
    managers.push(manager);
    const toy = addToyController(manager, ns);
    await manager.start();
    expect(manager.isLeader()).toBe(true);
    await eventually('the controller to run', () => ((toy.controller as ReconcileController).isRunning ? true : undefined));
    const res = await plane.client.raw('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${manager.name}`);
    expect(res.status).toBe(404);
  });
});
