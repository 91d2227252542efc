/**
 * The node agent of one node (Marina's kubelet): registers the Node and keeps its status (with
 * the machine's pressures and the runtime's images) and Lease fresh, hears of the node's pods
 * from a PodSource and syncs each in its own worker, watches the runtime for container changes
 * (its events, else a relist every second), removes what belongs to pods deleted while it was
 * away, rotates logs, and tells the HTTP server where a container's log and exec go. Hollow
 * nodes are the same class over a fake runtime, sharing the pod source and timer wheel of their
 * process (they report no pressure: they share one machine).
 */
import type { Pod } from '../api/kinds/core/pod';
import { realClock, sleep, type Cancel, type Clock } from '../client/clock';
import { silentLogger, type Logger } from '../client/log';
import type { ContainerRef } from '../client/nodeAgent';
import type { RestClient } from '../client/restClient';
import { KeyedBackoff, type BackoffOptions } from './backoff';
import { rotateLog } from './logs/containerLog';
import { allocatableAmounts, defaultMaxPods, type MachineInfo } from './machine';
import { NodeObservations } from './node/nodeObservations';
import { NodeReporter } from './node/nodeReporter';
import type { NodeFacts } from './node/nodeStatus';
import type { EvictionThreshold, SignalReader } from './node/pressure';
import { containerLogPath } from './pod/containerStarter';
import type { ObjectSource } from './pod/env';
import { findContainer, PodSyncer } from './pod/podSyncer';
import { labelPodUid, runtimeContainerOf } from './pod/runtimeState';
import { StatusWriter } from './pod/statusWriter';
import type { PodSource } from './podSource';
import { PodWorkers } from './podWorkers';
import type { RequestLimit } from './requestLimit';
import { stableJson } from './stableJson';
import { ProbeManager } from './prober/probeManager';
import { isObservableRuntime } from './runtime/fake';
import type { ContainerRuntime } from './runtime/interface';
import type { LocateResult } from './server/locator';
import type { TimerWheel } from './timerWheel';

export interface NodeAgentOptions {
  readonly nodeName: string;
  readonly client: RestClient;
  readonly runtime: ContainerRuntime;
  readonly pods: PodSource;
  readonly objects: ObjectSource;
  /** Runs the lease, status and housekeeping ticks (shared by the hollow nodes of a process). */
  readonly wheel: TimerWheel;
  /** Volumes, logs: <rootDir>/pods/<uid>, <rootDir>/logs/... */
  readonly rootDir: string;
  /** The agent's HTTP port, advertised in status.daemonEndpoints. */
  readonly port: number;
  /** The node's InternalIP (and pods' hostIP). Default 127.0.0.1. */
  readonly nodeIP?: string;
  /** cpu, memory, ephemeral-storage and pods; see machineCapacity. */
  readonly capacity: Readonly<Record<string, string>>;
  /** Default: the capacity. */
  readonly allocatable?: Readonly<Record<string, string>>;
  readonly machine?: MachineInfo;
  readonly podCIDR?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** CrashLoopBackOff: default 10 s doubling to 300 s. */
  readonly crashBackoff?: BackoffOptions;
  /** ImagePullBackOff: default 10 s doubling to 300 s. */
  readonly imageBackoff?: BackoffOptions;
  /** Default 10 s. */
  readonly leasePeriodMs?: number;
  /** How often the status is recomputed (written only on change). Default 10 s. */
  readonly statusUpdatePeriodMs?: number;
  /** Written at least this often. Default 5 min. */
  readonly statusReportFrequencyMs?: number;
  /** Orphan removal and log rotation. Default 10 s. */
  readonly housekeepingPeriodMs?: number;
  /** Every pod is synced this often besides its events. Default 60 s. */
  readonly resyncPeriodMs?: number;
  /** Relist period for runtimes without events. Default 1 s. */
  readonly relistPeriodMs?: number;
  /** Write volume files (false on hollow nodes). Default true. */
  readonly writeFiles?: boolean;
  /** Rotate a log above this size. Default 10 MiB. */
  readonly logMaxBytes?: number;
  /** Rotated files kept. Default 5. */
  readonly logMaxFiles?: number;
  /**
   * Reads the machine's eviction signals (nodeSignals.ts), evaluated at each status period.
   * Default: none, no pressure is reported (hollow nodes share the machine).
   */
  readonly nodeSignals?: SignalReader;
  /** Hard eviction thresholds deciding MemoryPressure, DiskPressure, PIDPressure. Default: Kubernetes'. */
  readonly evictionHard?: readonly EvictionThreshold[];
  /** A pressure is reported this long after its thresholds were last met. Default 5 min. */
  readonly pressureTransitionPeriodMs?: number;
  /** Bounds the agents' API writes in flight (hollow nodes share one). Default: none. */
  readonly requestLimit?: RequestLimit;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export class NodeAgent {
  readonly nodeName: string;
  readonly reporter: NodeReporter;
  readonly syncer: PodSyncer;
  readonly probes: ProbeManager;
  readonly statusWriter: StatusWriter;
  /** Pressures and images, observed once per status period. */
  readonly observations: NodeObservations;
  private readonly workers: PodWorkers;
  private readonly known = new Map<string, Pod>();
  /** The node's pods when the agent started (after the orphans of others were removed). */
  private startupPods: ReadonlySet<string> = new Set();
  /**
   * Pods that appeared after the start and have not been synced yet. The runtime holds nothing
   * of them (only this process could have made it, and it has not), so their first sync starts
   * from an empty state instead of listing the runtime: a listing is a good part of a pod start.
   */
  private readonly unsynced = new Set<string>();
  private readonly cancels: Cancel[] = [];
  private readonly log: Logger;
  private readonly clock: Clock;
  private runtimeError: string | undefined;
  private runtimeVersion = { runtimeName: 'unknown', runtimeVersion: 'unknown' };
  private relistSeen = new Map<string, string>();
  private stopped = false;
  private readonly abort = new AbortController();
  /** Pod syncs so far (metrics, tests). */
  syncs = 0;

  constructor(private readonly options: NodeAgentOptions) {
    this.nodeName = options.nodeName;
    this.clock = options.clock ?? realClock;
    this.log = (options.log ?? silentLogger).with({ node: options.nodeName });
    this.statusWriter = new StatusWriter(options.client, options.requestLimit);
    this.workers = new PodWorkers((uid) => this.syncPod(uid), { clock: this.clock, onError: (uid, err) => this.onSyncError(uid, err) });
    this.probes = new ProbeManager(options.runtime, (uid) => this.workers.update(uid), { clock: this.clock });
    const capacity = { pods: String(defaultMaxPods), ...options.capacity };
    this.syncer = new PodSyncer({
      runtime: options.runtime,
      objects: options.objects,
      crashBackoff: new KeyedBackoff(options.crashBackoff, this.clock),
      imageBackoff: new KeyedBackoff(options.imageBackoff, this.clock),
      clock: this.clock,
      rootDir: options.rootDir,
      writeFiles: options.writeFiles ?? true,
      client: options.client,
      probes: this.probes,
      status: this.statusWriter,
      hostIPs: [options.nodeIP ?? '127.0.0.1'],
      allocatable: allocatableAmounts(options.allocatable ?? capacity),
      requeue: (uid, ms) => this.workers.after(uid, ms),
      log: this.log,
    });
    this.observations = new NodeObservations({
      runtime: options.runtime,
      ...(options.nodeSignals ? { signals: options.nodeSignals } : {}),
      ...(options.evictionHard ? { evictionHard: options.evictionHard } : {}),
      ...(options.pressureTransitionPeriodMs !== undefined ? { pressureTransitionPeriodMs: options.pressureTransitionPeriodMs } : {}),
      clock: this.clock,
      log: this.log,
    });
    const health = () => ({ ready: !this.runtimeError, ...(this.runtimeError ? { notReadyMessage: `container runtime is down: ${this.runtimeError}` } : {}), ...this.observations.pressure });
    this.reporter = new NodeReporter(options.client, () => this.facts(), health, {
      reportFrequencyMs: options.statusReportFrequencyMs ?? 300_000,
      clock: this.clock,
      ...(options.requestLimit ? { limit: options.requestLimit } : {}),
    });
  }

  /** Registers the node, starts its lease and status ticks, removes orphans, then takes its pods. */
  async start(signal?: AbortSignal): Promise<void> {
    try {
      this.runtimeVersion = await this.options.runtime.version();
    } catch (err) {
      this.runtimeError = (err as Error).message;
    }
    await this.observations.refresh();
    const wheel = this.options.wheel;
    const report = (what: string) => (err: unknown) => this.log.warn(`${what} failed`, { err });
    // An API server not (yet) reachable is waited for, as the kubelet does.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.reporter.register();
        break;
      } catch (err) {
        if (this.stopped) return;
        report('node registration')(err);
        try {
          await sleep(Math.min(10_000, 500 * 2 ** attempt), this.abort.signal, this.clock);
        } catch {
          return; // stopped
        }
      }
    }
    // First ticks (the lease's creation too) at a random point of the period: nodes started
    // together do not write together.
    const leasePeriod = this.options.leasePeriodMs ?? 10_000;
    const statusPeriod = this.options.statusUpdatePeriodMs ?? 10_000;
    this.cancels.push(wheel.every(leasePeriod, () => this.reporter.renewLease().catch(report('lease renewal')), Math.random() * leasePeriod));
    // Observed once per period, just before the comparison: a new pressure or image is written at once.
    const updateStatus = () => this.observations.refresh().then(() => this.reporter.updateStatus());
    this.cancels.push(wheel.every(statusPeriod, () => updateStatus().catch(report('node status update')), Math.random() * statusPeriod));
    if (!(await this.options.pods.waitForSync(signal))) return;
    const mine = this.options.pods.pods(this.nodeName);
    this.startupPods = new Set(mine.map((p) => p.metadata?.uid ?? ''));
    // Only now is it known which pods exist: whatever else the runtime has was deleted meanwhile.
    const removed = await this.syncer.removeOrphans(new Set(mine.map((p) => p.metadata?.uid ?? ''))).catch((err: unknown) => {
      report('orphan removal')(err);
      return 0;
    });
    if (removed) this.log.info('removed containers of pods deleted while the agent was away', { removed });
    if (this.stopped) return;
    this.cancels.push(this.options.pods.subscribe(this.nodeName, { onPod: (p) => this.onPod(p), onPodDeleted: (p) => this.onPodDeleted(p) }));
    const runtime = this.options.runtime;
    if (isObservableRuntime(runtime)) {
      this.cancels.push(runtime.onEvent((uid) => this.known.has(uid) && this.workers.update(uid)));
    } else {
      this.cancels.push(wheel.every(this.options.relistPeriodMs ?? 1000, () => this.relist()));
    }
    this.cancels.push(wheel.every(this.options.housekeepingPeriodMs ?? 10_000, () => this.housekeeping().catch(report('housekeeping'))));
    this.cancels.push(wheel.every(this.options.resyncPeriodMs ?? 60_000, () => this.known.forEach((_p, uid) => this.workers.update(uid))));
  }

  /** Stops everything of the agent; containers keep running (a restarted agent adopts them). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    for (const c of this.cancels.splice(0)) c();
    this.workers.stop();
    this.probes.stop();
    await this.workers.idle();
  }

  /** Resolves once no pod is syncing (tests). */
  idle(): Promise<void> {
    return this.workers.idle();
  }

  get podCount(): number {
    return this.known.size;
  }

  facts(): NodeFacts {
    const o = this.options;
    const ip = o.nodeIP ?? '127.0.0.1';
    return {
      nodeName: o.nodeName,
      capacity: { pods: String(defaultMaxPods), ...o.capacity },
      ...(o.allocatable ? { allocatable: { pods: String(defaultMaxPods), ...o.allocatable } } : {}),
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: o.nodeName },
      ],
      port: o.port,
      runtime: this.runtimeVersion,
      ...(o.podCIDR ? { podCIDR: o.podCIDR } : {}),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.machine ?? {}),
      ...(this.observations.images ? { images: this.observations.images } : {}),
    };
  }

  /** Where a container's log and exec go (the HTTP server asks). */
  async locate(ref: ContainerRef, previous = false): Promise<LocateResult> {
    const pod = [...this.known.values()].find((p) => p.metadata?.namespace === ref.namespace && p.metadata?.name === ref.pod);
    if (!pod) return { code: 404, message: `pod "${ref.pod}" in namespace "${ref.namespace}" is not known to node "${this.nodeName}"` };
    if (!findContainer(pod, ref.container)) return { code: 404, message: `container ${ref.container} is not valid for pod ${ref.pod}` };
    const state = await this.syncer.readState(pod.metadata?.uid ?? '');
    const instances = state.containers.filter((c) => c.name === ref.container);
    const target = previous ? instances[1] : instances[0];
    if (!target) {
      return previous
        ? { code: 400, message: `previous terminated container "${ref.container}" in pod "${ref.pod}" not found` }
        : { code: 400, message: `container "${ref.container}" in pod "${ref.pod}" is waiting to start: ContainerCreating` };
    }
    return { runtime: this.options.runtime, containerId: target.id, running: target.state === 'running', logPath: containerLogPath(this.options.rootDir, pod, ref.container, target.restartCount), maxFiles: this.options.logMaxFiles ?? 5 };
  }

  private onPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const before = this.known.get(uid);
    this.known.set(uid, pod);
    if (!before && !this.startupPods.has(uid)) this.unsynced.add(uid);
    // A change of status only (our own writes, mostly) needs no sync.
    if (before && desiredState(before) === desiredState(pod)) return;
    this.workers.update(uid);
  }

  private onPodDeleted(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    this.known.delete(uid);
    this.unsynced.delete(uid);
    this.workers.update(uid);
  }

  private async syncPod(uid: string): Promise<void> {
    if (this.stopped) return;
    this.syncs++;
    const pod = this.known.get(uid);
    if (!pod) {
      await this.syncer.cleanup(uid);
      this.workers.forget(uid);
      return;
    }
    await this.syncer.sync(pod, { newPod: this.unsynced.delete(uid) });
  }

  private onSyncError(uid: string, err: unknown): void {
    const pod = this.known.get(uid);
    this.log.warn('pod sync failed', { pod: pod ? `${pod.metadata?.namespace}/${pod.metadata?.name}` : uid, err });
    this.workers.after(uid, 1000);
  }

  /** For runtimes without events: pods whose containers changed since the last look are synced. */
  private async relist(): Promise<void> {
    let containers;
    try {
      containers = await this.options.runtime.listContainers();
      this.runtimeError = undefined;
    } catch (err) {
      this.runtimeError = (err as Error).message;
      return;
    }
    const now = new Map<string, string>();
    for (const c of containers) {
      const uid = c.labels[labelPodUid];
      if (!uid) continue;
      now.set(uid, `${now.get(uid) ?? ''}${c.id}:${c.state}:${c.exitCode ?? ''};`);
    }
    for (const [uid, sig] of now) if (this.relistSeen.get(uid) !== sig && this.known.has(uid)) this.workers.update(uid);
    for (const uid of this.relistSeen.keys()) if (!now.has(uid) && this.known.has(uid)) this.workers.update(uid);
    this.relistSeen = now;
  }

  private async housekeeping(): Promise<void> {
    // The runtime's health is the node's readiness (the status tick reports a change).
    try {
      this.runtimeVersion = await this.options.runtime.version();
      this.runtimeError = undefined;
    } catch (err) {
      this.runtimeError = (err as Error).message;
      return;
    }
    await this.syncer.removeOrphans(new Set(this.known.keys()));
    if (this.options.writeFiles === false) return;
    const maxBytes = this.options.logMaxBytes ?? 10 * 1024 * 1024;
    for (const info of await this.options.runtime.listContainers()) {
      const c = runtimeContainerOf(info);
      const pod = c && this.known.get(c.podUid);
      if (c && pod && c.state === 'running') await rotateLog(containerLogPath(this.options.rootDir, pod, c.name, c.restartCount), maxBytes, this.options.logMaxFiles ?? 5);
    }
  }
}

/** What of a pod its sync acts on: everything but its status and bookkeeping metadata. */
function desiredState(pod: Pod): string {
  const m = pod.metadata ?? {};
  return stableJson([pod.spec, m.deletionTimestamp, m.deletionGracePeriodSeconds, m.labels, m.annotations]);
}
