/** Restarts, backoffs and probes: CrashLoopBackOff timing, image pull failures, readiness gating Ready, liveness restarts. */
import type { Pod } from '../../api/kinds/core/pod';
import { behaviorFromEnv, FakeRuntime } from '../../kubelet/runtime/fake';
import { useControlPlane } from '../harness/apiserver';
import { createPod, eventually, getPod, image, isReady, phaseIs, podOn, startTestAgent, uniqueName, waitForPod, waitingReason, type TestAgent } from './agentHarness';

const plane = useControlPlane();
const ns = 'default';
const node = 'node-r';
/** Exit codes of the pretend `check-*` commands, by pod name. */
const checks = new Map<string, number>();
let agent: TestAgent;
let runtime: FakeRuntime;

beforeAll(async () => {
  runtime = new FakeRuntime({
    images: [image],
    failPull: (ref) => (ref.includes('missing') ? `failed to pull and unpack image "${ref}": not found` : undefined),
    exec: (c, command) => (command[0]?.startsWith('check') ? { exitCode: checks.get(`${c.spec.podName}/${command[0]}`) ?? 0 } : undefined),
    networkProbe: (_c, port) => port !== 8081,
    // "flaky" pods fail on their first run and succeed on the next.
    behavior: (spec) => (spec.podName.startsWith('flaky') ? { runForMs: 100, exitCode: spec.restartCount === 0 ? 1 : 0 } : behaviorFromEnv(spec)),
  });
  agent = await startTestAgent(plane.url, node, { runtime });
}, 30_000);
afterAll(() => agent?.dispose());

const status = (p: Pod, c = 'main') => p.status?.containerStatuses?.find((s) => s.name === c);

test('a crashing container restarts with CrashLoopBackOff delays that double', async () => {
  const name = uniqueName('crash');
  const starts = new Map<number, number>();
  const off = runtime.onEvent(() => {
    for (const c of runtime.all()) if (c.spec.podName === name && c.state === 'running' && !starts.has(c.spec.restartCount)) starts.set(c.spec.restartCount, Date.now());
  });
  try {
    await createPod(plane.client, ns, podOn(node, name, {}, { MARINA_FAKE_RUN_SECONDS: '0.1', MARINA_FAKE_EXIT_CODE: '1' }));
    const backingOff = await waitForPod(plane.client, ns, name, 'in CrashLoopBackOff', (p) => waitingReason(p) === 'CrashLoopBackOff');
    expect(status(backingOff)?.state?.waiting?.message).toMatch(/^back-off \ds restarting failed container=main pod=/);
    expect(status(backingOff)?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(backingOff.status?.phase).toBe('Running');
    await waitForPod(plane.client, ns, name, 'restarted 3 times', (p) => (status(p)?.restartCount ?? 0) >= 3, 20_000);
    await eventually('the third restart seen', () => (starts.has(3) ? true : undefined));
    const gap = (n: number) => starts.get(n)! - starts.get(n - 1)!;
    // The first restart is immediate; then 1 s, then 2 s (each after a 0.1 s run).
    expect(gap(2)).toBeGreaterThanOrEqual(1000);
    expect(gap(3)).toBeGreaterThanOrEqual(2000);
    expect(gap(1)).toBeLessThan(gap(3) - 1000);
    // Only the two newest instances are kept.
    expect(runtime.all().filter((c) => c.spec.podName === name).length).toBeLessThanOrEqual(2);
  } finally {
    off();
  }
}, 30_000);

test('a restartPolicy OnFailure pod is restarted after a failure and completes after a success', async () => {
  const name = uniqueName('flaky');
  await createPod(plane.client, ns, podOn(node, name, { restartPolicy: 'OnFailure' }));
  const done = await waitForPod(plane.client, ns, name, 'Succeeded', phaseIs('Succeeded'));
  expect(status(done)?.restartCount).toBe(1);
  expect(status(done)?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  expect(status(done)?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
});

test('a missing image goes ErrImagePull then ImagePullBackOff, and pulls are retried with backoff', async () => {
  const name = uniqueName('pull');
  const ref = 'registry.example/missing:1';
  await createPod(plane.client, ns, podOn(node, name, { containers: [{ name: 'main', image: ref }] }));
  const seen = new Set<string>();
  let message = '';
  await eventually("ErrImagePull and ImagePullBackOff", async () => {
    const p = await getPod(plane.client, ns, name);
    const reason = p && waitingReason(p);
    if (reason) seen.add(reason);
    if (reason === 'ErrImagePull') message = status(p!)!.state!.waiting!.message ?? '';
    return seen.has('ErrImagePull') && seen.has('ImagePullBackOff') ? true : undefined;
  });
  expect(message).toContain('not found');
  const pod = await getPod(plane.client, ns, name);
  expect(pod?.status?.phase).toBe('Pending');
  await eventually('a retried pull', () => ((runtime.pulls.get(ref) ?? 0) >= 2 ? true : undefined));
});

test('imagePullPolicy Never with no image is ErrImageNeverPull', async () => {
  const name = uniqueName('never');
  await createPod(plane.client, ns, podOn(node, name, { containers: [{ name: 'main', image: 'registry.example/absent:2', imagePullPolicy: 'Never' }] }));
  const pod = await waitForPod(plane.client, ns, name, 'ErrImageNeverPull', (p) => waitingReason(p) === 'ErrImageNeverPull');
  expect(status(pod)?.state?.waiting?.message).toBe('Container image "registry.example/absent:2" is not present with pull policy of Never');
  expect(runtime.pulls.get('registry.example/absent:2')).toBeUndefined();
});

test('a readiness probe gates Ready', async () => {
  const name = uniqueName('ready');
  checks.set(`${name}/check-ready`, 1);
  await createPod(plane.client, ns, podOn(node, name, { containers: [{ name: 'main', image, readinessProbe: { exec: { command: ['check-ready'] }, periodSeconds: 1, failureThreshold: 1 } }] }));
  const running = await waitForPod(plane.client, ns, name, 'running', (p) => phaseIs('Running')(p) && status(p)?.started === true);
  expect(isReady(running)).toBe(false);
  expect(status(running)?.ready).toBe(false);
  checks.set(`${name}/check-ready`, 0);
  const ready = await waitForPod(plane.client, ns, name, 'ready', isReady);
  expect(status(ready)?.ready).toBe(true);
  checks.set(`${name}/check-ready`, 1);
  await waitForPod(plane.client, ns, name, 'unready again', (p) => !isReady(p));
});

test('a failing liveness probe restarts the container; httpGet and tcpSocket probes ask the pod network', async () => {
  const name = uniqueName('live');
  checks.set(`${name}/check-live`, 0);
  await createPod(
    plane.client,
    ns,
    podOn(node, name, {
      containers: [
        { name: 'main', image, livenessProbe: { exec: { command: ['check-live'] }, periodSeconds: 1, failureThreshold: 2 } },
        { name: 'web', image, readinessProbe: { httpGet: { port: 'http', path: '/' }, periodSeconds: 1 }, ports: [{ name: 'http', containerPort: 8080 }] },
        { name: 'closed', image, readinessProbe: { tcpSocket: { port: 8081 }, periodSeconds: 1 } },
      ],
    }),
  );
  const up = await waitForPod(plane.client, ns, name, 'web ready', (p) => status(p, 'web')?.ready === true && status(p, 'main')?.ready === true);
  expect(status(up, 'closed')?.ready).toBe(false);
  expect(status(up, 'main')?.restartCount).toBe(0);
  checks.set(`${name}/check-live`, 1);
  const restarted = await waitForPod(plane.client, ns, name, 'restarted', (p) => (status(p)?.restartCount ?? 0) >= 1 && !!status(p)?.state?.running);
  expect(status(restarted)?.lastState?.terminated?.exitCode).toBe(143);
  checks.set(`${name}/check-live`, 0);
});

test('a startup probe holds liveness and readiness until it succeeds', async () => {
  const name = uniqueName('startup');
  checks.set(`${name}/check-start`, 1);
  await createPod(
    plane.client,
    ns,
    podOn(node, name, { containers: [{ name: 'main', image, startupProbe: { exec: { command: ['check-start'] }, periodSeconds: 1, failureThreshold: 30 }, livenessProbe: { exec: { command: ['check-live'] }, periodSeconds: 1, failureThreshold: 1 } }] }),
  );
  checks.set(`${name}/check-live`, 1); // would kill the container if it ran before startup succeeds
  const running = await waitForPod(plane.client, ns, name, 'running', (p) => !!status(p)?.state?.running);
  expect(status(running)?.started).toBe(false);
  expect(isReady(running)).toBe(false);
  checks.set(`${name}/check-live`, 0);
  checks.set(`${name}/check-start`, 0);
  const started = await waitForPod(plane.client, ns, name, 'started', (p) => status(p)?.started === true && isReady(p));
  expect(status(started)?.restartCount).toBe(0);
});

test('a failing postStart hook kills the container, which is restarted', async () => {
  const name = uniqueName('poststart');
  checks.set(`${name}/check-poststart`, 1);
  await createPod(plane.client, ns, podOn(node, name, { containers: [{ name: 'main', image, lifecycle: { postStart: { exec: { command: ['check-poststart'] } } } }] }));
  const failed = await waitForPod(plane.client, ns, name, 'PostStartHookError', (p) => waitingReason(p) === 'PostStartHookError');
  expect(status(failed)?.state?.waiting?.message).toBe("PostStartHook failed: command 'check-poststart' exited with 1");
  checks.set(`${name}/check-poststart`, 0);
  const running = await waitForPod(plane.client, ns, name, 'running after a restart', (p) => isReady(p) && (status(p)?.restartCount ?? 0) >= 1);
  expect(status(running)?.lastState?.terminated).toBeDefined();
});
