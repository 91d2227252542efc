/**
 * Brings one pod's containers to its spec and reports its status (the kubelet's syncPod,
 * syncTerminatingPod and housekeeping): computes the actions (podActions.ts), carries them out —
 * sandbox, init containers in order, containers, kills for failed liveness probes or changed
 * specs — then computes the status (podStatus.ts) and writes it if it changed. A pod being
 * deleted gets its preStop hooks and its grace period, then its API object is deleted with grace
 * 0. A finished pod (Succeeded/Failed in the API) never runs again. Calls for one pod are
 * serialised by the caller (PodWorkers).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container } from '../../api/kinds/core/container';
import type { Pod } from '../../api/kinds/core/pod';
import type { PodStatus } from '../../api/kinds/core/podStatus';
import { isStatusError } from '../../api/status';
import type { Logger } from '../../client/log';
import type { RestClient } from '../../client/restClient';
import { forgetRotations } from '../logs/containerLog';
import type { ProbeManager } from '../prober/probeManager';
import type { SandboxSpec } from '../runtime/interface';
import { containerLogPath, forgetBackoffs, podDir, startContainer, type StarterDeps } from './containerStarter';
import type { DownwardContext } from './env';
import { computePodActions, ranBefore } from './podActions';
import { generatePodStatus, rfc3339, type WaitingReason } from './podStatus';
import { compareNewestFirst, emptyPodState, isRestartableInitContainer, labelGracePeriod, labelPodUid, runtimeContainerOf, type RuntimeContainer, type RuntimePodState } from './runtimeState';
import type { StatusWriter } from './statusWriter';
import { terminationMessages } from './terminationMessage';

export interface PodSyncerDeps extends StarterDeps {
  readonly client: RestClient;
  readonly probes: ProbeManager;
  readonly status: StatusWriter;
  /** The node's IPs: status.hostIP(s), and the pod IPs of hostNetwork pods. */
  readonly hostIPs: readonly string[];
  readonly allocatable: DownwardContext['allocatable'];
  /** Sync the pod again in `ms`. */
  readonly requeue: (uid: string, ms: number) => void;
  readonly log: Logger;
}

const pods = { group: '', version: 'v1', resource: 'pods' };

export class PodSyncer {
  private readonly reasons = new Map<string, Map<string, WaitingReason>>();
  private readonly terminatingSince = new Map<string, number>();
  /**
   * Pods whose API object this agent has deleted (grace 0): a sync queued meanwhile (a runtime
   * event of the kill, say) finds nothing left to do instead of deleting the object again.
   */
  private readonly deleted = new Set<string>();
  readonly runtimeName: string;

  constructor(private readonly deps: PodSyncerDeps) {
    this.runtimeName = deps.runtime.name === 'fake' ? 'fake' : 'containerd';
  }

  /** What the runtime has of one pod. */
  async readState(uid: string): Promise<RuntimePodState> {
    const [containers, sandboxes] = await Promise.all([this.deps.runtime.listContainers(), this.deps.runtime.listSandboxes()]);
    const sandbox = sandboxes.find((s) => s.podUid === uid);
    const mine = containers.map(runtimeContainerOf).filter((c): c is RuntimeContainer & { podUid: string } => !!c && c.podUid === uid);
    return { ...emptyPodState(uid), ...(sandbox ? { sandbox } : {}), containers: mine.sort(compareNewestFirst) };
  }

  /** `newPod`: the runtime is known to hold nothing of the pod (its first sync), so it is not listed. */
  async sync(pod: Pod, hint: { readonly newPod?: boolean } = {}): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    let state = hint.newPod ? emptyPodState(uid) : await this.readState(uid);
    if (pod.metadata?.deletionTimestamp) return this.deleted.has(uid) ? undefined : this.terminate(pod, state);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Finished for good: nothing of it may run again (a restarted agent must not rerun it).
      this.deps.probes.removePod(uid);
      await this.killPod(pod, state, pod.spec?.terminationGracePeriodSeconds ?? 30);
      return;
    }
    const previous = this.deps.status.last(uid) ?? pod.status;
    const actions = computePodActions(pod, state, this.deps.probes, previous);
    let retry: number | undefined;
    const retryIn = (ms: number) => void (retry = retry === undefined ? ms : Math.min(retry, ms));
    const terminal = actions.killPod && !actions.createSandbox && actions.initContainersToStart.length === 0 && actions.containersToStart.length === 0;

    if (actions.killPod) {
      await this.killPod(pod, state, pod.spec?.terminationGracePeriodSeconds ?? 30, !terminal);
      // A new pod (no sandbox, nothing running) had nothing killed: the state read above holds,
      // and its start is not delayed by one more listing of the runtime.
      if (state.sandbox || state.containers.some((c) => c.state !== 'exited')) state = await this.readState(uid);
    }
    if (!terminal) {
      let sandbox = state.sandbox;
      if (actions.createSandbox) {
        try {
          sandbox = await this.deps.runtime.createSandbox(sandboxSpec(pod));
        } catch (err) {
          this.deps.log.warn('sandbox creation failed', { pod: podRef(pod), err });
          retryIn(2000);
        }
      }
      await Promise.all(actions.containersToKill.map((k) => this.killContainer(pod, k.id, k.name, pod.spec?.terminationGracePeriodSeconds ?? 30)));
      if (sandbox) {
        const ctx = this.downward(pod, sandbox.ips.length ? sandbox.ips : sandbox.ip ? [sandbox.ip] : []);
        const inits = pod.spec?.initContainers ?? [];
        for (const idx of actions.initContainersToStart) {
          const c = inits[idx]!;
          const started = await this.start(pod, c, true, state, sandbox, ctx, previous, retryIn);
          if (!started || !isRestartableInitContainer(c)) break;
        }
        for (const idx of actions.containersToStart) await this.start(pod, pod.spec!.containers[idx]!, false, state, sandbox, ctx, previous, retryIn);
      }
      state = await this.readState(uid);
      await this.pruneDeadInstances(pod, state);
    }

    this.deps.probes.syncPod(
      uid,
      state.containers
        .filter((c) => c.state === 'running')
        .flatMap((c) => {
          const spec = findContainer(pod, c.name);
          return spec ? [{ podUid: uid, id: c.id, container: spec, startedAt: c.startedAt?.getTime() ?? this.deps.clock.now(), podIP: state.sandbox?.ip ?? this.deps.hostIPs[0] }] : [];
        }),
    );
    await this.writeStatus(pod, state, previous, terminal);
    if (terminal && state.sandbox) await this.deps.runtime.removeSandbox(uid);
    if (retry !== undefined) this.deps.requeue(uid, retry);
  }

  /** A pod deleted in the API: preStop hooks, stop within the grace period, final status, then the object goes. */
  private async terminate(pod: Pod, state: RuntimePodState): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const now = this.deps.clock.now();
    const since = this.terminatingSince.get(uid) ?? now;
    this.terminatingSince.set(uid, since);
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    const remaining = Math.max(0, grace - (now - since) / 1000);
    this.deps.probes.removePod(uid);
    await this.killPod(pod, state, remaining);
    const after = await this.readState(uid);
    await this.writeStatus(pod, after, this.deps.status.last(uid) ?? pod.status, true);
    try {
      await this.deps.client.resource<Pod>(pods, pod.metadata?.namespace).delete(pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      if (!isStatusError(err, 404) && !isStatusError(err, 409)) throw err;
    }
    this.deleted.add(uid);
  }

  /** A pod the API no longer has: its containers, sandbox, volumes and logs go, and all memory of it. */
  async cleanup(uid: string): Promise<void> {
    this.deps.probes.removePod(uid);
    const state = await this.readState(uid);
    await Promise.all(
      state.containers.map(async (c) => {
        if (c.state !== 'exited') await this.deps.runtime.stopContainer(c.id, 2);
        await this.deps.runtime.removeContainer(c.id);
      }),
    );
    await this.deps.runtime.removeSandbox(uid);
    await this.removeFiles(uid);
    this.forget(uid);
  }

  /** A pod's directory (volumes, termination messages) and its logs. */
  private async removeFiles(uid: string): Promise<void> {
    await rm(podDir(this.deps.rootDir, uid), { recursive: true, force: true });
    const logs = join(this.deps.rootDir, 'logs');
    for (const entry of await readdir(logs).catch(() => [])) {
      if (!entry.endsWith(`_${uid}`)) continue;
      await rm(join(logs, entry), { recursive: true, force: true });
      forgetRotations(join(logs, entry));
    }
  }

  /** Forgets a pod's reasons, backoffs and status (its runtime objects are not touched). */
  forget(uid: string): void {
    this.reasons.delete(uid);
    this.terminatingSince.delete(uid);
    this.deleted.delete(uid);
    this.deps.status.forget(uid);
    forgetBackoffs(this.deps, uid);
  }

  /** Containers and sandboxes of pods not in `known` (deleted while the agent was away) are removed. */
  async removeOrphans(known: ReadonlySet<string>): Promise<number> {
    const [containers, sandboxes] = await Promise.all([this.deps.runtime.listContainers(), this.deps.runtime.listSandboxes()]);
    let removed = 0;
    for (const info of containers) {
      const uid = info.labels[labelPodUid];
      if (!uid || known.has(uid)) continue;
      if (info.state !== 'exited') await this.deps.runtime.stopContainer(info.id, Math.min(30, Number(info.labels[labelGracePeriod] ?? '2') || 2));
      await this.deps.runtime.removeContainer(info.id);
      removed++;
    }
    for (const s of sandboxes) {
      if (known.has(s.podUid)) continue;
      await this.deps.runtime.removeSandbox(s.podUid);
      await this.removeFiles(s.podUid);
      removed++;
    }
    return removed;
  }

  private async start(pod: Pod, c: Container, init: boolean, state: RuntimePodState, sandbox: NonNullable<RuntimePodState['sandbox']>, ctx: DownwardContext, previous: PodStatus | undefined, retryIn: (ms: number) => void): Promise<boolean> {
    const uid = pod.metadata?.uid ?? '';
    const ran = ranBefore(previous, c.name, init);
    const old = (init ? previous?.initContainerStatuses : previous?.containerStatuses)?.find((s) => s.name === c.name);
    const floor = ran ? (old?.restartCount ?? 0) + 1 : 0;
    const result = await startContainer(this.deps, pod, c, init, state, sandbox, ctx, floor);
    let reasons = this.reasons.get(uid);
    if (result.started) {
      reasons?.delete(c.name);
      return true;
    }
    if (!reasons) this.reasons.set(uid, (reasons = new Map()));
    reasons.set(c.name, result.reason);
    if (result.retryInMs !== undefined) retryIn(result.retryInMs);
    return false;
  }

  private async writeStatus(pod: Pod, state: RuntimePodState, previous: PodStatus | undefined, terminal: boolean): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const reasons = this.reasons.get(uid);
    const messages = this.deps.writeFiles ? await terminationMessages(this.deps.rootDir, pod, state.containers) : undefined;
    const status = generatePodStatus({
      pod,
      state,
      oldStatus: previous,
      podIsTerminal: terminal,
      reasons: (name) => reasons?.get(name),
      readiness: (id) => this.deps.probes.readiness(id),
      startup: (id) => this.deps.probes.startup(id),
      hostIPs: this.deps.hostIPs,
      now: rfc3339(this.deps.clock.now()),
      runtimeName: this.runtimeName,
      ...(messages ? { terminationMessages: (id: string) => messages.get(id) } : {}),
    });
    await this.deps.status.write(pod, status);
  }

  /** Stops every container of the pod (preStop hooks first) and, unless kept, removes its sandbox. */
  private async killPod(pod: Pod, state: RuntimePodState, graceSeconds: number, keepSandbox = false): Promise<void> {
    const live = state.containers.filter((c) => c.state !== 'exited');
    await Promise.all(live.map((c) => this.killContainer(pod, c.id, c.name, graceSeconds)));
    if (state.sandbox && !keepSandbox) await this.deps.runtime.removeSandbox(state.sandbox.podUid);
  }

  private async killContainer(pod: Pod, id: string, name: string, graceSeconds: number): Promise<void> {
    const started = this.deps.clock.now();
    const hook = findContainer(pod, name)?.lifecycle?.preStop;
    const info = await this.deps.runtime.container(id);
    if (hook && info?.state === 'running' && graceSeconds > 0) {
      const budgetMs = graceSeconds * 1000;
      try {
        if (hook.exec) {
          const signal = AbortSignal.timeout(budgetMs);
          const session = await this.deps.runtime.exec(id, hook.exec.command ?? [], { tty: false, signal, timeoutMs: budgetMs });
          await Promise.race([session.exitCode, new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
        } else if (hook.sleep) {
          await new Promise<void>((resolve) => this.deps.clock.after(Math.min(budgetMs, Number(hook.sleep!.seconds) * 1000), resolve));
        }
      } catch (err) {
        this.deps.log.info('preStop hook failed', { pod: podRef(pod), container: name, err });
      }
    }
    // As the kubelet: at least 2 s for the container itself once its hook has run.
    const spent = (this.deps.clock.now() - started) / 1000;
    const remaining = hook ? Math.max(2, graceSeconds - spent) : graceSeconds;
    await this.deps.runtime.stopContainer(id, Math.ceil(remaining));
  }

  /** Only the two newest instances of a container are kept (their logs serve `previous`). */
  private async pruneDeadInstances(pod: Pod, state: RuntimePodState): Promise<void> {
    const seen = new Map<string, number>();
    for (const c of state.containers) {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      if (n <= 2 || c.state !== 'exited') continue;
      await this.deps.runtime.removeContainer(c.id);
      await rm(containerLogPath(this.deps.rootDir, pod, c.name, c.restartCount), { force: true });
    }
  }

  private downward(pod: Pod, sandboxIPs: readonly string[]): DownwardContext {
    return { podIPs: pod.spec?.hostNetwork ? this.deps.hostIPs : sandboxIPs, hostIPs: this.deps.hostIPs, allocatable: this.deps.allocatable };
  }
}

export function findContainer(pod: Pod, name: string): Container | undefined {
  return pod.spec?.containers.find((c) => c.name === name) ?? pod.spec?.initContainers?.find((c) => c.name === name);
}

export function podRef(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function sandboxSpec(pod: Pod): SandboxSpec {
  const spec = pod.spec!;
  const dns = spec.dnsConfig;
  return {
    podUid: pod.metadata?.uid ?? '',
    podName: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    hostname: (spec.hostname ?? pod.metadata?.name ?? '').slice(0, 63),
    hostNetwork: !!spec.hostNetwork,
    ...(spec.dnsPolicy === 'None' && dns ? { dns: { nameservers: dns.nameservers ?? [], searches: dns.searches ?? [], options: (dns.options ?? []).map((o) => (o.value ? `${o.name}:${o.value}` : (o.name ?? ''))) } } : {}),
    ...(spec.hostAliases ? { hostAliases: spec.hostAliases.map((a) => ({ ip: a.ip, hostnames: a.hostnames ?? [] })) } : {}),
  };
}

