/** Pod affinity and anti-affinity, node affinity, and topology spread on a real API server. */
import { useControlPlane } from '../harness/apiserver';
import type { SchedulerServer } from '../../scheduler/server';
import { createNamespace, createNode, createPod, getPod, startScheduler, waitForBound, waitForUnschedulable } from './helpers';

const plane = useControlPlane();
let sched: SchedulerServer;
const zones = ['a', 'a', 'b', 'b', 'c', 'c'];

beforeAll(async () => {
  for (let i = 0; i < zones.length; i++) {
    await createNode(plane.client, `n${i}`, { cpu: '8', memory: '16Gi', labels: { 'topology.kubernetes.io/zone': `zone-${zones[i]}`, disk: i === 5 ? 'ssd' : 'hdd' } });
  }
  sched = await startScheduler(plane.url);
}, 30_000);
afterAll(async () => {
  await sched?.stop();
});

describe('placement', () => {
  it('anti-affinity by hostname puts each replica on its own node, and the extra one stays Pending', async () => {
    await createNamespace(plane.client, 'anti');
    const spec = (i: number) => ({
      labels: { app: 'db' },
      cpu: '100m',
      spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } },
      name: `db-${i}`,
    });
    for (let i = 0; i < 6; i++) await createPod(plane.client, 'anti', `db-${i}`, spec(i));
    const nodes = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => waitForBound(plane.client, 'anti', `db-${i}`)));
    expect(new Set(nodes).size).toBe(6);
    await createPod(plane.client, 'anti', 'db-6', spec(6));
    const cond = await waitForUnschedulable(plane.client, 'anti', 'db-6');
    expect(cond.message).toContain("0/6 nodes are available: 6 node(s) didn't match pod anti-affinity rules.");
  });

  it('pod affinity by zone puts a pod next to its peer', async () => {
    await createNamespace(plane.client, 'aff');
    await createPod(plane.client, 'aff', 'cache', { labels: { app: 'cache' }, spec: { nodeSelector: { disk: 'ssd' } } });
    expect(await waitForBound(plane.client, 'aff', 'cache')).toBe('n5');
    for (let i = 0; i < 3; i++) {
      await createPod(plane.client, 'aff', `web-${i}`, {
        spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'cache' } } }] } } },
      });
    }
    for (let i = 0; i < 3; i++) expect(['n4', 'n5']).toContain(await waitForBound(plane.client, 'aff', `web-${i}`));
  });

  it('required node affinity limits the nodes; a selector nothing matches leaves the pod Pending', async () => {
    await createNamespace(plane.client, 'nodeaff');
    await createPod(plane.client, 'nodeaff', 'zoned', {
      spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }] }] } } } },
    });
    expect(['n2', 'n3']).toContain(await waitForBound(plane.client, 'nodeaff', 'zoned'));
    await createPod(plane.client, 'nodeaff', 'nowhere', { spec: { nodeSelector: { disk: 'tape' } } });
    const cond = await waitForUnschedulable(plane.client, 'nodeaff', 'nowhere');
    expect(cond.message).toContain("6 node(s) didn't match Pod's node affinity/selector");
    expect((await getPod(plane.client, 'nodeaff', 'nowhere')).spec?.nodeName).toBeUndefined();
  });

  it('topology spread (DoNotSchedule) keeps zones within maxSkew', async () => {
    await createNamespace(plane.client, 'spread');
    const constraint = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } };
    const names = Array.from({ length: 9 }, (_, i) => `s-${i}`);
    // Scoring alone would put them all in zone-a; the hard constraint must win.
    const preferA = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] } }] } };
    for (const name of names) await createPod(plane.client, 'spread', name, { labels: { app: 'spread' }, cpu: '100m', spec: { topologySpreadConstraints: [constraint], affinity: preferA } });
    const nodes = await Promise.all(names.map((n) => waitForBound(plane.client, 'spread', n)));
    const perZone = new Map<string, number>();
    for (const n of nodes) {
      const zone = zones[Number(n.slice(1))]!;
      perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
    }
    expect([...perZone.values()]).toEqual([3, 3, 3]);
    // Without the constraint, the preference wins.
    await createPod(plane.client, 'spread', 'free', { labels: { app: 'free' }, cpu: '100m', spec: { affinity: preferA } });
    expect(['n0', 'n1']).toContain(await waitForBound(plane.client, 'spread', 'free'));
  });
});
