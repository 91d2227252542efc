import type { Job } from '../../api/kinds/batch/job';
import { TerminalError } from '../runtime/reconcile';
import { jobFinishTime, needsCleanup, ttlRemainingMs } from './index';

const job = (ttl: number | undefined, conditions: { type: string; status: string; lastTransitionTime?: string }[], deleting = false): Job => ({
  metadata: { name: 'j', namespace: 'ns', ...(deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
  spec: { ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}), template: {} },
  status: { conditions },
});

describe('TTL after finished', () => {
  const t0 = Date.parse('2024-05-01T10:00:00Z');

  it('needs clean-up only for finished Jobs with a TTL that are not being deleted', () => {
    expect(needsCleanup(job(10, [{ type: 'Complete', status: 'True' }]))).toBe(true);
    expect(needsCleanup(job(10, [{ type: 'Failed', status: 'True' }]))).toBe(true);
    expect(needsCleanup(job(undefined, [{ type: 'Complete', status: 'True' }]))).toBe(false);
    expect(needsCleanup(job(10, [{ type: 'SuccessCriteriaMet', status: 'True' }]))).toBe(false);
    expect(needsCleanup(job(10, [{ type: 'Complete', status: 'True' }], true))).toBe(false);
  });

  it('counts from the finishing condition\'s lastTransitionTime', () => {
    const j = job(30, [{ type: 'Failed', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z' }]);
    expect(jobFinishTime(j)).toBe(t0);
    expect(ttlRemainingMs(j, t0 + 10_000)).toBe(20_000);
    expect(ttlRemainingMs(j, t0 + 31_000)).toBe(-1_000);
    expect(ttlRemainingMs(job(30, []), t0)).toBeUndefined();
  });

  it('refuses (without retrying) a finished Job that does not say when', () => {
    expect(() => ttlRemainingMs(job(0, [{ type: 'Complete', status: 'True' }]), t0)).toThrow(TerminalError);
  });
});
