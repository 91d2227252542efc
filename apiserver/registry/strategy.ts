/**
 * What is special about a kind at the REST level, beyond its schema, defaults and validation
 * (those live with the kind in api/). Most kinds need none of this; a kind overrides only the
 * hooks that differ, as Kubernetes' per-kind RESTCreateStrategy / RESTUpdateStrategy do.
 */
import type { KubeObject, Stored } from '../../api/kinds/kind';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: PropagationPolicy;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun: boolean;
}

export interface Strategy<T extends KubeObject = KubeObject> {
  /** Prepares a new object before defaulting: e.g. a pod's status starts as phase Pending. */
  prepareForCreate?(obj: T): void;
  /** Prepares an update of the main resource before defaulting (status is already kept). */
  prepareForUpdate?(obj: T, old: Stored<T>): void;
  /** Prepares a status update (spec and metadata are already kept from the old object). */
  prepareForStatusUpdate?(obj: T, old: Stored<T>): void;
  /**
   * Seconds the object should linger after a delete request before it is removed (pods bound to
   * a node wait for their kubelet), or 0 to delete at once (subject to finalizers).
   */
  gracePeriodSeconds?(obj: Stored<T>, options: DeleteOptions): number;
  /** Called instead of a plain deletion mark, to record deletion in the object (namespaces: phase Terminating). */
  prepareForDelete?(obj: Stored<T>): void;
  /** Refuses deletion outright, e.g. of the default namespace (throws a Status error). */
  checkDelete?(obj: Stored<T>): void;
  /**
   * Finalization the kind tracks outside metadata.finalizers (a namespace's spec.finalizers):
   * while true, a deleted object stays.
   */
  pendingFinalization?(obj: T): boolean;
  /** The propagation policy when the client names none. Default Background. */
  readonly defaultPropagationPolicy?: PropagationPolicy;
  /** A new object's status is cleared (true for most kinds with a status subresource). */
  readonly resetStatusOnCreate?: boolean;
  /** PUT of a missing object creates it (endpoints, events, leases). */
  readonly allowCreateOnUpdate?: boolean;
  /** DELETE answers with the deleted object rather than a Success Status. */
  readonly returnDeletedObject?: boolean;
}
