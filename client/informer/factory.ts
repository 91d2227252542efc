/**
 * One informer per resource and scope per factory (so per process, when a process has one
 * factory): every consumer of pods in namespace "a" with selector "app=web" shares one list,
 * one watch and one cache. Informers created after start() start at once.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { GroupVersionResource } from '../resource';
import type { RestClient } from '../restClient';
import { restListerWatcher, type InformerScope } from './listerWatcher';
import { SharedIndexInformer, type SharedInformerOptions } from './sharedInformer';

export interface SharedInformerFactoryOptions {
  /** Default resync period of handlers (0: none). Default 0. */
  readonly resyncPeriodMs?: number;
  /** Namespace of informers whose scope names none. Default: all namespaces. */
  readonly namespace?: string;
  /** Reflector tuning, log, error handler and clock for every informer. */
  readonly informerOptions?: Omit<SharedInformerOptions<KubeObject>, 'resyncPeriodMs' | 'indexers' | 'name'>;
}

/** The identity of a shared informer: resource and scope. */
export function informerKey(gvr: GroupVersionResource, scope: InformerScope): string {
  return JSON.stringify([gvr.group, gvr.version, gvr.resource, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? '']);
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private started = false;
  private stopped = false;

  constructor(
    readonly client: RestClient,
    private readonly options: SharedInformerFactoryOptions = {},
  ) {}

  /**
   * The shared informer of `gvr` in `scope` (created on first use). The caller vouches for `T`,
   * the type of the resource's objects.
   */
  informerFor<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, scope: InformerScope = {}): SharedIndexInformer<T> {
    const full: InformerScope = { ...scope, ...(scope.namespace === undefined && this.options.namespace ? { namespace: this.options.namespace } : {}) };
    const key = informerKey(gvr, full);
    let informer = this.informers.get(key);
    if (!informer) {
      const name = `${gvr.group || 'core'}/${gvr.version}/${gvr.resource}${full.namespace ? ` in ${full.namespace}` : ''}`;
      informer = new SharedIndexInformer<KubeObject>(restListerWatcher(this.client, gvr, full), {
        ...this.options.informerOptions,
        resyncPeriodMs: this.options.resyncPeriodMs ?? 0,
        name,
      });
      this.informers.set(key, informer);
      if (this.started && !this.stopped) informer.start();
      if (this.stopped) void informer.stop();
    }
    // Sound as long as callers agree on the type of a resource's objects.
    return informer as unknown as SharedIndexInformer<T>;
  }

  /** Starts every informer, and any made later. */
  start(): void {
    if (this.stopped) return;
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  /** Resolves true once every informer made so far has synced; false if stopped or aborted first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Stops every informer; resolves once all have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  /** Informers made so far. */
  get size(): number {
    return this.informers.size;
  }
}
