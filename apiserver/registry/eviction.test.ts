import type { Pod } from '../../api/kinds/core/pod';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from '../../api/kinds/policy/podDisruptionBudget';
import { StatusError } from '../../api/status';
import { budgetStatusIsCurrent, canIgnoreBudget, judgeEviction, maxDisruptedPods, shouldEnforceResourceVersion } from './eviction';

const now = new Date('2025-03-01T12:00:00Z');

function pod(phase: string, options: { ready?: boolean; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', ...(options.deleting ? { deletionTimestamp: '2025-03-01T11:00:00Z' } : {}) },
    status: { phase, conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  };
}

function budget(spec: PodDisruptionBudget['spec'] = {}, status?: PodDisruptionBudgetStatus, generation = 2): PodDisruptionBudget {
  return { metadata: { name: 'pdb', namespace: 'ns', generation }, spec, ...(status ? { status } : {}) };
}

const counts = (disruptionsAllowed: number, currentHealthy = 3, desiredHealthy = 2): PodDisruptionBudgetStatus => ({ disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods: 3 });

/** The StatusError `fn` throws. */
function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('which pods skip their budget', () => {
  it('Pending, terminal and deleting pods disrupt nothing', () => {
    expect(['Pending', 'Succeeded', 'Failed'].map((phase) => canIgnoreBudget(pod(phase)))).toEqual([true, true, true]);
    expect(canIgnoreBudget(pod('Running', { deleting: true }))).toBe(true);
    expect(canIgnoreBudget(pod('Running'))).toBe(false);
    expect(canIgnoreBudget(pod('Unknown'))).toBe(false);
  });

  it('guards the deletion by resourceVersion unless the pod is terminal or deleting', () => {
    expect(shouldEnforceResourceVersion(pod('Pending'))).toBe(true);
    expect(shouldEnforceResourceVersion(pod('Running'))).toBe(true);
    expect(shouldEnforceResourceVersion(pod('Failed'))).toBe(false);
    expect(shouldEnforceResourceVersion(pod('Running', { deleting: true }))).toBe(false);
  });
});

describe('budgetStatusIsCurrent', () => {
  it('needs a status that observed the budget\'s generation', () => {
    expect(budgetStatusIsCurrent(budget())).toBe(false);
    expect(budgetStatusIsCurrent(budget({}, counts(1)))).toBe(false);
    expect(budgetStatusIsCurrent(budget({}, { ...counts(1), observedGeneration: 1 }))).toBe(false);
    expect(budgetStatusIsCurrent(budget({}, { ...counts(1), observedGeneration: 2 }))).toBe(true);
  });
});

describe('judgeEviction', () => {
  it('uses up one disruption, recording the pod', () => {
    const verdict = judgeEviction(budget(), { ...counts(2), disruptedPods: { earlier: '2025-03-01T11:59:00Z' } }, pod('Running'), now);
    expect(verdict).toEqual({
      kind: 'disrupt',
      status: { ...counts(1), disruptedPods: { earlier: '2025-03-01T11:59:00Z', p: '2025-03-01T12:00:00Z' } },
    });
  });

  it('turns the DisruptionAllowed condition False when the last disruption goes', () => {
    const verdict = judgeEviction(budget(), { ...counts(1), observedGeneration: 2 }, pod('Running'), now);
    expect(verdict.kind === 'disrupt' && verdict.status.conditions).toEqual([
      { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: 2, lastTransitionTime: '2025-03-01T12:00:00Z' },
    ]);
  });

  it('answers 429 with the budget\'s numbers when no disruption is allowed', () => {
    const err = thrown(() => judgeEviction(budget(), counts(0, 2, 2), pod('Running'), now));
    expect(err.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget pdb needs 2 healthy pods and has 2 currently' }] },
      code: 429,
    });
  });

  it('refuses a broken status with 403', () => {
    expect(thrown(() => judgeEviction(budget(), counts(-1), pod('Running'), now)).message).toBe('poddisruptionbudget.policy "pdb" is forbidden: pdb disruptions allowed is negative');
    const crowded = Object.fromEntries(Array.from({ length: maxDisruptedPods + 1 }, (_, i) => [`p${i}`, '2025-03-01T11:59:00Z']));
    expect(thrown(() => judgeEviction(budget(), { ...counts(5), disruptedPods: crowded }, pod('Running'), now)).code).toBe(403);
  });

  it('lets an unready pod go unbudgeted when the budget is met (IfHealthyBudget) or always (AlwaysAllow)', () => {
    const unready = pod('Running', { ready: false });
    expect(judgeEviction(budget(), counts(0, 2, 2), unready, now)).toEqual({ kind: 'unhealthy' });
    expect(thrown(() => judgeEviction(budget(), counts(0, 1, 2), unready, now)).code).toBe(429);
    // A budget that desires no healthy pod protects nothing by health: the budget decides.
    expect(judgeEviction(budget(), counts(1, 0, 0), unready, now).kind).toBe('disrupt');
    expect(judgeEviction(budget({ unhealthyPodEvictionPolicy: 'AlwaysAllow' }), counts(0, 1, 2), unready, now)).toEqual({ kind: 'unhealthy' });
    // A ready pod is always subject to the budget.
    expect(thrown(() => judgeEviction(budget({ unhealthyPodEvictionPolicy: 'AlwaysAllow' }), counts(0, 1, 2), pod('Running'), now)).code).toBe(429);
  });
});
