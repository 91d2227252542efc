import type { Pod } from '../../api/kinds/core/pod';
import type { Sandbox } from '../runtime/interface';
import { computePodActions } from './podActions';
import { containerHash, type RuntimeContainer, type RuntimePodState } from './runtimeState';

const sandbox: Sandbox = { id: 's', podUid: 'u', ips: ['10.0.0.2'] };
const pod = (restartPolicy: 'Always' | 'OnFailure' | 'Never', inits: string[] = []): Pod => ({
  metadata: { uid: 'u', name: 'p', namespace: 'ns' },
  spec: { restartPolicy, containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }], ...(inits.length ? { initContainers: inits.map((name) => ({ name, image: 'i' })) } : {}) },
});
const ctr = (p: Pod, name: string, state: RuntimeContainer['state'], extra: Partial<RuntimeContainer> = {}): RuntimeContainer => {
  const spec = [...p.spec!.containers, ...(p.spec!.initContainers ?? [])].find((c) => c.name === name)!;
  return { id: `${name}-${extra.restartCount ?? 0}`, name, restartCount: 0, hash: containerHash(spec), init: !!p.spec!.initContainers?.some((c) => c.name === name), state, image: 'i', imageID: 'x', ...extra };
};
const state = (containers: RuntimeContainer[], withSandbox = true): RuntimePodState => ({ uid: 'u', ...(withSandbox ? { sandbox } : {}), containers });

test('a new pod: sandbox, then the first init container, else every container', () => {
  expect(computePodActions(pod('Always'), state([], false))).toMatchObject({ createSandbox: true, containersToStart: [0, 1], initContainersToStart: [] });
  expect(computePodActions(pod('Always', ['i1', 'i2']), state([], false))).toMatchObject({ createSandbox: true, containersToStart: [], initContainersToStart: [0] });
});

test('init containers run one after another, then the containers', () => {
  const p = pod('Always', ['i1', 'i2']);
  expect(computePodActions(p, state([ctr(p, 'i1', 'running')]))).toMatchObject({ initContainersToStart: [], containersToStart: [] });
  expect(computePodActions(p, state([ctr(p, 'i1', 'exited', { exitCode: 0 })]))).toMatchObject({ initContainersToStart: [1], containersToStart: [] });
  expect(computePodActions(p, state([ctr(p, 'i1', 'exited', { exitCode: 0 }), ctr(p, 'i2', 'exited', { exitCode: 0 })]))).toMatchObject({ initContainersToStart: [], containersToStart: [0, 1] });
  // A failed init container is retried (Always), or ends the pod (Never).
  expect(computePodActions(p, state([ctr(p, 'i1', 'exited', { exitCode: 1 })]))).toMatchObject({ initContainersToStart: [0] });
  expect(computePodActions(pod('Never', ['i1']), state([ctr(pod('Never', ['i1']), 'i1', 'exited', { exitCode: 1 })]))).toMatchObject({ killPod: true, initContainersToStart: [], containersToStart: [] });
});

test('restart policies decide which exited containers start again, and when the pod is done', () => {
  for (const [policy, exitCode, restart] of [
    ['Always', 0, true],
    ['OnFailure', 0, false],
    ['OnFailure', 2, true],
    ['Never', 2, false],
  ] as const) {
    const p = pod(policy);
    const actions = computePodActions(p, state([ctr(p, 'a', 'exited', { exitCode }), ctr(p, 'b', 'running')]));
    expect(actions.containersToStart).toEqual(restart ? [0] : []);
  }
  const never = pod('Never');
  const done = computePodActions(never, state([ctr(never, 'a', 'exited', { exitCode: 0 }), ctr(never, 'b', 'exited', { exitCode: 1 })]));
  expect(done).toMatchObject({ killPod: true, containersToStart: [] });
  // Its sandbox gone, a finished Never pod is not started again.
  expect(computePodActions(never, state([ctr(never, 'a', 'exited', { exitCode: 0 })], false))).toMatchObject({ createSandbox: false, containersToStart: [] });
});

test('liveness failures and changed specs restart running containers', () => {
  const p = pod('Always');
  const running = state([ctr(p, 'a', 'running'), ctr(p, 'b', 'running', { hash: 'old' })]);
  const actions = computePodActions(p, running, { liveness: (id) => (id === 'a-0' ? 'failure' : undefined), startup: () => undefined });
  expect(actions.containersToKill.map((k) => [k.name, k.reason])).toEqual([
    ['a', 'LivenessProbe'],
    ['b', 'DefinitionChanged'],
  ]);
  expect(actions.containersToStart).toEqual([0, 1]);
});

test('a restarted agent whose runtime lost a finished Never container does not run it again', () => {
  const p = pod('Never');
  const previous = { containerStatuses: [{ name: 'a', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } }] };
  const actions = computePodActions(p, state([ctr(p, 'b', 'running')]), undefined, previous);
  expect(actions.containersToStart).toEqual([]);
});
