import { firstPendingIndexes, formatIntervals, getCompletionIndex, hasIndex, matchSuccessPolicy, parseIntervals, podGenerateNameWithIndex, totalIndexes, withOrderedIndexes } from './indexes';

describe('completion indexes', () => {
  it('reads the index annotation', () => {
    expect(getCompletionIndex({ 'batch.kubernetes.io/job-completion-index': '3' })).toBe(3);
    expect(getCompletionIndex({ 'batch.kubernetes.io/job-completion-index': '-1' })).toBe(-1);
    expect(getCompletionIndex({ 'batch.kubernetes.io/job-completion-index': 'x' })).toBe(-1);
    expect(getCompletionIndex(undefined)).toBe(-1);
  });

  it('formats intervals as Kubernetes does', () => {
    expect(formatIntervals([])).toBe('');
    expect(formatIntervals([{ first: 1, last: 1 }, { first: 3, last: 4 }, { first: 6, last: 9 }])).toBe('1,3,4,6-9');
  });

  it('parses completedIndexes, dropping corrupt parts and indexes beyond completions', () => {
    expect(parseIntervals('1,3-5,7', 10)).toEqual([{ first: 1, last: 1 }, { first: 3, last: 5 }, { first: 7, last: 7 }]);
    expect(parseIntervals('0,1,2-3', 10)).toEqual([{ first: 0, last: 3 }]);
    expect(parseIntervals('1,a,3-9,12', 5)).toEqual([{ first: 1, last: 1 }, { first: 3, last: 4 }]);
    expect(parseIntervals('', 5)).toEqual([]);
  });

  it('adds ordered indexes, merging neighbours', () => {
    const base = parseIntervals('1,5-6', 10);
    expect(formatIntervals(withOrderedIndexes(base, [0, 2, 4, 8]))).toBe('0-2,4-6,8');
    expect(totalIndexes(withOrderedIndexes(base, [0, 2, 4, 8]))).toBe(7);
    expect(hasIndex(base, 5)).toBe(true);
    expect(hasIndex(base, 3)).toBe(false);
    expect(hasIndex(base, 7)).toBe(false);
  });

  it('finds the first indexes with neither a success nor an active pod', () => {
    expect(firstPendingIndexes([1], parseIntervals('0,3', 6), 3, 6)).toEqual([2, 4, 5]);
    expect(firstPendingIndexes([], [], 2, 6)).toEqual([0, 1]);
    expect(firstPendingIndexes([0, 1, 2], [], 2, 3)).toEqual([]);
    expect(firstPendingIndexes([-1], [], 0, 3)).toEqual([]);
  });

  it('names pods <job>-<index>-, cutting long job names', () => {
    expect(podGenerateNameWithIndex('pi', 7)).toBe('pi-7-');
    const long = 'x'.repeat(63);
    expect(podGenerateNameWithIndex(long, 12)).toBe('x'.repeat(54) + '-12-');
  });

  it('matches success policies', () => {
    const succeeded = parseIntervals('0-2,5', 10);
    expect(matchSuccessPolicy([{ succeededIndexes: '0-1' }], 10, succeeded)).toBe('Matched rules at index 0');
    expect(matchSuccessPolicy([{ succeededIndexes: '4-6' }, { succeededCount: 4 }], 10, succeeded)).toBe('Matched rules at index 1');
    expect(matchSuccessPolicy([{ succeededIndexes: '4-6', succeededCount: 1 }], 10, succeeded)).toBe('Matched rules at index 0');
    expect(matchSuccessPolicy([{ succeededIndexes: '4-6', succeededCount: 2 }], 10, succeeded)).toBeUndefined();
    expect(matchSuccessPolicy(undefined, 10, succeeded)).toBeUndefined();
  });
});
