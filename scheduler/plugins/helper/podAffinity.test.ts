import { TopologyCounts } from './podAffinity';

describe('TopologyCounts', () => {
  it('counts per pair and tracks the number of non-zero pairs', () => {
    const c = new TopologyCounts();
    c.add('zone', 'a', 2);
    c.addForNode({ zone: 'b' }, 'zone', 1);
    c.addForNode({ host: 'h' }, 'zone', 5); // the node lacks the key: ignored
    expect([c.get('zone', 'a'), c.get('zone', 'b'), c.pairs]).toEqual([2, 1, 2]);
    c.add('zone', 'a', -2);
    expect([c.get('zone', 'a'), c.pairs]).toEqual([0, 1]);
  });

  it('clones deeply', () => {
    const c = new TopologyCounts();
    c.add('zone', 'a', 1);
    const d = c.clone();
    d.add('zone', 'a', -1);
    expect([c.get('zone', 'a'), c.pairs, d.get('zone', 'a'), d.pairs]).toEqual([1, 1, 0, 0]);
  });
});
