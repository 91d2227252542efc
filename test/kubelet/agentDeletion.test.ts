/** Graceful deletion (preStop, grace period, then the object is deleted) and restart safety (adoption, orphans, finished pods). */
import { FakeRuntime } from '../../kubelet/runtime/fake';
import { useControlPlane } from '../harness/apiserver';
import { tempDir } from '../harness/tmp';
import { createPod, eventually, getPod, image, isReady, phaseIs, podOn, startTestAgent, uniqueName, waitForGone, waitForPod } from './agentHarness';

const plane = useControlPlane();
const ns = 'default';

test('a deleted pod gets its preStop hook, then its grace period, then the object is deleted', async () => {
  const hooks: string[] = [];
  const runtime = new FakeRuntime({ images: [image], exec: (c, command) => (command[0] === 'prestop' ? (hooks.push(c.spec.podName), { exitCode: 0 }) : undefined) });
  const agent = await startTestAgent(plane.url, 'node-d', { runtime });
  try {
    const name = uniqueName('graceful');
    await createPod(
      plane.client,
      ns,
      podOn('node-d', name, {
        terminationGracePeriodSeconds: 2,
        containers: [{ name: 'main', image, env: [{ name: 'MARINA_FAKE_IGNORE_SIGTERM', value: 'true' }], lifecycle: { preStop: { exec: { command: ['prestop'] } } } }],
      }),
    );
    await waitForPod(plane.client, ns, name, 'ready', isReady);
    const started = Date.now();
    await plane.client.delete(`/api/v1/namespaces/${ns}/pods/${name}`);
    await waitForGone(plane.client, ns, name);
    const took = Date.now() - started;
    expect(hooks).toEqual([name]);
    // The container ignored SIGTERM: it was killed when the 2 s grace period ended.
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(10_000);
    await eventually('the container removed', () => (runtime.all().some((c) => c.spec.podName === name) ? undefined : true));
    expect((await runtime.listSandboxes()).length).toBe(0);
  } finally {
    await agent.dispose();
  }
});

test('a pod whose container stops on SIGTERM is deleted without waiting out its grace period, once', async () => {
  const agent = await startTestAgent(plane.url, 'node-e');
  try {
    const name = uniqueName('quick');
    await createPod(plane.client, ns, podOn('node-e', name, { terminationGracePeriodSeconds: 30 }));
    await waitForPod(plane.client, ns, name, 'ready', isReady);
    const started = Date.now();
    await plane.client.delete(`/api/v1/namespaces/${ns}/pods/${name}`);
    await waitForGone(plane.client, ns, name);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Cleaned up after the object went: every sync of the pod is over, and the agent deleted the
    // object exactly once (the kill's own runtime events queue syncs that must not delete again).
    await eventually('the container removed', () => (agent.runtime.all().some((c) => c.spec.podName === name) ? undefined : true));
    expect(agent.client.stats().byMethod['DELETE']).toBe(1);
  } finally {
    await agent.dispose();
  }
});

test('a restarted agent adopts running containers, removes those of pods deleted meanwhile and never reruns a finished pod', async () => {
  const dir = await tempDir('kubelet-restart');
  const runtime = new FakeRuntime({ images: [image] });
  const first = await startTestAgent(plane.url, 'node-f', { runtime, rootDir: dir.path });
  const keep = uniqueName('keep');
  const gone = uniqueName('gone');
  const done = uniqueName('done');
  try {
    await createPod(plane.client, ns, podOn('node-f', keep));
    await createPod(plane.client, ns, podOn('node-f', gone));
    await createPod(plane.client, ns, podOn('node-f', done, { restartPolicy: 'Never' }, { MARINA_FAKE_RUN_SECONDS: '0.1' }));
    const kept = await waitForPod(plane.client, ns, keep, 'ready', isReady);
    await waitForPod(plane.client, ns, gone, 'ready', isReady);
    await waitForPod(plane.client, ns, done, 'Succeeded', phaseIs('Succeeded'));
    await first.stop();

    // While the agent is away: one pod is force-deleted, and the finished pod's containers vanish.
    await plane.client.delete(`/api/v1/namespaces/${ns}/pods/${gone}`, { gracePeriodSeconds: 0 });
    for (const c of runtime.all().filter((x) => x.spec.podName === done)) await runtime.removeContainer(c.id);
    const keptId = kept.status!.containerStatuses![0]!.containerID;
    const creates = runtime.calls.filter(([m]) => m === 'createContainer').length;

    const second = await startTestAgent(plane.url, 'node-f', { runtime, rootDir: dir.path });
    try {
      await eventually('the deleted pod cleaned up', () => (runtime.all().some((c) => c.spec.podName === gone) ? undefined : true));
      await eventually('a few syncs', () => (second.kubelet.agents[0]!.syncs >= 6 ? true : undefined));
      await second.kubelet.agents[0]!.idle();
      const now = await getPod(plane.client, ns, keep);
      expect(now?.status?.containerStatuses?.[0]?.containerID).toBe(keptId);
      expect(now?.status?.containerStatuses?.[0]?.restartCount).toBe(0);
      expect(isReady(now!)).toBe(true);
      expect((await getPod(plane.client, ns, done))?.status?.phase).toBe('Succeeded');
      // Nothing was created: the running container was adopted, the finished pod not rerun.
      expect(runtime.calls.filter(([m]) => m === 'createContainer').length).toBe(creates);
      expect(runtime.all().find((c) => c.spec.podName === keep)?.state).toBe('running');
    } finally {
      await second.stop();
    }
  } finally {
    await dir.remove();
  }
});
