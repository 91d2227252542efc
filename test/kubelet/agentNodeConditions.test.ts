/**
 * The node agent's pressure conditions and images on a real API server: thresholds this machine
 * cannot meet put the Node under memory, disk and PID pressure (with Kubernetes' reasons), the
 * default thresholds do not, and Node.status.images follows the runtime's images.
 */
import type { Node } from '../../api/kinds/core/node';
import type { NodeCondition } from '../../api/kinds/core/nodeStatus';
import { parseEvictionHard } from '../../kubelet/node/pressure';
import { useControlPlane } from '../harness/apiserver';
import { eventually, image, startTestAgent, type TestAgent } from './agentHarness';

const plane = useControlPlane();
const nodes = () => plane.client.resource<Node>({ group: '', version: 'v1', resource: 'nodes' });
const agents: TestAgent[] = [];

afterAll(() => Promise.all(agents.map((a) => a.dispose())));

async function start(nodeName: string, evictionHard?: string): Promise<TestAgent> {
  const agent = await startTestAgent(plane.url, nodeName, evictionHard === undefined ? {} : { evictionHard: parseEvictionHard(evictionHard) });
  agents.push(agent);
  return agent;
}

/** Polls the Node until its condition `type` has `status`; returns the condition. */
function conditionOf(nodeName: string, type: string, status: string): Promise<NodeCondition> {
  return eventually(`${nodeName} ${type}=${status}`, async () => {
    const c = (await nodes().get(nodeName)).status?.conditions?.find((x) => x.type === type);
    return c?.status === status ? c : undefined;
  });
}

test("with Kubernetes' default thresholds this machine is under no memory or PID pressure", async () => {
  await start('defaults');
  expect(await conditionOf('defaults', 'Ready', 'True')).toMatchObject({ reason: 'KubeletReady' });
  expect(await conditionOf('defaults', 'MemoryPressure', 'False')).toMatchObject({ reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' });
  expect(await conditionOf('defaults', 'PIDPressure', 'False')).toMatchObject({ reason: 'KubeletHasSufficientPID' });
}, 30_000);

test('memory.available below an unreachable threshold: MemoryPressure with the kubelet reason, the node stays Ready', async () => {
  await start('low-memory', 'memory.available<1000Ti');
  expect(await conditionOf('low-memory', 'MemoryPressure', 'True')).toMatchObject({ reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
  expect(await conditionOf('low-memory', 'DiskPressure', 'False')).toMatchObject({ reason: 'KubeletHasNoDiskPressure' });
  expect(await conditionOf('low-memory', 'Ready', 'True')).toMatchObject({ reason: 'KubeletReady' });
}, 30_000);

test('nodefs.available and pid.available below unreachable thresholds: DiskPressure and PIDPressure', async () => {
  await start('low-disk', 'nodefs.available<1000Ti,pid.available<100%');
  expect(await conditionOf('low-disk', 'DiskPressure', 'True')).toMatchObject({ reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' });
  expect(await conditionOf('low-disk', 'PIDPressure', 'True')).toMatchObject({ reason: 'KubeletHasInsufficientPID' });
  expect(await conditionOf('low-disk', 'MemoryPressure', 'False')).toMatchObject({ reason: 'KubeletHasSufficientMemory' });
}, 30_000);

test("Node.status.images lists the runtime's images and is written again when one is pulled", async () => {
  const agent = await start('images');
  const first = await eventually('the images', async () => (await nodes().get('images')).status?.images);
  expect(first).toEqual([{ names: [image], sizeBytes: 1024 }]);
  const writes = agent.kubelet.agents[0]!.reporter.statusWrites;
  await agent.runtime.pullImage('registry.example/other:2');
  const next = await eventually('the new image', async () => {
    const images = (await nodes().get('images')).status?.images;
    return images?.length === 2 ? images : undefined;
  });
  expect(next.map((i) => i.names)).toEqual([[image], ['registry.example/other:2']]);
  expect(agent.kubelet.agents[0]!.reporter.statusWrites).toBeGreaterThan(writes);
}, 30_000);
