/** batch/v1 printers: jobs (STATUS COMPLETIONS DURATION AGE) and cronjobs. */
import { cronJobKind, type CronJob } from '../../api/kinds/batch/cronJob';
import { jobKind, type Job, type JobCondition } from '../../api/kinds/batch/job';
import { humanDuration, parseTime, since } from './duration';
import { boolPointer, containerCells, formatLabelSelector } from './format';
import { ageColumn, column, containersColumn, definePrinter, fieldDoc, imagesColumn, nameColumn } from './printer';

/** hasJobCondition: the first condition of the type decides. */
function hasCondition(conditions: readonly JobCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).find((c) => c.type === type)?.status === 'True';
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions;
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** "2/3", or without completions "1/1" and, with parallelism, "0/1 of 3". */
function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const wanted = job.spec?.completions;
  if (wanted !== undefined && wanted !== null) return `${succeeded}/${wanted}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** How long the job ran (or has been running); empty before it started. */
function duration(job: Job, now: number): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job.status?.completionTime);
  return humanDuration((end ?? now) - start);
}

const selectorColumn = column('Selector', 'string', fieldDoc(jobKind.schema, 'spec.selector'), { priority: 1 });

export const jobPrinter = definePrinter<Job>({
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', fieldDoc(jobKind.schema, 'status.succeeded')),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    selectorColumn,
  ],
  cells(job, now) {
    return [
      job.metadata.name ?? '',
      jobStatus(job),
      completions(job),
      duration(job, now),
      since(job.metadata.creationTimestamp, now),
      ...containerCells(job.spec?.template?.spec?.containers),
      formatLabelSelector(job.spec?.selector),
    ];
  },
});

const cronDoc = (path: string) => fieldDoc(cronJobKind.schema, path);

export const cronJobPrinter = definePrinter<CronJob>({
  columns: [
    nameColumn,
    column('Schedule', 'string', cronDoc('spec.schedule')),
    column('Timezone', 'string', cronDoc('spec.timeZone')),
    column('Suspend', 'boolean', cronDoc('spec.suspend')),
    column('Active', 'integer', cronDoc('status.active')),
    column('Last Schedule', 'string', cronDoc('status.lastScheduleTime')),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    selectorColumn,
  ],
  cells(cj, now) {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const last = cj.status?.lastScheduleTime;
    return [
      cj.metadata.name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolPointer(cj.spec?.suspend),
      (cj.status?.active ?? []).length,
      last ? since(last, now) : '<none>',
      since(cj.metadata.creationTimestamp, now),
      ...containerCells(jobSpec?.template?.spec?.containers),
      formatLabelSelector(jobSpec?.selector),
    ];
  },
});
