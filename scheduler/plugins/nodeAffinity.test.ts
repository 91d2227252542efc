import { isPreFilterPlugin, type PreFilterPlugin } from '../framework/interfaces';
import { factory, name, nodeNamesOf } from './nodeAffinity';
import { filterOne, makeCycleState, makeHandle, makeNode, makeNodeInfo, makePod, nodeInfos, runFilter, scoreMap } from './testing';

const handle = makeHandle([]);
const plugin = factory(undefined, handle);
const REJECT = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";

const zoneA = makeNodeInfo(makeNode('a').labels({ zone: 'a', disk: 'ssd', cores: '8' }).obj());
const zoneB = makeNodeInfo(makeNode('b').labels({ zone: 'b', cores: '2' }).obj());
const bare = makeNodeInfo(makeNode('c').obj());

function preFilter(pod: ReturnType<typeof makePod>) {
  if (!isPreFilterPlugin(plugin)) throw new Error('not a PreFilter plugin');
  return (plugin as PreFilterPlugin).preFilter(makeCycleState(), pod.obj(), [zoneA, zoneB, bare]);
}

describe('NodeAffinity filter', () => {
  it('is named as in Kubernetes', () => expect(plugin.name).toBe(name));

  it('skips pods without a nodeSelector or required affinity', () => {
    expect(preFilter(makePod('p')).status.code).toBe('Skip');
    expect(runFilter(plugin, makePod('p').obj(), [zoneA, bare])).toEqual({ a: 'Success', c: 'Success' });
  });

  it('spec.nodeSelector: every label must match', () => {
    const pod = makePod('p').nodeSelector({ zone: 'a', disk: 'ssd' }).obj();
    expect(runFilter(plugin, pod, [zoneA, zoneB, bare])).toEqual({ a: 'Success', b: REJECT, c: REJECT });
    const partial = makePod('q').nodeSelector({ zone: 'b', disk: 'ssd' }).obj();
    expect(runFilter(plugin, partial, [zoneA, zoneB])).toEqual({ a: REJECT, b: REJECT });
  });

  it.each([
    ['In', { key: 'zone', operator: 'In', values: ['a', 'x'] }, { a: 'Success', b: REJECT, c: REJECT }],
    ['NotIn (a missing label matches)', { key: 'zone', operator: 'NotIn', values: ['a'] }, { a: REJECT, b: 'Success', c: 'Success' }],
    ['Exists', { key: 'disk', operator: 'Exists' }, { a: 'Success', b: REJECT, c: REJECT }],
    ['DoesNotExist', { key: 'disk', operator: 'DoesNotExist' }, { a: REJECT, b: 'Success', c: 'Success' }],
    ['Gt', { key: 'cores', operator: 'Gt', values: ['4'] }, { a: 'Success', b: REJECT, c: REJECT }],
    ['Lt', { key: 'cores', operator: 'Lt', values: ['4'] }, { a: REJECT, b: 'Success', c: REJECT }],
    ['Gt with a non-integer value (never matches)', { key: 'cores', operator: 'Gt', values: ['four'] }, { a: REJECT, b: REJECT, c: REJECT }],
    ['an unknown operator (never matches)', { key: 'zone', operator: 'Near', values: ['a'] }, { a: REJECT, b: REJECT, c: REJECT }],
  ])('required term with %s', (_what, expr, want) => {
    const pod = makePod('p').requiredNodeTerms([{ matchExpressions: [expr] }]).obj();
    expect(runFilter(plugin, pod, [zoneA, zoneB, bare])).toEqual(want);
  });

  it('ANDs the expressions of a term and ORs the terms', () => {
    const and = makePod('p').requiredNodeTerms([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, { key: 'disk', operator: 'Exists' }] }]).obj();
    expect(runFilter(plugin, and, [zoneA, zoneB])).toEqual({ a: 'Success', b: REJECT });
    const or = makePod('q')
      .requiredNodeTerms([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'disk', operator: 'Exists' }] }])
      .obj();
    expect(runFilter(plugin, or, [zoneA, zoneB, bare])).toEqual({ a: 'Success', b: 'Success', c: REJECT });
  });

  it('an empty term list and empty terms match no node', () => {
    expect(runFilter(plugin, makePod('p').requiredNodeTerms([]).obj(), [zoneA, bare])).toEqual({ a: REJECT, c: REJECT });
    expect(runFilter(plugin, makePod('p').requiredNodeTerms([{}]).obj(), [zoneA, bare])).toEqual({ a: REJECT, c: REJECT });
  });

  it('needs both the nodeSelector and the required affinity', () => {
    const pod = makePod('p').nodeSelector({ disk: 'ssd' }).nodeAffinityIn('zone', ['b']).obj();
    expect(runFilter(plugin, pod, [zoneA, zoneB])).toEqual({ a: REJECT, b: REJECT });
  });

  it('matchFields metadata.name narrows the nodes in PreFilter', () => {
    const byName = (n: string) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: [n] }] });
    const pod = makePod('p').requiredNodeTerms([byName('a'), byName('c')]);
    expect([...(preFilter(pod).result?.nodeNames ?? [])].sort()).toEqual(['a', 'c']);
    expect(runFilter(plugin, pod.obj(), [zoneA, zoneB, bare])).toEqual({ a: 'Success', b: 'Excluded', c: 'Success' });
  });

  it('a field requirement with several values does not parse and matches nothing (the API allows one)', () => {
    const pod = makePod('p').requiredNodeTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'c'] }] }]).obj();
    expect(filterOne(plugin, pod, zoneA)).toBe(REJECT);
  });

  it('matchFields NotIn excludes the named node', () => {
    const pod = makePod('p').requiredNodeTerms([{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['a'] }] }]);
    expect(preFilter(pod).result).toBeUndefined();
    expect(runFilter(plugin, pod.obj(), [zoneA, zoneB])).toEqual({ a: REJECT, b: 'Success' });
  });

  it('nodeNamesOf: intersection within a term, union over terms, undefined when a term names no node', () => {
    const term = (...values: string[][]) => ({ matchFields: values.map((v) => ({ key: 'metadata.name', operator: 'In', values: v })) });
    expect([...nodeNamesOf([term(['a', 'b'], ['b', 'c'])])!]).toEqual(['b']);
    expect([...nodeNamesOf([term(['a']), term(['c'])])!].sort()).toEqual(['a', 'c']);
    expect(nodeNamesOf([term(['a']), { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }])).toBeUndefined();
  });

  it('terms whose node names conflict reject the pod in PreFilter', () => {
    const pod = makePod('p').requiredNodeTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }, { key: 'metadata.name', operator: 'In', values: ['b'] }] }]);
    expect(preFilter(pod).status).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: ['pod affinity terms conflict'] });
  });

  it('addedAffinity (args) is enforced on every pod with its own reason', () => {
    const enforced = factory({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } }, handle);
    expect(runFilter(enforced, makePod('p').obj(), [zoneA, zoneB])).toEqual({
      a: 'Success',
      b: "UnschedulableAndUnresolvable: node(s) didn't match scheduler-enforced node affinity",
    });
    // The pod's own affinity is still checked after the enforced one.
    expect(filterOne(enforced, makePod('q').nodeSelector({ disk: 'hdd' }).obj(), zoneA)).toBe(REJECT);
  });

  it('rejects malformed args with a clear error', () => {
    expect(() => factory('zone=a', handle)).toThrow('NodeAffinity: args must be an object');
    expect(() => factory({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: 'x' } } }, handle)).toThrow(/must be a NodeSelector/);
    expect(() => factory({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } }, handle)).toThrow(/weighted \(1\.\.100\)/);
  });
});

describe('NodeAffinity score (preferred)', () => {
  const infos = nodeInfos([
    makeNode('a').labels({ zone: 'a', disk: 'ssd' }).obj(),
    makeNode('b').labels({ zone: 'b', disk: 'ssd' }).obj(),
    makeNode('c').labels({ zone: 'c' }).obj(),
  ]);

  it('sums the weights of the matching preferred terms, normalised so the best node gets 100', () => {
    const pod = makePod('p')
      .preferredNodeTerms([
        { weight: 2, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
        { weight: 6, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      ])
      .obj();
    // raw: a 8, b 6, c 0
    expect(scoreMap(plugin, pod, infos)).toEqual({ a: 100, b: 75, c: 0 });
  });

  it('ignores terms of weight 0 and empty terms', () => {
    const pod = makePod('p')
      .preferredNodeTerms([
        { weight: 0, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
        { weight: 5, preference: {} },
        { weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['c'] }] } },
      ])
      .obj();
    expect(scoreMap(plugin, pod, infos)).toEqual({ a: 0, b: 0, c: 100 });
  });

  it('skips pods without preferred terms (every node scores 0)', () => {
    expect(scoreMap(plugin, makePod('p').obj(), infos)).toEqual({ a: 0, b: 0, c: 0 });
  });

  it('adds the preferred terms of addedAffinity', () => {
    const withAdded = factory({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } }] } }, handle);
    const pod = makePod('p').preferredNodeTerms([{ weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }]).obj();
    expect(scoreMap(withAdded, pod, infos)).toEqual({ a: 50, b: 100, c: 0 });
    expect(scoreMap(withAdded, makePod('q').obj(), infos)).toEqual({ a: 0, b: 100, c: 0 });
  });
});
