/**
 * What the runtime holds for one pod, as the pod workers see it (kubecontainer.PodStatus): its
 * sandbox and every container instance it still has, identified by the labels the agent put on
 * them when it created them (so a restarted agent adopts them).
 */
import type { Container } from '../../api/kinds/core/container';
import type { Pod } from '../../api/kinds/core/pod';
import type { ContainerInfo, ContainerState, Sandbox } from '../runtime/interface';
import { stableJson } from '../stableJson';

export const labelPodUid = 'io.kubernetes.pod.uid';
export const labelPodName = 'io.kubernetes.pod.name';
export const labelPodNamespace = 'io.kubernetes.pod.namespace';
export const labelContainerName = 'io.kubernetes.container.name';
export const labelRestartCount = 'io.kubernetes.container.restartCount';
export const labelContainerHash = 'io.kubernetes.container.hash';
/** 'init' for init containers (sidecars included), 'regular' otherwise. */
export const labelContainerType = 'io.marina.container.type';
/** The pod's grace period, used to stop containers whose pod is gone. */
export const labelGracePeriod = 'io.kubernetes.pod.terminationGracePeriod';

/** One container instance of a pod, as the runtime reports it. */
export interface RuntimeContainer {
  readonly id: string;
  readonly name: string;
  readonly restartCount: number;
  readonly hash: string;
  readonly init: boolean;
  readonly state: ContainerState;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly image: string;
  readonly imageID: string;
  readonly createdAt?: Date;
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
}

export interface RuntimePodState {
  readonly uid: string;
  readonly sandbox?: Sandbox;
  /** Every instance, newest first (restart count, then creation time). */
  readonly containers: readonly RuntimeContainer[];
}

export function emptyPodState(uid: string): RuntimePodState {
  return { uid, containers: [] };
}

/** The RuntimeContainer a runtime record stands for, or undefined when it carries no pod labels. */
export function runtimeContainerOf(info: ContainerInfo): (RuntimeContainer & { readonly podUid: string }) | undefined {
  const podUid = info.labels[labelPodUid];
  const name = info.labels[labelContainerName];
  if (!podUid || !name) return undefined;
  const restartCount = Number(info.labels[labelRestartCount] ?? '0');
  return {
    podUid,
    id: info.id,
    name,
    restartCount: Number.isFinite(restartCount) ? restartCount : 0,
    hash: info.labels[labelContainerHash] ?? '',
    init: info.labels[labelContainerType] === 'init',
    state: info.state,
    ...(info.exitCode !== undefined ? { exitCode: info.exitCode } : {}),
    ...(info.reason !== undefined ? { reason: info.reason } : {}),
    image: info.image,
    imageID: info.imageID,
    ...(info.createdAt ? { createdAt: info.createdAt } : {}),
    ...(info.startedAt ? { startedAt: info.startedAt } : {}),
    ...(info.finishedAt ? { finishedAt: info.finishedAt } : {}),
  };
}

/** Newest first: higher restart count, then later creation. */
export function compareNewestFirst(a: RuntimeContainer, b: RuntimeContainer): number {
  if (a.restartCount !== b.restartCount) return b.restartCount - a.restartCount;
  return (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0);
}

/** The latest instance of container `name`, if any. */
export function latestContainer(state: RuntimePodState, name: string): RuntimeContainer | undefined {
  let best: RuntimeContainer | undefined;
  for (const c of state.containers) if (c.name === name && (!best || compareNewestFirst(c, best) < 0)) best = c;
  return best;
}

export function runningContainers(state: RuntimePodState): RuntimeContainer[] {
  return state.containers.filter((c) => c.state === 'running' || c.state === 'created' || c.state === 'unknown');
}

/** A sidecar: an init container with restartPolicy Always. */
export function isRestartableInitContainer(c: Pick<Container, 'restartPolicy'>): boolean {
  return c.restartPolicy === 'Always';
}

/** The labels of a container instance the agent creates. */
export function containerLabels(pod: Pod, container: Container, init: boolean, restartCount: number): Record<string, string> {
  return {
    [labelPodUid]: pod.metadata?.uid ?? '',
    [labelPodName]: pod.metadata?.name ?? '',
    [labelPodNamespace]: pod.metadata?.namespace ?? '',
    [labelContainerName]: container.name,
    [labelRestartCount]: String(restartCount),
    [labelContainerHash]: containerHash(container),
    [labelContainerType]: init ? 'init' : 'regular',
    [labelGracePeriod]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
  };
}

/**
 * A hash of what defines a container instance (kubecontainer.HashContainer): the spec without
 * its resources. A running container whose hash differs from its spec's is restarted.
 */
export function containerHash(container: Container): string {
  const { resources: _resources, ...rest } = container;
  return fnv1a(stableJson(rest)).toString(16);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
