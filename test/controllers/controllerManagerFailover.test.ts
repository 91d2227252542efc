/**
 * Two `marina controller-manager` processes against one control plane, as two replicas of
 * kube-controller-manager: exactly one leads (the Lease kube-system/kube-controller-manager names
 * it; only its controllers act), and when it is SIGKILLed the other takes over within about a lease
 * duration and the controllers go on working. Throughout, a sampler reads the Lease and both
 * processes' leader_election_master_status: never two leaders at once, and the holder changes
 * exactly once. Runs the compiled CLI (bin/marina.js), built first when the sources are newer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { Lease } from '../../api/kinds/coordination/lease';
import type { Pod } from '../../api/kinds/core/pod';
import { useControlPlane } from '../harness/apiserver';
import { ensureCliBuilt, probeAddress, startMarina, writeKubeconfig, type MarinaProcess } from '../harness/marinaProcess';
import { eventually } from '../client/helpers';

const plane = useControlPlane();
let dir: string;

// Short lease settings: whole seconds for the duration (the Lease stores leaseDurationSeconds).
const leaseDurationMs = 3_000;
const renewDeadlineMs = 2_000;
const retryPeriodMs = 500;
// Candidates wait a retry period with up to 20% jitter between attempts (as client-go), and a
// standby judges expiry from when *it* saw the last renewal: that is up to one jittered retry
// period after the renewal, and the attempt that finds the lease expired up to one more after the
// expiry. So a takeover comes at most leaseDuration + 2 × 1.2 × retryPeriod after the leader's
// last renewal (which is at most a retry period before the kill, and at least 0 before it); 500 ms
// more for scheduling on a busy machine.
const takeoverBoundMs = leaseDurationMs + 2 * 1.2 * retryPeriodMs + 500;

const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager';
const ns = 'failover';
const rsGvr = { group: 'apps', version: 'v1', resource: 'replicasets' };
const podsGvr = { group: '', version: 'v1', resource: 'pods' };

beforeAll(async () => {
  ensureCliBuilt();
  dir = await mkdtemp(join(tmpdir(), 'marina-cm-failover-'));
  await plane.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface ControllerManager extends MarinaProcess {
  readonly name: string;
  /** The identity it campaigned with, from its "became leader" log line (undefined if it never led). */
  leaderIdentity(): string | undefined;
}

const running: ControllerManager[] = [];

function startControllerManager(name: string, kubeconfig: string): ControllerManager {
  const proc = startMarina([
    'controller-manager',
    '--kubeconfig',
    kubeconfig,
    '--leader-elect',
    'true',
    '--health-port',
    '0',
    '--leader-elect-lease-duration',
    `${leaseDurationMs}ms`,
    '--leader-elect-renew-deadline',
    `${renewDeadlineMs}ms`,
    '--leader-elect-retry-period',
    `${retryPeriodMs}ms`,
  ]);
  const cm: ControllerManager = {
    ...proc,
    name,
    leaderIdentity: () => {
      for (const line of proc.stderr().split('\n')) {
        if (!line.includes('"became leader"')) continue;
        const entry = JSON.parse(line) as { identity?: string };
        if (entry.identity) return entry.identity;
      }
      return undefined;
    },
  };
  running.push(cm);
  return cm;
}

/** A sample of a metric of the process's /metrics (summed over label sets matching `labels`); undefined when it cannot be read. */
async function metric(cm: ControllerManager, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const address = probeAddress(cm);
  if (!address || !cm.alive()) return undefined;
  let text: string;
  try {
    text = await (await fetch(`${address}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
  } catch {
    return undefined; // killed meanwhile
  }
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) total += Number(m[3]);
  }
  return total;
}

const isLeader = async (cm: ControllerManager): Promise<boolean> => (await metric(cm, 'leader_election_master_status', { name: 'kube-controller-manager' })) === 1;
const replicaSetReconciles = (cm: ControllerManager) => metric(cm, 'controller_runtime_reconcile_total', { controller: 'replicaset' });

async function lease(): Promise<Lease | undefined> {
  const res = await plane.client.raw('GET', leasePath);
  return res.status === 200 ? (res.json as Lease) : undefined;
}

/** The live (not terminating) pods a ReplicaSet owns. */
async function podsOf(rs: ReplicaSet): Promise<Pod[]> {
  const list = await plane.client.resource<Pod>(podsGvr, ns).list({ labelSelector: 'app=failover' });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.ownerReferences?.some((o) => o.controller && o.uid === rs.metadata?.uid));
}

/**
 * Samples, every 50 ms until stopped, the Lease's holder and which processes say they lead.
 * Records the holders in order (each change once) and any sample where two processes led.
 */
function sampleLeadership(cms: readonly ControllerManager[]) {
  const holders: string[] = [];
  const overlaps: string[] = [];
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const [current, ...leading] = await Promise.all([lease(), ...cms.map(isLeader)]);
      samples++;
      const holder = current?.spec?.holderIdentity ?? '';
      if (holder !== holders[holders.length - 1]) holders.push(holder);
      const leaders = cms.filter((_, i) => leading[i]);
      if (leaders.length > 1) overlaps.push(`${new Date().toISOString()}: ${leaders.map((c) => c.name).join(' and ')} both lead`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    holders,
    overlaps,
    samples: () => samples,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

afterEach(async () => {
  for (const cm of running.splice(0)) await cm.kill();
});

describe('two controller-manager processes', () => {
  it('exactly one leads; when it is killed the other takes over within a lease duration and the controllers keep working', async () => {
    const config = await writeKubeconfig(dir, plane.url);
    const a = startControllerManager('a', config);
    const b = startControllerManager('b', config);
    const sampler = sampleLeadership([a, b]);
    try {
      await eventually('both processes serving probes', () => (probeAddress(a) && probeAddress(b) ? true : undefined), 30_000);

      // Exactly one leads, and the Lease names it.
      const leader = await eventually(
        'a leader',
        async () => {
          const [la, lb] = await Promise.all([isLeader(a), isLeader(b)]);
          return la !== lb ? (la ? a : b) : undefined;
        },
        20_000,
      );
      const standby = leader === a ? b : a;
      const leaderId = await eventually('the leader\'s "became leader" log line', () => leader.leaderIdentity());
      const held = await eventually('the lease held by the leader', async () => ((await lease())?.spec?.holderIdentity === leaderId ? await lease() : undefined));
      expect(held!.spec).toMatchObject({ leaseDurationSeconds: leaseDurationMs / 1000 });
      expect(standby.leaderIdentity()).toBeUndefined();
      expect(await isLeader(standby)).toBe(false);

      // Only the leader's controllers act: a ReplicaSet gets its pods from the leader, once.
      const rs = await plane.client.resource<ReplicaSet>(rsGvr, ns).create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web' },
        spec: { replicas: 3, selector: { matchLabels: { app: 'failover' } }, template: { metadata: { labels: { app: 'failover' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } } },
      });
      await eventually('3 pods for the ReplicaSet', async () => ((await podsOf(rs)).length === 3 ? true : undefined), 15_000);
      await eventually('the ReplicaSet status', async () => {
        const now = await plane.client.resource<ReplicaSet>(rsGvr, ns).get('web');
        return now.status?.replicas === 3 && now.status.observedGeneration === now.metadata?.generation ? true : undefined;
      });
      expect(await replicaSetReconciles(leader)).toBeGreaterThan(0);
      expect(await replicaSetReconciles(standby)).toBe(0);
      expect(await podsOf(rs)).toHaveLength(3);

      // The leader dies without releasing the lease; the standby takes over once it expires.
      const before = await lease();
      const killedAt = Date.now();
      leader.child.kill('SIGKILL');
      expect(await leader.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const newId = await eventually('the standby leading', async () => ((await isLeader(standby)) && standby.leaderIdentity() ? standby.leaderIdentity() : undefined), 15_000);
      const takeoverMs = Date.now() - killedAt;
      const after = await eventually('the lease held by the standby', async () => {
        const l = await lease();
        return l?.spec?.holderIdentity === newId ? l : undefined;
      });
      expect(newId).not.toBe(leaderId);
      expect(takeoverMs).toBeLessThanOrEqual(takeoverBoundMs);
      // Nobody may take over a lease before it has gone unrenewed for a lease duration: the
      // leader renewed at most a (jittered) retry period before it was killed.
      expect(takeoverMs).toBeGreaterThanOrEqual(leaseDurationMs - 1.2 * retryPeriodMs);
      expect(after.spec?.leaseTransitions).toBe((before?.spec?.leaseTransitions ?? 0) + 1);

      // The controllers keep working: a scale-up after the failover is reconciled, by the new leader.
      await plane.client.resource<ReplicaSet>(rsGvr, ns).patch('web', { spec: { replicas: 5 } });
      await eventually('5 pods after the scale-up', async () => ((await podsOf(rs)).length === 5 ? true : undefined), 15_000);
      await eventually('the scaled ReplicaSet status', async () => {
        const now = await plane.client.resource<ReplicaSet>(rsGvr, ns).get('web');
        return now.status?.replicas === 5 && now.status.observedGeneration === now.metadata?.generation ? true : undefined;
      });
      expect(await replicaSetReconciles(standby)).toBeGreaterThan(0);
      expect(await podsOf(rs)).toHaveLength(5);

      // Never two leaders; the holder changed exactly once (old leader → new one).
      await sampler.stop();
      expect(sampler.overlaps).toEqual([]);
      expect(sampler.holders.filter(Boolean)).toEqual([leaderId, newId]);
      expect(sampler.samples()).toBeGreaterThan(20);
    } finally {
      await sampler.stop();
    }
  }, 90_000);
});
