/**
 * A scheduler process's parts around the Scheduler: informers, events, /healthz + /readyz +
 * /metrics, and leader election on a Lease (kube-system/kube-scheduler by default), so replicas
 * can stand by. Informers run on every replica (a standby's cache is warm); only the leader runs
 * the scheduling loop. Losing the lease ends the loop and calls onLeadershipLost (the CLI then
 * exits, as kube-scheduler does).
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../api/kinds/kind';
import { hostname } from 'node:os';
import { EventBroadcaster } from '../client/events';
import { restEventSink } from '../client/eventSink';
import { startHealthServer, type Check, type HealthServer } from '../client/healthServer';
import { SharedInformerFactory } from '../client/informer/factory';
import { LeaderElector, restLeaseLock } from '../client/leaderElection';
import { silentLogger, type Logger } from '../client/log';
import { MetricsRegistry } from '../client/metrics';
import type { RestClient } from '../client/restClient';
import { restSchedulerApi } from './api';
import type { SchedulerConfiguration } from './config/types';
import { addAllEventHandlers, schedulerInformers } from './eventHandlers';
import { Scheduler } from './scheduler';

export interface LeaderElectionSettings {
  readonly namespace?: string;
  readonly leaseName?: string;
  readonly identity?: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

export interface SchedulerServerOptions {
  readonly client: RestClient;
  /** Where Scheduled and FailedScheduling events are written (a rate limit of their own). Default: `client`. */
  readonly eventClient?: RestClient;
  readonly config?: SchedulerConfiguration;
  readonly log?: Logger;
  /** Serve /healthz, /readyz, /metrics on 127.0.0.1 at this port (0: any free one); undefined: no server. */
  readonly healthPort?: number;
  /** Default: no leader election (run at once). */
  readonly leaderElection?: false | LeaderElectionSettings;
  readonly maxInFlightBindings?: number;
  /** Called when leadership is lost without stop() (the process should exit). */
  readonly onLeadershipLost?: () => void;
  /** Informer cache sync deadline. Default 120 s. */
  readonly cacheSyncTimeoutMs?: number;
}

export interface SchedulerServer {
  readonly scheduler: Scheduler;
  readonly metrics: MetricsRegistry;
  /** e.g. http://127.0.0.1:10259 when a health port was given. */
  readonly healthAddress: string | undefined;
  isLeader(): boolean;
  stop(): Promise<void>;
}

/**
 * The scheduler never reads managedFields; dropping them from cached pods and nodes saves a good
 * part of its memory with tens of thousands of pods (kube-scheduler trims them too).
 */
export function withoutManagedFields<T extends KubeObject>(obj: T): T {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** Builds and starts a scheduler; throws (before starting anything) on an invalid configuration. */
export async function startSchedulerServer(options: SchedulerServerOptions): Promise<SchedulerServer> {
  const log = options.log ?? silentLogger;
  const metrics = new MetricsRegistry();
  const events = new EventBroadcaster({ sink: restEventSink(options.eventClient ?? options.client), log: log.with({ component: 'events' }) });
  const factory = new SharedInformerFactory(options.client, { informerOptions: { log, transform: withoutManagedFields } });
  const informers = schedulerInformers(factory);
  const scheduler = new Scheduler({
    api: restSchedulerApi(options.client),
    config: options.config,
    recorder: events.newRecorder('default-scheduler'),
    metrics,
    log,
    maxInFlightBindings: options.maxInFlightBindings,
    currentPod: (pod) => informers.podLister.get(pod.metadata?.namespace, pod.metadata?.name ?? ''),
    namespaceLabels: (ns) => informers.namespaceLister.get(undefined, ns)?.metadata?.labels,
    podDisruptionBudgets: () => informers.pdbLister.list(),
  });
  addAllEventHandlers(scheduler, informers);

  const stop = new AbortController();
  let synced = false;
  let leading = false;
  let health: HealthServer | undefined;
  const healthChecks = new Map<string, Check>([['ping', () => undefined]]);
  const readyChecks = new Map<string, Check>([['informer-sync', () => (synced ? undefined : 'informer caches not synced')]]);
  if (options.healthPort !== undefined) {
    health = await startHealthServer({ port: options.healthPort, metrics, healthChecks, readyChecks });
    log.info('serving probes and metrics', { address: health.address });
  }

  factory.start();
  const timeout = AbortSignal.timeout(options.cacheSyncTimeoutMs ?? 120_000);
  if (!(await factory.waitForSync(AbortSignal.any([stop.signal, timeout])))) {
    await factory.stop();
    await health?.close();
    throw new Error('informer caches did not sync');
  }
  synced = true;

  let loop: Promise<void> | undefined;
  const runLoop = (signal: AbortSignal) => {
    leading = true;
    log.info('scheduling', { profiles: [...scheduler.profiles.keys()] });
    loop = scheduler.run(signal).catch((err: unknown) => log.error('scheduling loop failed', { error: err }));
  };
  let elector: LeaderElector | undefined;
  const le = options.leaderElection;
  if (le) {
    elector = new LeaderElector({
      lock: restLeaseLock(options.client, le.namespace ?? 'kube-system', le.leaseName ?? 'kube-scheduler'),
      identity: le.identity ?? `${hostname()}_${randomUUID()}`,
      leaseDurationMs: le.leaseDurationMs,
      renewDeadlineMs: le.renewDeadlineMs,
      retryPeriodMs: le.retryPeriodMs,
      log,
      callbacks: {
        onStartedLeading: (signal) => runLoop(AbortSignal.any([signal, stop.signal])),
        onStoppedLeading: () => {
          leading = false;
          if (!stop.signal.aborted) {
            log.error('leader election lost');
            options.onLeadershipLost?.();
          }
        },
        onNewLeader: (identity) => log.info('new leader observed', { leader: identity }),
      },
    });
    elector.start();
  } else {
    runLoop(stop.signal);
  }

  let stopping: Promise<void> | undefined;
  return {
    scheduler,
    metrics,
    healthAddress: health?.address,
    isLeader: () => leading,
    stop: () =>
      (stopping ??= (async () => {
        stop.abort();
        await loop;
        await elector?.stop();
        await events.shutdown();
        await factory.stop();
        await health?.close();
        log.info('stopped');
      })()),
  };
}
