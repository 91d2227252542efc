/**
 * The Job controller on a real API server: pods up to parallelism, completions, the tracking
 * finalizer, backoff and backoffLimit, activeDeadlineSeconds, Indexed Jobs, the pod failure
 * policy, suspend, adoption and orphan cleanup, conflicts, and backoff on what it cannot fix.
 * The tests play the kubelet: they set pod phases through pods/NAME/status.
 */
import type { Job } from '../../api/kinds/batch/job';
import type { Pod } from '../../api/kinds/core/pod';
import { register } from '../../controllers/job';
import { jobTrackingFinalizer } from '../../controllers/job/pods';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventsFor, eventually, exited, listPods, podsGVR, reasons, requestsDuring, runningReady, setPodStatus, sleep, startManager, uniqueName, type RunningManager } from './lifecycleHelpers';

const plane = useControlPlane();
const jobsGVR = { group: 'batch', version: 'v1', resource: 'jobs' };
const ns = 'jobs';
const backoffMs = 1000;
let running: RunningManager;

beforeAll(async () => {
  await createNamespace(plane.client, ns);
  running = await startManager(plane.url, (m) => register(m, { podFailureBackoffMs: backoffMs }));
}, 30_000);

afterAll(async () => {
  await running?.stop();
});

function jobManifest(name: string, spec: Partial<NonNullable<Job['spec']>> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
      ...spec,
    },
  } as Job;
}

const jobs = () => plane.client.resource<Job>(jobsGVR, ns);
const getJob = (name: string) => jobs().get(name);
const podsOf = async (job: string) => listPods(plane.client, ns, `batch.kubernetes.io/job-name=${job}`);
const activePods = async (job: string) => (await podsOf(job)).filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
const condition = (job: Job, type: string) => (job.status?.conditions ?? []).find((c) => c.type === type);

async function waitForJob(name: string, what: string, ok: (job: Job) => boolean, timeoutMs = 15_000): Promise<Job> {
  return eventually(what, async () => {
    const job = await getJob(name);
    return ok(job) ? job : undefined;
  }, timeoutMs);
}

async function waitForActive(name: string, count: number, timeoutMs = 10_000): Promise<Pod[]> {
  return eventually(`${count} active pods of ${name}`, async () => {
    const pods = await activePods(name);
    return pods.length === count ? pods : undefined;
  }, timeoutMs);
}

describe('Job controller', () => {
  it('runs pods up to parallelism until completions succeed, tracking them with a finalizer', async () => {
    const name = uniqueName('complete');
    const created = await jobs().create(jobManifest(name, { completions: 3, parallelism: 2 }));
    const first = await waitForActive(name, 2);
    for (const pod of first) {
      expect(pod.metadata?.finalizers).toContain(jobTrackingFinalizer);
      expect(pod.metadata?.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name, uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
      expect(pod.metadata?.labels).toMatchObject({ 'batch.kubernetes.io/job-name': name, 'batch.kubernetes.io/controller-uid': created.metadata?.uid });
      expect(pod.metadata?.generateName).toBe(`${name}-`);
    }
    let job = await waitForJob(name, 'active 2', (j) => j.status?.active === 2);
    expect(job.status?.startTime).toBeDefined();
    expect(job.status?.ready).toBe(0);
    expect(job.status?.terminating).toBe(0);

    await setPodStatus(plane.client, ns, first[0]!.metadata!.name!, runningReady('10.0.0.1'));
    await waitForJob(name, 'ready 1', (j) => j.status?.ready === 1);

    await setPodStatus(plane.client, ns, first[0]!.metadata!.name!, exited(0));
    // Counted once its finalizer is gone; a third pod replaces it.
    job = await waitForJob(name, 'succeeded 1', (j) => j.status?.succeeded === 1 && j.status?.active === 2);
    expect(job.status?.uncountedTerminatedPods).toEqual({});
    const done = await plane.client.resource<Pod>(podsGVR, ns).get(first[0]!.metadata!.name!);
    expect(done.metadata?.finalizers ?? []).not.toContain(jobTrackingFinalizer);
    const second = await waitForActive(name, 2);
    for (const pod of second) await setPodStatus(plane.client, ns, pod.metadata!.name!, exited(0));

    job = await waitForJob(name, 'Complete', (j) => condition(j, 'Complete')?.status === 'True');
    expect(job.status?.succeeded).toBe(3);
    expect(job.status?.active).toBeUndefined();
    expect(job.status?.completionTime).toBeDefined();
    expect(condition(job, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(condition(job, 'Complete')).toMatchObject({ status: 'True', reason: 'CompletionsReached' });
    // No pod more than needed, and every finalizer removed.
    const pods = await podsOf(name);
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => !(p.metadata?.finalizers ?? []).includes(jobTrackingFinalizer))).toBe(true);
    await eventually('events', async () => {
      const r = reasons(await eventsFor(plane.client, ns, name));
      return r.includes('Completed') && r.includes('SuccessfulCreate') ? r : undefined;
    });
  });

  it('waits with exponential backoff between retries and fails past backoffLimit', async () => {
    const name = uniqueName('backoff');
    await jobs().create(jobManifest(name, { completions: 1, parallelism: 1, backoffLimit: 2 }));
    const [p1] = await waitForActive(name, 1);
    await setPodStatus(plane.client, ns, p1!.metadata!.name!, exited(1));
    const failedAt = Date.now();
    const [p2] = await waitForActive(name, 1, 10_000);
    // The replacement waits for the backoff (1 s here; 10 s by default), counted from the failure.
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(backoffMs - 1000);
    expect((await getJob(name)).status?.failed).toBe(1);
    await setPodStatus(plane.client, ns, p2!.metadata!.name!, exited(1));
    const failed2 = Date.now();
    const [p3] = await waitForActive(name, 1, 10_000);
    // The second failure doubles the delay (finish times have second resolution).
    expect(Date.now() - failed2).toBeGreaterThanOrEqual(2 * backoffMs - 1000);
    await setPodStatus(plane.client, ns, p3!.metadata!.name!, exited(1));

    const job = await waitForJob(name, 'Failed', (j) => condition(j, 'Failed')?.status === 'True');
    expect(condition(job, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(condition(job, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(job.status?.failed).toBe(3);
    expect(job.status?.completionTime).toBeUndefined();
    expect(await podsOf(name)).toHaveLength(3);
    await eventually('BackoffLimitExceeded event', async () => (reasons(await eventsFor(plane.client, ns, name)).includes('BackoffLimitExceeded') ? true : undefined));
  });

  it('fails a Job active longer than activeDeadlineSeconds and deletes its pods', async () => {
    const name = uniqueName('deadline');
    await jobs().create(jobManifest(name, { completions: 2, parallelism: 2, activeDeadlineSeconds: 2 }));
    await waitForActive(name, 2);
    const job = await waitForJob(name, 'Failed', (j) => condition(j, 'Failed')?.status === 'True', 10_000);
    expect(condition(job, 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect(condition(job, 'FailureTarget')?.reason).toBe('DeadlineExceeded');
    // The running pods were counted as failed, their finalizers removed, and they are gone.
    expect(job.status?.failed).toBe(2);
    expect(job.status?.active).toBeUndefined();
    expect(job.status?.terminating).toBe(0);
    await eventually('pods gone', async () => ((await podsOf(name)).length === 0 ? true : undefined));
  });

  it('gives Indexed Jobs one pod per index and records completedIndexes', async () => {
    const name = uniqueName('indexed');
    await jobs().create(jobManifest(name, { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await waitForActive(name, 3);
    const byIndex = new Map(pods.map((p) => [p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2']);
    for (const [ix, pod] of byIndex) {
      expect(pod.metadata?.labels?.['batch.kubernetes.io/job-completion-index']).toBe(ix);
      expect(pod.metadata?.generateName).toBe(`${name}-${ix}-`);
      expect(pod.spec?.hostname).toBe(`${name}-${ix}`);
      expect(pod.spec?.containers[0]?.env).toContainEqual({
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } },
      });
    }
    await setPodStatus(plane.client, ns, byIndex.get('1')!.metadata!.name!, exited(0));
    await waitForJob(name, 'completedIndexes 1', (j) => j.status?.completedIndexes === '1' && j.status?.succeeded === 1);
    // A failed index gets a new pod with the same index.
    await setPodStatus(plane.client, ns, byIndex.get('0')!.metadata!.name!, exited(1));
    const again = await eventually('a new pod for index 0', async () => {
      const p = (await activePods(name)).find((x) => x.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'] === '0');
      return p && p.metadata?.uid !== byIndex.get('0')!.metadata?.uid ? p : undefined;
    });
    await setPodStatus(plane.client, ns, again.metadata!.name!, exited(0));
    await setPodStatus(plane.client, ns, byIndex.get('2')!.metadata!.name!, exited(0));
    const job = await waitForJob(name, 'Complete', (j) => condition(j, 'Complete')?.status === 'True');
    expect(job.status?.completedIndexes).toBe('0-2');
    expect(job.status?.succeeded).toBe(3);
    expect(job.status?.failed).toBe(1);
  });

  it('applies the pod failure policy: Ignore does not count, FailJob fails at once', async () => {
    const name = uniqueName('policy');
    await jobs().create(
      jobManifest(name, {
        completions: 1,
        backoffLimit: 0,
        podFailurePolicy: {
          rules: [
            { action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } },
            { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
          ],
        },
      }),
    );
    const [p1] = await waitForActive(name, 1);
    await setPodStatus(plane.client, ns, p1!.metadata!.name!, exited(3));
    // Ignored: not counted against backoffLimit 0, and replaced.
    const [p2] = await eventually('a replacement', async () => {
      const pods = await activePods(name);
      return pods.length === 1 && pods[0]!.metadata?.uid !== p1!.metadata?.uid ? pods : undefined;
    });
    let job = await getJob(name);
    expect(job.status?.failed).toBeUndefined();
    expect(condition(job, 'Failed')).toBeUndefined();
    await setPodStatus(plane.client, ns, p2!.metadata!.name!, exited(42));
    job = await waitForJob(name, 'Failed', (j) => condition(j, 'Failed')?.status === 'True');
    const message = `Container main for pod ${ns}/${p2!.metadata!.name} failed with exit code 42 matching FailJob rule at index 1`;
    expect(condition(job, 'FailureTarget')).toMatchObject({ reason: 'PodFailurePolicy', message });
    expect(condition(job, 'Failed')).toMatchObject({ reason: 'PodFailurePolicy', message });
    expect(job.status?.failed).toBe(1);
  });

  it('creates no pods while suspended, starts on resume and deletes active pods on suspend', async () => {
    const name = uniqueName('suspend');
    await jobs().create(jobManifest(name, { completions: 2, parallelism: 2, suspend: true }));
    let job = await waitForJob(name, 'Suspended', (j) => condition(j, 'Suspended')?.status === 'True');
    expect(condition(job, 'Suspended')).toMatchObject({ reason: 'JobSuspended', message: 'Job suspended' });
    expect(job.status?.startTime).toBeUndefined();
    expect(await podsOf(name)).toHaveLength(0);

    await jobs().patch(name, { spec: { suspend: false } });
    await waitForActive(name, 2);
    job = await waitForJob(name, 'resumed', (j) => condition(j, 'Suspended')?.status === 'False');
    expect(condition(job, 'Suspended')).toMatchObject({ reason: 'JobResumed', message: 'Job resumed' });
    expect(job.status?.startTime).toBeDefined();

    await jobs().patch(name, { spec: { suspend: true } });
    await eventually('pods deleted', async () => ((await podsOf(name)).length === 0 ? true : undefined));
    job = await waitForJob(name, 'suspended again', (j) => condition(j, 'Suspended')?.status === 'True' && !j.status?.active);
    // Pods deleted for suspension are not failures.
    expect(job.status?.failed).toBeUndefined();
    const r = reasons(await eventsFor(plane.client, ns, name));
    expect(r).toEqual(expect.arrayContaining(['Suspended', 'Resumed', 'SuccessfulDelete']));
  });

  it('adopts matching orphans and releases pods it no longer selects', async () => {
    const name = uniqueName('adopt');
    const selector = { matchLabels: { app: name } };
    const orphan: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-orphan`, labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } };
    await plane.client.resource<Pod>(podsGVR, ns).create(orphan);
    const job = await jobs().create(jobManifest(name, { manualSelector: true, selector, completions: 1, template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } }));
    const adopted = await eventually('adoption', async () => {
      const p = await plane.client.resource<Pod>(podsGVR, ns).get(`${name}-orphan`);
      return p.metadata?.ownerReferences?.[0]?.uid === job.metadata?.uid ? p : undefined;
    });
    expect(adopted.metadata?.finalizers).toContain(jobTrackingFinalizer);
    expect(adopted.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name, controller: true });
    // The adopted pod is the one active pod: nothing else is created.
    await waitForJob(name, 'active 1', (j) => j.status?.active === 1);
    await sleep(300);
    expect((await listPods(plane.client, ns, `app=${name}`)).length).toBe(1);
    // Relabelled away: released (owner reference and finalizer removed), and replaced.
    await plane.client.resource<Pod>(podsGVR, ns).patch(`${name}-orphan`, { metadata: { labels: { app: 'elsewhere' } } });
    const released = await eventually('release', async () => {
      const p = await plane.client.resource<Pod>(podsGVR, ns).get(`${name}-orphan`);
      return (p.metadata?.ownerReferences ?? []).length === 0 ? p : undefined;
    });
    expect(released.metadata?.finalizers ?? []).not.toContain(jobTrackingFinalizer);
    await eventually('a replacement', async () => ((await listPods(plane.client, ns, `app=${name}`)).length === 1 ? true : undefined));
  });

  it('removes the tracking finalizer from pods of a deleted Job', async () => {
    const name = uniqueName('orphaned');
    await jobs().create(jobManifest(name, { completions: 2, parallelism: 2 }));
    const pods = await waitForActive(name, 2);
    await jobs().delete(name, { propagationPolicy: 'Orphan' });
    for (const pod of pods) {
      await eventually(`finalizer of ${pod.metadata?.name} removed`, async () => {
        const p = await plane.client.resource<Pod>(podsGVR, ns).get(pod.metadata!.name!);
        return (p.metadata?.finalizers ?? []).includes(jobTrackingFinalizer) ? undefined : p;
      });
    }
  });

  it('counts each pod once while another writer changes the Job concurrently', async () => {
    const name = uniqueName('conflict');
    await jobs().create(jobManifest(name, { completions: 6, parallelism: 3 }));
    let writes = 0;
    let stop = false;
    // Another writer keeps changing the Job (metadata and status), so the controller's writes conflict.
    const writer = (async () => {
      while (!stop) {
        try {
          await jobs().patch(name, { metadata: { annotations: { touched: String(writes) } } });
          const j = await getJob(name);
          j.status = { ...j.status, conditions: [...(j.status?.conditions ?? []).filter((c) => c.type !== 'Noise'), { type: 'Noise', status: 'True', reason: `W${writes}` }] };
          await jobs().updateStatus(j).catch(() => undefined);
          writes++;
        } catch {
          // 409s and the like: keep going
        }
        await sleep(10);
      }
    })();
    try {
      for (let round = 0; round < 2; round++) {
        const pods = await waitForActive(name, 3, 15_000);
        for (const pod of pods) await setPodStatus(plane.client, ns, pod.metadata!.name!, exited(0));
      }
      const job = await waitForJob(name, 'Complete', (j) => condition(j, 'Complete')?.status === 'True', 20_000);
      expect(job.status?.succeeded).toBe(6);
      expect(job.status?.failed).toBeUndefined();
      expect(await podsOf(name)).toHaveLength(6);
    } finally {
      stop = true;
      await writer;
    }
    expect(writes).toBeGreaterThan(5);
  });

  it('backs off on pods it cannot create instead of hot-looping', async () => {
    const name = uniqueName('unfixable');
    // A pod may not be created bound to a node while it has scheduling gates: every create is refused.
    await jobs().create(
      jobManifest(name, {
        completions: 1,
        template: { spec: { restartPolicy: 'Never', nodeName: 'n1', schedulingGates: [{ name: 'wait' }], containers: [{ name: 'main', image: 'busybox' }] } },
      }),
    );
    await eventually('FailedCreate event', async () => (reasons(await eventsFor(plane.client, ns, name)).includes('FailedCreate') ? true : undefined));
    await sleep(2000);
    // Backoff doubles per failure: a handful of attempts (and events) in 4 s, not hundreds.
    const sent = await requestsDuring(running.client, 4000);
    expect(sent).toBeLessThan(25);
    expect(await podsOf(name)).toHaveLength(0);
  });
});
