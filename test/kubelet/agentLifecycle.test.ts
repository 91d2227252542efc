/** The node agent on a real API server: node registration, lease, pods to Running and to Succeeded/Failed, status writes. */
import type { Node } from '../../api/kinds/core/node';
import type { Lease } from '../../api/kinds/coordination/lease';
import { useControlPlane } from '../harness/apiserver';
import { createPod, eventually, isReady, phaseIs, podOn, pods, startTestAgent, uniqueName, waitForPod, type TestAgent } from './agentHarness';

const plane = useControlPlane();
const ns = 'default';
let agent: TestAgent;

beforeAll(async () => {
  agent = await startTestAgent(plane.url, 'node-a', { capacity: { cpu: '3', memory: '6Gi' } });
}, 30_000);
afterAll(() => agent?.dispose());

test('registers its node with labels, capacity, addresses, versions, conditions and port', async () => {
  const node = await plane.client.resource<Node>({ group: '', version: 'v1', resource: 'nodes' }).get('node-a');
  expect(node.metadata?.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-a', 'kubernetes.io/os': 'linux' });
  expect(node.metadata?.labels?.['kubernetes.io/arch']).toBeTruthy();
  expect(node.status?.capacity).toMatchObject({ cpu: '3', memory: '6Gi', pods: '110' });
  expect(node.status?.allocatable).toMatchObject({ cpu: '3', pods: '110' });
  expect(node.status?.addresses).toEqual(expect.arrayContaining([{ type: 'InternalIP', address: '127.0.0.1' }]));
  expect(node.status?.nodeInfo?.containerRuntimeVersion).toBe('fake://0.1.0');
  expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(agent.kubelet.server.port);
  const conditions = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, c.status]));
  expect(conditions).toEqual({ Ready: 'True', MemoryPressure: 'False', DiskPressure: 'False', PIDPressure: 'False' });
});

test('renews its lease in kube-node-lease', async () => {
  const leases = plane.client.resource<Lease>({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }, 'kube-node-lease');
  const first = await eventually('the lease', async () => (await leases.list()).items.find((l) => l.metadata?.name === 'node-a'));
  expect(first.spec?.holderIdentity).toBe('node-a');
  expect(first.metadata?.ownerReferences?.[0]?.kind).toBe('Node');
  await eventually('a renewal', async () => ((await leases.get('node-a')).spec?.renewTime !== first.spec?.renewTime ? true : undefined), 10_000);
});

test('a pod goes to Running and Ready with IPs and container status, and its status is written only on change', async () => {
  const name = uniqueName('run');
  let modifications = 0;
  const watch = await plane.client.resource(pods, ns).watch({ fieldSelector: `metadata.name=${name}` }, (e) => {
    if (e.type === 'MODIFIED') modifications++;
  });
  try {
    await createPod(plane.client, ns, podOn('node-a', name));
    const pod = await waitForPod(plane.client, ns, name, 'ready', (p) => phaseIs('Running')(p) && isReady(p));
    const cs = pod.status!.containerStatuses![0]!;
    expect(cs).toMatchObject({ name: 'main', ready: true, started: true, restartCount: 0, image: 'registry.example/busybox:1.36' });
    expect(cs.containerID).toMatch(/^fake:\/\//);
    expect(cs.imageID).toMatch(/^sha256:/);
    expect(cs.state?.running?.startedAt).toBeTruthy();
    expect(pod.status?.podIP).toMatch(/^10\.88\./);
    expect(pod.status?.hostIP).toBe('127.0.0.1');
    expect(pod.status?.conditions?.map((c) => c.type).sort()).toEqual(['ContainersReady', 'Initialized', 'PodReadyToStartContainers', 'PodScheduled', 'Ready']);
    // Several lease renewals, node status periods and pod re-syncs later, nothing new was written.
    const node = agent.kubelet.agents[0]!;
    // The watch can show the Ready status before the writer has its answer (and counts the write).
    await eventually('the Ready write answered', () => (node.statusWriter.last(pod.metadata!.uid!)?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined));
    const writesAtReady = modifications;
    const statusWritesAtReady = node.statusWriter.writes;
    const renewals = node.reporter.leaseRenewals;
    const syncs = node.syncs;
    await eventually('three more lease renewals and pod resyncs', () => (node.reporter.leaseRenewals >= renewals + 3 && node.syncs >= syncs + 3 ? true : undefined));
    expect(modifications).toBe(writesAtReady);
    expect(node.statusWriter.writes).toBe(statusWritesAtReady);
  } finally {
    watch.close();
  }
});

test('a restartPolicy Never pod whose container exits 0 is Succeeded, one exiting 3 is Failed', async () => {
  const ok = uniqueName('ok');
  const bad = uniqueName('bad');
  await createPod(plane.client, ns, podOn('node-a', ok, { restartPolicy: 'Never' }, { MARINA_FAKE_RUN_SECONDS: '0.2' }));
  await createPod(plane.client, ns, podOn('node-a', bad, { restartPolicy: 'Never' }, { MARINA_FAKE_RUN_SECONDS: '0.2', MARINA_FAKE_EXIT_CODE: '3' }));
  const done = await waitForPod(plane.client, ns, ok, 'Succeeded', phaseIs('Succeeded'));
  expect(done.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  const failed = await waitForPod(plane.client, ns, bad, 'Failed', phaseIs('Failed'));
  expect(failed.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
  expect(failed.status?.podIP).toBeTruthy();
});

test('init containers run in order before the containers', async () => {
  const name = uniqueName('init');
  await createPod(
    plane.client,
    ns,
    podOn('node-a', name, {
      initContainers: [
        { name: 'first', image: 'registry.example/busybox:1.36', env: [{ name: 'MARINA_FAKE_RUN_SECONDS', value: '0.1' }] },
        { name: 'second', image: 'registry.example/busybox:1.36', env: [{ name: 'MARINA_FAKE_RUN_SECONDS', value: '0.1' }] },
      ],
    }),
  );
  const pod = await waitForPod(plane.client, ns, name, 'running', (p) => phaseIs('Running')(p) && isReady(p));
  expect(pod.status?.initContainerStatuses?.map((s) => [s.name, s.state?.terminated?.reason])).toEqual([
    ['first', 'Completed'],
    ['second', 'Completed'],
  ]);
  const uid = pod.metadata!.uid!;
  const started = agent.runtime.all().filter((c) => c.spec.podUid === uid).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id)).map((c) => c.spec.name);
  expect(started).toEqual(['first', 'second', 'main']);
  const times = (n: string) => agent.runtime.all().find((c) => c.spec.podUid === uid && c.spec.name === n)!;
  expect(times('second').startedAt!.getTime()).toBeGreaterThanOrEqual(times('first').finishedAt!.getTime());
  expect(times('main').startedAt!.getTime()).toBeGreaterThanOrEqual(times('second').finishedAt!.getTime());
});

test('the node turns NotReady while its runtime does not answer, and Ready again after', async () => {
  const nodes = plane.client.resource<Node>({ group: '', version: 'v1', resource: 'nodes' });
  const readyOf = async () => (await nodes.get('node-a')).status?.conditions?.find((c) => c.type === 'Ready');
  const version = agent.runtime.version.bind(agent.runtime);
  agent.runtime.version = async () => {
    throw new Error('connection refused');
  };
  try {
    const down = await eventually('NotReady', async () => {
      const c = await readyOf();
      return c?.status === 'False' ? c : undefined;
    });
    expect(down).toMatchObject({ reason: 'KubeletNotReady', message: 'container runtime is down: connection refused' });
  } finally {
    agent.runtime.version = version;
  }
  await eventually('Ready again', async () => ((await readyOf())?.status === 'True' ? true : undefined));
});

test('terminationMessagePolicy FallbackToLogsOnError: a failed container without a message gets the end of its log', async () => {
  const name = uniqueName('fallback');
  await createPod(
    plane.client,
    ns,
    podOn('node-a', name, {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'registry.example/busybox:1.36', terminationMessagePolicy: 'FallbackToLogsOnError', env: [{ name: 'MARINA_FAKE_LOG', value: 'starting\nfatal: disk full' }, { name: 'MARINA_FAKE_RUN_SECONDS', value: '0.1' }, { name: 'MARINA_FAKE_EXIT_CODE', value: '1' }] }],
    }),
  );
  const pod = await waitForPod(plane.client, ns, name, 'Failed', phaseIs('Failed'));
  expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.message).toBe('starting\nfatal: disk full');
});
