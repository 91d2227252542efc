/**
 * The scheduler (pkg/scheduler): one loop pops the next pod from the queue and runs its
 * scheduling cycle synchronously on a snapshot of the cache; on success it assumes the pod on the
 * chosen node and binds it in the background (bindings run concurrently, at most
 * `maxInFlightBindings` at once), so the next cycle already counts the assumed pod.
 *
 * Invariants:
 * - the cache holds every assigned, non-terminal pod (all schedulers') plus this scheduler's
 *   assumed pods; the queue holds unassigned pods of this scheduler's profiles;
 * - a pod is scheduled by at most one cycle at a time: it is out of the queue while popped, and a
 *   popped pod that is already assumed (its binding in flight) is skipped;
 * - a failed binding forgets the assumption and requeues the pod with backoff;
 * - the loop yields to the event loop at least every `yieldEveryMs`, so informer events and
 *   binding responses are handled while a long queue drains.
 */
import type { Pod } from '../api/kinds/core/pod';
import { realClock, type Clock } from '../client/clock';
import type { EventRecorder } from '../client/events';
import { silentLogger, type Logger } from '../client/log';
import { MetricsRegistry } from '../client/metrics';
import { defaultConfiguration, defaultSchedulerName, type SchedulerConfiguration } from './config/types';
import type { SchedulerApiWithStatus } from './api';
import { SchedulerCache } from './cache/cache';
import { SnapshotImpl } from './cache/snapshot';
import { FitError } from './core/fitError';
import { schedulePod, SchedulingError, type FilterCursor } from './core/schedulePod';
import { CycleStateImpl } from './framework/cycleState';
import type { ClusterEvent } from './framework/interfaces';
import { podName } from './framework/podKey';
import { Framework, type FrameworkDeps } from './framework/runtime/framework';
import { SchedulerMetrics } from './metrics';
import { defaultPlugins, inTreeRegistry, type Registry } from './plugins/registry';
import { PriorityResolver } from './priority';
import type { QueuedPod } from './queue/queuedPod';
import { SchedulingQueue } from './queue/schedulingQueue';

export interface SchedulerOptions {
  readonly api: SchedulerApiWithStatus;
  /** Default: one default-scheduler profile with the default plugins. */
  readonly config?: SchedulerConfiguration;
  readonly registry?: Registry;
  readonly recorder?: EventRecorder;
  readonly metrics?: MetricsRegistry;
  readonly log?: Logger;
  readonly clock?: Clock;
  /** Bindings in flight at once (the API server answers 429 beyond its mutating in-flight limit, 200 by default). Default 64. */
  readonly maxInFlightBindings?: number;
  /** The loop yields to the event loop after this much work. Default 5 ms. */
  readonly yieldEveryMs?: number;
  /** The latest state of a pod (the informer's), undefined when it is gone. */
  readonly currentPod?: (pod: Pod) => Pod | undefined;
  readonly namespaceLabels?: FrameworkDeps['namespaceLabels'];
  readonly podDisruptionBudgets?: FrameworkDeps['podDisruptionBudgets'];
}

export class Scheduler {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly profiles = new Map<string, Framework>();
  readonly priorities = new PriorityResolver();
  readonly metrics: SchedulerMetrics;
  private readonly snapshot = new SnapshotImpl();
  private readonly cursor: FilterCursor = { next: 0 };
  private readonly options: SchedulerOptions;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private slotWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  /** Throws a one-line Error for an invalid configuration. */
  constructor(options: SchedulerOptions) {
    this.options = options;
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? realClock;
    this.maxInFlight = options.maxInFlightBindings ?? 64;
    this.metrics = new SchedulerMetrics(options.metrics ?? new MetricsRegistry());
    const config = options.config ?? defaultConfiguration;
    this.cache = new SchedulerCache({ clock: this.clock, log: this.log });
    const deps: FrameworkDeps = {
      registry: options.registry ?? inTreeRegistry,
      defaults: defaultPlugins,
      snapshot: () => this.snapshot,
      api: options.api,
      namespaceLabels: options.namespaceLabels,
      nominatedPodsForNode: (node) => this.queue.nominator.podsForNode(node),
      podDisruptionBudgets: options.podDisruptionBudgets,
    };
    if (config.profiles.length === 0) throw new Error('at least one profile is required');
    for (const profile of config.profiles) {
      const name = profile.schedulerName || defaultSchedulerName;
      if (this.profiles.has(name)) throw new Error(`duplicate profile for schedulerName "${name}"`);
      this.profiles.set(name, new Framework({ ...profile, schedulerName: name, percentageOfNodesToScore: profile.percentageOfNodesToScore ?? config.percentageOfNodesToScore }, deps));
    }
    const interestOf = (plugin: string) => {
      // A plugin name means the same plugin in every profile; the union of interests is safe.
      let union: Set<ClusterEvent> | undefined;
      for (const fwk of this.profiles.values()) {
        const i = fwk.interest(plugin);
        if (i) for (const e of i) (union ??= new Set()).add(e);
      }
      return union;
    };
    this.queue = new SchedulingQueue({
      clock: this.clock,
      backoff: { initialMs: (config.podInitialBackoffSeconds ?? 1) * 1000, maxMs: (config.podMaxBackoffSeconds ?? 10) * 1000 },
      interest: interestOf,
      onChange: (c) => this.metrics.setPending(c),
    });
  }

  /** Whether this scheduler schedules the pod (its schedulerName has a profile). */
  responsibleFor(pod: Pod): boolean {
    return this.profiles.has(pod.spec?.schedulerName || defaultSchedulerName);
  }

  /** Runs the loop until `signal` aborts; then waits for bindings in flight. */
  async run(signal: AbortSignal): Promise<void> {
    this.queue.run();
    const cleanup = setInterval(() => this.cleanupAssumedPods(), 1000);
    const yieldEveryMs = this.options.yieldEveryMs ?? 5;
    let lastYield = performance.now();
    try {
      for (;;) {
        if (this.inFlight >= this.maxInFlight) await new Promise<void>((r) => this.slotWaiters.push(r));
        const q = await this.queue.pop(signal);
        if (!q) break;
        try {
          await this.scheduleOne(q);
        } catch (err) {
          // A bug or an unexpected state must not stop the loop: the pod is retried with backoff.
          this.log.error('scheduling cycle threw', { pod: q.key, error: err });
          q.unschedulablePlugins = new Set();
          this.queue.addUnschedulableIfNotPresent(q, this.queue.schedulingCycle);
        }
        if (performance.now() - lastYield >= yieldEveryMs) {
          await new Promise((r) => setImmediate(r));
          lastYield = performance.now();
        }
      }
    } finally {
      clearInterval(cleanup);
      this.queue.close();
      await this.waitForBindings();
    }
  }

  /** Resolves once no binding is in flight. */
  waitForBindings(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** One scheduling cycle (scheduleOne). */
  async scheduleOne(q: QueuedPod): Promise<void> {
    const podCycle = this.queue.schedulingCycle;
    const pod = q.pod;
    const fwk = this.profiles.get(pod.spec?.schedulerName || defaultSchedulerName);
    // Skipped: a deleting pod, and one the cache already has (assumed, or bound meanwhile).
    if (!fwk || pod.metadata?.deletionTimestamp || this.cache.getPod(pod)) return;
    const start = performance.now();
    this.cache.updateSnapshot(this.snapshot);
    const state = new CycleStateImpl();
    let host: string;
    try {
      host = schedulePod(fwk, state, pod, this.snapshot, this.cursor, undefined).suggestedHost;
    } catch (err) {
      if (err instanceof FitError) {
        let nominatedNodeName: string | undefined;
        if (fwk.postFilterPlugins.length > 0) {
          const out = await fwk.runPostFilterPlugins(state, pod, err.diagnosis.nodeStatuses);
          if (out.status.code === 'Error') this.log.warn('postFilter failed', { pod: podName(pod), error: out.status.reasons.join(', ') });
          else if (out.status.reasons.length) err.diagnosis.postFilterMsg = out.status.reasons.join(', ');
          nominatedNodeName = out.nominatedNodeName;
        }
        q.unschedulablePlugins = new Set(err.diagnosis.unschedulablePlugins);
        this.observe('unschedulable', fwk, start);
        this.handleFailure(q, podCycle, 'Unschedulable', err.describe(), nominatedNodeName);
      } else {
        q.unschedulablePlugins = new Set();
        this.observe('error', fwk, start);
        const message = err instanceof SchedulingError ? err.message : err instanceof Error ? err.message : String(err);
        if (!(err instanceof SchedulingError)) this.log.error('scheduling cycle failed', { pod: podName(pod), error: err });
        this.handleFailure(q, podCycle, 'SchedulerError', message);
      }
      return;
    }
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName: host } };
    this.cache.assumePod(assumed, host);
    const reserve = fwk.runReservePlugins(state, assumed, host);
    if (reserve.code !== 'Success') {
      fwk.runUnreservePlugins(state, assumed, host);
      this.cache.forgetPod(assumed);
      q.unschedulablePlugins = reserve.code === 'Error' ? new Set() : new Set(reserve.plugin ? [reserve.plugin] : []);
      this.observe(reserve.code === 'Error' ? 'error' : 'unschedulable', fwk, start);
      this.handleFailure(q, podCycle, reserve.code === 'Error' ? 'SchedulerError' : 'Unschedulable', reserve.reasons.join(', '));
      return;
    }
    this.queue.nominator.delete(pod);
    this.observe('scheduled', fwk, start);
    this.inFlight++;
    this.metrics.bindingsInFlight.set(this.inFlight);
    void this.bindingCycle(fwk, state, q, podCycle, assumed, host);
  }

  private async bindingCycle(fwk: Framework, state: CycleStateImpl, q: QueuedPod, podCycle: number, assumed: Pod, host: string): Promise<void> {
    try {
      const bindStart = performance.now();
      const status = await fwk.runBindPlugins(state, assumed, host);
      this.metrics.bindingDuration.observe((performance.now() - bindStart) / 1000);
      this.cache.finishBinding(assumed);
      if (status.code === 'Success') {
        if (q.initialAttemptTimestamp !== undefined) this.metrics.podSchedulingDuration.observe((this.clock.now() - q.initialAttemptTimestamp) / 1000);
        this.options.recorder?.event(assumed, 'Normal', 'Scheduled', `Successfully assigned ${podName(assumed)} to ${host}`);
        return;
      }
      this.cache.forgetPod(assumed);
      fwk.runUnreservePlugins(state, assumed, host);
      q.unschedulablePlugins = new Set();
      this.log.warn('binding failed', { pod: podName(assumed), node: host, error: status.reasons.join(', ') });
      this.handleFailure(q, podCycle, 'SchedulerError', `binding rejected: ${status.reasons.join(', ')}`);
    } catch (err) {
      this.log.error('binding cycle failed', { pod: podName(assumed), error: err });
    } finally {
      this.inFlight--;
      this.metrics.bindingsInFlight.set(this.inFlight);
      this.slotWaiters.shift()?.();
      if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /**
   * A failed attempt: the pod goes back to the queue (unless it was deleted or bound meanwhile),
   * gets a FailedScheduling event and its PodScheduled condition (and nominatedNodeName).
   */
  private handleFailure(q: QueuedPod, podCycle: number, reason: string, message: string, nominatedNodeName?: string): void {
    const latest = this.options.currentPod ? this.options.currentPod(q.pod) : q.pod;
    if (!latest || latest.spec?.nodeName) return;
    q.pod = this.priorities.resolve(latest);
    this.queue.addUnschedulableIfNotPresent(q, podCycle);
    if (nominatedNodeName !== undefined) this.queue.nominator.add(q.pod, nominatedNodeName);
    this.options.recorder?.event(latest, 'Warning', 'FailedScheduling', message);
    this.options.api.updatePodSchedulingStatus(latest, { reason, message, nominatedNodeName }).catch((err: unknown) => {
      this.log.warn('could not update the pod status', { pod: podName(latest), error: err });
    });
  }

  private observe(result: 'scheduled' | 'unschedulable' | 'error', fwk: Framework, start: number): void {
    const labels = { result, profile: fwk.schedulerName };
    this.metrics.attempts.inc(labels);
    this.metrics.attemptDuration.observe((performance.now() - start) / 1000, labels);
  }

  /** Assumed pods whose binding was never confirmed are dropped; still-unassigned ones are queued again. */
  private cleanupAssumedPods(): void {
    for (const pod of this.cache.cleanupAssumedPods()) {
      const latest = this.options.currentPod?.(pod);
      if (latest && !latest.spec?.nodeName && this.responsibleFor(latest)) this.queue.add(this.priorities.resolve(latest));
    }
  }
}
