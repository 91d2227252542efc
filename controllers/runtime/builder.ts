/**
 * The controller builder, as controller-runtime's pkg/builder:
 *
 *   newControllerManagedBy(manager)
 *     .for(configMaps)                        // reconcile ConfigMaps: their events map to themselves
 *     .owns(secrets)                          // Secrets they control: events map to the owner
 *     .watches(nodes, (node) => [...])        // anything else, mapped by a function
 *     .withConcurrency(4)
 *     .complete(reconciler);                  // builds the controller and adds it to the manager
 *
 * Every watch uses the manager's shared informer of its resource (all namespaces), so two
 * controllers watching pods share one list and one watch. Predicates given to one watch filter
 * that watch's events; withEventFilter's apply to every watch.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { GroupVersionResource } from '../../client/resource';
import type { RateLimiter } from '../../client/workqueue/rateLimiters';
import { ReconcileController, type Controller } from './controller';
import { enqueueForObject, enqueueForOwner, enqueueMapped, type EventHandler } from './handlers';
import { builtinKindOf, type KindInfo } from './kinds';
import type { Manager } from './manager';
import type { Predicate } from './predicates';
import { reconcilerFunc, type ReconcileContext, type Reconciler, type Request, type Result } from './reconcile';
import { informerSource } from './source';

export interface WatchOptions {
  /** Events pass only when every predicate lets them through. */
  readonly predicates?: readonly Predicate[];
}

export interface ForOptions extends WatchOptions {
  /**
   * The reconciled kind's apiVersion and kind, which owns() matches owner references against.
   * Default: looked up among the built-in kinds; custom resources must give it.
   */
  readonly kind?: KindInfo;
}

export interface OwnsOptions extends WatchOptions {
  /** Map only through the controller reference (default), or through any owner reference of the for-kind. */
  readonly onlyController?: boolean;
}

export interface ControllerTuning {
  /** A rate limiter for the workqueue (one per start). Default: per key 5 ms → 1000 s, overall 10 qps / burst 100. */
  readonly rateLimiter?: () => RateLimiter<string>;
  /** How long the controller waits for its informers to sync when it starts. Default 2 minutes. */
  readonly cacheSyncTimeoutMs?: number;
  /** Run only on the leader. Default true. */
  readonly needsLeaderElection?: boolean;
}

export interface ControllerBuilder {
  /** Names the controller (logs, metrics, workqueue). Default: the for-kind in lower case (else its resource). */
  named(name: string): ControllerBuilder;
  /** The reconciled kind: its own events map to its Request. */
  for(gvr: GroupVersionResource, options?: ForOptions): ControllerBuilder;
  /**
   * Owned kind: an event maps to the Request of the object's controller owner
   * (ownerReferences[controller=true] whose apiVersion/kind are the for-kind's), also for the old
   * owner on updates (so an owner whose reference was changed or removed hears of it).
   */
  owns(gvr: GroupVersionResource, options?: OwnsOptions): ControllerBuilder;
  /** Any kind, mapped by a function (for updates, of both the old and the new object). */
  watches(gvr: GroupVersionResource, map: (obj: KubeObject) => readonly Request[], options?: WatchOptions): ControllerBuilder;
  /** Predicates applied to every watch's events. */
  withEventFilter(...predicates: readonly Predicate[]): ControllerBuilder;
  /** Workers reconciling at once (never the same key twice). Default 1. */
  withConcurrency(workers: number): ControllerBuilder;
  withOptions(tuning: ControllerTuning): ControllerBuilder;
  /** Builds the controller and adds it to the manager. */
  complete(reconciler: Reconciler | ((request: Request, ctx: ReconcileContext) => Promise<Result | void>)): Controller;
}

interface WatchSpec {
  readonly gvr: GroupVersionResource;
  readonly handler: (forKind: KindInfo | undefined) => EventHandler;
  readonly predicates: readonly Predicate[];
  readonly role: string;
}

export function newControllerManagedBy(manager: Manager): ControllerBuilder {
  let name: string | undefined;
  let forGvr: GroupVersionResource | undefined;
  let forKind: KindInfo | undefined;
  let concurrency = 1;
  let tuning: ControllerTuning = {};
  const filters: Predicate[] = [];
  const watches: WatchSpec[] = [];

  const builder: ControllerBuilder = {
    named(n) {
      name = n;
      return builder;
    },
    for(gvr, options = {}) {
      if (forGvr) throw new Error('for() may be called only once per controller');
      forGvr = gvr;
      forKind = options.kind ?? builtinKindOf(gvr);
      watches.push({ gvr, handler: () => enqueueForObject(), predicates: options.predicates ?? [], role: 'for' });
      return builder;
    },
    owns(gvr, options = {}) {
      watches.push({
        gvr,
        handler: (kind) => {
          if (!kind) throw new Error(`owns(${resourceName(gvr)}): the for-kind is unknown; call for() first, with { kind } for a custom resource`);
          return enqueueForOwner(kind, options.onlyController === undefined ? {} : { onlyController: options.onlyController });
        },
        predicates: options.predicates ?? [],
        role: 'owns',
      });
      return builder;
    },
    watches(gvr, map, options = {}) {
      watches.push({ gvr, handler: () => enqueueMapped(map), predicates: options.predicates ?? [], role: 'watches' });
      return builder;
    },
    withEventFilter(...predicates) {
      filters.push(...predicates);
      return builder;
    },
    withConcurrency(workers) {
      if (!Number.isInteger(workers) || workers < 1) throw new Error(`withConcurrency: workers must be a positive integer, not ${workers}`);
      concurrency = workers;
      return builder;
    },
    withOptions(t) {
      tuning = { ...tuning, ...t };
      return builder;
    },
    complete(reconciler) {
      const controllerName = name ?? forKind?.kind.toLowerCase() ?? forGvr?.resource;
      if (!controllerName) throw new Error('complete(): name the controller with named() or give it a for() kind');
      if (watches.length === 0) throw new Error(`controller ${controllerName}: nothing to watch; call for(), owns() or watches()`);
      const sources = watches.map((w) =>
        informerSource(manager.informers.informerFor(w.gvr), w.handler(forKind), [...filters, ...w.predicates], `${resourceName(w.gvr)} (${w.role})`),
      );
      const controller = new ReconcileController({
        name: controllerName,
        reconciler: typeof reconciler === 'function' ? reconcilerFunc(reconciler) : reconciler,
        sources,
        concurrency,
        log: manager.log,
        metrics: manager.metrics,
        ...(tuning.rateLimiter ? { rateLimiter: tuning.rateLimiter } : {}),
        ...(tuning.cacheSyncTimeoutMs !== undefined ? { cacheSyncTimeoutMs: tuning.cacheSyncTimeoutMs } : {}),
        ...(tuning.needsLeaderElection !== undefined ? { needsLeaderElection: tuning.needsLeaderElection } : {}),
      });
      manager.add(controller);
      return controller;
    },
  };
  return builder;
}

function resourceName(gvr: GroupVersionResource): string {
  return `${gvr.group || 'core'}/${gvr.version}/${gvr.resource}`;
}
