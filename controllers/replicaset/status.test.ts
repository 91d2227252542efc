import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { Pod } from '../../api/kinds/core/pod';
import { calculateStatus, nextAvailabilityCheckMs, statusNeedsUpdate } from './status';

const now = Date.parse('2025-01-01T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString().slice(0, 19) + 'Z';

function rs(replicas: number, extra: Partial<NonNullable<ReplicaSet['spec']>> = {}, status?: ReplicaSet['status']): ReplicaSet {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: 2 },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'fe' } } }, ...extra },
    ...(status ? { status } : {}),
  };
}

function pod(labels: Record<string, string>, readySecondsAgo?: number): Pod {
  return {
    metadata: { name: 'p', labels },
    status: readySecondsAgo === undefined ? { phase: 'Pending' } : { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ago(readySecondsAgo) }] },
  };
}

describe('ReplicaSet status', () => {
  it('counts replicas, fully labeled, ready and available pods', () => {
    const pods = [pod({ app: 'web', tier: 'fe' }, 100), pod({ app: 'web' }, 100), pod({ app: 'web', tier: 'fe' }, 1), pod({ app: 'web', tier: 'fe' })];
    expect(calculateStatus(rs(4, { minReadySeconds: 10 }), pods, undefined, now)).toEqual({ replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 2 });
    expect(calculateStatus(rs(4), pods, undefined, now).availableReplicas).toBe(3);
  });

  it('sets ReplicaFailure on a failed create or delete, and removes it once things work', () => {
    const failed = calculateStatus(rs(3), [], new Error('exceeded quota'), now);
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota', lastTransitionTime: '2025-01-01T12:00:00Z' }]);
    const tooMany = calculateStatus(rs(0), [pod({ app: 'web' })], new Error('forbidden'), now);
    expect(tooMany.conditions?.[0]?.reason).toBe('FailedDelete');
    // Kept (not re-stamped) while failures go on; removed after a clean sync.
    const later = calculateStatus(rs(3, {}, failed), [], new Error('other'), now + 60_000);
    expect(later.conditions).toEqual(failed.conditions);
    expect(calculateStatus(rs(3, {}, failed), [], undefined, now).conditions).toBeUndefined();
  });

  it('needs a write when a count, the conditions, or observedGeneration differ', () => {
    const status = { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1 };
    expect(statusNeedsUpdate(rs(1, {}, { ...status, observedGeneration: 2 }), status)).toBe(false);
    expect(statusNeedsUpdate(rs(1, {}, { ...status, observedGeneration: 1 }), status)).toBe(true);
    expect(statusNeedsUpdate(rs(1, {}, { ...status, observedGeneration: 2 }), { ...status, readyReplicas: 0 })).toBe(true);
  });

  it('knows when a ready pod becomes available', () => {
    const r = rs(2, { minReadySeconds: 10 });
    expect(nextAvailabilityCheckMs(r, [pod({ app: 'web' }, 4), pod({ app: 'web' }, 8)], now)).toBe(2001);
    expect(nextAvailabilityCheckMs(r, [pod({ app: 'web' }, 40), pod({ app: 'web' })], now)).toBeUndefined();
    expect(nextAvailabilityCheckMs(rs(2), [pod({ app: 'web' }, 1)], now)).toBeUndefined();
  });
});
