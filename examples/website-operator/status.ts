/**
 * The WebSite's status, computed from what the operator observed: the Deployment's and the
 * Service's current state, and the problem (if any) that stopped this reconcile. Pure, so it is
 * unit-tested without a cluster. Conditions follow the usual conventions:
 *   - Available: the site serves with every desired replica (True), or not yet / not any more;
 *   - Progressing: a rollout is under way (the Deployment has not caught up with its spec);
 *   - Degraded: the operator cannot do what the spec asks (a missing ConfigMap, say); its reason
 *     and message say why.
 * lastTransitionTime moves only when a condition's status changes (setStatusCondition).
 */
import type { Deployment } from '../../api/kinds/apps/deployment';
import { setStatusCondition } from '../../api/kinds/conditions';
import type { Service } from '../../api/kinds/core/service';
import { defaultReplicas, portOf, selectorString } from './resources';
import type { WebSite, WebSiteStatus } from './types';

/** Why a reconcile could not complete, as the Degraded condition reports it. */
export interface Problem {
  /** CamelCase, e.g. ConfigMapNotFound. */
  readonly reason: string;
  readonly message: string;
}

export interface Observed {
  /** The WebSite as this reconcile read it (its generation is what the status describes). */
  readonly site: WebSite;
  readonly deployment?: Deployment;
  readonly service?: Service;
  readonly problem?: Problem;
}

/** The new status, given the current one (whose condition transition times are kept). */
export function computeStatus(current: WebSiteStatus | undefined, observed: Observed, now: Date): WebSiteStatus {
  const { site, deployment, service, problem } = observed;
  const generation = site.metadata.generation;
  const desired = site.spec.replicas ?? defaultReplicas;
  const available = deployment?.status?.availableReplicas ?? 0;
  const rolledOut = deployment !== undefined && isRolledOut(deployment, desired);
  const condition = (type: string, ok: boolean, reason: string, message: string) => ({
    type,
    status: ok ? ('True' as const) : ('False' as const),
    reason,
    message,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  });

  let conditions = current?.conditions;
  conditions = setStatusCondition(
    conditions,
    available >= desired && deployment !== undefined
      ? condition('Available', true, 'MinimumReplicasAvailable', `${available} of ${desired} replicas available`)
      : condition('Available', false, 'ReplicasUnavailable', `${available} of ${desired} replicas available`),
    now,
  );
  conditions = setStatusCondition(
    conditions,
    rolledOut ? condition('Progressing', false, 'RolloutComplete', 'every replica runs the current spec') : condition('Progressing', true, 'RollingOut', 'waiting for the Deployment to roll out'),
    now,
  );
  conditions = setStatusCondition(conditions, problem ? condition('Degraded', true, problem.reason, problem.message) : condition('Degraded', false, 'AsExpected', ''), now);

  return {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    availableReplicas: available,
    ...(service ? { address: addressOf(service, portOf(site)) } : current?.address ? { address: current.address } : {}),
    selector: selectorString(site),
    conditions,
  };
}

/** The Service's ClusterIP and port once one is allocated, else its cluster DNS name and port. */
export function addressOf(service: Service, port: number): string {
  const ip = service.spec?.clusterIP;
  if (ip && ip !== 'None') return `${ip}:${port}`;
  return `${service.metadata?.name}.${service.metadata?.namespace}.svc:${port}`;
}

/** Whether the Deployment controller has seen the current spec and every replica runs it. */
function isRolledOut(d: Deployment, desired: number): boolean {
  const s = d.status;
  return (
    (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (s?.updatedReplicas ?? 0) === desired &&
    (s?.replicas ?? 0) === desired &&
    (s?.availableReplicas ?? 0) === desired
  );
}
