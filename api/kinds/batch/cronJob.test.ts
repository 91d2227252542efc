import { decodeObject } from '../decode';
import { admit, causesOf, websiteManifests } from '../testing';
import { cronJobKind } from './cronJob';
import { cronScheduleError } from './cronSchedule';

function cronJob(spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox:1.28' }], ...podSpec } } } },
      ...spec,
    },
  };
}

describe('CronJob', () => {
  it('is served as cronjobs.batch (cj)', () => {
    expect(cronJobKind).toMatchObject({ group: 'batch', plural: 'cronjobs', shortNames: ['cj'], categories: ['all'], subresources: { status: true } });
  });

  it('defaults the spec and the pod template, but not the job spec', () => {
    const cj = admit(cronJobKind, cronJob());
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec?.jobTemplate.spec?.template.spec?.dnsPolicy).toBe('ClusterFirst');
    expect(cj.spec?.jobTemplate.spec?.backoffLimit).toBeUndefined();
    expect(cj.spec?.jobTemplate.spec?.completions).toBeUndefined();
  });

  it('accepts the website CronJob', () => {
    const docs = websiteManifests(cronJobKind);
    expect(docs.map((d) => d.file)).toEqual(['application/job/cronjob.yaml']);
    expect(admit(cronJobKind, docs[0]!.doc).spec?.schedule).toBe('* * * * *');
  });

  it('requires a schedule and a job template', () => {
    expect(causesOf(() => admit(cronJobKind, { metadata: { name: 'c', namespace: 'default' }, spec: {} }))).toEqual([
      'spec.schedule: Required value',
      'spec.jobTemplate: Required value',
    ]);
  });

  it('rejects bad schedules, TZ in the schedule and unknown time zones', () => {
    expect(causesOf(() => admit(cronJobKind, cronJob({ schedule: '* * * *' })))).toEqual(['spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]']);
    expect(causesOf(() => admit(cronJobKind, cronJob({ schedule: '61 * * * *' })))).toEqual(['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']);
    expect(causesOf(() => admit(cronJobKind, cronJob({ schedule: 'CRON_TZ=UTC 0 * * * *' })))).toEqual([
      'spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
    expect(causesOf(() => admit(cronJobKind, cronJob({ timeZone: 'Mars/Olympus' })))).toEqual(['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
    expect(causesOf(() => admit(cronJobKind, cronJob({ timeZone: 'Local' })))[0]).toMatch(/timeZone must be an explicit time zone/);
    expect(() => admit(cronJobKind, cronJob({ schedule: '@hourly', timeZone: 'Europe/Paris' }))).not.toThrow();
  });

  it('validates the job template like a Job spec', () => {
    expect(causesOf(() => admit(cronJobKind, cronJob({}, { restartPolicy: 'Always' })))).toEqual([
      'spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
    const withSelector = cronJob();
    (withSelector.spec as { jobTemplate: { spec: Record<string, unknown> } }).jobTemplate.spec.selector = { matchLabels: { a: 'b' } };
    (withSelector.spec as { jobTemplate: { spec: Record<string, unknown> } }).jobTemplate.spec.manualSelector = true;
    expect(causesOf(() => admit(cronJobKind, withSelector))).toEqual([
      'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
      'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
    ]);
  });

  it('checks the name length on create only, and the history limits', () => {
    const long = { ...cronJob(), metadata: { name: 'a'.repeat(53), namespace: 'default' } };
    expect(causesOf(() => admit(cronJobKind, long))).toEqual([`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
    expect(causesOf(() => admit(cronJobKind, cronJob({ successfulJobsHistoryLimit: -1, concurrencyPolicy: 'Never' })))).toEqual([
      'spec.concurrencyPolicy: Unsupported value: "Never": supported values: "Allow", "Forbid", "Replace"',
    ]);
    expect(causesOf(() => admit(cronJobKind, cronJob({ successfulJobsHistoryLimit: -1 })))).toEqual([
      'spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('rejects unknown fields in the job template', () => {
    const body = cronJob();
    (body.spec as { jobTemplate: Record<string, unknown> }).jobTemplate.specc = {};
    expect(() => decodeObject(cronJobKind, body, 'Strict')).toThrow('unknown field "spec.jobTemplate.specc"');
  });
});

describe('cron schedules', () => {
  it.each(['* * * * *', '*/15 0-6 1,15 * MON-FRI', '0 0 1 jan,jul ?', '5/10 * * * sun', '@daily', '@every 1h30m', '0 12 * * 0-6', 'TZ=UTC 0 * * * *'])('accepts %s', (schedule) => {
    expect(cronScheduleError(schedule)).toBeUndefined();
  });

  it.each([
    ['', 'empty spec string'],
    ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['@every soon', 'failed to parse duration @every soon: time: invalid duration "soon"'],
  ])('rejects %j', (schedule, message) => {
    expect(cronScheduleError(schedule)).toBe(message);
  });
});
