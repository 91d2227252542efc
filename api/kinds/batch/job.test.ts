import { decodeObject, defaultObject, validateObject } from '../decode';
import { admit, causesOf, websiteManifests } from '../testing';
import { generateJobSelector, jobKind, type Job } from './job';
import { parseIndexes } from './jobValidation';

const uid = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

/** The API server's create path for Jobs: the selector is generated once the uid is known. */
function create(body: unknown): Job {
  const { object } = decodeObject(jobKind, structuredClone(body));
  defaultObject(jobKind, object);
  object.metadata!.uid = uid;
  generateJobSelector(object, uid);
  validateObject(jobKind, object);
  return object;
}

function job(spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }], ...template } },
      ...spec,
    },
  };
}

describe('Job', () => {
  it('is served as jobs.batch with status.successful selectable', () => {
    expect(jobKind).toMatchObject({ group: 'batch', version: 'v1', plural: 'jobs', singular: 'job', categories: ['all'], subresources: { status: true } });
    expect(jobKind.selectableFields?.['status.successful']?.({ status: { succeeded: 3 } })).toBe('3');
    expect(jobKind.selectableFields?.['status.successful']?.({})).toBe('0');
  });

  it('defaults a non-parallel job like Kubernetes', () => {
    const j = create(job());
    expect(j.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    expect(j.spec?.template.spec?.dnsPolicy).toBe('ClusterFirst');
  });

  it('defaults parallel and indexed jobs from their other fields', () => {
    const parallel = create(job({ parallelism: 3 }));
    expect(parallel.spec?.completions).toBeUndefined();
    const indexed = create(job({ completionMode: 'Indexed', completions: 4, backoffLimitPerIndex: 1, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }));
    expect(indexed.spec).toMatchObject({ parallelism: 1, backoffLimit: 2147483647, podReplacementPolicy: 'Failed' });
    expect(indexed.spec?.podFailurePolicy?.rules[0]?.onPodConditions).toEqual([{ type: 'DisruptionTarget', status: 'True' }]);
  });

  it('generates the selector and the pod labels at create', () => {
    const j = create({ ...job(), metadata: { name: 'pi', namespace: 'default', labels: {} } });
    expect(j.spec?.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(j.spec?.template.metadata?.labels).toEqual({
      'batch.kubernetes.io/controller-uid': uid,
      'controller-uid': uid,
      'batch.kubernetes.io/job-name': 'pi',
      'job-name': 'pi',
    });
  });

  it('copies the template labels to an unlabelled job', () => {
    const j = create(job({ template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } }));
    expect(j.metadata?.labels).toEqual({ app: 'pi' });
  });

  it('keeps a manual selector', () => {
    const body = job({ manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'pi', image: 'perl' }] } } });
    const j = create(body);
    expect(j.spec?.selector).toEqual({ matchLabels: { app: 'pi' } });
    expect(j.spec?.template.metadata?.labels).toEqual({ app: 'pi' });
    const mismatched = { ...body, spec: { ...(body.spec as object), selector: { matchLabels: { app: 'e' } } } };
    expect(causesOf(() => create(mismatched))).toEqual(['spec.template.metadata.labels: Invalid value: {"app":"pi"}: `selector` does not match template `labels`']);
  });

  it('rejects a selector that was not generated', () => {
    const body = job({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } } });
    expect(causesOf(() => create(body))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"other"}}: `selector` not auto-generated',
      'spec.template.metadata.labels: Invalid value: {"job-name":"pi","batch.kubernetes.io/job-name":"pi","controller-uid":"0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0","batch.kubernetes.io/controller-uid":"0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"}: `selector` does not match template `labels`',
    ]);
  });

  it('accepts the website Job', () => {
    const docs = websiteManifests(jobKind);
    expect(docs.map((d) => d.file)).toEqual(['controllers/job.yaml']);
    for (const { doc } of docs) {
      expect(() => admit(jobKind, doc)).not.toThrow();
      expect(create(doc).spec?.backoffLimit).toBe(4);
    }
  });

  it('rejects restartPolicy Always, also when defaulted', () => {
    expect(causesOf(() => create(job({}, { restartPolicy: 'Always' })))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
    const noPolicy = { containers: [{ name: 'pi', image: 'perl' }] };
    expect(causesOf(() => create({ metadata: { name: 'pi', namespace: 'default' }, spec: { template: { spec: noPolicy } } }))).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
  });

  it('rejects negative counts', () => {
    expect(causesOf(() => create(job({ parallelism: -1, completions: -1, backoffLimit: -1, activeDeadlineSeconds: -5 })))).toEqual([
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'spec.completions: Invalid value: -1: must be greater than or equal to 0',
      'spec.activeDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0',
      'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('checks indexed jobs, pod failure and success policies', () => {
    expect(causesOf(() => create(job({ completionMode: 'Indexed', parallelism: 2 })))).toContain('spec.completions: Required value: when completion mode is Indexed');
    expect(causesOf(() => create(job({ backoffLimitPerIndex: 1 })))).toEqual(['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode']);
    const policy = {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [3, 0, 3] } },
        { action: 'Ignore' },
      ],
    };
    expect(causesOf(() => create(job({ podFailurePolicy: policy }, { restartPolicy: 'OnFailure' })))).toEqual([
      'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "main": must be one of the container or initContainer names in the pod template',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3',
      'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [3,0,3]: must be ordered',
      'spec.podFailurePolicy.rules[1]: Invalid value: {"action":"Ignore"}: specifying one of OnExitCodes and OnPodConditions is required',
      'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
    ]);
    expect(causesOf(() => create(job({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededIndexes: '0-3', succeededCount: 4 }] } })))).toEqual([
      'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0-3": error parsing succeededIndexes: too large index: "3"',
      'spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)',
      'spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
    ]);
    expect(() => create(job({ completionMode: 'Indexed', completions: 5, successPolicy: { rules: [{ succeededIndexes: '0,2-4', succeededCount: 4 }] } }))).not.toThrow();
  });

  it('parses index sets', () => {
    expect(parseIndexes('1,3-5,7', 10)).toBe(5);
    expect(parseIndexes('', 1)).toBe(0);
    expect(parseIndexes('3,1', 10)).toBe('non-increasing order, previous: 3, current: 1');
    expect(parseIndexes('1-2-3', 10)).toMatch(/at most two parts/);
    expect(parseIndexes('a', 10)).toBe('cannot convert string to integer for index: "a"');
  });

  it('checks managedBy', () => {
    expect(() => create(job({ managedBy: 'kueue.x-k8s.io/multikueue' }))).not.toThrow();
    expect(causesOf(() => create(job({ managedBy: 'kueue' })))).toEqual(['spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")']);
  });

  it('keeps the selector and most of the template immutable', () => {
    const old = create(job());
    const parallel = structuredClone(old);
    parallel.spec!.parallelism = 4;
    parallel.spec!.suspend = true;
    expect(() => admit(jobKind, parallel, old)).not.toThrow();

    const changed = structuredClone(old);
    changed.spec!.selector = { matchLabels: { app: 'x' } };
    changed.spec!.template.spec!.containers[0]!.image = 'perl:6';
    changed.spec!.completions = 2;
    const causes = causesOf(() => admit(jobKind, changed, old));
    expect(causes.map((c) => c.replace(/: Invalid value: .*: /, ': '))).toEqual([
      'spec.template.metadata.labels: `selector` does not match template `labels`',
      'spec.completions: field is immutable',
      'spec.selector: field is immutable',
      'spec.template: field is immutable',
    ]);
  });

  it('lets a suspended job that never started change its scheduling directives', () => {
    const old = create(job({ suspend: true }));
    const next = structuredClone(old);
    next.spec!.template.spec!.nodeSelector = { zone: 'a' };
    next.spec!.template.spec!.tolerations = [{ key: 'gpu', operator: 'Exists' }];
    next.spec!.template.metadata!.annotations = { note: 'x' };
    expect(() => admit(jobKind, next, old)).not.toThrow();
    const started = { ...structuredClone(old), status: { startTime: '2024-01-01T00:00:00Z' } };
    expect(causesOf(() => admit(jobKind, next, started))[0]).toMatch(/^spec\.template: Invalid value: .*: field is immutable$/);
  });

  it('rejects unknown fields with their path', () => {
    expect(() => decodeObject(jobKind, job({ backofLimit: 3 }), 'Strict')).toThrow('unknown field "spec.backofLimit"');
  });
});
