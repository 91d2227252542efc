/**
 * What a pod worker must do to bring a pod's containers to its spec (the kubelet's
 * computePodActions and computeInitContainerActions, with sidecars): create the sandbox, start
 * init containers one at a time in order (sidecars — restartable init containers — stay
 * running), then the regular containers; restart exited containers as the restart policy says;
 * kill containers that failed their liveness or startup probe or whose spec changed; kill the
 * whole pod when nothing is left to run. Pure: backoff and image pulls happen when starting.
 */
import type { Container } from '../../api/kinds/core/container';
import type { Pod } from '../../api/kinds/core/pod';
import type { PodStatus } from '../../api/kinds/core/podStatus';
import { containerHash, isRestartableInitContainer, latestContainer, type RuntimeContainer, type RuntimePodState } from './runtimeState';

export type ProbeOutcome = 'success' | 'failure';

export interface ProbeLookup {
  liveness(containerId: string): ProbeOutcome | undefined;
  startup(containerId: string): ProbeOutcome | undefined;
}

export interface ContainerToKill {
  readonly id: string;
  readonly name: string;
  readonly reason: 'LivenessProbe' | 'StartupProbe' | 'DefinitionChanged' | 'Unknown';
  readonly message: string;
}

export interface PodActions {
  /** Stop every container (and the sandbox): the pod is done or its sandbox must be remade. */
  killPod: boolean;
  createSandbox: boolean;
  /** Indices into spec.initContainers, in order. */
  initContainersToStart: number[];
  /** Indices into spec.containers. */
  containersToStart: number[];
  containersToKill: ContainerToKill[];
}

export const noProbes: ProbeLookup = { liveness: () => undefined, startup: () => undefined };

export function shouldRestartOnFailure(pod: Pod): boolean {
  return pod.spec?.restartPolicy !== 'Never';
}

/**
 * Whether the API status says container `name` ran before (running, or terminated) though the
 * runtime no longer has it: a restarted agent must not run a finished container again.
 */
export function ranBefore(previous: PodStatus | undefined, name: string, init: boolean): { exitCode?: number } | undefined {
  const list = init ? previous?.initContainerStatuses : previous?.containerStatuses;
  const s = list?.find((c) => c.name === name);
  if (!s) return undefined;
  if (s.state?.terminated) return { exitCode: s.state.terminated.exitCode };
  if (s.state?.running) return {};
  if (s.lastState?.terminated) return { exitCode: s.lastState.terminated.exitCode };
  return undefined;
}

/** kubecontainer.ShouldContainerBeRestarted, extended with the API's memory of finished containers. */
export function shouldContainerBeRestarted(container: Container, pod: Pod, state: RuntimePodState, previous?: PodStatus, init = false): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const status = latestContainer(state, container.name);
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (!status) {
    const ran = ranBefore(previous, container.name, init);
    if (!ran) return true;
    if (policy === 'Never') return false;
    if (policy === 'OnFailure' && ran.exitCode === 0) return false;
    return true;
  }
  if (status.state === 'running') return false;
  if (status.state === 'unknown' || status.state === 'created') return true;
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && status.exitCode === 0) return false;
  return true;
}

function containerSucceeded(c: Container, state: RuntimePodState): boolean {
  const s = latestContainer(state, c.name);
  return !!s && s.state === 'exited' && s.exitCode === 0;
}

function isInitContainerFailed(s: RuntimeContainer): boolean {
  if (s.state === 'exited' && s.exitCode !== 0) return true;
  if (s.state === 'unknown') return true;
  return false;
}

/** Whether every init container has run: the last one succeeded (or, a sidecar, is running). */
function initializationDone(pod: Pod, state: RuntimePodState): boolean {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return true;
  const last = inits[inits.length - 1]!;
  const s = latestContainer(state, last.name);
  if (!s) return false;
  return isRestartableInitContainer(last) ? s.state === 'running' : s.state === 'exited' && s.exitCode === 0;
}

export function computePodActions(pod: Pod, state: RuntimePodState, probes: ProbeLookup = noProbes, previous?: PodStatus): PodActions {
  const spec = pod.spec!;
  const createSandbox = !state.sandbox;
  const changes: PodActions = { killPod: createSandbox, createSandbox, initContainersToStart: [], containersToStart: [], containersToKill: [] };

  if (createSandbox) {
    if (!shouldRestartOnFailure(pod) && state.containers.length !== 0) {
      // Containers ran in a sandbox that is gone and the pod does not restart: it is done.
      changes.createSandbox = false;
      return changes;
    }
    const toStart: number[] = [];
    spec.containers.forEach((c, i) => {
      if (spec.restartPolicy === 'OnFailure' && containerSucceeded(c, state)) return;
      toStart.push(i);
    });
    if (toStart.length === 0 && initializationDone(pod, state)) {
      changes.createSandbox = false;
      return changes;
    }
    if ((spec.initContainers ?? []).length > 0) {
      changes.initContainersToStart = [0];
      return changes;
    }
    changes.containersToStart = toStart;
    return changes;
  }

  const hasInitialized = computeInitContainerActions(pod, state, probes, changes, previous);
  if (changes.killPod || !hasInitialized) return changes;

  let keepCount = 0;
  spec.containers.forEach((container, idx) => {
    const status = latestContainer(state, container.name);
    if (!status || status.state !== 'running') {
      if (shouldContainerBeRestarted(container, pod, state, previous)) {
        changes.containersToStart.push(idx);
        if (status && status.state === 'unknown') {
          changes.containersToKill.push({ id: status.id, name: container.name, reason: 'Unknown', message: `Container is in "unknown" state, try killing it before restart` });
        }
      }
      return;
    }
    let restart = shouldRestartOnFailure(pod);
    let kill: ContainerToKill | undefined;
    if (status.hash && status.hash !== containerHash(container)) {
      kill = { id: status.id, name: container.name, reason: 'DefinitionChanged', message: `Container ${container.name} definition changed` };
      restart = true;
    } else if (probes.liveness(status.id) === 'failure') {
      kill = { id: status.id, name: container.name, reason: 'LivenessProbe', message: `Container ${container.name} failed liveness probe` };
    } else if (probes.startup(status.id) === 'failure') {
      kill = { id: status.id, name: container.name, reason: 'StartupProbe', message: `Container ${container.name} failed startup probe` };
    } else {
      keepCount++;
      return;
    }
    if (restart) {
      kill = { ...kill, message: `${kill.message}, will be restarted` };
      changes.containersToStart.push(idx);
    }
    changes.containersToKill.push(kill);
  });

  if (keepCount === 0 && changes.containersToStart.length === 0) {
    changes.killPod = true;
    // Sidecars must not keep a finished pod alive.
    changes.initContainersToStart = [];
  }
  return changes;
}

/**
 * The init container part (computeInitContainerActions): which init containers to (re)start and
 * containers to kill; returns whether the pod has initialized (regular containers may run).
 */
function computeInitContainerActions(pod: Pod, state: RuntimePodState, probes: ProbeLookup, changes: PodActions, previous?: PodStatus): boolean {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return true;

  // A regular container that exists (created or running) means initialization happened before,
  // even if the finished init containers were removed since.
  let podHasInitialized = false;
  for (const c of pod.spec!.containers) {
    const s = latestContainer(state, c.name);
    if (s && (s.state === 'created' || s.state === 'running')) {
      podHasInitialized = true;
      break;
    }
  }
  // A restarted agent whose runtime lost finished init containers: the API remembers them.
  if (!podHasInitialized && inits.every((c) => !latestContainer(state, c.name))) {
    const last = inits[inits.length - 1]!;
    const ran = ranBefore(previous, last.name, true);
    if (ran && !isRestartableInitContainer(last) && ran.exitCode === 0) podHasInitialized = true;
  }

  let isPreviouslyInitialized = podHasInitialized;
  const restartOnFailure = shouldRestartOnFailure(pod);
  const toStart: number[] = [];

  for (let i = inits.length - 1; i >= 0; i--) {
    const container = inits[i]!;
    const restartable = isRestartableInitContainer(container);
    const status = latestContainer(state, container.name);
    if (!status) {
      if (isPreviouslyInitialized && restartable) toStart.push(i);
      continue;
    }
    if (isPreviouslyInitialized && !restartable) continue;

    switch (status.state) {
      case 'created':
        toStart.push(i);
        break;
      case 'running': {
        if (!restartable) break; // wait for it to finish
        if (container.startupProbe) {
          const startup = probes.startup(status.id);
          if (startup === undefined) break;
          if (startup === 'failure') {
            changes.containersToKill.push({ id: status.id, name: container.name, reason: 'StartupProbe', message: `Init container ${container.name} failed startup probe` });
            toStart.push(i);
            break;
          }
        }
        if (i === inits.length - 1) podHasInitialized = true;
        else if (!isPreviouslyInitialized) toStart.push(i + 1);
        if (status.hash && status.hash !== containerHash(container)) {
          changes.containersToKill.push({ id: status.id, name: container.name, reason: 'DefinitionChanged', message: `Init container ${container.name} definition changed` });
          toStart.push(i);
          break;
        }
        if (container.livenessProbe && probes.liveness(status.id) === 'failure') {
          changes.containersToKill.push({ id: status.id, name: container.name, reason: 'LivenessProbe', message: `Init container ${container.name} failed liveness probe` });
          toStart.push(i);
        }
        break;
      }
      case 'exited':
        if (restartable) {
          toStart.push(i);
        } else if (isInitContainerFailed(status)) {
          if (!restartOnFailure) {
            changes.killPod = true;
            changes.initContainersToStart = [];
            return false;
          }
          toStart.push(i);
        } else if (i === inits.length - 1) {
          podHasInitialized = true;
        } else {
          toStart.push(i + 1);
        }
        break;
      default:
        if (!restartable && !restartOnFailure) {
          changes.killPod = true;
          changes.initContainersToStart = [];
          return false;
        }
        changes.containersToKill.push({ id: status.id, name: container.name, reason: 'Unknown', message: `Init container is in "unknown" state, try killing it before restart` });
        toStart.push(i);
    }
    if (!isPreviouslyInitialized) isPreviouslyInitialized = true;
  }
  if (!isPreviouslyInitialized) toStart.push(0);
  changes.initContainersToStart = [...new Set(toStart.reverse())];
  return podHasInitialized;
}
