/**
 * The TTL-after-finished controller (Kubernetes' pkg/controller/ttlafterfinished): a Job with
 * spec.ttlSecondsAfterFinished is deleted that many seconds after it finished (the
 * lastTransitionTime of its Complete or Failed condition). Before deleting, it re-reads the Job
 * from the API server (the TTL may have changed) and deletes with a uid precondition, with
 * Foreground propagation as Kubernetes does, so the Job goes only once its pods are gone.
 */
import type { Job } from '../../api/kinds/batch/job';
import { isStatusError } from '../../api/status';
import { realClock, type Clock } from '../../client/clock';
import type { GroupVersionResource } from '../../client/resource';
import { newControllerManagedBy } from '../runtime/builder';
import type { Controller } from '../runtime/controller';
import type { Manager } from '../runtime/manager';
import { matching } from '../runtime/predicates';
import { TerminalError, type Result } from '../runtime/reconcile';

const jobsResource: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'jobs' };

export interface TtlAfterFinishedOptions {
  /** How the Job is deleted. Default Foreground, as Kubernetes. */
  readonly propagationPolicy?: 'Foreground' | 'Background';
  readonly clock?: Clock;
}

/** The time the Job finished (ms), undefined if it has not; throws when a finished Job says not when. */
export function jobFinishTime(job: Job): number | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      const at = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
      if (Number.isNaN(at)) throw new TerminalError(`unable to find the time when the Job ${job.metadata?.namespace}/${job.metadata?.name} finished`);
      return at;
    }
  }
  return undefined;
}

/** A Job that has a TTL and has finished, and is not being deleted. */
export function needsCleanup(job: Job): boolean {
  if (job.metadata?.deletionTimestamp || job.spec?.ttlSecondsAfterFinished === undefined) return false;
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** ms until the Job's TTL expires (<= 0: expired); undefined when it needs no clean-up. */
export function ttlRemainingMs(job: Job, now: number): number | undefined {
  if (!needsCleanup(job)) return undefined;
  const finishedAt = jobFinishTime(job);
  if (finishedAt === undefined) return undefined;
  return finishedAt + job.spec!.ttlSecondsAfterFinished! * 1000 - now;
}

export function register(manager: Manager, options: TtlAfterFinishedOptions = {}): Controller {
  const clock = options.clock ?? realClock;
  const jobs = manager.informers.informerFor<Job>(jobsResource);
  const propagationPolicy = options.propagationPolicy ?? 'Foreground';
  return newControllerManagedBy(manager)
    .named('ttl-after-finished')
    .for(jobsResource, { predicates: [matching((obj) => needsCleanup(obj as Job))] })
    .withConcurrency(5)
    .complete(async (request, ctx): Promise<Result | void> => {
      const job = jobs.lister.get(request.namespace, request.name);
      if (!job) return;
      const remaining = ttlRemainingMs(job, clock.now());
      if (remaining === undefined) return;
      if (remaining > 0) return { requeueAfterMs: remaining };
      // The cached TTL may be stale: decide again on a quorum read.
      const client = manager.client.resource<Job>(jobsResource, request.namespace);
      let fresh: Job;
      try {
        fresh = await client.get(request.name);
      } catch (err) {
        if (isStatusError(err, 404)) return;
        throw err;
      }
      const freshRemaining = ttlRemainingMs(fresh, clock.now());
      if (freshRemaining === undefined) return;
      if (freshRemaining > 0) return { requeueAfterMs: freshRemaining };
      ctx.log.info('cleaning up Job', { job: `${request.namespace}/${request.name}` });
      try {
        await client.delete(request.name, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy, preconditions: { uid: fresh.metadata?.uid } });
      } catch (err) {
        if (!isStatusError(err, 404)) throw err;
      }
    });
}
