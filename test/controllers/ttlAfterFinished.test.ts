/**
 * The TTL-after-finished controller on a real API server: a finished Job is deleted once its TTL
 * has passed (with the Job controller and the garbage collector, the whole way), not before; a
 * changed TTL or a replaced Job is re-checked on a fresh read; a Job it cannot judge does not
 * make it loop.
 */
import type { Job } from '../../api/kinds/batch/job';
import { register as registerGarbageCollector } from '../../controllers/garbagecollector';
import { register as registerJob } from '../../controllers/job';
import { register as registerTtl } from '../../controllers/ttlafterfinished';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventually, exited, listPods, requestsDuring, setPodStatus, sleep, startManager, uniqueName, type RunningManager } from './lifecycleHelpers';

const plane = useControlPlane();
const jobsGVR = { group: 'batch', version: 'v1', resource: 'jobs' };
const ns = 'ttl';
let running: RunningManager;

beforeAll(async () => {
  await createNamespace(plane.client, ns);
  running = await startManager(plane.url, (m) => {
    registerTtl(m);
    registerJob(m);
    registerGarbageCollector(m);
  });
}, 30_000);

afterAll(async () => {
  await running?.stop();
});

const jobs = () => plane.client.resource<Job>(jobsGVR, ns);
const at = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

function jobManifest(name: string, ttl: number | undefined, suspend = true): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}),
      // Suspended: the Job controller leaves it alone while the test writes its status.
      suspend,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
    },
  } as Job;
}

/** Marks a Job finished (as the Job controller would) at `finishedAt`. */
async function finish(name: string, finishedAt: number, withTime = true): Promise<void> {
  for (;;) {
    const job = await jobs().get(name);
    job.status = {
      ...job.status,
      conditions: [{ type: 'Complete', status: 'True', ...(withTime ? { lastTransitionTime: at(finishedAt) } : {}) }],
      ...(withTime ? { startTime: at(finishedAt), completionTime: at(finishedAt) } : {}),
    };
    try {
      await jobs().updateStatus(job);
      return;
    } catch {
      await sleep(20);
    }
  }
}

const exists = async (name: string) => (await jobs().list()).items.some((j) => j.metadata?.name === name);

describe('TTL after finished', () => {
  it('deletes a Job (and, through the garbage collector, its pods) once its TTL has passed', async () => {
    const name = uniqueName('done');
    await jobs().create(jobManifest(name, 2, false));
    const [pod] = await eventually('the pod', async () => {
      const pods = await listPods(plane.client, ns, `batch.kubernetes.io/job-name=${name}`);
      return pods.length === 1 ? pods : undefined;
    });
    await setPodStatus(plane.client, ns, pod!.metadata!.name!, exited(0));
    const done = await eventually('Complete', async () => {
      const j = await jobs().get(name);
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    });
    const finishedAt = Date.parse(done.status!.conditions!.find((c) => c.type === 'Complete')!.lastTransitionTime!);
    await eventually('the Job deleted', async () => ((await exists(name)) ? undefined : true), 15_000);
    // Not before the TTL (the condition time has second resolution).
    expect(Date.now()).toBeGreaterThanOrEqual(finishedAt + 2000);
    await eventually('its pod deleted', async () => ((await listPods(plane.client, ns, `batch.kubernetes.io/job-name=${name}`)).length === 0 ? true : undefined), 15_000);
  });

  it('leaves Jobs without a TTL, and unfinished ones, alone', async () => {
    const noTtl = uniqueName('no-ttl');
    const unfinished = uniqueName('unfinished');
    await jobs().create(jobManifest(noTtl, undefined));
    await jobs().create(jobManifest(unfinished, 0));
    await finish(noTtl, Date.now() - 60_000);
    await sleep(1500);
    expect(await exists(noTtl)).toBe(true);
    expect(await exists(unfinished)).toBe(true);
  });

  it('follows TTL changes: raised before it expires, the Job stays; lowered, it goes at once', async () => {
    const name = uniqueName('raised');
    await jobs().create(jobManifest(name, 3));
    await finish(name, Date.now());
    await jobs().patch(name, { spec: { ttlSecondsAfterFinished: 3600 } });
    await sleep(4500);
    expect(await exists(name)).toBe(true);
    // Lowered again: deleted at once.
    await jobs().patch(name, { spec: { ttlSecondsAfterFinished: 0 } });
    await eventually('deleted', async () => ((await exists(name)) ? undefined : true));
  });

  it('does not delete a new Job that replaced an expired one under the same name', async () => {
    const name = uniqueName('replaced');
    await jobs().create(jobManifest(name, 1));
    await finish(name, Date.now());
    await eventually('deleted', async () => ((await exists(name)) ? undefined : true), 10_000);
    const second = await jobs().create(jobManifest(name, 1));
    await sleep(2500);
    const live = await jobs().get(name);
    expect(live.metadata?.uid).toBe(second.metadata?.uid);
  });

  it('does not loop on a finished Job that does not say when it finished', async () => {
    const name = uniqueName('no-time');
    await jobs().create(jobManifest(name, 0));
    await finish(name, 0, false);
    await sleep(1000);
    const sent = await requestsDuring(running.client, 3000);
    expect(sent).toBeLessThan(10);
    expect(await exists(name)).toBe(true);
  });
});
