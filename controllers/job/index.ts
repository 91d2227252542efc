/**
 * The Job controller (see jobController.ts) and its companion that removes the tracking finalizer
 * from pods no Job will count any more (orphans, pods of deleted or finished Jobs), as Kubernetes'
 * orphan pod queue does.
 */
import type { Job } from '../../api/kinds/batch/job';
import type { Pod } from '../../api/kinds/core/pod';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import { ownerUidIndex } from '../../client/informer/indexers';
import { newControllerManagedBy } from '../runtime/builder';
import type { Manager } from '../runtime/manager';
import { getControllerOf } from '../runtime/ownerReferences';
import { patchObject } from '../runtime/patch';
import type { Request } from '../runtime/reconcile';
import { JobController, isJobFinished, jobsResource, managedByExternalController, podsResource, type JobControllerOptions } from './jobController';
import { hasJobTrackingFinalizer, jobTrackingFinalizer } from './pods';

export { JobController, type JobControllerOptions } from './jobController';
export { jobTrackingFinalizer } from './pods';

/** Env knob for tests and small clusters: the first pod failure backoff in ms (default 10000). */
export const podFailureBackoffEnv = 'MARINA_JOB_POD_FAILURE_BACKOFF_MS';

export function register(manager: Manager, options: JobControllerOptions = {}): JobController {
  const envBackoff = Number(process.env[podFailureBackoffEnv]);
  const opts: JobControllerOptions = {
    ...(Number.isFinite(envBackoff) && envBackoff > 0 ? { podFailureBackoffMs: envBackoff } : {}),
    ...options,
  };
  const jobs = manager.informers.informerFor<Job>(jobsResource);
  const pods = manager.informers.informerFor<Pod>(podsResource);
  const jc = new JobController(manager.client, jobs, pods, manager.eventRecorder('job-controller'), opts);
  // Pods are watched by the controller's own handler: it settles expectations before it enqueues.
  jc.controller = newControllerManagedBy(manager)
    .named('job')
    .for(jobsResource)
    .withConcurrency(5)
    .complete((request, ctx) => jc.reconcile(request, ctx));
  jc.watchPods();

  const requestOf = (pod: KubeObject): Request[] => [{ namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }];
  /** A pod whose tracking finalizer no Job will remove: no Job controls it, or its Job is gone or finished. */
  const orphaned = (pod: Pod): boolean => {
    if (!hasJobTrackingFinalizer(pod)) return false;
    const ref = getControllerOf(pod);
    if (!ref) return true;
    if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return false;
    const job = jc.resolveControllerRef(pod.metadata?.namespace, ref);
    if (job && managedByExternalController(job)) return false;
    return !job || isJobFinished(job);
  };
  newControllerManagedBy(manager)
    .named('job-orphan-pod')
    .watches(podsResource, (obj) => (orphaned(obj as Pod) ? requestOf(obj) : []))
    // A Job that finished or went away: its pods that still carry the finalizer.
    .watches(jobsResource, (obj) => {
      const job = obj as Job;
      const live = jobs.lister.get(job.metadata?.namespace, job.metadata?.name ?? '');
      if (live && live.metadata?.uid === job.metadata?.uid && !isJobFinished(live)) return [];
      return pods.lister.byIndex(ownerUidIndex, job.metadata?.uid ?? '').filter(hasJobTrackingFinalizer).flatMap(requestOf);
    })
    .complete(async (request) => {
      const pod = pods.lister.get(request.namespace, request.name);
      if (!pod || !orphaned(pod)) return;
      try {
        await patchObject(manager.client, podsResource, request.namespace, request.name, { metadata: { '$deleteFromPrimitiveList/finalizers': [jobTrackingFinalizer] } }, 'strategic');
      } catch (err) {
        if (!isStatusError(err, 404)) throw err;
      }
    });
  return jc;
}
