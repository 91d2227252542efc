import type { NodeScore } from '../../framework/interfaces';
import { defaultNormalizeScore } from './normalize';

const scores = (...values: number[]): NodeScore[] => values.map((score, i) => ({ name: `n${i}`, score }));
const values = (s: NodeScore[]) => s.map((x) => x.score);

describe('defaultNormalizeScore', () => {
  it('scales to 0..100 by the highest score, truncating', () => {
    const s = scores(3, 6, 0, 1);
    defaultNormalizeScore(s, false);
    expect(values(s)).toEqual([50, 100, 0, 16]);
  });

  it('reverses: the highest raw score gets 0', () => {
    const s = scores(3, 6, 0, 1);
    defaultNormalizeScore(s, true);
    expect(values(s)).toEqual([50, 0, 100, 84]);
  });

  it('all zero stays zero, or becomes 100 when reversed', () => {
    const s = scores(0, 0);
    defaultNormalizeScore(s, false);
    expect(values(s)).toEqual([0, 0]);
    defaultNormalizeScore(s, true);
    expect(values(s)).toEqual([100, 100]);
  });

  it('honours another maximum', () => {
    const s = scores(1, 2);
    defaultNormalizeScore(s, false, 10);
    expect(values(s)).toEqual([5, 10]);
  });
});
