/**
 * Restarts and logs of the node agent on the real containerd runtime (kubelet/runtime/ctr):
 * CrashLoopBackOff spacing restarts by the doubling backoff (and starting over after a run longer
 * than the reset window), and `kubectl logs -f`, `--tail` and `--previous` through the API server.
 * The fake-runtime versions are agentRestarts.test.ts and agentKubectl.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from '../../api/kinds/core/pod';
import { RestClient } from '../../client/restClient';
import { startKubelet, type RunningKubelet } from '../../kubelet/kubelet';
import { useControlPlane } from '../harness/apiserver';
import { useCtrRuntime } from '../harness/containerd';
import { useKubectl } from '../harness/kubectl';
import { tempDir } from '../harness/tmp';
import { createPod, eventually, getPod, podOn, uniqueName, waitForPod } from './agentHarness';

const plane = useControlPlane();
const kubectl = useKubectl(() => plane.url);
const rt = useCtrRuntime();
const node = 'node-restarts';
/** Small backoffs so a crash loop shows its shape in seconds; the reset window is 2 × maxMs = 8 s. */
const crashBackoff = { initialMs: 1000, maxMs: 4000 };
let kubelet: RunningKubelet;
let root: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  root = await tempDir('kubelet-restarts');
  kubelet = await startKubelet({ client: new RestClient({ server: plane.url, rateLimit: false }), nodeName: node, runtime: rt.runtime, rootDir: join(root.path, 'agent'), port: 0, podCIDR: rt.podCidr, crashBackoff });
}, 60_000);
afterAll(async () => {
  await kubelet?.stop();
  await root?.remove();
}, 60_000);

const mainStatus = (p: Pod | undefined) => p?.status?.containerStatuses?.find((s) => s.name === 'main');

/** The "start T" / "exit T" lines (T: host uptime in seconds, 10 ms resolution) of each run, in order. */
function parseRuns(text: string): { start: number; exit?: number }[] {
  const runs: { start: number; exit?: number }[] = [];
  for (const line of text.split('\n')) {
    const [what, t] = line.split(' ');
    if (what === 'start') runs.push({ start: Number(t) * 1000 });
    else if (what === 'exit' && runs.length > 0) runs[runs.length - 1]!.exit = Number(t) * 1000;
  }
  return runs;
}

test('a crashing container restarts after 0, 1, 2, 4, 4 s (CrashLoopBackOff); after a run longer than the reset window the backoff starts over', async () => {
  const name = uniqueName('crash');
  const hostDir = join(root.path, name);
  // Each run stamps its start and exit (from /proc/uptime: the host's clock, 10 ms resolution)
  // into a host directory; the 6th run outlives the reset window (2 × maxMs).
  const script = [
    'now() { cut -d" " -f1 /proc/uptime; }',
    'echo start $(now) >> /runs/log',
    'n=$(grep -c start /runs/log)',
    'if [ "$n" = 6 ]; then sleep 9; fi',
    'echo exit $(now) >> /runs/log',
    'echo crash $n',
    'exit 1',
  ].join('\n');
  await createPod(
    plane.client,
    'default',
    podOn(node, name, {
      volumes: [{ name: 'runs', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } }],
      containers: [{ name: 'main', image: rt.image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], volumeMounts: [{ name: 'runs', mountPath: '/runs' }] }],
    }),
  );
  const reasons = new Set<string>();
  const restartCounts: number[] = [];
  let last: Pod | undefined;
  const runs = await eventually(
    '8 runs of the crashing container',
    async () => {
      last = await getPod(plane.client, 'default', name);
      const waiting = mainStatus(last)?.state?.waiting;
      if (waiting?.reason) reasons.add(`${waiting.reason}: ${waiting.message?.split(' restarting')[0] ?? ''}`);
      const count = mainStatus(last)?.restartCount;
      if (count !== undefined && count !== restartCounts[restartCounts.length - 1]) restartCounts.push(count);
      const found = parseRuns(await readFile(join(hostDir, 'log'), 'utf8').catch(() => ''));
      return found.length >= 8 ? found : undefined;
    },
    45_000,
  );
  await plane.client.delete(`/api/v1/namespaces/default/pods/${name}`, { gracePeriodSeconds: 0 });

  // gaps[n]: from the exit of run n to the start of run n + 1.
  const gaps = runs.slice(1, 8).map((run, i) => run.start - runs[i]!.exit!);
  const expected = [0, 1000, 2000, 4000, 4000, 0, 1000];
  // Backoff is counted from the exit, so a gap is never shorter than it (0.8: clock granularity);
  // start-up latency on a loaded machine stays well under 3 s.
  const outOfBounds = gaps.filter((gap, i) => gap < 0.8 * expected[i]! || gap >= expected[i]! + 3000);
  expect({ gaps, outOfBounds }).toEqual({ gaps, outOfBounds: [] });
  // The long run lasted more than the reset window; without the reset its restart would wait 4 s.
  expect(runs[5]!.exit! - runs[5]!.start).toBeGreaterThan(2 * crashBackoff.maxMs);
  expect(gaps[5]).toBeLessThan(0.8 * crashBackoff.maxMs);

  // What the pod's status said meanwhile: CrashLoopBackOff with the growing delay (the 1 s one is
  // over before the agent has noticed the exit when a restart takes longer than that), a restart
  // count that only grew.
  expect([...reasons]).toEqual(expect.arrayContaining(['CrashLoopBackOff: back-off 2s', 'CrashLoopBackOff: back-off 4s']));
  expect([...reasons].filter((r) => !r.startsWith('CrashLoopBackOff: back-off ') && !r.startsWith('ContainerCreating'))).toEqual([]);
  expect(restartCounts).toEqual([...restartCounts].sort((a, b) => a - b));
  expect(restartCounts[restartCounts.length - 1]).toBeGreaterThanOrEqual(6);
  expect(mainStatus(last)?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
}, 90_000);

test('kubectl logs -f streams lines as they are written and ends when the container ends; --tail and --previous', async () => {
  const name = uniqueName('logs');
  // 30 numbered lines, one every 200 ms, then the container ends (and, restartPolicy Always, restarts).
  const script = 'i=0; while [ $i -lt 30 ]; do i=$((i+1)); echo line $i; sleep 0.2; done';
  await createPod(plane.client, 'default', podOn(node, name, { containers: [{ name: 'main', image: rt.image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }] }));
  await waitForPod(plane.client, 'default', name, 'running', (p) => !!mainStatus(p)?.state?.running, 60_000);
  const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${from + i}\n`).join('');

  const follow = kubectl.get().start(['logs', '-f', name]);
  try {
    await follow.waitFor(/line \d+\n/, 20_000);
    const first = follow.output().match(/line \d+\n/g)!.length;
    expect(first).toBeLessThan(30);
    // Lines written after kubectl printed its first ones keep arriving, in order.
    await follow.waitFor(`line ${first + 3}\n`, 10_000);
    expect(follow.output().slice(0, lines(first + 3).length)).toBe(lines(first + 3));
    // The container ends after line 30, and so does `logs -f`.
    expect(await follow.ended(20_000)).toBe(0);
    expect(follow.output()).toBe(lines(30));
  } finally {
    await follow.stop();
  }

  await waitForPod(plane.client, 'default', name, 'restarted', (p) => (mainStatus(p)?.restartCount ?? 0) >= 1, 30_000);
  const previous = await kubectl.get().run(['logs', name, '--previous']);
  expect(previous).toMatchObject({ code: 0, stdout: lines(30) });
  expect(await kubectl.get().run(['logs', name, '--previous', '--tail=2'])).toMatchObject({ code: 0, stdout: lines(2, 29) });
  await plane.client.delete(`/api/v1/namespaces/default/pods/${name}`, { gracePeriodSeconds: 0 });
}, 90_000);
