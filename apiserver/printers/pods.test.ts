import type { Pod } from '../../api/kinds/core/pod';
import { podPrinter } from './pods';
import { ago, columnNames, printRow } from './testing';

type Status = NonNullable<Pod['status']>;
type ContainerStatus = NonNullable<Status['containerStatuses']>[number];

function pod(status: Status, spec: Partial<NonNullable<Pod['spec']>> = {}, metadata: Pod['metadata'] = {}): Pod & { metadata: NonNullable<Pod['metadata']> } {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(300), ...metadata },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status,
  };
}

function container(name: string, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, ready: false, restartCount: 0, image: 'nginx', imageID: '', state, ...extra };
}

const running = { running: { startedAt: ago(200) } };

describe('pod printer', () => {
  it('has Kubernetes’ columns', () => {
    expect(columnNames(podPrinter)).toEqual({
      normal: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      wide: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    });
    expect(podPrinter.columns[0]).toMatchObject({ name: 'Name', type: 'string', format: 'name', priority: 0 });
    expect(podPrinter.columns[0]!.description).toMatch(/^Name must be unique/);
    expect(podPrinter.columns[5]!.description).toMatch(/^podIP address/);
  });

  it('prints a running pod, wide columns included', () => {
    const row = printRow(
      podPrinter,
      pod(
        { phase: 'Running', podIPs: [{ ip: '10.0.0.7' }], containerStatuses: [container('app', running, { ready: true })] },
        { nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/ready' }] },
      ),
    );
    expect(row).toEqual({
      Name: 'web',
      Ready: '1/1',
      Status: 'Running',
      Restarts: '0',
      Age: '5m',
      IP: '10.0.0.7',
      Node: 'node-1',
      'Nominated Node': '<none>',
      'Readiness Gates': '0/1',
    });
  });

  it('prints a pending pod without statuses with <none> for what it lacks', () => {
    expect(printRow(podPrinter, pod({ phase: 'Pending' }))).toMatchObject({ Ready: '0/1', Status: 'Pending', Restarts: '0', IP: '<none>', Node: '<none>', 'Readiness Gates': '<none>' });
  });

  it('shows a waiting container’s reason: ContainerCreating', () => {
    const p = pod({ phase: 'Pending', containerStatuses: [container('app', { waiting: { reason: 'ContainerCreating' } })] });
    expect(printRow(podPrinter, p).Status).toBe('ContainerCreating');
  });

  it('counts restarts and says how long ago the last one was', () => {
    const p = pod({
      phase: 'Running',
      containerStatuses: [
        container('app', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(300) } } }),
        container('side', running, { ready: true, restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } }),
      ],
    }, { containers: [{ name: 'app', image: 'a' }, { name: 'side', image: 'b' }] });
    expect(printRow(podPrinter, p)).toMatchObject({ Ready: '1/2', Status: 'CrashLoopBackOff', Restarts: '5 (90s ago)' });
  });

  it('prints the first container’s terminated reason, or its exit code or signal', () => {
    const done = pod({ phase: 'Succeeded', containerStatuses: [container('app', { terminated: { exitCode: 0, reason: 'Completed' } })] });
    expect(printRow(podPrinter, done).Status).toBe('Completed');
    expect(podPrinter.conditions!(done)).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    const code = pod({ phase: 'Failed', containerStatuses: [container('app', { terminated: { exitCode: 2 } })] });
    expect(printRow(podPrinter, code).Status).toBe('ExitCode:2');
    expect(podPrinter.conditions!(code)).toEqual([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
    const signal = pod({ phase: 'Failed', containerStatuses: [container('app', { terminated: { exitCode: 137, signal: 9 } })] });
    expect(printRow(podPrinter, signal).Status).toBe('Signal:9');
    expect(podPrinter.conditions!(pod({ phase: 'Running' }))).toBeUndefined();
  });

  it('keeps a pod with a container still running Running (or NotReady), not Completed', () => {
    const statuses = [container('a', { terminated: { exitCode: 0, reason: 'Completed' } }), container('b', running, { ready: true })];
    const spec = { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] };
    // Containers are read backwards, so the first container's Completed is the last word.
    expect(printRow(podPrinter, pod({ phase: 'Running', containerStatuses: statuses }, spec)).Status).toBe('NotReady');
    const ready = pod({ phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'True' }] }, spec);
    expect(printRow(podPrinter, ready)).toMatchObject({ Status: 'Running', Ready: '1/2' });
  });

  it('shows init containers’ progress and failures', () => {
    const spec = { initContainers: [{ name: 'init-a', image: 'x' }, { name: 'init-b', image: 'x' }] };
    const done = container('init-a', { terminated: { exitCode: 0, reason: 'Completed' } });
    expect(printRow(podPrinter, pod({ phase: 'Pending', initContainerStatuses: [done, container('init-b', running)] }, spec)).Status).toBe('Init:1/2');
    expect(printRow(podPrinter, pod({ phase: 'Pending', initContainerStatuses: [container('init-a', { waiting: { reason: 'PodInitializing' } })] }, spec)).Status).toBe('Init:0/2');
    const crashing = container('init-b', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(60) } } });
    expect(printRow(podPrinter, pod({ phase: 'Pending', initContainerStatuses: [done, crashing] }, spec))).toMatchObject({ Status: 'Init:CrashLoopBackOff', Restarts: '3 (60s ago)' });
    expect(printRow(podPrinter, pod({ phase: 'Failed', initContainerStatuses: [container('init-a', { terminated: { exitCode: 3 } })] }, spec)).Status).toBe('Init:ExitCode:3');
    expect(printRow(podPrinter, pod({ phase: 'Failed', initContainerStatuses: [container('init-a', { terminated: { exitCode: 1, signal: 15 } })] }, spec)).Status).toBe('Init:Signal:15');
    expect(printRow(podPrinter, pod({ phase: 'Failed', initContainerStatuses: [container('init-a', { terminated: { exitCode: 1, reason: 'Error' } })] }, spec)).Status).toBe('Init:Error');
  });

  it('counts a started sidecar (restartable init container) as a container', () => {
    const spec = { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' as const }] };
    const p = pod(
      {
        phase: 'Running',
        initContainerStatuses: [container('proxy', running, { started: true, ready: true, restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(600) } } })],
        containerStatuses: [container('app', running, { ready: true })],
        conditions: [{ type: 'Initialized', status: 'True' }],
      },
      spec,
    );
    expect(printRow(podPrinter, p)).toMatchObject({ Ready: '2/2', Status: 'Running', Restarts: '2 (10m ago)' });
  });

  it('shows SchedulingGated, Terminating and Unknown', () => {
    const gated = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
    expect(printRow(podPrinter, gated).Status).toBe('SchedulingGated');
    const deleting = { deletionTimestamp: ago(5), creationTimestamp: ago(7200) };
    expect(printRow(podPrinter, pod({ phase: 'Running' }, {}, deleting))).toMatchObject({ Status: 'Terminating', Age: '120m' });
    expect(printRow(podPrinter, pod({ phase: 'Succeeded' }, {}, deleting)).Status).toBe('Succeeded');
    expect(printRow(podPrinter, pod({ phase: 'Running', reason: 'NodeLost' }, {}, deleting)).Status).toBe('Unknown');
    expect(printRow(podPrinter, pod({ phase: 'Failed', reason: 'Evicted' })).Status).toBe('Evicted');
  });

  it('prints <unknown> for a pod without a creation time', () => {
    expect(printRow(podPrinter, pod({}, {}, { creationTimestamp: undefined })).Age).toBe('<unknown>');
  });
});
