import {
  balancedResourceScorer,
  brokenLinearFunction,
  leastAllocatedScorer,
  leastRequestedScore,
  mostAllocatedScorer,
  mostRequestedScore,
  requestedToCapacityRatioScorer,
} from './resourceAllocation';

const f64 = (...v: number[]) => Float64Array.from(v);
const cpuMem = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

describe('resource allocation strategies', () => {
  it('leastRequestedScore / mostRequestedScore', () => {
    expect(leastRequestedScore(3000, 4000)).toBe(25);
    expect(leastRequestedScore(5000, 4000)).toBe(0);
    expect(leastRequestedScore(0, 0)).toBe(0);
    expect(mostRequestedScore(3000, 4000)).toBe(75);
    expect(mostRequestedScore(5000, 4000)).toBe(100);
    expect(mostRequestedScore(1, 0)).toBe(0);
  });

  it('weighted scorers average over resources with allocatable, by weight', () => {
    expect(leastAllocatedScorer(cpuMem)(f64(1000, 5000), f64(4000, 10000))).toBe(Math.trunc((75 + 50) / 2));
    expect(mostAllocatedScorer([{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }])(f64(1000, 5000), f64(4000, 10000))).toBe(Math.trunc((25 * 3 + 50) / 4));
    // A resource with no allocatable is left out.
    expect(leastAllocatedScorer(cpuMem)(f64(1000, 0), f64(4000, 0))).toBe(75);
    expect(leastAllocatedScorer(cpuMem)(f64(0, 0), f64(0, 0))).toBe(0);
  });

  it('brokenLinearFunction interpolates between points with integer division, flat outside', () => {
    const fn = brokenLinearFunction([
      { utilization: 10, score: 1 },
      { utilization: 30, score: 5 },
      { utilization: 70, score: 2 },
    ]);
    expect([fn(0), fn(10), fn(15), fn(30), fn(50), fn(70), fn(100)]).toEqual([1, 1, 2, 5, 4, 2, 2]); // 50: 5 + trunc(−3 × 20 / 40) = 4 (Go truncates toward zero)
  });

  it('requestedToCapacityRatioScorer scales shape scores by 10 and rounds the weighted mean', () => {
    const scorer = requestedToCapacityRatioScorer(cpuMem, [
      { utilization: 0, score: 0 },
      { utilization: 100, score: 10 },
    ]);
    expect(scorer(f64(1000, 7500), f64(4000, 10000))).toBe(Math.round((25 + 75) / 2));
    expect(scorer(f64(1000, 5000), f64(4000, 20000))).toBe(25);
    // A resource scoring 0 does not count in the mean.
    expect(scorer(f64(0, 5000), f64(4000, 10000))).toBe(50);
  });

  it('balancedResourceScorer: 100 × (1 − std of the fractions), fractions capped at 1', () => {
    expect(balancedResourceScorer(f64(3000, 5000), f64(4000, 10000))).toBe(87);
    expect(balancedResourceScorer(f64(3000, 5000), f64(6000, 10000))).toBe(100);
    expect(balancedResourceScorer(f64(8000, 5000), f64(4000, 10000))).toBe(75);
    // One resource: no deviation.
    expect(balancedResourceScorer(f64(3000, 0), f64(4000, 0))).toBe(100);
  });
});
