import type { Taint } from '../../api/kinds/core/taint';
import { factory, name } from './taintToleration';
import { isPreScorePlugin } from '../framework/interfaces';
import { filterOne, makeCycleState, makeHandle, makeNode, makeNodeInfo, makePod, nodeInfos, scoreMap } from './testing';

const plugin = factory(undefined, makeHandle([]));
const taint = (key: string, value: string, effect: Taint['effect']): Taint => ({ key, value, effect });

describe('TaintToleration filter', () => {
  const dedicated = makeNodeInfo(makeNode('n').taints([taint('dedicated', 'user1', 'NoSchedule')]).obj());

  it('is named as in Kubernetes', () => expect(plugin.name).toBe(name));

  it('accepts a pod on a node without taints', () => {
    expect(filterOne(plugin, makePod('p').obj(), makeNodeInfo(makeNode('n').obj()))).toBe('Success');
  });

  it('rejects a pod that does not tolerate a NoSchedule taint, naming the taint', () => {
    expect(filterOne(plugin, makePod('p').obj(), dedicated)).toBe('UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: user1}');
  });

  it('rejects an untolerated NoExecute taint too', () => {
    const node = makeNodeInfo(makeNode('n').taints([taint('gone', '', 'NoExecute')]).obj());
    expect(filterOne(plugin, makePod('p').obj(), node)).toBe('UnschedulableAndUnresolvable: node(s) had untolerated taint {gone: }');
  });

  it('ignores PreferNoSchedule taints', () => {
    const node = makeNodeInfo(makeNode('n').taints([taint('soft', 'x', 'PreferNoSchedule')]).obj());
    expect(filterOne(plugin, makePod('p').obj(), node)).toBe('Success');
  });

  it.each([
    ['Equal with the same value', { key: 'dedicated', operator: 'Equal' as const, value: 'user1', effect: 'NoSchedule' as const }, 'Success'],
    ['the default operator (Equal)', { key: 'dedicated', value: 'user1', effect: 'NoSchedule' as const }, 'Success'],
    ['Exists on the key', { key: 'dedicated', operator: 'Exists' as const, effect: 'NoSchedule' as const }, 'Success'],
    ['Exists on the key, every effect', { key: 'dedicated', operator: 'Exists' as const }, 'Success'],
    ['Exists without a key (everything)', { operator: 'Exists' as const }, 'Success'],
    ['Equal with another value', { key: 'dedicated', operator: 'Equal' as const, value: 'user2', effect: 'NoSchedule' as const }, 'reject'],
    ['another effect', { key: 'dedicated', operator: 'Equal' as const, value: 'user1', effect: 'NoExecute' as const }, 'reject'],
    ['another key', { key: 'other', operator: 'Exists' as const }, 'reject'],
  ])('a toleration with %s', (_what, toleration, want) => {
    const got = filterOne(plugin, makePod('p').toleration(toleration).obj(), dedicated);
    expect(got).toBe(want === 'Success' ? 'Success' : 'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: user1}');
  });

  it('reports the first untolerated taint when several are', () => {
    const node = makeNodeInfo(makeNode('n').taints([taint('a', '1', 'NoSchedule'), taint('b', '2', 'NoSchedule')]).obj());
    expect(filterOne(plugin, makePod('p').toleration({ key: 'a', operator: 'Exists' }).obj(), node)).toBe(
      'UnschedulableAndUnresolvable: node(s) had untolerated taint {b: 2}',
    );
  });
});

describe('TaintToleration score (PreferNoSchedule)', () => {
  it('prefers nodes whose PreferNoSchedule taints the pod tolerates', () => {
    const infos = nodeInfos([
      makeNode('a').taints([taint('foo', 'bar', 'PreferNoSchedule')]).obj(),
      makeNode('b').taints([taint('foo', 'blah', 'PreferNoSchedule')]).obj(),
    ]);
    const pod = makePod('p').toleration({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }).obj();
    expect(scoreMap(plugin, pod, infos)).toEqual({ a: 100, b: 0 });
  });

  it('scores fewer untolerated taints higher, normalised in reverse', () => {
    const infos = nodeInfos([
      makeNode('a').obj(),
      makeNode('b').taints([taint('x', '1', 'PreferNoSchedule')]).obj(),
      makeNode('c').taints([taint('x', '1', 'PreferNoSchedule'), taint('y', '2', 'PreferNoSchedule')]).obj(),
    ]);
    expect(scoreMap(plugin, makePod('p').obj(), infos)).toEqual({ a: 100, b: 50, c: 0 });
  });

  it('counts only PreferNoSchedule taints and tolerations with that effect (or none)', () => {
    const infos = nodeInfos([
      makeNode('a').taints([taint('cpu-type', 'arm64', 'NoSchedule')]).obj(),
      makeNode('b').taints([taint('cpu-type', 'arm64', 'PreferNoSchedule')]).obj(),
      makeNode('c').taints([taint('cpu-type', 'arm64', 'PreferNoSchedule')]).obj(),
    ]);
    // A NoSchedule toleration does not tolerate the PreferNoSchedule taint of b.
    const pod = makePod('p').toleration({ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }).obj();
    expect(scoreMap(plugin, pod, infos)).toEqual({ a: 100, b: 0, c: 0 });
    // A toleration without an effect tolerates it.
    const any = makePod('q').toleration({ key: 'cpu-type', operator: 'Exists' }).obj();
    expect(scoreMap(plugin, any, infos)).toEqual({ a: 100, b: 100, c: 100 });
  });

  it('skips scoring when no node has a PreferNoSchedule taint (each would score 100: none ranks higher)', () => {
    const infos = nodeInfos([makeNode('a').obj(), makeNode('b').taints([taint('dedicated', 'x', 'NoSchedule')]).obj()]);
    expect(isPreScorePlugin(plugin) && plugin.preScore(makeCycleState(), makePod('p').obj(), infos).code).toBe('Skip');
    // A PreferNoSchedule taint on one node, even a tolerated one, means scoring.
    const preferred = nodeInfos([makeNode('a').obj(), makeNode('b').taints([taint('cpu-type', 'arm64', 'PreferNoSchedule')]).obj()]);
    expect(isPreScorePlugin(plugin) && plugin.preScore(makeCycleState(), makePod('p').obj(), preferred).code).toBe('Success');
    expect(scoreMap(plugin, makePod('p').obj(), preferred)).toEqual({ a: 100, b: 0 });
  });
});
