/**
 * A source of requests for a controller: one shared informer, an event handler mapping its
 * notifications to requests, and the predicates that filter them first.
 *
 * Invariants:
 *   - a started source hands every request it maps to `enqueue`, synchronously, in the order the
 *     informer notifies; tombstones (deletions seen only on a relist) are delivered as deletes of
 *     the object's last known state;
 *   - a predicate or map function that throws drops that one event (logged); delivery goes on;
 *   - after stop(), `enqueue` is never called again.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { SharedIndexInformer } from '../../client/informer/sharedInformer';
import { deletedObject, type DeletedFinalStateUnknown } from '../../client/informer/tombstone';
import type { Logger } from '../../client/log';
import type { EventHandler } from './handlers';
import { passesCreate, passesDelete, passesUpdate, type Predicate } from './predicates';
import type { Request } from './reconcile';

export interface SourceRegistration {
  /** True once the informer has synced and this source has been given every cached object. */
  hasSynced(): boolean;
  stop(): void;
}

export interface Source {
  /** For logs, e.g. `core/v1/secrets (owner)`. */
  readonly description: string;
  /** Starts the informer if needed and delivers requests to `enqueue` until stop(). */
  start(enqueue: (request: Request) => void, log: Logger): SourceRegistration;
  /** Resolves true once the informer has synced; false if aborted or stopped first. */
  waitForSync(signal: AbortSignal): Promise<boolean>;
}

export function informerSource(
  informer: SharedIndexInformer<KubeObject>,
  handler: EventHandler,
  predicates: readonly Predicate[],
  description: string,
): Source {
  return {
    description,
    start(enqueue, log) {
      let stopped = false;
      const deliver = (what: string, fn: () => readonly Request[]) => {
        if (stopped) return;
        let requests: readonly Request[];
        try {
          requests = fn();
        } catch (err) {
          log.error('event handler failed; event dropped', { source: description, event: what, error: err });
          return;
        }
        for (const r of requests) enqueue(r);
      };
      const registration = informer.addEventHandler({
        onAdd: (obj) => deliver('create', () => (predicates.every((p) => passesCreate(p, obj)) ? handler.create(obj) : [])),
        onUpdate: (oldObj, newObj) => deliver('update', () => (predicates.every((p) => passesUpdate(p, oldObj, newObj)) ? handler.update(oldObj, newObj) : [])),
        onDelete: (deleted: KubeObject | DeletedFinalStateUnknown<KubeObject>) =>
          deliver('delete', () => {
            const obj = deletedObject(deleted);
            return predicates.every((p) => passesDelete(p, obj)) ? handler.delete(obj) : [];
          }),
      });
      informer.start();
      return {
        hasSynced: () => registration.hasSynced(),
        stop: () => {
          stopped = true;
          registration.remove();
        },
      };
    },
    waitForSync: (signal) => informer.waitForSync(signal),
  };
}
