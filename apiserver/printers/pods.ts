/**
 * Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES, as Kubernetes'
 * printPod works them out: STATUS is the phase, overridden by the pod's reason, a scheduling gate,
 * the first unfinished init container (Init:1/3, Init:CrashLoopBackOff, Init:ExitCode:1), then the
 * containers' waiting or terminated reasons (ContainerCreating, CrashLoopBackOff, Completed,
 * ExitCode:2), and finally Terminating or Unknown for a pod being deleted. RESTARTS adds how long
 * ago the last restart was ("3 (5m ago)").
 */
import type { Container } from '../../api/kinds/core/container';
import { podKind, type Pod } from '../../api/kinds/core/pod';
import type { PodCondition } from '../../api/kinds/core/podStatus';
import { humanDuration, parseTime, since } from './duration';
import { ageColumn, column, definePrinter, fieldDoc, nameColumn } from './printer';

type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

const doc = (path: string) => fieldDoc(podKind.schema, path);

/** A restartable init container (a sidecar) counts as a container of the pod. */
function isRestartable(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function hasCondition(conditions: readonly PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

/** The later of `latest` and when `status`'s container last terminated (undefined: never). */
function laterRestart(latest: number | undefined, status: ContainerStatus): number | undefined {
  const finished = parseTime(status.lastState?.terminated?.finishedAt);
  return finished !== undefined && (latest === undefined || finished > latest) ? finished : latest;
}

interface PodSummary {
  readonly ready: number;
  readonly total: number;
  readonly reason: string;
  readonly restarts: number;
  readonly lastRestart: number | undefined;
}

function summarize(pod: Pod): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initContainers = new Map((spec?.initContainers ?? []).map((c) => [c.name, c] as const));
  const total = (spec?.containers ?? []).length + [...initContainers.values()].filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestart: number | undefined;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = laterRestart(lastRestart, c);
    const sidecar = isRestartable(initContainers.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = laterRestart(lastSidecarRestart, c);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      // Initialization failed.
      if (!terminated.reason) reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
      else reason = `Init:${terminated.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.size}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Backwards, so that the first container's state wins.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = laterRestart(lastRestart, c);
      const { waiting, terminated, running } = c.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod with a container still running is not Completed.
    if (reason === 'Completed' && hasRunning) reason = hasCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  return { ready, total, reason, restarts, lastRestart };
}

/** "<true>/<gates>" of the pod's readiness gates whose condition is True, or <none>. */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passed}/${gates.length}`;
}

export const podPrinter = definePrinter<Pod>({
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    column('IP', 'string', doc('status.podIP'), { priority: 1 }),
    column('Node', 'string', doc('spec.nodeName'), { priority: 1 }),
    column('Nominated Node', 'string', doc('status.nominatedNodeName'), { priority: 1 }),
    column('Readiness Gates', 'string', doc('spec.readinessGates'), { priority: 1 }),
  ],
  cells(pod, now) {
    const { ready, total, reason, restarts, lastRestart } = summarize(pod);
    const restartCell = restarts !== 0 && lastRestart !== undefined ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
    return [
      pod.metadata.name ?? '',
      `${ready}/${total}`,
      reason,
      restartCell,
      since(pod.metadata.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
  conditions(pod) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
});
