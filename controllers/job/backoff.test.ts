import type { Pod } from '../../api/kinds/core/pod';
import { BackoffStore, finishedTime, remainingBackoffMs } from './backoff';

const at = (s: number) => new Date(s * 1000).toISOString().slice(0, 19) + 'Z';
const finished = (phase: 'Succeeded' | 'Failed', finishedAtS: number): Pod => ({
  metadata: { name: `p${finishedAtS}`, creationTimestamp: at(0) },
  spec: { containers: [{ name: 'main', image: 'x' }] },
  status: { phase, containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: at(finishedAtS) } } }] },
});

describe('pod failure backoff', () => {
  it('doubles the delay per failure since the last success, up to the cap', () => {
    const store = new BackoffStore();
    let r = store.newRecord('j', [], [finished('Failed', 100)]);
    expect(r).toEqual({ key: 'j', failuresAfterLastSuccess: 1, lastFailureTime: 100_000 });
    expect(remainingBackoffMs(r, 100_000, 10_000, 600_000)).toBe(10_000);
    expect(remainingBackoffMs(r, 104_000, 10_000, 600_000)).toBe(6_000);
    expect(remainingBackoffMs(r, 111_000, 10_000, 600_000)).toBe(0);
    store.update(r);
    r = store.newRecord('j', [], [finished('Failed', 120), finished('Failed', 130)]);
    expect(r.failuresAfterLastSuccess).toBe(3);
    expect(remainingBackoffMs(r, 130_000, 10_000, 600_000)).toBe(40_000);
    expect(remainingBackoffMs({ key: 'j', failuresAfterLastSuccess: 20, lastFailureTime: 0 }, 0, 10_000, 600_000)).toBe(600_000);
  });

  it('starts over after a success, keeping failures that came after it', () => {
    const store = new BackoffStore();
    store.update({ key: 'j', failuresAfterLastSuccess: 4, lastFailureTime: 50_000 });
    expect(store.newRecord('j', [finished('Succeeded', 60)], [])).toEqual({ key: 'j', failuresAfterLastSuccess: 0 });
    expect(store.newRecord('j', [finished('Succeeded', 60)], [finished('Failed', 55), finished('Failed', 70), finished('Failed', 65)])).toEqual({ key: 'j', failuresAfterLastSuccess: 2, lastFailureTime: 70_000 });
  });

  it('takes a pod\'s finish time from its containers, its Ready condition, its deletion or its creation', () => {
    expect(finishedTime(finished('Failed', 10))).toBe(10_000);
    const p: Pod = { metadata: { creationTimestamp: at(1) }, status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at(5) }] } };
    expect(finishedTime(p)).toBe(5_000);
    expect(finishedTime({ metadata: { creationTimestamp: at(1), deletionTimestamp: at(40), deletionGracePeriodSeconds: 30 } })).toBe(10_000);
    expect(finishedTime({ metadata: { creationTimestamp: at(1) } })).toBe(1_000);
  });
});
