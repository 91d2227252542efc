/**
 * A stand-in for the scheduler and the kubelets in workload controller tests: it watches the pods
 * of one namespace and "runs" them through the API as those components would — binds each new
 * pod to a node (POST pods/NAME/binding), then reports it Running and Ready (PUT pods/NAME/status)
 * — and finishes graceful deletions (DELETE with grace 0, as a kubelet does once the containers
 * stopped). A `ready` filter keeps some pods Running but not Ready (an image that never comes up,
 * to test a stuck rollout); `pause()` stops it from touching new pods.
 */
import type { Pod } from '../../api/kinds/core/pod';
import { isStatusError } from '../../api/status';
import type { RestClient, Watch } from '../../client/restClient';

const pods = { group: '', version: 'v1', resource: 'pods' };

export interface PodRunnerOptions {
  readonly namespace: string;
  /** Default node-1. */
  readonly nodeName?: string;
  /** Which pods become Ready (default all); the others stay Running, not ready. */
  readonly ready?: (pod: Pod) => boolean;
  /** Finish graceful deletions at once (default true). */
  readonly finishDeletions?: boolean;
}

export interface PodRunner {
  /** Changes which pods become ready (pods already seen are looked at again). */
  setReady(ready: (pod: Pod) => boolean): void;
  /** Stops binding and readying pods (deletions are still finished) until resume(). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export function imagesOf(pod: Pod): string[] {
  return (pod.spec?.containers ?? []).map((c) => c.image ?? '');
}

let ipCounter = 0;

export async function startPodRunner(client: RestClient, options: PodRunnerOptions): Promise<PodRunner> {
  const resource = client.resource<Pod>(pods, options.namespace);
  const nodeName = options.nodeName ?? 'node-1';
  let ready = options.ready ?? (() => true);
  let paused = false;
  let stopped = false;
  const latest = new Map<string, Pod>();
  const queue: string[] = [];
  const queued = new Set<string>();
  let wake: (() => void) | undefined;

  const enqueue = (name: string) => {
    if (queued.has(name)) return;
    queued.add(name);
    queue.push(name);
    wake?.();
  };

  const handle = async (name: string) => {
    const pod = latest.get(name);
    if (!pod) return;
    if (pod.metadata?.deletionTimestamp) {
      if (options.finishDeletions === false) return;
      await resource.delete(name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      return;
    }
    if (paused) return;
    if (!pod.spec?.nodeName) {
      await client.create(`${resource.path(name)}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: nodeName } });
      return; // the watch brings the bound pod back
    }
    const wantReady = ready(pod);
    const isRunning = pod.status?.phase === 'Running';
    const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (isRunning && isReady === wantReady) return;
    const now = new Date().toISOString().slice(0, 19) + 'Z';
    const status = wantReady ? 'True' : 'False';
    const ip = pod.status?.podIP ?? `10.244.0.${(ipCounter++ % 250) + 2}`;
    const next: Pod = {
      ...pod,
      status: {
        ...pod.status,
        phase: 'Running',
        hostIP: '10.0.0.1',
        podIP: ip,
        podIPs: [{ ip }],
        startTime: pod.status?.startTime ?? now,
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
          { type: 'Initialized', status: 'True', lastTransitionTime: now },
          { type: 'ContainersReady', status, lastTransitionTime: now },
          { type: 'Ready', status, lastTransitionTime: now },
        ],
        containerStatuses: (pod.spec.containers ?? []).map((c) => ({
          name: c.name,
          image: c.image ?? '',
          imageID: '',
          ready: wantReady,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: now } },
        })),
      },
    };
    await resource.updateStatus(next);
  };

  const loop = (async () => {
    while (!stopped) {
      const name = queue.shift();
      if (name === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      queued.delete(name);
      try {
        await handle(name);
      } catch (err) {
        // A conflict or a pod gone meanwhile: the watch brings the next state.
        if (!isStatusError(err, 409) && !isStatusError(err, 404) && !stopped) {
          setTimeout(() => enqueue(name), 50);
        }
      }
    }
  })();

  const watch: Watch = await resource.watch({}, (event) => {
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return;
    const pod = event.object;
    const name = pod.metadata?.name;
    if (!name) return;
    if (event.type === 'DELETED') {
      latest.delete(name);
      return;
    }
    latest.set(name, pod);
    enqueue(name);
  });

  return {
    setReady(fn) {
      ready = fn;
      for (const name of latest.keys()) enqueue(name);
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const name of latest.keys()) enqueue(name);
    },
    async stop() {
      stopped = true;
      watch.close();
      wake?.();
      await loop;
      await watch.done.catch(() => undefined);
    },
  };
}
