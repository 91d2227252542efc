/**
 * Starting one container of a pod (the kubelet's startContainer with its image puller and
 * backoffs): wait out CrashLoopBackOff, make sure the image is there as its pull policy says
 * (ErrImagePull, then ImagePullBackOff while the pull backoff runs, ErrImageNeverPull), build the
 * environment, mounts and command, then create and start it with the labels a restarted agent
 * adopts it by. What could not be done is returned as the container's waiting reason.
 */
import { join } from 'node:path';
import type { Container } from '../../api/kinds/core/container';
import type { Pod } from '../../api/kinds/core/pod';
import { quantityNanos } from '../../api/kinds/core/resources';
import { defaultPullPolicy } from '../../api/kinds/core/podDefaults';
import type { Clock } from '../../client/clock';
import type { KeyedBackoff } from '../backoff';
import { expandCommandAndArgs } from '../expansion';
import { ImagePullError, type ContainerRuntime, type ContainerSpec, type Sandbox } from '../runtime/interface';
import { ContainerConfigError, makeEnvironmentVariables, type DownwardContext, type ObjectSource } from './env';
import type { WaitingReason } from './podStatus';
import { containerLabels, latestContainer, type RuntimePodState } from './runtimeState';
import { terminationMessageMount } from './terminationMessage';
import { containerMounts, setUpVolumes, VolumeError } from './volumes';

export interface StarterDeps {
  readonly runtime: ContainerRuntime;
  readonly objects: ObjectSource;
  readonly crashBackoff: KeyedBackoff;
  readonly imageBackoff: KeyedBackoff;
  readonly clock: Clock;
  readonly rootDir: string;
  /** Write volume files (false on hollow nodes). */
  readonly writeFiles: boolean;
}

/** The outcome of one attempt: started, or why not and when to try again (ms from now). */
export type StartResult = { readonly started: true } | { readonly started: false; readonly reason: WaitingReason; readonly retryInMs?: number };

export function podDir(rootDir: string, uid: string): string {
  return join(rootDir, 'pods', uid);
}

/** The log of one container instance: <root>/logs/<ns>_<pod>_<uid>/<container>/<restartCount>.log. */
export function containerLogPath(rootDir: string, pod: Pod, container: string, restartCount: number): string {
  const m = pod.metadata ?? {};
  return join(rootDir, 'logs', `${m.namespace ?? ''}_${m.name ?? ''}_${m.uid ?? ''}`, container, `${restartCount}.log`);
}

function crashKey(pod: Pod, name: string): string {
  return `${pod.metadata?.uid ?? ''}/${name}`;
}

/** Forgets a pod's backoffs. */
export function forgetBackoffs(deps: Pick<StarterDeps, 'crashBackoff' | 'imageBackoff'>, uid: string): void {
  deps.crashBackoff.resetPrefix(`${uid}/`);
  deps.imageBackoff.resetPrefix(`${uid}/`);
}

export async function startContainer(deps: StarterDeps, pod: Pod, container: Container, init: boolean, state: RuntimePodState, sandbox: Sandbox, ctx: DownwardContext, restartCountFloor: number): Promise<StartResult> {
  const meta = pod.metadata ?? {};
  const latest = latestContainer(state, container.name);
  const now = deps.clock.now();

  // CrashLoopBackOff: a container that exited waits out its backoff before it runs again.
  if (latest && latest.state === 'exited') {
    const key = crashKey(pod, container.name);
    const finished = latest.finishedAt?.getTime() ?? now;
    if (deps.crashBackoff.isInBackOffSince(key, finished)) {
      const delay = deps.crashBackoff.get(key);
      return {
        started: false,
        reason: { reason: 'CrashLoopBackOff', message: `back-off ${formatDelay(delay)} restarting failed container=${container.name} pod=${meta.name}_${meta.namespace}(${meta.uid})` },
        retryInMs: Math.max(1, (deps.crashBackoff.endOfBackOff(key, finished) ?? now) - now),
      };
    }
    deps.crashBackoff.next(key, finished);
  }

  const image = container.image ?? '';
  const pulled = await ensureImage(deps, pod, container, image);
  if (pulled) return pulled;

  let env;
  let mounts;
  try {
    env = makeEnvironmentVariables(pod, container, deps.objects, ctx);
    const volumePaths = await setUpVolumes(pod, podDir(deps.rootDir, meta.uid ?? ''), deps.objects, ctx, deps.writeFiles);
    mounts = containerMounts(container, volumePaths, new Map(env.map((e) => [e.name, e.value])));
  } catch (err) {
    if (err instanceof ContainerConfigError) return { started: false, reason: { reason: 'CreateContainerConfigError', message: err.message }, retryInMs: 2000 };
    if (err instanceof VolumeError) return { started: false, reason: { reason: 'ContainerCreating', message: err.message }, retryInMs: 2000 };
    throw err;
  }
  const { command, args } = expandCommandAndArgs(container.command, container.args, env);
  const restartCount = latest ? latest.restartCount + 1 : restartCountFloor;
  if (deps.writeFiles) {
    const message = await terminationMessageMount(deps.rootDir, pod, container, restartCount);
    if (message) mounts.push(message);
  }
  const limits = container.resources?.limits ?? {};
  const milliCPU = limits['cpu'] !== undefined ? Number((quantityNanos(limits['cpu']) ?? 0n) / 1_000_000n) : undefined;
  const memoryBytes = limits['memory'] !== undefined ? Number((quantityNanos(limits['memory']) ?? 0n) / 1_000_000_000n) : undefined;
  const security = { ...pod.spec?.securityContext, ...container.securityContext };
  const spec: ContainerSpec = {
    podUid: meta.uid ?? '',
    podName: meta.name ?? '',
    namespace: meta.namespace ?? '',
    name: container.name,
    restartCount,
    image,
    command,
    args,
    env,
    ...(container.workingDir ? { workingDir: container.workingDir } : {}),
    mounts,
    ...(milliCPU !== undefined || memoryBytes !== undefined ? { limits: { ...(milliCPU !== undefined ? { milliCPU } : {}), ...(memoryBytes !== undefined ? { memoryBytes } : {}) } } : {}),
    ...(security.runAsUser !== undefined || security.runAsGroup !== undefined ? { user: { ...(security.runAsUser !== undefined ? { uid: security.runAsUser } : {}), ...(security.runAsGroup !== undefined ? { gid: security.runAsGroup } : {}) } } : {}),
    tty: !!container.tty,
    stdin: !!container.stdin,
    labels: containerLabels(pod, container, init, restartCount),
    logPath: containerLogPath(deps.rootDir, pod, container.name, restartCount),
  };
  let id: string;
  try {
    id = await deps.runtime.createContainer(sandbox, spec);
  } catch (err) {
    return { started: false, reason: { reason: 'CreateContainerError', message: (err as Error).message }, retryInMs: 5000 };
  }
  try {
    await deps.runtime.startContainer(id);
  } catch (err) {
    // The instance stays, exited or created: restarts and backoff follow as for a crash.
    return { started: false, reason: { reason: 'RunContainerError', message: (err as Error).message }, retryInMs: 2000 };
  }
  const hookError = await runPostStart(deps, container, id);
  if (hookError) {
    // As the kubelet: a failed postStart hook kills the container (it restarts as after a crash).
    await deps.runtime.stopContainer(id, pod.spec?.terminationGracePeriodSeconds ?? 30);
    return { started: false, reason: { reason: 'PostStartHookError', message: hookError }, retryInMs: 1000 };
  }
  return { started: true };
}

/** Runs the container's postStart exec hook; its failure message, if it failed. */
async function runPostStart(deps: StarterDeps, container: Container, id: string): Promise<string | undefined> {
  const command = container.lifecycle?.postStart?.exec?.command;
  if (!command) return undefined;
  try {
    const session = await deps.runtime.exec(id, command, { tty: false, timeoutMs: 30_000, signal: AbortSignal.timeout(30_000) });
    const code = await session.exitCode;
    return code === 0 ? undefined : `PostStartHook failed: command '${command.join(' ')}' exited with ${code}`;
  } catch (err) {
    return `PostStartHook failed: ${(err as Error).message}`;
  }
}

/** Undefined when the image is there; otherwise why the container waits. */
async function ensureImage(deps: StarterDeps, pod: Pod, container: Container, image: string): Promise<StartResult | undefined> {
  const policy = container.imagePullPolicy ?? defaultPullPolicy(image);
  if (policy !== 'Always' && (await deps.runtime.image(image))) return undefined;
  if (policy === 'Never') {
    return { started: false, reason: { reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` }, retryInMs: 10_000 };
  }
  const key = `${pod.metadata?.uid ?? ''}/${container.name}/${image}`;
  const now = deps.clock.now();
  if (deps.imageBackoff.isInBackOffSinceUpdate(key)) {
    return {
      started: false,
      reason: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` },
      retryInMs: Math.max(1, (deps.imageBackoff.endOfBackOffSinceUpdate(key) ?? now) - now),
    };
  }
  try {
    await deps.runtime.pullImage(image);
    return undefined;
  } catch (err) {
    deps.imageBackoff.next(key);
    const message = err instanceof ImagePullError ? err.message : `failed to pull image "${image}": ${(err as Error).message}`;
    // Look again soon, so the status shows ImagePullBackOff while the backoff runs.
    return { started: false, reason: { reason: 'ErrImagePull', message }, retryInMs: Math.min(1000, deps.imageBackoff.get(key) / 2) };
  }
}

/** Go's duration format for whole seconds and minutes: 10s, 1m20s, 5m0s. */
export function formatDelay(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 1000 ? `${ms}ms` : `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}
