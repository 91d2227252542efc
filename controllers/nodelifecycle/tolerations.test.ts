import type { Taint } from '../../api/kinds/core/taint';
import { toleratesTaint } from '../../api/kinds/core/toleration';
import { evictionTime, matchingTolerations } from './tolerations';

const taint = (key: string, value?: string, timeAdded?: number): Taint => ({ key, effect: 'NoExecute', ...(value ? { value } : {}), ...(timeAdded !== undefined ? { timeAdded: new Date(timeAdded).toISOString() } : {}) });

describe('tolerations', () => {
  it('match by key, value, effect and operator', () => {
    expect(toleratesTaint({ key: 'a', operator: 'Exists' }, taint('a'))).toBe(true);
    expect(toleratesTaint({ key: 'a', value: 'v' }, taint('a', 'v'))).toBe(true);
    expect(toleratesTaint({ key: 'a', operator: 'Equal', value: 'w' }, taint('a', 'v'))).toBe(false);
    expect(toleratesTaint({ key: 'a', operator: 'Exists', effect: 'NoSchedule' }, taint('a'))).toBe(false);
    expect(toleratesTaint({ operator: 'Exists' }, taint('anything'))).toBe(true);
    expect(matchingTolerations([taint('a'), taint('b')], [{ key: 'a', operator: 'Exists' }])).toBeUndefined();
  });

  it('give the time a pod must go: now, at the earliest expiry, or never', () => {
    const seen = () => 5_000;
    expect(evictionTime([taint('a')], [], 1_000, seen)).toBe(1_000);
    expect(evictionTime([taint('a')], [{ key: 'a', operator: 'Exists' }], 1_000, seen)).toBeUndefined();
    expect(evictionTime([taint('a', undefined, 10_000), taint('b', undefined, 20_000)], [{ key: 'a', operator: 'Exists', tolerationSeconds: 30 }, { key: 'b', operator: 'Exists', tolerationSeconds: 5 }], 0, seen)).toBe(25_000);
    // Without timeAdded: from when it was first seen. A toleration of 0 s or less: now.
    expect(evictionTime([taint('a')], [{ key: 'a', operator: 'Exists', tolerationSeconds: 2 }], 0, seen)).toBe(7_000);
    expect(evictionTime([taint('a', undefined, 0)], [{ key: 'a', operator: 'Exists', tolerationSeconds: -1 }], 3_000, seen)).toBe(3_000);
    expect(evictionTime([], [], 0, seen)).toBeUndefined();
  });
});
