import type { Pod } from '../../api/kinds/core/pod';
import type { Node } from '../../api/kinds/core/node';
import type { TopologySpreadConstraint } from '../../api/kinds/core/topologySpreadConstraint';
import { CycleStateImpl } from '../framework/cycleState';
import { isFilterPlugin, isPreFilterPlugin, type FilterPlugin, type NodeInfo, type PreFilterPlugin } from '../framework/interfaces';
import { newPodInfo } from '../framework/podInfo';
import { factory, name } from './podTopologySpread';
import { exists, makeHandle, makeNode, makeNodeInfo, makePod, nodeInfos, runFilter, runScore, statusText } from './testing';

const SKEW = "Unschedulable: node(s) didn't match pod topology spread constraints";
const NO_LABEL = "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)";
const HOST = 'kubernetes.io/hostname';

const node = (n: string, zone?: string) => makeNode(n).labels({ [HOST]: n, ...(zone ? { zone } : {}) });
const fourNodes = () => [node('a', 'z1').obj(), node('b', 'z1').obj(), node('x', 'z2').obj(), node('y', 'z2').obj()];

/** `counts` pods labelled foo on each named node. */
function podsOn(counts: Record<string, number>, labels: Record<string, string> = { foo: '' }, namespace = 'default'): Pod[] {
  const out: Pod[] = [];
  for (const [n, c] of Object.entries(counts)) for (let i = 0; i < c; i++) out.push(makePod(`${n}-${i}`, namespace).node(n).labels(labels).obj());
  return out;
}

function incoming(constraints: [number, string, Partial<TopologySpreadConstraint>?][], when: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule') {
  const p = makePod('p').labels({ foo: '' });
  for (const [maxSkew, key, extra] of constraints) p.spread(maxSkew, key, when, exists('foo'), extra);
  return p;
}

function filter(pod: Pod, nodes: Node[], existing: Pod[]) {
  const infos = nodeInfos(nodes, existing);
  return runFilter(factory(undefined, makeHandle(infos)), pod, infos);
}

describe('PodTopologySpread filter (DoNotSchedule)', () => {
  it('is named as in Kubernetes', () => expect(factory(undefined, makeHandle([])).name).toBe(name));

  it('skips pods without DoNotSchedule constraints', () => {
    const pod = incoming([[1, 'zone']], 'ScheduleAnyway').obj();
    expect(filter(pod, fourNodes(), podsOn({ a: 5 }))).toEqual({ a: 'Success', b: 'Success', x: 'Success', y: 'Success' });
  });

  it('accepts every node when no pods exist', () => {
    expect(filter(incoming([[1, 'zone']]).obj(), fourNodes(), [])).toEqual({ a: 'Success', b: 'Success', x: 'Success', y: 'Success' });
  });

  it('keeps the skew between zones within maxSkew', () => {
    // z1: 3, z2: 1 → only z2 fits (z1: 3 + 1 − 1 = 3 > 1)
    expect(filter(incoming([[1, 'zone']]).obj(), fourNodes(), podsOn({ a: 2, b: 1, x: 1 }))).toEqual({ a: SKEW, b: SKEW, x: 'Success', y: 'Success' });
    // 3/3: every node fits
    expect(filter(incoming([[1, 'zone']]).obj(), fourNodes(), podsOn({ a: 2, b: 1, x: 1, y: 2 }))).toEqual({ a: 'Success', b: 'Success', x: 'Success', y: 'Success' });
  });

  it('spreads per node with the hostname key; maxSkew widens what fits', () => {
    const existing = podsOn({ a: 2, b: 1, x: 0, y: 3 });
    expect(filter(incoming([[1, HOST]]).obj(), fourNodes(), existing)).toEqual({ a: SKEW, b: SKEW, x: 'Success', y: SKEW });
    expect(filter(incoming([[2, HOST]]).obj(), fourNodes(), existing)).toEqual({ a: SKEW, b: 'Success', x: 'Success', y: SKEW });
  });

  it('a pod that does not match its own selector adds nothing to the skew', () => {
    const pod = makePod('p').spread(1, HOST, 'DoNotSchedule', exists('foo')).obj();
    // a: 1 + 0 − 0 fits where a matching pod (1 + 1 − 0) would not; a: 2 + 0 − 0 does not.
    expect(filter(pod, fourNodes(), podsOn({ a: 1 }))).toEqual({ a: 'Success', b: 'Success', x: 'Success', y: 'Success' });
    expect(filter(incoming([[1, HOST]]).obj(), fourNodes(), podsOn({ a: 1 })).a).toBe(SKEW);
    expect(filter(pod, fourNodes(), podsOn({ a: 2 }))).toEqual({ a: SKEW, b: 'Success', x: 'Success', y: 'Success' });
  });

  it('rejects nodes missing the topology key, which also do not count', () => {
    const nodes = [node('a', 'z1').obj(), node('b').obj(), node('x', 'z2').obj(), node('y', 'z2').obj()];
    // z1: 1 (b's pod does not count), z2: 2
    expect(filter(incoming([[1, 'zone']]).obj(), nodes, podsOn({ a: 1, b: 1, y: 2 }))).toEqual({ a: 'Success', b: NO_LABEL, x: SKEW, y: SKEW });
  });

  it('counts only pods in the same namespace that are not terminating', () => {
    const existing = [...podsOn({ a: 3 }, { foo: '' }, 'other'), makePod('t').node('b').labels({ foo: '' }).terminating().obj()];
    expect(filter(incoming([[1, HOST]]).obj(), fourNodes(), existing)).toEqual({ a: 'Success', b: 'Success', x: 'Success', y: 'Success' });
  });

  it('a constraint without labelSelector, or an empty one, counts no pods', () => {
    const none = makePod('p').labels({ foo: '' }).spread(1, HOST, 'DoNotSchedule', undefined).obj();
    expect(filter(none, fourNodes(), podsOn({ a: 3 }))).toEqual({ a: 'Success', b: 'Success', x: 'Success', y: 'Success' });
    const empty = makePod('p').labels({ foo: '' }).spread(1, HOST, 'DoNotSchedule', {}).obj();
    expect(filter(empty, fourNodes(), podsOn({ a: 3 }))).toEqual({ a: 'Success', b: 'Success', x: 'Success', y: 'Success' });
  });

  it('must satisfy every constraint', () => {
    // zone: z1 2, z2 1 → z2; host: a 1, b 1, x 1, y 0 → y (and with maxSkew 1: x: 1 + 1 − 0 = 2 > 1)
    const pod = incoming([[1, 'zone'], [1, HOST]]).obj();
    expect(filter(pod, fourNodes(), podsOn({ a: 1, b: 1, x: 1 }))).toEqual({ a: SKEW, b: SKEW, x: SKEW, y: 'Success' });
  });

  it('minDomains: with fewer domains than that the global minimum is 0', () => {
    const nodes = [node('a').obj(), node('b').obj(), node('c').obj()];
    const existing = podsOn({ a: 2, b: 2, c: 1 });
    expect(filter(incoming([[2, HOST]]).obj(), nodes, existing)).toEqual({ a: 'Success', b: 'Success', c: 'Success' });
    expect(filter(incoming([[2, HOST, { minDomains: 4 }]]).obj(), nodes, existing)).toEqual({ a: SKEW, b: SKEW, c: 'Success' });
    expect(filter(incoming([[2, HOST, { minDomains: 3 }]]).obj(), nodes, existing)).toEqual({ a: 'Success', b: 'Success', c: 'Success' });
  });

  it("nodeAffinityPolicy: Honor (default) counts only nodes matching the pod's node affinity, Ignore counts all", () => {
    const nodes = [node('a', 'z1').label('pool', 'x').obj(), node('b', 'z1').label('pool', 'x').obj(), node('c', 'z2').label('pool', 'y').obj()];
    const existing = podsOn({ a: 1 });
    const honor = incoming([[1, 'zone']]).nodeSelector({ pool: 'x' }).obj();
    // only z1 is a domain: 1 + 1 − 1 = 1
    expect(filter(honor, nodes, existing)).toMatchObject({ a: 'Success', b: 'Success' });
    const ignore = incoming([[1, 'zone', { nodeAffinityPolicy: 'Ignore' }]]).nodeSelector({ pool: 'x' }).obj();
    // z2 (empty) is a domain too: 1 + 1 − 0 = 2
    expect(filter(ignore, nodes, existing)).toMatchObject({ a: SKEW, b: SKEW });
  });

  it('nodeTaintsPolicy: Ignore (default) counts tainted nodes, Honor only those whose taints the pod tolerates', () => {
    const nodes = [node('a', 'z1').obj(), node('c', 'z2').taints([{ key: 'gpu', value: 'x', effect: 'NoSchedule' }]).obj()];
    const existing = podsOn({ a: 1 });
    expect(filter(incoming([[1, 'zone']]).obj(), nodes, existing).a).toBe(SKEW);
    expect(filter(incoming([[1, 'zone', { nodeTaintsPolicy: 'Honor' }]]).obj(), nodes, existing).a).toBe('Success');
    const tolerating = incoming([[1, 'zone', { nodeTaintsPolicy: 'Honor' }]]).toleration({ key: 'gpu', operator: 'Exists' }).obj();
    expect(filter(tolerating, nodes, existing).a).toBe(SKEW);
  });

  it("matchLabelKeys restricts counting to pods with the incoming pod's values", () => {
    const existing = [...podsOn({ a: 2 }, { foo: '', rev: '1' }), ...podsOn({ x: 1 }, { foo: '', rev: '2' })];
    const pod = (rev: string) => makePod('p').labels({ foo: '', rev }).spread(1, HOST, 'DoNotSchedule', exists('foo'), { matchLabelKeys: ['rev'] }).obj();
    // rev 2: a 0, b 0, x 1, y 0
    expect(filter(pod('2'), fourNodes(), existing)).toEqual({ a: 'Success', b: 'Success', x: SKEW, y: 'Success' });
    // rev 1: a 2
    expect(filter(pod('1'), fourNodes(), existing)).toEqual({ a: SKEW, b: 'Success', x: 'Success', y: 'Success' });
  });
});

describe('PodTopologySpread PreFilterExtensions (preemption dry runs)', () => {
  function setup(existing: Pod[]): { plugin: PreFilterPlugin & FilterPlugin; state: CycleStateImpl; infos: NodeInfo[]; pod: Pod } {
    const infos = nodeInfos(fourNodes(), existing);
    const plugin = factory(undefined, makeHandle(infos));
    if (!isPreFilterPlugin(plugin) || !isFilterPlugin(plugin)) throw new Error('not a PreFilter/Filter plugin');
    const pod = incoming([[1, 'zone']]).obj();
    const state = new CycleStateImpl();
    expect(plugin.preFilter(state, pod, infos).status.code).toBe('Success');
    return { plugin, state, infos, pod };
  }

  it('removePod and addPod change the counts of a cloned state only', () => {
    const existing = podsOn({ a: 1, b: 1, x: 1 });
    const { plugin, state, infos, pod } = setup(existing);
    const ext = plugin.preFilterExtensions!()!;
    // z1 2, z2 1: z1 rejected
    expect(statusText(plugin.filter(state, pod, infos[0]!))).toBe(SKEW);
    const copy = state.clone();
    ext.removePod(copy, pod, newPodInfo(existing[0]!), makeNodeInfo(fourNodes()[0]!, [existing[1]!]));
    // z1 1, z2 1
    expect(statusText(plugin.filter(copy, pod, infos[0]!))).toBe('Success');
    expect(statusText(plugin.filter(state, pod, infos[0]!))).toBe(SKEW);
    // Adding two pods to z2 makes z1 the minimum: z2 3 → rejected.
    const extra = podsOn({ y: 2 });
    for (const p of extra) ext.addPod(copy, pod, newPodInfo(p), makeNodeInfo(fourNodes()[3]!, extra));
    expect(statusText(plugin.filter(copy, pod, infos[2]!))).toBe(SKEW);
    expect(statusText(plugin.filter(copy, pod, infos[0]!))).toBe('Success');
  });

  it('ignores pods in other namespaces or not matching the selector', () => {
    const existing = podsOn({ a: 1, b: 1, x: 1 });
    const { plugin, state, infos, pod } = setup(existing);
    const ext = plugin.preFilterExtensions!()!;
    const copy = state.clone();
    const others = [makePod('o', 'other').labels({ foo: '' }).obj(), makePod('u').labels({ bar: '' }).obj()];
    for (const p of others) ext.addPod(copy, pod, newPodInfo(p), makeNodeInfo(fourNodes()[2]!, others));
    // z2 stays at 1: z2 fits, z1 does not.
    expect(statusText(plugin.filter(copy, pod, infos[2]!))).toBe('Success');
    expect(statusText(plugin.filter(copy, pod, infos[0]!))).toBe(SKEW);
  });
});

describe('PodTopologySpread score (ScheduleAnyway)', () => {
  function score(pod: Pod, nodes: Node[], existing: Pod[], filteredNames?: string[]) {
    const infos = nodeInfos(nodes, existing);
    const filtered = filteredNames ? infos.filter((i) => filteredNames.includes(i.name)) : infos;
    return Object.fromEntries(runScore(factory(undefined, makeHandle(infos)), pod, infos, filtered).map((s) => [s.name, s.score]));
  }

  it('skips pods without ScheduleAnyway constraints', () => {
    expect(score(incoming([[1, HOST]]).obj(), fourNodes(), podsOn({ a: 3 }))).toEqual({ a: 0, b: 0, x: 0, y: 0 });
  });

  it('gives every node 100 when no pods match', () => {
    expect(score(incoming([[1, HOST]], 'ScheduleAnyway').obj(), fourNodes(), [])).toEqual({ a: 100, b: 100, x: 100, y: 100 });
  });

  it('per node: fewer matching pods score higher', () => {
    // weight log(4 + 2); raw a round(2 × 1.79) = 4, b 2, x 0, y 5 → 100 × (5 + 0 − s) / 5
    expect(score(incoming([[1, HOST]], 'ScheduleAnyway').obj(), fourNodes(), podsOn({ a: 2, b: 1, y: 3 }))).toEqual({ a: 20, b: 60, x: 100, y: 0 });
  });

  it('per zone: every node of a zone scores alike', () => {
    // weight log(2 + 2); raw z1 round(3 × 1.386) = 4, z2 1 → z1 100 × (4 + 1 − 4) / 4 = 25, z2 100
    expect(score(incoming([[1, 'zone']], 'ScheduleAnyway').obj(), fourNodes(), podsOn({ a: 2, b: 1, x: 1 }))).toEqual({ a: 25, b: 25, x: 100, y: 100 });
  });

  it('counts pods on all nodes but only the domains of the filtered nodes', () => {
    // Only a and x were filtered in; zone counts still include b and y.
    expect(score(incoming([[1, 'zone']], 'ScheduleAnyway').obj(), fourNodes(), podsOn({ b: 3, y: 1 }), ['a', 'x'])).toEqual({ a: 25, x: 100 });
  });

  it('nodes missing a topology key score 0', () => {
    const nodes = [node('a', 'z1').obj(), node('b').obj(), node('x', 'z2').obj()];
    expect(score(incoming([[1, 'zone']], 'ScheduleAnyway').obj(), nodes, podsOn({ a: 1 }))).toEqual({ a: 0, b: 0, x: 100 });
  });

  it('maxSkew − 1 is added to every node, softening the differences', () => {
    // weight log(6) = 1.79; maxSkew 5 adds 4: raw a round(2 × 1.79 + 4) = 8, b 6, x 4, y 9 → 100 × (13 − s) / 9
    expect(score(incoming([[5, HOST]], 'ScheduleAnyway').obj(), fourNodes(), podsOn({ a: 2, b: 1, y: 3 }))).toEqual({ a: 55, b: 77, x: 100, y: 44 });
  });
});

describe('PodTopologySpread args', () => {
  it('accepts the defaults and rejects nonsense', () => {
    expect(() => factory({ defaultingType: 'List', defaultConstraints: [] }, makeHandle([]))).not.toThrow();
    expect(() => factory({ defaultingType: 'Magic' }, makeHandle([]))).toThrow(/Unsupported value: "Magic"/);
    expect(() => factory({ defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }] }, makeHandle([]))).toThrow(/must be empty/);
  });
});
