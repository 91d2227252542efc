/**
 * A pod's API status computed from what the runtime reports (the kubelet's generateAPIPodStatus,
 * convertToAPIContainerStatuses, getPhase and status/generate.go): container statuses with
 * state, last state, restart count, readiness and the waiting reasons the worker recorded
 * (ErrImagePull, CrashLoopBackOff…); the phase; the kubelet's conditions; IPs and start time.
 * Pure: the caller passes the time, probe results and reasons.
 */
import type { Container } from '../../api/kinds/core/container';
import type { Pod } from '../../api/kinds/core/pod';
import type { ContainerState, ContainerStatus, PodCondition, PodStatus } from '../../api/kinds/core/podStatus';
import { podQOSClass } from '../../api/kinds/core/podDefaults';
import type { ProbeOutcome } from './podActions';
import { shouldContainerBeRestarted } from './podActions';
import { containersReadyCondition, getPhase, initializedCondition, readyCondition, type PodPhase } from './podPhase';
import { compareNewestFirst, isRestartableInitContainer, latestContainer, type RuntimeContainer, type RuntimePodState } from './runtimeState';

export type { PodPhase };


/** Why a container is waiting (the kubelet's reason cache): ErrImagePull, CrashLoopBackOff… */
export interface WaitingReason {
  readonly reason: string;
  readonly message: string;
}

export interface StatusInput {
  readonly pod: Pod;
  readonly state: RuntimePodState;
  /** The status the agent last computed for this pod, else the API's. */
  readonly oldStatus: PodStatus | undefined;
  /** The pod is done: containers will not run again (finished, or being deleted and stopped). */
  readonly podIsTerminal: boolean;
  /** The reason recorded when a container could not be started, if any. */
  readonly reasons?: (containerName: string) => WaitingReason | undefined;
  readonly readiness?: (containerId: string) => ProbeOutcome | undefined;
  readonly startup?: (containerId: string) => ProbeOutcome | undefined;
  /** The node's IPs (hostIP, and the pod IPs of a hostNetwork pod). */
  readonly hostIPs: readonly string[];
  /** RFC 3339 time of this computation. */
  readonly now: string;
  /** Prefix of container IDs: `containerd` gives containerd://ID. */
  readonly runtimeName: string;
  /** Termination messages read from containers' termination-log files, by container id. */
  readonly terminationMessages?: (containerId: string) => string | undefined;
}

const containerCreating = 'ContainerCreating';
const podInitializing = 'PodInitializing';

/** Kubernetes' RFC 3339 time, to the second. */
export function rfc3339(d: Date | number): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function generatePodStatus(input: StatusInput): PodStatus {
  const { pod, state, oldStatus } = input;
  const spec = pod.spec!;
  const apiStatus = pod.status ?? {};
  const hasInit = (spec.initContainers ?? []).length > 0;

  const status: PodStatus = {};
  status.containerStatuses = convertContainerStatuses(input, oldStatus?.containerStatuses, spec.containers, hasInit, false);
  if (hasInit) status.initContainerStatuses = convertContainerStatuses(input, oldStatus?.initContainerStatuses, spec.initContainers ?? [], hasInit, true);
  applyProbeResults(input, status);

  const all = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])];
  let phase = getPhase(pod, all, input.podIsTerminal);
  const oldPhase = oldStatus?.phase;
  if (phase !== 'Failed' && phase !== 'Succeeded') {
    if (oldPhase === 'Failed' || oldPhase === 'Succeeded') phase = oldPhase;
    else if (apiStatus.phase === 'Failed' || apiStatus.phase === 'Succeeded') phase = apiStatus.phase;
  }
  // Pods never leave a terminal phase.
  if ((apiStatus.phase === 'Failed' || apiStatus.phase === 'Succeeded') && phase !== apiStatus.phase) phase = apiStatus.phase;
  status.phase = phase;
  if (phase === oldPhase) {
    const reason = oldStatus?.reason || apiStatus.reason;
    const message = oldStatus?.message || apiStatus.message;
    if (reason) status.reason = reason;
    if (message) status.message = message;
  }

  // IPs.
  const hostIP = input.hostIPs[0];
  if (hostIP) {
    status.hostIP = hostIP;
    status.hostIPs = input.hostIPs.map((ip) => ({ ip }));
  }
  if (spec.hostNetwork) {
    if (hostIP) {
      status.podIP = hostIP;
      status.podIPs = [{ ip: hostIP }];
    }
  } else {
    const ips = state.sandbox?.ips?.length ? state.sandbox.ips : state.sandbox?.ip ? [state.sandbox.ip] : [];
    if (ips.length > 0) {
      status.podIP = ips[0];
      status.podIPs = ips.map((ip) => ({ ip }));
    } else if (oldStatus?.podIP && input.podIsTerminal) {
      // A stopped pod keeps reporting the IP it had.
      status.podIP = oldStatus.podIP;
      status.podIPs = oldStatus.podIPs ?? [{ ip: oldStatus.podIP }];
    }
  }
  status.qosClass = apiStatus.qosClass ?? podQOSClass(spec);
  status.startTime = oldStatus?.startTime ?? apiStatus.startTime ?? input.now;

  // Conditions: those the kubelet does not own are kept as the API has them.
  const owned = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  const conditions: PodCondition[] = (apiStatus.conditions ?? []).filter((c) => !owned.has(c.type));
  const allStatuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  conditions.push({ type: 'PodReadyToStartContainers', status: state.sandbox ? 'True' : 'False' });
  conditions.push(initializedCondition(pod, allStatuses, phase));
  conditions.push(readyCondition(pod, conditions, allStatuses, phase));
  conditions.push(containersReadyCondition(pod, allStatuses, phase));
  conditions.push({ type: 'PodScheduled', status: 'True' });
  const previous = [...(oldStatus?.conditions ?? []), ...(apiStatus.conditions ?? [])];
  status.conditions = conditions.map((c) => (owned.has(c.type) ? withTransitionTime(c, previous, input.now) : c));
  return status;
}

function withTransitionTime(c: PodCondition, previous: readonly PodCondition[], now: string): PodCondition {
  const old = previous.find((p) => p.type === c.type);
  const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
  return { lastTransitionTime, ...(c.message ? { message: c.message } : {}), ...(c.reason ? { reason: c.reason } : {}), status: c.status, type: c.type };
}

function containerId(input: StatusInput, c: RuntimeContainer): string {
  return `${input.runtimeName}://${c.id}`;
}

function convertRuntimeStatus(input: StatusInput, c: RuntimeContainer, spec: Container, old: ContainerStatus | undefined): ContainerStatus {
  const id = containerId(input, c);
  const status: ContainerStatus = { name: c.name, image: c.image || spec.image || '', imageID: c.imageID, containerID: id, ready: false, restartCount: c.restartCount, state: {} };
  switch (c.state) {
    case 'running':
      status.state = { running: { startedAt: rfc3339(c.startedAt ?? c.createdAt ?? Date.now()) } };
      break;
    case 'created':
      status.state = { waiting: {} };
      break;
    case 'exited': {
      const exitCode = c.exitCode ?? 0;
      const message = input.terminationMessages?.(c.id);
      status.state = {
        terminated: {
          containerID: id,
          exitCode,
          ...(c.finishedAt ? { finishedAt: rfc3339(c.finishedAt) } : {}),
          ...(message ? { message } : {}),
          reason: c.reason || (exitCode === 0 ? 'Completed' : 'Error'),
          ...(c.startedAt ? { startedAt: rfc3339(c.startedAt) } : {}),
        },
      };
      break;
    }
    default:
      if (old?.state?.running) {
        status.state = { terminated: { exitCode: 137, message: 'The container could not be located when the pod was terminated', reason: 'ContainerStatusUnknown' } };
        status.restartCount = (old.restartCount ?? 0) + 1;
      } else {
        status.state = { waiting: {} };
      }
  }
  return status;
}

function convertContainerStatuses(input: StatusInput, previous: readonly ContainerStatus[] | undefined, containers: readonly Container[], hasInit: boolean, isInit: boolean): ContainerStatus[] {
  const { pod, state } = input;
  const oldStatuses = new Map((previous ?? []).map((s) => [s.name, s]));
  const defaultWaiting: ContainerState = { waiting: { reason: hasInit ? podInitializing : containerCreating } };
  const statuses = new Map<string, ContainerStatus>();
  for (const c of containers) {
    let status: ContainerStatus = { name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, state: defaultWaiting };
    const old = oldStatuses.get(c.name);
    if (old) {
      if (old.state?.terminated) status = clone(old);
      else status = { ...status, restartCount: old.restartCount ?? 0, ...(old.lastState && Object.keys(old.lastState).length ? { lastState: clone(old.lastState) } : {}) };
    }
    statuses.set(c.name, status);
  }

  // Containers the runtime lost track of but that were running: show them stopped, not waiting.
  for (const c of containers) {
    if (state.containers.some((rc) => rc.name === c.name)) continue;
    const old = oldStatuses.get(c.name);
    if (!old || old.state?.terminated || !old.state?.running) continue;
    const status = statuses.get(c.name)!;
    if (!status.state?.waiting || status.state.waiting.reason !== defaultWaiting.waiting!.reason) continue;
    if (status.lastState?.terminated) continue;
    status.lastState = { terminated: { exitCode: 137, message: 'The container could not be located when the pod was deleted.  The container used to be Running', reason: 'ContainerStatusUnknown' } };
    if (!pod.metadata?.deletionTimestamp) status.restartCount = (status.restartCount ?? 0) + 1;
  }

  // The two newest instances of each container give its state and last state.
  const seen = new Map<string, number>();
  for (const rc of [...state.containers].sort(compareNewestFirst)) {
    const spec = containers.find((c) => c.name === rc.name);
    if (!spec || rc.init !== isInit) continue;
    const n = seen.get(rc.name) ?? 0;
    if (n >= 2) continue;
    const converted = convertRuntimeStatus(input, rc, spec, oldStatuses.get(rc.name));
    if (n === 0) {
      const lastState = statuses.get(rc.name)?.lastState;
      statuses.set(rc.name, { ...converted, ...(lastState && converted.restartCount > 0 ? { lastState } : {}) });
    } else {
      statuses.get(rc.name)!.lastState = converted.state!;
    }
    seen.set(rc.name, n + 1);
  }

  // Containers that will be (re)started are waiting, with the reason their last start failed.
  for (const c of containers) {
    if (isInit) {
      const s = latestContainer(state, c.name);
      if (s && s.state === 'exited' && s.exitCode === 0) continue;
    }
    if (!shouldContainerBeRestarted(c, pod, state, undefined, isInit)) continue;
    const reason = input.reasons?.(c.name);
    if (!reason) continue;
    const status = statuses.get(c.name)!;
    if (status.state?.terminated) status.lastState = status.state;
    status.state = { waiting: { message: reason.message, reason: reason.reason } };
  }
  return containers.map((c) => {
    const s = statuses.get(c.name)!;
    if (s.lastState && Object.keys(s.lastState).length === 0) delete s.lastState;
    return s;
  });
}

/** Readiness and started (the probe manager's UpdatePodStatus). */
function applyProbeResults(input: StatusInput, status: PodStatus): void {
  const { pod } = input;
  const idOf = (cs: ContainerStatus) => cs.containerID?.replace(/^[^:]*:\/\//, '') ?? '';
  const startedOf = (cs: ContainerStatus, spec: Container | undefined): boolean => {
    if (!cs.state?.running) return false;
    if (spec?.startupProbe && !input.podIsTerminal) return input.startup?.(idOf(cs)) === 'success';
    return true;
  };
  const readyOf = (cs: ContainerStatus, spec: Container | undefined): boolean => {
    if (!cs.state?.running) return false;
    if (spec?.readinessProbe) return input.readiness?.(idOf(cs)) === 'success';
    return true;
  };
  for (const cs of status.containerStatuses ?? []) {
    const spec = pod.spec!.containers.find((c) => c.name === cs.name);
    cs.started = startedOf(cs, spec);
    cs.ready = cs.started ? readyOf(cs, spec) : false;
  }
  for (const cs of status.initContainerStatuses ?? []) {
    const spec = (pod.spec!.initContainers ?? []).find((c) => c.name === cs.name);
    cs.started = startedOf(cs, spec);
    if (!spec || !isRestartableInitContainer(spec)) {
      cs.ready = !!cs.state?.terminated && cs.state.terminated.exitCode === 0;
      continue;
    }
    cs.ready = cs.started ? readyOf(cs, spec) : false;
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
