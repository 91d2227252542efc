import type { PodFailurePolicy } from '../../api/kinds/batch/job';
import type { Pod } from '../../api/kinds/core/pod';
import { matchPodFailurePolicy } from './podFailurePolicy';

const failedPod = (exitCodes: Record<string, number>, conditions: { type: string; status: string }[] = []): Pod => ({
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: Object.keys(exitCodes).map((name) => ({ name, image: 'x' })) },
  status: {
    phase: 'Failed',
    conditions,
    containerStatuses: Object.entries(exitCodes).map(([name, exitCode]) => ({ name, image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } })),
  },
});

const policy: PodFailurePolicy = {
  rules: [
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
    { action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } },
  ],
};

describe('pod failure policy', () => {
  it('counts every failure without a policy', () => {
    expect(matchPodFailurePolicy(undefined, failedPod({ main: 1 }))).toEqual({ countFailed: true });
  });

  it('ignores a disruption', () => {
    expect(matchPodFailurePolicy(policy, failedPod({ main: 1 }, [{ type: 'DisruptionTarget', status: 'True' }]))).toEqual({ countFailed: false, action: 'Ignore' });
  });

  it('fails the Job on a matching exit code of the named container, with Kubernetes\' message', () => {
    expect(matchPodFailurePolicy(policy, failedPod({ main: 42 }))).toEqual({
      countFailed: true,
      action: 'FailJob',
      failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1',
    });
    // Another container with 42 does not match rule 1; NotIn [1,2] (rule 2) counts it.
    expect(matchPodFailurePolicy(policy, failedPod({ side: 42 }))).toEqual({ countFailed: true, action: 'Count' });
  });

  it('applies rules in order and never matches exit code 0', () => {
    expect(matchPodFailurePolicy(policy, failedPod({ main: 1 }))).toEqual({ countFailed: false, action: 'Ignore' });
    expect(matchPodFailurePolicy(policy, failedPod({ main: 2 }))).toEqual({ countFailed: true });
    expect(matchPodFailurePolicy({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [5] } }] }, failedPod({ main: 0 }))).toEqual({ countFailed: true });
  });

  it('fails the Job on a matching pod condition', () => {
    const p: PodFailurePolicy = { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] }] };
    expect(matchPodFailurePolicy(p, failedPod({ main: 1 }, [{ type: 'ConfigIssue', status: 'True' }])).failJobMessage).toBe('Pod ns/p has condition ConfigIssue matching FailJob rule at index 0');
  });
});
