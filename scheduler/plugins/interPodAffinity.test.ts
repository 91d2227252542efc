import { isFilterPlugin, isPreFilterPlugin, type FilterPlugin, type NodeInfo, type PreFilterPlugin } from '../framework/interfaces';
import { CycleStateImpl } from '../framework/cycleState';
import { newPodInfo } from '../framework/podInfo';
import { factory, name } from './interPodAffinity';
import { makeHandle, makeNode, makeNodeInfo, makePod, nodeInfos, runFilter, scoreMap, statusText } from './testing';
import type { Pod } from '../../api/kinds/core/pod';

const AFFINITY = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules";
const EXISTING_ANTI = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";

const HOST = 'kubernetes.io/hostname';
const nodes = [
  makeNode('n1').labels({ zone: 'z1', [HOST]: 'n1' }).obj(),
  makeNode('n2').labels({ zone: 'z1', [HOST]: 'n2' }).obj(),
  makeNode('n3').labels({ zone: 'z2', [HOST]: 'n3' }).obj(),
  makeNode('n4').labels({ [HOST]: 'n4' }).obj(), // no zone
];
const sel = (labels: Record<string, string>) => ({ matchLabels: labels });

function filterAll(pod: Pod, existing: Pod[], namespaces: Record<string, Record<string, string>> = {}, args?: unknown) {
  const infos = nodeInfos(nodes, existing);
  return runFilter(factory(args, makeHandle(infos, namespaces)), pod, infos);
}

function scoreAll(pod: Pod, existing: Pod[], args?: unknown) {
  const infos = nodeInfos(nodes, existing);
  return scoreMap(factory(args, makeHandle(infos)), pod, infos);
}

describe('InterPodAffinity filter', () => {
  it('is named as in Kubernetes', () => expect(factory(undefined, makeHandle([])).name).toBe(name));

  it('skips pods without required terms when no existing pod has anti-affinity', () => {
    const existing = [makePod('e').node('n1').labels({ app: 'db' }).obj()];
    expect(filterAll(makePod('p').obj(), existing)).toEqual({ n1: 'Success', n2: 'Success', n3: 'Success', n4: 'Success' });
  });

  it('required affinity: only the domains holding a matching pod; nodes without the key fail', () => {
    const existing = [makePod('e').node('n1').labels({ app: 'db' }).obj(), makePod('f').node('n3').labels({ app: 'web' }).obj()];
    const pod = makePod('p').podAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: 'zone' }).obj();
    expect(filterAll(pod, existing)).toEqual({ n1: 'Success', n2: 'Success', n3: AFFINITY, n4: AFFINITY });
  });

  it('required affinity needs every term satisfied by the same pods', () => {
    const existing = [makePod('e').node('n1').labels({ app: 'db', tier: 'x' }).obj(), makePod('f').node('n3').labels({ app: 'db' }).obj()];
    const pod = makePod('p')
      .podAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: 'zone' })
      .podAffinity({ labelSelector: sel({ tier: 'x' }), topologyKey: HOST })
      .obj();
    expect(filterAll(pod, existing)).toEqual({ n1: 'Success', n2: AFFINITY, n3: AFFINITY, n4: AFFINITY });
  });

  it('lets the first pod of a self-affine group in when nothing matches anywhere', () => {
    const pod = makePod('p').labels({ app: 'db' }).podAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: 'zone' }).obj();
    expect(filterAll(pod, [])).toEqual({ n1: 'Success', n2: 'Success', n3: 'Success', n4: AFFINITY });
    // ...but not a pod that does not match its own terms.
    const other = makePod('q').labels({ app: 'web' }).podAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: 'zone' }).obj();
    expect(filterAll(other, [])).toEqual({ n1: AFFINITY, n2: AFFINITY, n3: AFFINITY, n4: AFFINITY });
  });

  it('required anti-affinity: not in a domain holding a matching pod', () => {
    const existing = [makePod('e').node('n1').labels({ app: 'db' }).obj()];
    const byZone = makePod('p').podAntiAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: 'zone' }).obj();
    expect(filterAll(byZone, existing)).toEqual({ n1: ANTI, n2: ANTI, n3: 'Success', n4: 'Success' });
    const byHost = makePod('p').podAntiAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST }).obj();
    expect(filterAll(byHost, existing)).toEqual({ n1: ANTI, n2: 'Success', n3: 'Success', n4: 'Success' });
  });

  it("existing pods' anti-affinity keeps a matching pod out of their domain", () => {
    const existing = [makePod('e').node('n3').podAntiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: 'zone' }).obj()];
    expect(filterAll(makePod('p').labels({ app: 'web' }).obj(), existing)).toEqual({ n1: 'Success', n2: 'Success', n3: EXISTING_ANTI, n4: 'Success' });
    expect(filterAll(makePod('q').labels({ app: 'db' }).obj(), existing)).toEqual({ n1: 'Success', n2: 'Success', n3: 'Success', n4: 'Success' });
  });

  it('a term applies to its own namespace by default, to the listed ones, or to those a namespaceSelector selects', () => {
    const existing = [makePod('e', 'other').node('n1').labels({ app: 'db' }).obj()];
    const own = makePod('p').podAntiAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST }).obj();
    expect(filterAll(own, existing).n1).toBe('Success');
    const listed = makePod('p').podAntiAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST, namespaces: ['other'] }).obj();
    expect(filterAll(listed, existing).n1).toBe(ANTI);
    const selected = makePod('p').podAntiAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST, namespaceSelector: sel({ team: 'a' }) }).obj();
    expect(filterAll(selected, existing, { other: { team: 'a' } }).n1).toBe(ANTI);
    expect(filterAll(selected, existing, { other: { team: 'b' } }).n1).toBe('Success');
    const all = makePod('p').podAntiAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST, namespaceSelector: {} }).obj();
    expect(filterAll(all, existing).n1).toBe(ANTI);
  });

  it('a term without a labelSelector matches no pod', () => {
    const existing = [makePod('e').node('n1').labels({ app: 'db' }).obj()];
    expect(filterAll(makePod('p').podAntiAffinity({ topologyKey: HOST }).obj(), existing).n1).toBe('Success');
  });

  it('matchLabelKeys takes the value from the incoming pod', () => {
    const existing = [makePod('e').node('n1').labels({ app: 'db', rev: '1' }).obj(), makePod('f').node('n3').labels({ app: 'db', rev: '2' }).obj()];
    const pod = makePod('p').labels({ rev: '2' }).podAntiAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST, matchLabelKeys: ['rev'] }).obj();
    expect(filterAll(pod, existing)).toEqual({ n1: 'Success', n2: 'Success', n3: ANTI, n4: 'Success' });
  });
});

describe('InterPodAffinity PreFilterExtensions (preemption dry runs)', () => {
  const victim = makePod('victim').node('n1').labels({ app: 'db' }).obj();
  const pod = makePod('p').podAntiAffinity({ labelSelector: sel({ app: 'db' }), topologyKey: 'zone' }).obj();

  function setup(existing: Pod[]): { plugin: PreFilterPlugin & FilterPlugin; state: CycleStateImpl; infos: NodeInfo[] } {
    const infos = nodeInfos(nodes, existing);
    const plugin = factory(undefined, makeHandle(infos));
    if (!isPreFilterPlugin(plugin) || !isFilterPlugin(plugin)) throw new Error('not a PreFilter/Filter plugin');
    const state = new CycleStateImpl();
    expect(plugin.preFilter(state, pod, infos).status.code).toBe('Success');
    return { plugin, state, infos };
  }

  it('removePod lifts the rejection in the dry-run copy only', () => {
    const { plugin, state, infos } = setup([victim]);
    expect(statusText(plugin.filter(state, pod, infos[1]!))).toBe(ANTI);
    const copy = state.clone();
    const n1Without = makeNodeInfo(nodes[0]!, []);
    expect(plugin.preFilterExtensions!()!.removePod(copy, pod, newPodInfo(victim), n1Without).code).toBe('Success');
    expect(statusText(plugin.filter(copy, pod, infos[1]!))).toBe('Success');
    expect(statusText(plugin.filter(state, pod, infos[1]!))).toBe(ANTI);
  });

  it('addPod adds a matching pod and an existing anti-affinity', () => {
    const { plugin, state, infos } = setup([makePod('x').node('n3').labels({ app: 'web' }).obj()]);
    expect(statusText(plugin.filter(state, pod, infos[0]!))).toBe('Success');
    const ext = plugin.preFilterExtensions!()!;
    const copy = state.clone();
    ext.addPod(copy, pod, newPodInfo(victim), makeNodeInfo(nodes[0]!, [victim]));
    expect(statusText(plugin.filter(copy, pod, infos[1]!))).toBe(ANTI);
    const hater = makePod('hater').node('n3').podAntiAffinity({ labelSelector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, topologyKey: HOST }).obj();
    ext.addPod(copy, pod, newPodInfo(hater), makeNodeInfo(nodes[2]!, [hater]));
    expect(statusText(plugin.filter(copy, pod, infos[2]!))).toBe(EXISTING_ANTI);
    expect(statusText(plugin.filter(state, pod, infos[2]!))).toBe('Success');
  });
});

describe('InterPodAffinity score', () => {
  const existing = () => [makePod('e').node('n1').labels({ app: 'db' }).obj(), makePod('f').node('n3').labels({ app: 'web' }).obj()];

  it('preferred affinity: domains with matching pods score higher', () => {
    const pod = makePod('p').preferredPodAffinity({ weight: 5, podAffinityTerm: { labelSelector: sel({ app: 'db' }), topologyKey: 'zone' } }).obj();
    expect(scoreAll(pod, existing())).toEqual({ n1: 100, n2: 100, n3: 0, n4: 0 });
  });

  it('preferred anti-affinity: domains with matching pods score lower', () => {
    const pod = makePod('p').preferredPodAntiAffinity({ weight: 5, podAffinityTerm: { labelSelector: sel({ app: 'db' }), topologyKey: 'zone' } }).obj();
    expect(scoreAll(pod, existing())).toEqual({ n1: 0, n2: 0, n3: 100, n4: 100 });
  });

  it('sums weights per domain and normalises min..max to 0..100', () => {
    const pod = makePod('p')
      .preferredPodAffinity({ weight: 4, podAffinityTerm: { labelSelector: sel({ app: 'db' }), topologyKey: 'zone' } })
      .preferredPodAffinity({ weight: 2, podAffinityTerm: { labelSelector: sel({ app: 'web' }), topologyKey: 'zone' } })
      .preferredPodAntiAffinity({ weight: 1, podAffinityTerm: { labelSelector: sel({ app: 'db' }), topologyKey: HOST } })
      .obj();
    // raw: n1 4 − 1 = 3, n2 4, n3 2, n4 0 → min 0, max 4
    expect(scoreAll(pod, existing())).toEqual({ n1: 75, n2: 100, n3: 50, n4: 0 });
  });

  it("existing pods' preferred terms and required affinity (hardPodAffinityWeight) count toward the incoming pod", () => {
    const pods = [
      makePod('likes').node('n1').preferredPodAffinity({ weight: 3, podAffinityTerm: { labelSelector: sel({ app: 'web' }), topologyKey: 'zone' } }).obj(),
      makePod('hates').node('n3').preferredPodAntiAffinity({ weight: 3, podAffinityTerm: { labelSelector: sel({ app: 'web' }), topologyKey: 'zone' } }).obj(),
      makePod('needs').node('n4').podAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: HOST }).obj(),
    ];
    const pod = makePod('p').labels({ app: 'web' }).obj();
    // raw: n1 3, n2 3, n3 −3, n4 +1 (hard weight 1) → min −3, max 3
    expect(scoreAll(pod, pods)).toEqual({ n1: 100, n2: 100, n3: 0, n4: 66 });
    // hardPodAffinityWeight 0: the required term does not count. raw n4 0 → 50
    expect(scoreAll(pod, pods, { hardPodAffinityWeight: 0 })).toEqual({ n1: 100, n2: 100, n3: 0, n4: 50 });
    // ignorePreferredTermsOfExistingPods: a pod without preferred terms is not scored.
    expect(scoreAll(pod, pods, { ignorePreferredTermsOfExistingPods: true })).toEqual({ n1: 0, n2: 0, n3: 0, n4: 0 });
  });

  it('scores every node 0 when nothing matches', () => {
    const pod = makePod('p').preferredPodAffinity({ weight: 5, podAffinityTerm: { labelSelector: sel({ app: 'none' }), topologyKey: 'zone' } }).obj();
    expect(scoreAll(pod, existing())).toEqual({ n1: 0, n2: 0, n3: 0, n4: 0 });
  });

  it('rejects malformed args', () => {
    expect(() => factory({ hardPodAffinityWeight: 101 }, makeHandle([]))).toThrow(/not in valid range/);
    expect(() => factory({ ignorePreferredTermsOfExistingPods: 'yes' }, makeHandle([]))).toThrow(/must be a boolean/);
  });
});
