import type { CronJob } from '../../api/kinds/batch/cronJob';
import type { Job } from '../../api/kinds/batch/job';
import { cronJobPrinter, jobPrinter } from './batch';
import { ago, columnNames, printRow } from './testing';

const metadata = { name: 'pi', namespace: 'default', creationTimestamp: ago(600) };
const template = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' as const } };
type Stored<T> = T & { metadata: typeof metadata };

describe('job printer', () => {
  it('prints STATUS COMPLETIONS DURATION AGE', () => {
    expect(columnNames(jobPrinter)).toEqual({
      normal: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
      wide: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
    });
    const done: Stored<Job> = {
      metadata,
      spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, template },
      status: { succeeded: 1, startTime: ago(590), completionTime: ago(577), conditions: [{ type: 'Complete', status: 'True' }] },
    };
    expect(printRow(jobPrinter, done)).toEqual({
      Name: 'pi',
      Status: 'Complete',
      Completions: '1/1',
      Duration: '13s',
      Age: '10m',
      Containers: 'pi',
      Images: 'perl:5.34',
      Selector: 'batch.kubernetes.io/controller-uid=abc',
    });
  });

  it('reads the status from the conditions in Kubernetes’ order', () => {
    const job = (conditions: { type: string; status: string }[], extra: Partial<Job['metadata']> = {}): Stored<Job> => ({
      metadata: { ...metadata, ...extra },
      spec: { completions: 3, template },
      status: { succeeded: 1, startTime: ago(120), conditions },
    });
    expect(printRow(jobPrinter, job([]))).toMatchObject({ Status: 'Running', Completions: '1/3', Duration: '2m' });
    expect(printRow(jobPrinter, job([{ type: 'Failed', status: 'True' }])).Status).toBe('Failed');
    expect(printRow(jobPrinter, job([{ type: 'Complete', status: 'False' }, { type: 'Suspended', status: 'True' }])).Status).toBe('Suspended');
    expect(printRow(jobPrinter, job([{ type: 'FailureTarget', status: 'True' }])).Status).toBe('FailureTarget');
    expect(printRow(jobPrinter, job([{ type: 'Suspended', status: 'True' }], { deletionTimestamp: ago(1) })).Status).toBe('Terminating');
  });

  it('prints completions without spec.completions, and no duration before the start', () => {
    const job: Stored<Job> = { metadata, spec: { parallelism: 3, template }, status: { succeeded: 0 } };
    expect(printRow(jobPrinter, job)).toMatchObject({ Completions: '0/1 of 3', Duration: '' });
    expect(printRow(jobPrinter, { ...job, spec: { template } }).Completions).toBe('0/1');
  });
});

describe('cronjob printer', () => {
  it('prints SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', () => {
    expect(columnNames(cronJobPrinter).normal).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    const cj: Stored<CronJob> = {
      metadata,
      spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ name: 'pi-1' }], lastScheduleTime: ago(45) },
    };
    expect(printRow(cronJobPrinter, cj)).toEqual({
      Name: 'pi',
      Schedule: '*/5 * * * *',
      Timezone: '<none>',
      Suspend: 'False',
      Active: 1,
      'Last Schedule': '45s',
      Age: '10m',
      Containers: 'pi',
      Images: 'perl:5.34',
      Selector: '<none>',
    });
    const other = { ...cj, spec: { ...cj.spec!, timeZone: 'Europe/Paris', suspend: undefined }, status: {} };
    expect(printRow(cronJobPrinter, other)).toMatchObject({ Timezone: 'Europe/Paris', Suspend: '<unset>', Active: 0, 'Last Schedule': '<none>' });
  });
});
