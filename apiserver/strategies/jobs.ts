/**
 * Jobs: unless the user manages the selector, a new job selects its pods by its own uid; deleting
 * a job without a propagation policy orphans its pods, as batch/v1 always has.
 */
import { generateJobSelector, type Job } from '../../api/kinds/batch/job';
import type { Strategy } from '../registry/strategy';

export const jobStrategy: Strategy<Job> = {
  resetStatusOnCreate: true,
  defaultPropagationPolicy: 'Orphan',
  prepareForCreate(job) {
    generateJobSelector(job, job.metadata!.uid!);
  },
};
