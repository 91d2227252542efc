/**
 * The controller runtime: what controller authors import, modelled on controller-runtime.
 *
 *   export function register(manager: Manager): void {
 *     const widgets = manager.informers.informerFor<Widget>(widgetsGvr); // the shared cache
 *     const recorder = manager.eventRecorder('widget-controller');
 *     newControllerManagedBy(manager)
 *       .for(widgetsGvr, { kind: { apiVersion: 'example.com/v1', kind: 'Widget' } })
 *       .owns(podsGvr)                                                  // pod events → owning Widget
 *       .withConcurrency(5)
 *       .complete(async (req, ctx) => {
 *         const widget = widgets.lister.get(req.namespace, req.name);   // cached objects are frozen:
 *         if (!widget) return;                                          //   cloneJson() before changing
 *         ...                                                           // throw: retried with backoff
 *         return { requeueAfterMs: 30_000 };                            // TerminalError: not retried
 *       });
 *   }
 *
 * The files: reconcile.ts (the Reconciler contract), controller.ts (the loop), builder.ts,
 * manager.ts, predicates.ts, handlers.ts and source.ts (events → requests), events.ts (event
 * recorder), objects.ts (owner references, finalizers, createOrUpdate, patchObject,
 * updateStatus, retryOnConflict). envtest.ts, which starts etcd and an API server for tests, is
 * imported on its own, so a controller process never loads it.
 */
export { newControllerManagedBy, type ControllerBuilder, type ControllerTuning, type ForOptions, type OwnsOptions, type WatchOptions } from './builder';
export { ReconcileController, type Controller, type ControllerOptions } from './controller';
export { EventBroadcaster, type EventBroadcasterOptions, type EventRecorder, type EventType } from './events';
export { restEventSink, type EventSink } from './eventSink';
export { enqueueForObject, enqueueForOwner, enqueueMapped, requestFor, type EventHandler } from './handlers';
export { cloneJson, equalJson } from './json';
export { builtinKindOf, type KindInfo } from './kinds';
export { Manager, type LeaderElectionOptions, type ManagerOptions } from './manager';
export * from './objects';
export { annotationsChanged, anyOf, generationChanged, labelsChanged, matching, not, resourceVersionChanged, type Predicate } from './predicates';
export { TerminalError, isTerminalError, reconcilerFunc, requestKey, requestOf, type ReconcileContext, type Reconciler, type Request, type Result } from './reconcile';
export type { Runnable } from './runnable';
export { informerSource, type Source, type SourceRegistration } from './source';
