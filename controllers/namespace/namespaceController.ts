/**
 * The namespace controller, after Kubernetes' pkg/controller/namespace: a namespace being deleted
 * (deletionTimestamp set, phase Terminating, `kubernetes` in spec.finalizers) is emptied — every
 * namespaced resource discovery lists (custom resources included) is deleted with a
 * deletecollection, or object by object when the resource has no deletecollection — and once
 * nothing remains, `kubernetes` is removed from spec.finalizers through PUT .../finalize, after
 * which the API server removes the namespace.
 *
 * Each pass records what it found in the namespace's status conditions (conditions.ts). Content
 * that takes time to go (finalizers, graceful pod deletion) makes the pass come back later
 * (requeueAfterMs); errors (discovery incomplete, a deletion that failed, objects that should have
 * gone) are thrown, so the request is retried with backoff. Every pass reads the namespace live.
 */
import type { Namespace } from '../../api/kinds/core/namespace';
import { namespaceFinalizer } from '../../api/kinds/core/namespace';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { Counter, MetricsRegistry } from '../../client/metrics';
import { resourcePath, type GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import { discoverResources, type DiscoveredResource } from '../garbagecollector/discovery';
import type { ReconcileContext, Reconciler, Request, Result } from '../runtime/reconcile';
import { retryOnConflict } from '../runtime/retry';
import { assessRemaining, failingConditions, updateConditions, type NamespaceCondition } from './conditions';

export const namespacesGvr: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };

export interface NamespaceControllerOptions {
  readonly client: RestClient;
  readonly metrics?: MetricsRegistry;
  /** The finalizer this controller owns. Default `kubernetes`. */
  readonly finalizerToken?: string;
  /**
   * Longest wait before looking again at content that is still going away. Kubernetes waits half
   * its estimate (finalizers: 15 s); Marina caps that. Default 5 s.
   */
  readonly maxRequeueMs?: number;
  /** Clock for condition timestamps and grace estimates (tests). */
  readonly now?: () => number;
}

/** Content remains that is on its way out: come back after `estimateSeconds`. */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimateSeconds: number) {
    super(`some content remains in the namespace, estimate ${estimateSeconds} seconds before it is removed`);
    this.name = 'ResourcesRemainingError';
  }
}

interface PassResult {
  readonly estimateSeconds: number;
}

export class NamespaceReconciler implements Reconciler {
  private readonly client: RestClient;
  private readonly token: string;
  private readonly now: () => number;
  /** Resources whose deletecollection is not supported (learnt from 405/404 answers). */
  private readonly noDeleteCollection = new Set<string>();
  private readonly counters: { finalized: Counter } | undefined;

  constructor(private readonly options: NamespaceControllerOptions) {
    this.client = options.client;
    this.token = options.finalizerToken ?? namespaceFinalizer;
    this.now = options.now ?? Date.now;
    this.counters = options.metrics && {
      finalized: options.metrics.counter('namespace_controller_finalized_total', 'Namespaces the namespace controller emptied and finalized.'),
    };
  }

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    const ns = await this.getNamespace(request.name);
    if (!ns?.metadata?.deletionTimestamp) return;
    const terminating = await this.ensureTerminating(ns);
    if (!terminating) return;
    if (!(terminating.spec?.finalizers ?? []).includes(this.token)) return;

    const { estimateSeconds } = await this.deleteAllContent(terminating, ctx);
    if (estimateSeconds > 0) {
      const wait = Math.min(Math.max(1000, (estimateSeconds * 1000) / 2), this.options.maxRequeueMs ?? 5000);
      ctx.log.debug('namespace content remains, looking again later', { estimateSeconds, requeueAfterMs: wait });
      return { requeueAfterMs: wait };
    }
    await this.finalize(request.name, ctx);
  }

  private async getNamespace(name: string): Promise<Namespace | undefined> {
    try {
      return await this.client.get<Namespace>(resourcePath(namespacesGvr, undefined, name));
    } catch (err) {
      if (isStatusError(err, 404)) return undefined;
      throw err;
    }
  }

  /** Makes sure the namespace says Terminating; the namespace as read last (undefined if gone). */
  private async ensureTerminating(ns: Namespace): Promise<Namespace | undefined> {
    if (ns.status?.phase === 'Terminating') return ns;
    let first: Namespace | undefined = ns;
    try {
      return await retryOnConflict(async () => {
        const latest = first ?? (await this.getNamespace(ns.metadata!.name!));
        first = undefined;
        if (!latest?.metadata?.deletionTimestamp) return undefined;
        if (latest.metadata.uid !== ns.metadata?.uid) throw new Error('namespace uid has changed across retries');
        if (latest.status?.phase === 'Terminating') return latest;
        const next = structuredClone(latest);
        next.status = { ...next.status, phase: 'Terminating' };
        return await this.client.update<Namespace>(resourcePath(namespacesGvr, undefined, latest.metadata.name!, 'status'), next);
      });
    } catch (err) {
      if (isStatusError(err, 404)) return undefined;
      throw err;
    }
  }

  /** Removes our token from spec.finalizers through /finalize; the API server then deletes the namespace. */
  private async finalize(name: string, ctx: ReconcileContext): Promise<void> {
    try {
      await retryOnConflict(async () => {
        const latest = await this.getNamespace(name);
        if (!latest?.metadata?.deletionTimestamp) return;
        const finalizers = latest.spec?.finalizers ?? [];
        if (!finalizers.includes(this.token)) return;
        const body = { ...latest, spec: { ...latest.spec, finalizers: [...new Set(finalizers.filter((f) => f !== this.token))].sort() } };
        await this.client.update(resourcePath(namespacesGvr, undefined, name, 'finalize'), body);
        this.counters?.finalized.inc();
        ctx.log.info('namespace emptied and finalized', { namespace: name });
      });
    } catch (err) {
      if (isStatusError(err, 404)) return;
      throw err;
    }
  }

  /**
   * One pass over every namespaced resource: delete what is there, then see what remains. Records
   * the findings as conditions; throws when something failed, returns an estimate when content
   * is still going away.
   */
  private async deleteAllContent(ns: Namespace, ctx: ReconcileContext): Promise<PassResult> {
    const name = ns.metadata!.name!;
    const errors: string[] = [];
    let discoveryError: string | undefined;
    let failures: ReadonlyMap<string, string> = new Map();
    let resources: DiscoveredResource[] = [];
    try {
      const d = await discoverResources(this.client, ctx.signal);
      failures = d.failedGroups;
      resources = d.preferred.filter((r) => r.namespaced && r.verbs.includes('delete'));
    } catch (err) {
      discoveryError = (err as Error).message ?? String(err);
    }

    let estimate = 0;
    const remainingByResource = new Map<string, number>();
    const remainingByFinalizer = new Map<string, number>();
    const results = await Promise.allSettled(resources.map((r) => this.deleteAllContentOf(r, name)));
    results.forEach((result, i) => {
      const r = resources[i]!;
      const gr = `${r.gvr.resource}.${r.gvr.group}`;
      if (result.status === 'rejected') {
        errors.push(`${gr}: ${(result.reason as Error)?.message ?? String(result.reason)}`);
        return;
      }
      const a = result.value;
      if (a.remaining > 0) remainingByResource.set(gr, a.remaining);
      for (const [f, n] of a.byFinalizer) remainingByFinalizer.set(f, (remainingByFinalizer.get(f) ?? 0) + n);
      estimate = Math.max(estimate, a.estimateSeconds);
      if (a.unexpected > 0) errors.push(`unexpected items still remain in namespace: ${name} for gvr: ${r.gvr.group}/${r.gvr.version}, Resource=${r.gvr.resource}`);
    });

    const nowIso = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const failing = failingConditions(
      {
        discoveryFailures: failures,
        ...(discoveryError !== undefined ? { discoveryError } : {}),
        contentErrors: errors,
        remainingByResource,
        remainingByFinalizer,
      },
      nowIso,
    );
    await this.writeConditions(name, failing, nowIso);

    if (discoveryError !== undefined) throw new Error(`discovery failed: ${discoveryError}`);
    if (failures.size > 0) throw new Error(`discovery failed for some groups: ${[...failures.keys()].join(', ')}`);
    if (errors.length > 0) throw new Error(errors.join('; '));
    return { estimateSeconds: estimate };
  }

  private async writeConditions(name: string, failing: readonly NamespaceCondition[], nowIso: string): Promise<void> {
    try {
      await retryOnConflict(async () => {
        const latest = await this.getNamespace(name);
        if (!latest) return;
        const { conditions, changed } = updateConditions(latest.status?.conditions as NamespaceCondition[] | undefined, failing, nowIso);
        if (!changed) return;
        const next = structuredClone(latest);
        next.status = { ...next.status, conditions };
        await this.client.update(resourcePath(namespacesGvr, undefined, name, 'status'), next);
      });
    } catch (err) {
      if (!isStatusError(err, 404)) throw err;
    }
  }

  /** Deletes every object of one resource in the namespace, then lists what remains. */
  private async deleteAllContentOf(r: DiscoveredResource, namespace: string) {
    const key = `${r.gvr.resource}.${r.gvr.group}/${r.gvr.version}`;
    const path = resourcePath(r.gvr, namespace);
    const options = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
    let collected = false;
    if (r.verbs.includes('deletecollection') && !this.noDeleteCollection.has(key)) {
      try {
        await this.client.call('DELETE', path, { body: options });
        collected = true;
      } catch (err) {
        if (!isStatusError(err, 405) && !isStatusError(err, 404)) throw err;
        this.noDeleteCollection.add(key);
      }
    }
    if (!r.verbs.includes('list')) return { remaining: 0, byFinalizer: new Map<string, number>(), estimateSeconds: 0, unexpected: 0 };
    if (!collected) {
      const { items } = await this.client.listAll<KubeObject>(path);
      await Promise.all(
        items
          .filter((item) => !item.metadata?.deletionTimestamp)
          .map(async (item) => {
            try {
              await this.client.delete(resourcePath(r.gvr, namespace, item.metadata!.name!), { ...options, preconditions: { uid: item.metadata?.uid } });
            } catch (err) {
              if (!isStatusError(err, 404) && !isStatusError(err, 409)) throw err;
            }
          }),
      );
    }
    const { items } = await this.client.listAll<KubeObject>(path);
    return assessRemaining(items, this.now());
  }
}
