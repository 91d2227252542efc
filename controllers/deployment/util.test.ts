import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  proportionalScale,
  resolveFenceposts,
  sameStatus,
  scaledValue,
  setCondition,
  setNewReplicaSetAnnotations,
} from './util';

const now = Date.parse('2025-01-01T12:00:00Z');
const at = (s: number) => new Date(now + s * 1000).toISOString().slice(0, 19) + 'Z';

function deployment(replicas: number, strategy: Partial<NonNullable<NonNullable<Deployment['spec']>['strategy']>> = {}, extra: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: 1, annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 }, ...strategy },
      progressDeadlineSeconds: 600,
      ...extra,
    },
  };
}

function rs(name: string, replicas: number, createdAt: number, extra: { available?: number; annotations?: Record<string, string>; image?: string; hash?: string } = {}): ReplicaSet {
  return {
    metadata: { name, uid: `${name}-uid`, creationTimestamp: at(createdAt), ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', ...(extra.hash ? { 'pod-template-hash': extra.hash } : {}) } }, spec: { containers: [{ name: 'c', image: extra.image ?? 'nginx:1' }] } },
    },
    status: { replicas, availableReplicas: extra.available ?? replicas, readyReplicas: extra.available ?? replicas },
  };
}

describe('fenceposts', () => {
  it('scales percentages: surge rounds up, unavailable rounds down', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(4, 10, true)).toBe(4);
    expect(() => scaledValue('25', 10, true)).toThrow(/invalid value/);
  });

  it('makes one pod unavailable when both would be 0', () => {
    expect(resolveFenceposts(0, 0, 10)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts('1%', '1%', 10)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts('25%', '25%', 3)).toEqual({ surge: 1, unavailable: 0 });
  });

  it('reads maxSurge and maxUnavailable of a Deployment', () => {
    const d = deployment(10, { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(maxSurge(d)).toBe(3);
    expect(maxUnavailable(d)).toBe(2);
    expect(maxUnavailable(deployment(2, { rollingUpdate: { maxSurge: 0, maxUnavailable: 5 } }))).toBe(2);
    expect(maxUnavailable(deployment(0, { rollingUpdate: { maxSurge: 0, maxUnavailable: 5 } }))).toBe(0);
    const recreate = deployment(3, { type: 'Recreate', rollingUpdate: undefined });
    expect(maxSurge(recreate)).toBe(0);
    expect(maxUnavailable(recreate)).toBe(0);
  });
});

describe('new ReplicaSet size', () => {
  it('grows within replicas + maxSurge', () => {
    const d = deployment(10, { rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } });
    const oldRS = rs('old', 10, 0);
    const newRS = rs('new', 0, 10);
    expect(newRSNewReplicas(d, [oldRS, newRS], newRS)).toBe(2);
    expect(newRSNewReplicas(d, [rs('old', 9, 0), rs('new', 2, 10)], rs('new', 2, 10))).toBe(3);
    expect(newRSNewReplicas(d, [rs('old', 10, 0), rs('new', 2, 10)], rs('new', 2, 10))).toBe(2);
    expect(newRSNewReplicas(d, [rs('old', 0, 0), rs('new', 9, 10)], rs('new', 9, 10))).toBe(10);
  });

  it('is all at once for Recreate', () => {
    expect(newRSNewReplicas(deployment(5, { type: 'Recreate', rollingUpdate: undefined }), [], rs('new', 0, 0))).toBe(5);
  });
});

describe('finding the new ReplicaSet', () => {
  it('compares templates without the pod-template-hash label, empty and absent alike', () => {
    const d = deployment(1);
    expect(equalIgnoreHash(d.spec!.template, rs('a', 1, 0, { hash: 'abc' }).spec!.template)).toBe(true);
    expect(equalIgnoreHash({ metadata: { labels: { app: 'web' }, annotations: {} }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } }, d.spec!.template)).toBe(true);
    expect(equalIgnoreHash(d.spec!.template, rs('a', 1, 0, { image: 'nginx:2' }).spec!.template)).toBe(false);
  });

  it('takes the oldest ReplicaSet whose template matches', () => {
    const d = deployment(1);
    const found = findNewReplicaSet(d, [rs('other', 1, 0, { image: 'x' }), rs('newer', 1, 20), rs('older', 1, 10)]);
    expect(found?.metadata?.name).toBe('older');
    expect(findNewReplicaSet(d, [rs('other', 1, 0, { image: 'x' })])).toBeUndefined();
  });
});

describe('ReplicaSet annotations', () => {
  it('on a new ReplicaSet: the revision, the replica annotations and the Deployment annotations but the skipped', () => {
    const d = deployment(3, { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    d.metadata!.annotations = { 'kubernetes.io/change-cause': 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '7' };
    const r = rs('new', 0, 0);
    expect(setNewReplicaSetAnnotations(d, r, 1, false)).toBe(true);
    expect(r.metadata?.annotations).toEqual({
      'kubernetes.io/change-cause': 'x',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(setNewReplicaSetAnnotations(d, r, 1, true)).toBe(false);
  });

  it('on a ReplicaSet brought back by a rollback: a higher revision, the old one kept in revision-history', () => {
    const d = deployment(1);
    const r = rs('back', 1, 0, { annotations: { 'deployment.kubernetes.io/revision': '1' } });
    expect(setNewReplicaSetAnnotations(d, r, 3, true)).toBe(true);
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    setNewReplicaSetAnnotations(d, r, 5, true);
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1,3');
    // A lower revision changes nothing.
    expect(setNewReplicaSetAnnotations(d, r, 2, true)).toBe(false);
  });

  it('drops the oldest history entries beyond the length limit', () => {
    const d = deployment(1);
    const r = rs('back', 1, 0, { annotations: { 'deployment.kubernetes.io/revision': '9', 'deployment.kubernetes.io/revision-history': '1,3,5,7' } });
    setNewReplicaSetAnnotations(d, r, 10, true, 6);
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('5,7,9');
  });
});

describe('proportional scaling (Kubernetes TestScale cases)', () => {
  // maxSurge 0 and maxUnavailable 0, as Kubernetes' test deployments: a surge of 0.
  const scaled = (from: number, to: number, newRS: ReplicaSet, oldRSs: ReplicaSet[]) => {
    const annotate = (r: ReplicaSet) => ({ ...r, metadata: { ...r.metadata, annotations: { 'deployment.kubernetes.io/desired-replicas': String(from), 'deployment.kubernetes.io/max-replicas': String(from) } } });
    const d = deployment(to);
    const { sizes } = proportionalScale(d, annotate(newRS), oldRSs.map(annotate));
    return Object.fromEntries(sizes.map(({ rs: r, size }) => [r.metadata!.name!, size]));
  };

  it('5 -> 10', () => expect(scaled(5, 10, rs('v2', 2, 10), [rs('v1', 3, 0)])).toEqual({ v1: 6, v2: 4 }));
  it('5 -> 3', () => expect(scaled(5, 3, rs('v2', 2, 10), [rs('v1', 3, 0)])).toEqual({ v1: 2, v2: 1 }));
  it('9 -> 4', () => expect(scaled(9, 4, rs('v2', 8, 10), [rs('v1', 1, 0)])).toEqual({ v1: 0, v2: 4 }));
  it('7 -> 10', () => expect(scaled(7, 10, rs('v3', 2, 20), [rs('v2', 3, 10), rs('v1', 2, 0)])).toEqual({ v3: 3, v2: 4, v1: 3 }));
  it('13 -> 8', () => expect(scaled(13, 8, rs('v3', 2, 20), [rs('v2', 8, 10), rs('v1', 3, 0)])).toEqual({ v3: 1, v2: 5, v1: 2 }));
  it('leftovers go to the largest: 3 -> 4 among three of one each, newest first', () => expect(scaled(3, 4, rs('v3', 1, 20), [rs('v2', 1, 10), rs('v1', 1, 0)])).toEqual({ v3: 2, v2: 1, v1: 1 }));
  it('to zero', () => expect(scaled(3, 0, rs('v2', 1, 10), [rs('v1', 2, 0)])).toEqual({ v1: 0, v2: 0 }));

  it('finds the single active (or newest) ReplicaSet', () => {
    expect(findActiveOrLatest(rs('new', 0, 10), [rs('old', 3, 0)])?.metadata?.name).toBe('old');
    expect(findActiveOrLatest(rs('new', 0, 10), [rs('old', 0, 0)])?.metadata?.name).toBe('new');
    expect(findActiveOrLatest(undefined, [rs('a', 0, 0), rs('b', 0, 5)])?.metadata?.name).toBe('b');
    expect(findActiveOrLatest(rs('new', 1, 10), [rs('old', 3, 0)])).toBeUndefined();
  });
});

describe('conditions and status', () => {
  it('replaces a condition only when its status or reason changes, keeping the transition time when the status stays', () => {
    const status = {};
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', now));
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'b', now + 5000));
    expect(status).toEqual({ conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: 'a', lastUpdateTime: at(0), lastTransitionTime: at(0) }] });
    setCondition(status, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'c', now + 9000));
    expect(status).toEqual({ conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'c', lastUpdateTime: at(9), lastTransitionTime: at(0) }] });
  });

  it('computes counts and the Available condition from the ReplicaSets', () => {
    const d = deployment(4, { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } });
    const newRS = rs('new', 2, 10, { available: 1 });
    const oldRS = rs('old', 2, 0);
    const s = calculateStatus([oldRS, newRS], newRS, d, now);
    expect(s).toMatchObject({ observedGeneration: 1, replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 });
    expect(s.conditions).toEqual([{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: at(0), lastTransitionTime: at(0) }]);
    const low = calculateStatus([rs('old', 2, 0, { available: 0 }), rs('new', 2, 10, { available: 1 })], newRS, d, now);
    expect(low.conditions?.[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  });

  it('tells complete, progressing and timed out', () => {
    const d = deployment(2, {}, { progressDeadlineSeconds: 10 });
    d.status = { replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 };
    expect(deploymentComplete(d, { replicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 1 })).toBe(true);
    expect(deploymentComplete(d, { replicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 0 })).toBe(false);
    expect(deploymentProgressing(d, { replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })).toBe(true);
    expect(deploymentProgressing(d, { replicas: 2, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 })).toBe(true);
    expect(deploymentProgressing(d, { replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 })).toBe(false);
    const progressing = { conditions: [newCondition('Progressing', 'True', 'ReplicaSetUpdated', '', now)] };
    expect(deploymentTimedOut(d, progressing, now + 10_000)).toBe(false);
    expect(deploymentTimedOut(d, progressing, now + 10_001)).toBe(true);
    expect(deploymentTimedOut(d, { conditions: [newCondition('Progressing', 'True', 'NewReplicaSetAvailable', '', now)] }, now + 99_000)).toBe(false);
    expect(deploymentTimedOut(deployment(2, {}, { progressDeadlineSeconds: 2147483647 }), progressing, now + 99_000_000)).toBe(false);
  });

  it('compares statuses with absent counts as 0', () => {
    expect(sameStatus({ replicas: 0, observedGeneration: 1 }, { observedGeneration: 1 })).toBe(true);
    expect(sameStatus({ replicas: 1 }, {})).toBe(false);
    expect(sameStatus({ conditions: [] }, {})).toBe(true);
  });
});
