import type { Pod } from '../../api/kinds/core/pod';
import { cleanUncountedPodsWithoutFinalizers, ensureJobCondition } from './jobController';
import { ControllerExpectations, UidTrackingExpectations } from './expectations';
import { activePodsForRemoval, compareActivePods } from './pods';
import { FakeClock } from '../../client/clock';

const pod = (name: string, extra: { node?: string; phase?: string; ready?: boolean; index?: number; created?: number } = {}): Pod => ({
  metadata: {
    name,
    creationTimestamp: new Date((extra.created ?? 0) * 1000).toISOString(),
    ...(extra.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(extra.index) } } : {}),
  },
  spec: { containers: [], ...(extra.node ? { nodeName: extra.node } : {}) },
  status: { phase: extra.phase ?? 'Pending', conditions: extra.ready ? [{ type: 'Ready', status: 'True' }] : [] },
});

describe('which active pods go first', () => {
  it('orders unassigned < assigned, pending < running, not ready < ready, newer < older', () => {
    const pods = [
      pod('running-ready', { node: 'n', phase: 'Running', ready: true }),
      pod('unassigned', {}),
      pod('pending', { node: 'n' }),
      pod('running-old', { node: 'n', phase: 'Running', created: 1 }),
      pod('running-new', { node: 'n', phase: 'Running', created: 9 }),
    ];
    expect([...pods].sort(compareActivePods).map((p) => p.metadata?.name)).toEqual(['unassigned', 'pending', 'running-new', 'running-old', 'running-ready']);
  });

  it('removes duplicate and invalid indexes of Indexed Jobs first', () => {
    const pods = [pod('a0', { index: 0, phase: 'Running', node: 'n' }), pod('b0', { index: 0 }), pod('c1', { index: 1 }), pod('x'), pod('d9', { index: 9 })];
    expect(activePodsForRemoval(pods, 0, 3).map((p) => p.metadata?.name).sort()).toEqual(['b0', 'd9', 'x']);
    expect(activePodsForRemoval(pods, 4, 3).map((p) => p.metadata?.name).sort()).toEqual(['b0', 'c1', 'd9', 'x']);
    expect(activePodsForRemoval(pods.slice(0, 3), 1, undefined).map((p) => p.metadata?.name)).toEqual(['b0']);
  });
});

describe('job status helpers', () => {
  it('moves uncounted pods whose finalizer is gone into the counters', () => {
    const status = { succeeded: 2, uncountedTerminatedPods: { succeeded: ['a', 'b'], failed: ['c'] } };
    expect(cleanUncountedPodsWithoutFinalizers(status, new Set(['b']))).toBe(true);
    expect(status).toEqual({ succeeded: 3, failed: 1, uncountedTerminatedPods: { succeeded: ['b'], failed: [] } });
    expect(cleanUncountedPodsWithoutFinalizers(status, new Set(['b']))).toBe(false);
  });

  it('sets conditions, adding a False one only over an existing condition', () => {
    const status: { conditions?: { type: string; status: string; reason?: string }[] } = {};
    expect(ensureJobCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', 0)).toBe(false);
    expect(ensureJobCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', 0)).toBe(true);
    expect(ensureJobCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', 5000)).toBe(false);
    expect(ensureJobCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', 5000)).toBe(true);
    expect(status.conditions).toEqual([{ type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed', lastProbeTime: '1970-01-01T00:00:05Z', lastTransitionTime: '1970-01-01T00:00:05Z' }]);
  });
});

describe('expectations', () => {
  it('holds a key until its creations and deletions are observed, or they expire', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock, 1000);
    expect(e.satisfied('k')).toBe(true);
    e.expectCreations('k', 2);
    e.creationObserved('k');
    expect(e.satisfied('k')).toBe(false);
    e.creationObserved('k');
    expect(e.satisfied('k')).toBe(true);
    e.expectDeletions('k', 1);
    expect(e.satisfied('k')).toBe(false);
    clock.advance(1001);
    expect(e.satisfied('k')).toBe(true);
  });

  it('tracks finalizer removals by pod uid', () => {
    const u = new UidTrackingExpectations();
    u.expectFinalizersRemoved('k', ['a', 'b']);
    u.finalizerRemovalObserved('k', 'a');
    expect([...u.expectedUids('k')]).toEqual(['b']);
    u.delete('k');
    expect(u.expectedUids('k').size).toBe(0);
  });
});
