import { makePod } from '../testing';
import { CriticalPaths, compileConstraints, countMatchingPods, nodeHasAllTopologyKeys } from './topologySpread';
import { newPodInfo } from '../../framework/podInfo';

describe('CriticalPaths', () => {
  const paths = (...updates: [string, number][]) => {
    const p = new CriticalPaths();
    for (const [v, n] of updates) p.update(v, n);
    return p;
  };

  it('keeps the two smallest domains, the minimum first', () => {
    const p = paths(['a', 3], ['b', 1], ['c', 2], ['d', 5]);
    expect([p.value0, p.num0, p.value1, p.num1]).toEqual(['b', 1, 'c', 2]);
    expect(p.min).toBe(1);
  });

  it('updates a known domain in place and swaps when it passes the other', () => {
    const p = paths(['a', 1], ['b', 2]);
    p.update('a', 3);
    expect([p.value0, p.num0, p.value1, p.num1]).toEqual(['b', 2, 'a', 3]);
    p.update('b', 0);
    expect(p.min).toBe(0);
  });

  it('has no minimum until a domain is seen, and clones independently', () => {
    expect(new CriticalPaths().min).toBe(2 ** 31 - 1);
    const p = paths(['a', 1]);
    const c = p.clone();
    c.update('a', 0);
    expect([p.min, c.min]).toEqual([1, 0]);
  });
});

describe('spread constraints', () => {
  it('compiles only the requested action, with Kubernetes defaults', () => {
    const pod = makePod('p')
      .spread(1, 'zone', 'DoNotSchedule', { matchLabels: { app: 'x' } })
      .spread(2, 'host', 'ScheduleAnyway', { matchLabels: { app: 'x' } })
      .obj();
    expect(compileConstraints(pod, 'DoNotSchedule')).toEqual([
      { maxSkew: 1, topologyKey: 'zone', selector: [{ key: 'app', operator: 'In', values: ['x'] }], minDomains: 1, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' },
    ]);
    expect(compileConstraints(pod, 'ScheduleAnyway').map((c) => c.maxSkew)).toEqual([2]);
  });

  it('merges matchLabelKeys the pod has; a missing labelSelector selects nothing', () => {
    const pod = makePod('p')
      .labels({ rev: '7' })
      .spread(1, 'zone', 'DoNotSchedule', { matchLabels: { app: 'x' } }, { matchLabelKeys: ['rev', 'absent'] })
      .spread(1, 'host', 'DoNotSchedule', undefined)
      .obj();
    const [withKeys, noSelector] = compileConstraints(pod, 'DoNotSchedule');
    expect(withKeys!.selector).toEqual([
      { key: 'app', operator: 'In', values: ['x'] },
      { key: 'rev', operator: 'In', values: ['7'] },
    ]);
    expect(noSelector!.selector).toBeNull();
  });

  it('counts matching pods of the namespace, not terminating ones', () => {
    const pods = [
      makePod('a').labels({ app: 'x' }).obj(),
      makePod('b', 'other').labels({ app: 'x' }).obj(),
      makePod('c').labels({ app: 'x' }).terminating().obj(),
      makePod('d').labels({ app: 'y' }).obj(),
    ].map(newPodInfo);
    expect(countMatchingPods(pods, [{ key: 'app', operator: 'In', values: ['x'] }], 'default')).toBe(1);
    expect(countMatchingPods(pods, [], 'default')).toBe(0);
    expect(countMatchingPods(pods, null, 'default')).toBe(0);
  });

  it('nodeHasAllTopologyKeys', () => {
    const [c] = compileConstraints(makePod('p').spread(1, 'zone', 'DoNotSchedule', {}).obj(), 'DoNotSchedule');
    expect(nodeHasAllTopologyKeys({ zone: '' }, [c!])).toBe(true);
    expect(nodeHasAllTopologyKeys({ region: 'r' }, [c!])).toBe(false);
    expect(nodeHasAllTopologyKeys(undefined, [])).toBe(true);
  });
});
