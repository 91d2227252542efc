/**
 * The pod failure policy (Kubernetes' pod_failure_policy.go): the first rule matching a failed
 * pod decides whether the failure fails the Job at once (FailJob), is not counted against the
 * backoff limit (Ignore), or is counted as usual (Count, or no rule matched).
 */
import type { PodFailurePolicy, PodFailurePolicyRule } from '../../api/kinds/batch/job';
import type { Pod } from '../../api/kinds/core/pod';
import type { ContainerStatus, PodCondition } from '../../api/kinds/core/podStatus';

export type PodFailurePolicyAction = PodFailurePolicyRule['action'];

export interface PodFailurePolicyMatch {
  /** Set when the matching rule's action is FailJob: the Job's failure message. */
  readonly failJobMessage?: string;
  /** Whether the failure counts against the backoff limit. */
  readonly countFailed: boolean;
  /** The action of the matching rule, if any. */
  readonly action?: PodFailurePolicyAction;
}

type PodStatus = NonNullable<Pod['status']>;

export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const status: PodStatus = pod.status ?? {};
  const podName = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    if (rule.onExitCodes) {
      const container = matchOnExitCodes(status, rule.onExitCodes);
      if (!container) continue;
      switch (rule.action) {
        case 'Ignore':
          return { countFailed: false, action: 'Ignore' };
        case 'Count':
          return { countFailed: true, action: 'Count' };
        case 'FailIndex':
          return { countFailed: true, action: 'FailIndex' };
        case 'FailJob':
          return {
            failJobMessage: `Container ${container.name} for pod ${podName} failed with exit code ${container.state?.terminated?.exitCode} matching FailJob rule at index ${index}`,
            countFailed: true,
            action: 'FailJob',
          };
      }
    } else if (rule.onPodConditions) {
      const condition = matchOnPodConditions(status, rule.onPodConditions);
      if (!condition) continue;
      switch (rule.action) {
        case 'Ignore':
          return { countFailed: false, action: 'Ignore' };
        case 'Count':
          return { countFailed: true, action: 'Count' };
        case 'FailIndex':
          return { countFailed: true, action: 'FailIndex' };
        case 'FailJob':
          return { failJobMessage: `Pod ${podName} has condition ${condition.type} matching FailJob rule at index ${index}`, countFailed: true, action: 'FailJob' };
      }
    }
  }
  return { countFailed: true };
}

type ExitCodesRequirement = NonNullable<PodFailurePolicyRule['onExitCodes']>;

function matchOnExitCodes(status: PodStatus, requirement: ExitCodesRequirement): ContainerStatus | undefined {
  return matchingContainer(status.containerStatuses, requirement) ?? matchingContainer(status.initContainerStatuses, requirement);
}

function matchingContainer(statuses: readonly ContainerStatus[] | undefined, requirement: ExitCodesRequirement): ContainerStatus | undefined {
  for (const cs of statuses ?? []) {
    const terminated = cs.state?.terminated;
    // Still running or terminating: there is no exit code to match.
    if (!terminated) continue;
    if (requirement.containerName !== undefined && requirement.containerName !== cs.name) continue;
    // Success (exit code 0) is never a match.
    if (terminated.exitCode === 0) continue;
    const inValues = requirement.values.includes(terminated.exitCode);
    if (requirement.operator === 'In' ? inValues : !inValues) return cs;
  }
  return undefined;
}

function matchOnPodConditions(status: PodStatus, patterns: NonNullable<PodFailurePolicyRule['onPodConditions']>): PodCondition | undefined {
  for (const condition of status.conditions ?? []) {
    for (const pattern of patterns) {
      if (condition.type === pattern.type && condition.status === (pattern.status ?? 'True')) return condition;
    }
  }
  return undefined;
}
