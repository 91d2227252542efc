import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../api/kinds/core/pod';
import type { PodStatus } from '../../api/kinds/core/podStatus';
import { realClock } from '../../client/clock';
import { silentLogger } from '../../client/log';
import type { RestClient } from '../../client/restClient';
import { KeyedBackoff } from '../backoff';
import { ProbeManager } from '../prober/probeManager';
import { FakeRuntime } from '../runtime/fake';
import { PodSyncer } from './podSyncer';
import type { StatusWriter } from './statusWriter';

const image = 'registry.example/app:1';

/** A syncer over a fake runtime; statuses are kept in memory. */
function syncerOn(runtime: FakeRuntime, rootDir: string) {
  const statuses = new Map<string, PodStatus>();
  const status = {
    last: (uid: string) => statuses.get(uid),
    write: async (pod: Pod, s: PodStatus) => (statuses.set(pod.metadata?.uid ?? '', s), true),
    forget: (uid: string) => void statuses.delete(uid),
  } as unknown as StatusWriter;
  const syncer = new PodSyncer({
    runtime,
    objects: { configMap: () => undefined, secret: () => undefined },
    crashBackoff: new KeyedBackoff(),
    imageBackoff: new KeyedBackoff(),
    clock: realClock,
    rootDir,
    writeFiles: false,
    client: {} as RestClient, // only deletions use it
    probes: new ProbeManager(runtime, () => {}),
    status,
    hostIPs: ['127.0.0.1'],
    allocatable: { milliCPU: 2000, memoryBytes: 2 ** 32, ephemeralStorageBytes: 2 ** 34 },
    requeue: () => {},
    log: silentLogger,
  });
  return { syncer, statuses };
}

/** Counts the runtime's container listings from now on. */
function countListings(runtime: FakeRuntime): () => number {
  let listings = 0;
  const list = runtime.listContainers.bind(runtime);
  runtime.listContainers = () => (listings++, list());
  return () => listings;
}

function pod(uid: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p-${uid}`, namespace: 'default', uid },
    spec: { nodeName: 'n', containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent' }] },
    status: { phase: 'Pending' },
  } as Pod;
}

describe('PodSyncer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podsyncer-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("starts a new pod with one listing of the runtime before and one after (its start waits for no more)", async () => {
    const runtime = new FakeRuntime({ images: [image] });
    const { syncer, statuses } = syncerOn(runtime, dir);
    const listings = countListings(runtime);
    await syncer.sync(pod('u1'));
    expect(listings()).toBe(2);
    expect((await runtime.listContainers()).filter((c) => c.state === 'running')).toHaveLength(1);
    expect(statuses.get('u1')?.phase).toBe('Running');
  });

  it('starts a pod known to be new (nothing of it in the runtime) with one listing only: after the start', async () => {
    const runtime = new FakeRuntime({ images: [image] });
    const { syncer, statuses } = syncerOn(runtime, dir);
    const listings = countListings(runtime);
    await syncer.sync(pod('u3'), { newPod: true });
    expect(listings()).toBe(1);
    expect(statuses.get('u3')?.phase).toBe('Running');
    // Later syncs read the runtime: the pod's container is found, not started again.
    await syncer.sync(pod('u3'));
    expect((await runtime.listContainers()).filter((c) => c.state === 'running')).toHaveLength(1);
  });

  it('re-reads the runtime after killing a pod that had a sandbox', async () => {
    const runtime = new FakeRuntime({ images: [image] });
    const { syncer, statuses } = syncerOn(runtime, dir);
    const p = pod('u2');
    const never: Pod = { ...p, spec: { ...p.spec!, restartPolicy: 'Never' } };
    await syncer.sync(never);
    const [container] = await runtime.listContainers();
    await runtime.stopContainer(container!.id, 0); // it finished: the pod is done, its sandbox goes
    const listings = countListings(runtime);
    await syncer.sync(never);
    expect(listings()).toBe(2); // before the kill, and after it for the final status
    expect(await runtime.listSandboxes()).toHaveLength(0);
    expect(statuses.get('u2')?.phase).toBe('Failed');
  });
});
