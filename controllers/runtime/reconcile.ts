/**
 * What a controller does for one object: the Reconciler contract, as controller-runtime's
 * pkg/reconcile.
 *
 * A reconcile is level-triggered: it is given only the object's namespace and name, reads the
 * current state (usually from an informer's cache), and drives the world toward it. It must be
 * idempotent: it may run any number of times for the same state, and it is not told which event
 * (if any) caused it.
 *
 * Outcomes:
 *   - returns nothing (or `{}`): done; the key's error backoff is forgotten;
 *   - returns `{ requeueAfterMs }`: done for now, come back after that long (not an error);
 *   - throws a TerminalError: logged and counted, NOT retried (a new event re-triggers it);
 *   - throws anything else: retried, rate-limited (per key 5 ms doubling up to 1000 s, and at most
 *     10 qps / burst 100 over all keys); a later success forgets the backoff.
 * One key is never reconciled by two workers at once.
 */
import type { Logger } from '../../client/log';
import { keyOf, splitKey } from '../../client/informer/keys';

/** The object to reconcile: its namespace (absent or '' for cluster-scoped kinds) and name. */
export interface Request {
  readonly namespace?: string;
  readonly name: string;
}

export interface Result {
  /** Reconcile this request again after this many milliseconds (> 0); not an error. */
  readonly requeueAfterMs?: number;
}

export interface ReconcileContext {
  /** A logger carrying controller, namespace, name and reconcileID. */
  readonly log: Logger;
  /** Aborts when the controller stops (shutdown, or leadership lost): stop early if you can. */
  readonly signal: AbortSignal;
}

export interface Reconciler {
  reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void>;
}

/** A reconcile function as a Reconciler. */
export function reconcilerFunc(fn: (request: Request, ctx: ReconcileContext) => Promise<Result | void>): Reconciler {
  return { reconcile: fn };
}

/**
 * An error retrying cannot fix (a spec that can never be satisfied, say): logged and counted in
 * controller_runtime_terminal_reconcile_errors_total, never requeued. Also recognised when it is
 * the `cause` of the error thrown.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** Whether `err`, or an error in its `cause` chain, is a TerminalError. */
export function isTerminalError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}

/** The workqueue key of a request: "namespace/name", or "name" for cluster-scoped objects. */
export function requestKey(request: Request): string {
  return keyOf(request.namespace, request.name);
}

/** The request of a workqueue key (namespace omitted for cluster-scoped keys). */
export function requestOf(key: string): Request {
  const { namespace, name } = splitKey(key);
  return namespace ? { namespace, name } : { name };
}
