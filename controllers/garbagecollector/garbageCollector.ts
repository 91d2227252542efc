/**
 * The garbage collector, after Kubernetes' pkg/controller/garbagecollector.
 *
 * Monitors: one informer per served resource that supports delete, list and watch (read from
 * discovery, in its preferred version; events are ignored, as in Kubernetes). Discovery is read
 * again periodically, soon after any CustomResourceDefinition changes, and when an owner reference
 * names an unknown kind, so custom resources are followed as they come and go. Built-in
 * resources share the manager's informers; custom resources get informers of their own, which
 * are stopped when their resource disappears.
 *
 * Every informer change feeds the dependency graph (graph.ts), which queues uids to two queues:
 *   - attemptToDelete: reads the object live; if every owner reference is dangling (the owner is
 *     gone: 404, or another uid, checked with a live GET), deletes it — Background unless it
 *     already carries the orphan or foregroundDeletion finalizer; if some owners remain and others
 *     are gone (or waiting for foreground deletion), removes those references; if it is an owner
 *     deleting in the foreground, removes the foregroundDeletion finalizer once no dependent with
 *     blockOwnerDeletion=true remains, and otherwise pushes those dependents to deletion;
 *   - attemptToOrphan: an owner being deleted with the `orphan` finalizer: removes the owner
 *     reference from each dependent (merge patch with resourceVersion), then the finalizer.
 * Writes carry resourceVersion (or uid preconditions); conflicts are retried on a fresh read, and
 * failures requeue with per-uid exponential backoff. Workers start only once every monitor has
 * synced (the graph must know an owner's dependents before orphaning it), and pause while new
 * monitors sync.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { OwnerReference } from '../../api/kinds/meta';
import { isStatusError } from '../../api/status';
import { sleep } from '../../client/clock';
import type { SharedInformerFactory } from '../../client/informer/factory';
import type { HandlerRegistration } from '../../client/informer/handlers';
import { restListerWatcher } from '../../client/informer/listerWatcher';
import { SharedIndexInformer } from '../../client/informer/sharedInformer';
import { deletedObject } from '../../client/informer/tombstone';
import { silentLogger, type Logger } from '../../client/log';
import type { MetricsRegistry, Counter } from '../../client/metrics';
import { resourcePath, type GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue';
import type { EventRecorder } from '../runtime/events';
import { builtinKindOf } from '../runtime/kinds';
import { isConflict, retryOnConflict } from '../runtime/retry';
import type { Runnable } from '../runtime/runnable';
import { apiVersionOfGvr, discoverResources, gvrKey, RestMapper, withVerbs, type DiscoveredResource } from './discovery';
import {
  DependencyGraph,
  foregroundDeletionFinalizer,
  hasFinalizer,
  identityKey,
  orphanFinalizer,
  type GraphNode,
  type GraphSink,
  type ObjectIdentity,
} from './graph';

export interface GarbageCollectorOptions {
  readonly client: RestClient;
  /** Built-in resources are watched through these shared informers. */
  readonly informers: SharedInformerFactory;
  readonly log?: Logger;
  readonly metrics?: MetricsRegistry;
  /** Where OwnerRefInvalidNamespace warnings go. */
  readonly recorder?: EventRecorder;
  /** attemptToDelete workers. Default 10. */
  readonly workers?: number;
  /** attemptToOrphan workers. Default 2. */
  readonly orphanWorkers?: number;
  /** How often discovery is read again. Default 30 s. */
  readonly discoveryPeriodMs?: number;
  /** Resources never watched (group/resource). Default: core and events.k8s.io events. */
  readonly ignoredResources?: readonly { readonly group: string; readonly resource: string }[];
  /** How long to wait for new monitors to sync before going on without them. Default 60 s. */
  readonly newMonitorSyncTimeoutMs?: number;
}

export const defaultIgnoredResources: readonly { group: string; resource: string }[] = [
  { group: '', resource: 'events' },
  { group: 'events.k8s.io', resource: 'events' },
];

const crdGvr: GroupVersionResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

/** An owner reference names a kind that discovery does not know (yet): retried. */
export class RestMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to map ${apiVersion}, Kind=${kind} to a resource`);
    this.name = 'RestMappingError';
  }
}

/** A cluster-scoped object refers to a namespaced owner: invalid, and retrying will not fix it. */
export class NamespacedOwnerOfClusterScopedError extends Error {
  constructor() {
    super('cluster-scoped objects cannot refer to namespaced owners');
    this.name = 'NamespacedOwnerOfClusterScopedError';
  }
}

/** What attemptToDeleteItem did, when it did not throw. */
type Outcome = 'done' | 'virtualDeleted';

interface Monitor {
  readonly resource: DiscoveredResource;
  readonly informer: SharedIndexInformer<KubeObject>;
  readonly registration: HandlerRegistration;
  /** An informer of our own (custom resources), stopped with the monitor. */
  readonly owned: boolean;
}

/** A bounded set of keys, oldest dropped first (the absent-owner cache). */
class BoundedSet {
  private readonly keys = new Map<string, true>();
  constructor(private readonly max: number) {}
  add(key: string): void {
    this.keys.delete(key);
    this.keys.set(key, true);
    if (this.keys.size > this.max) this.keys.delete(this.keys.keys().next().value as string);
  }
  has(key: string): boolean {
    return this.keys.has(key);
  }
}

interface Metrics {
  deleted: Counter;
  orphaned: Counter;
  errors: Counter;
}

export class GarbageCollector implements Runnable {
  readonly name = 'garbagecollector';
  readonly needsLeaderElection = true;
  private readonly log: Logger;
  private readonly metrics: Metrics | undefined;
  /** The current run (one per start: a new leader term starts afresh). */
  private current: CollectorRun | undefined;

  constructor(private readonly options: GarbageCollectorOptions) {
    this.log = (options.log ?? silentLogger).with({ controller: 'garbagecollector' });
    // Made now, so that a manager starting later waits for it to sync.
    options.informers.informerFor(crdGvr);
    this.metrics = options.metrics && {
      deleted: options.metrics.counter('garbagecollector_deleted_objects_total', 'Objects the garbage collector deleted, by resource.'),
      orphaned: options.metrics.counter('garbagecollector_orphaned_dependents_total', 'Owner references the garbage collector removed to orphan dependents.'),
      errors: options.metrics.counter('garbagecollector_errors_total', 'Failed garbage collection attempts, by queue.'),
    };
  }

  async start(signal: AbortSignal): Promise<void> {
    const run = new CollectorRun(this.options, this.log, this.metrics);
    this.current = run;
    try {
      await run.run(signal);
    } finally {
      if (this.current === run) this.current = undefined;
    }
  }

  /** The graph of the current run (for tests and debugging). */
  get graph(): DependencyGraph | undefined {
    return this.current?.graph;
  }

  /** Resources watched now (for tests and debugging): `deployments.apps/v1`… */
  monitoredResources(): string[] {
    return this.current ? this.current.monitoredResources() : [];
  }

  /** True once the current run's monitors have synced and its workers run. */
  get isSynced(): boolean {
    return this.current?.workersStarted === true;
  }
}

class CollectorRun implements GraphSink {
  readonly graph: DependencyGraph;
  private readonly client: RestClient;
  private readonly deleteQueue: RateLimitingQueue<string>;
  private readonly orphanQueue: RateLimitingQueue<string>;
  private readonly monitors = new Map<string, Monitor>();
  private readonly absentOwners = new BoundedSet(500);
  private readonly ignored: ReadonlySet<string>;
  private mapper = new RestMapper();
  private crdRegistration: HandlerRegistration | undefined;
  /** Workers wait on this before each item; closed while new monitors sync. */
  private gate: Promise<void> = Promise.resolve();
  workersStarted = false;
  private signal: AbortSignal = new AbortController().signal;
  /** Wakes the discovery loop early. */
  private wake: (() => void) | undefined;
  private resyncRequested = false;
  private lastMappingResync = 0;

  constructor(
    private readonly options: GarbageCollectorOptions,
    private readonly log: Logger,
    private readonly metrics: Metrics | undefined,
  ) {
    this.client = options.client;
    this.graph = new DependencyGraph(this);
    const queueOpts = (name: string) => ({ name, ...(options.metrics ? { metrics: options.metrics } : {}) });
    this.deleteQueue = new RateLimitingQueue<string>(queueOpts('garbage_collector_attempt_to_delete'));
    this.orphanQueue = new RateLimitingQueue<string>(queueOpts('garbage_collector_attempt_to_orphan'));
    this.ignored = new Set((options.ignoredResources ?? defaultIgnoredResources).map((r) => `${r.resource}.${r.group}`));
  }

  // --- GraphSink ---------------------------------------------------------------------------

  attemptToDelete(node: GraphNode, rateLimited = false): void {
    if (rateLimited) this.deleteQueue.addRateLimited(node.uid);
    else this.deleteQueue.add(node.uid);
  }

  attemptToOrphan(node: GraphNode): void {
    this.orphanQueue.add(node.uid);
  }

  absent(identity: ObjectIdentity): void {
    this.absentOwners.add(identityKey(identity));
  }

  invalidNamespaceOwnerRef(dependent: GraphNode, ownerUid: string): void {
    const ref = dependent.owners.find((o) => o.uid === ownerUid);
    if (!ref || !this.options.recorder) return;
    const id = dependent.identity;
    const obj: KubeObject = { apiVersion: id.apiVersion, kind: id.kind, metadata: { name: id.name, uid: id.uid, ...(id.namespace ? { namespace: id.namespace } : {}) } };
    this.options.recorder.event(
      obj,
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${id.namespace}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${id.namespace}"`,
    );
  }

  // --- lifecycle ---------------------------------------------------------------------------

  monitoredResources(): string[] {
    return [...this.monitors.keys()].sort();
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const onAbort = () => {
      this.deleteQueue.shutDown();
      this.orphanQueue.shutDown();
      this.wake?.();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const workers: Promise<void>[] = [];
    try {
      // Follow CRDs: any change may add or remove a served resource.
      const crds = this.options.informers.informerFor(crdGvr);
      this.crdRegistration = crds.addEventHandler({
        onAdd: () => this.requestResync(),
        onUpdate: (o, n) => {
          if (o !== n) this.requestResync();
        },
        onDelete: () => this.requestResync(),
      });

      // The first discovery, retried until it succeeds.
      for (let delay = 500; !signal.aborted; delay = Math.min(delay * 2, 10_000)) {
        try {
          await this.syncMonitors();
          break;
        } catch (err) {
          this.log.warn('garbage collector: discovery failed, retrying', { error: err, retryInMs: delay });
          await sleep(delay, signal).catch(() => undefined);
        }
      }
      if (signal.aborted) return;
      // Discovery goes on meanwhile, so a resource that disappears is not waited for.
      const loop = this.discoveryLoop();
      await this.waitForMonitorsSynced(() => [...this.monitors.values()], undefined);
      if (signal.aborted) {
        await loop;
        return;
      }
      this.log.info('garbage collector: all resource monitors have synced', { resources: this.monitors.size, objects: this.graph.size });
      this.workersStarted = true;
      const n = Math.max(1, this.options.workers ?? 10);
      for (let i = 0; i < n; i++) workers.push(this.deleteWorker());
      for (let i = 0; i < Math.max(1, this.options.orphanWorkers ?? 2); i++) workers.push(this.orphanWorker());
      await loop;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.deleteQueue.shutDown();
      this.orphanQueue.shutDown();
      await Promise.allSettled(workers);
      this.crdRegistration?.remove();
      await Promise.allSettled([...this.monitors.values()].map((m) => this.stopMonitor(m)));
      this.monitors.clear();
    }
  }

  /** Asks for discovery to be read again soon (debounced). */
  private requestResync(): void {
    this.resyncRequested = true;
    this.wake?.();
  }

  private async discoveryLoop(): Promise<void> {
    const period = this.options.discoveryPeriodMs ?? 30_000;
    while (!this.signal.aborted) {
      if (!this.resyncRequested) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, period);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
        if (this.signal.aborted) return;
        // Debounce: CRD changes come in bursts (created, then established).
        if (this.resyncRequested) await sleep(200, this.signal).catch(() => undefined);
      }
      if (this.signal.aborted) return;
      this.resyncRequested = false;
      try {
        await this.syncMonitors();
      } catch (err) {
        this.log.warn('garbage collector: discovery failed', { error: err });
        await sleep(1000, this.signal).catch(() => undefined);
      }
    }
  }

  /** Reads discovery and makes the monitors match it. */
  private async syncMonitors(): Promise<void> {
    const discovery = await discoverResources(this.client, this.signal);
    this.mapper = new RestMapper(discovery.all);
    if (discovery.failedGroups.size) this.log.warn('garbage collector: failed to discover some groups', { groups: Object.fromEntries(discovery.failedGroups) });
    const wanted = new Map<string, DiscoveredResource>();
    for (const r of withVerbs(discovery.preferred, 'delete', 'list', 'watch')) {
      if (this.ignored.has(`${r.gvr.resource}.${r.gvr.group}`)) continue;
      wanted.set(gvrKey(r.gvr), r);
    }
    for (const [key, m] of this.monitors) {
      if (wanted.has(key)) continue;
      // A group whose discovery failed keeps its monitors: it has not gone away.
      if (discovery.failedGroups.has(apiVersionOfGvr(m.resource.gvr))) continue;
      this.monitors.delete(key);
      this.log.info('garbage collector: stopped watching a resource', { resource: key });
      await this.stopMonitor(m);
    }
    const added: Monitor[] = [];
    for (const [key, r] of wanted) {
      if (this.monitors.has(key)) continue;
      // Resources Marina does not build in (custom resources) may go away: their informers are ours.
      const m = this.startMonitor(r, builtinKindOf(r.gvr) === undefined);
      this.monitors.set(key, m);
      added.push(m);
      if (this.workersStarted) this.log.info('garbage collector: watching a new resource', { resource: key });
    }
    if (this.workersStarted && added.length) {
      // Hold the workers until the graph knows the new resources' objects.
      let open!: () => void;
      this.gate = new Promise((resolve) => (open = resolve));
      try {
        await this.waitForMonitorsSynced(() => added, this.options.newMonitorSyncTimeoutMs ?? 60_000);
      } finally {
        open();
      }
    }
  }

  private startMonitor(resource: DiscoveredResource, owned: boolean): Monitor {
    const informer = owned
      ? new SharedIndexInformer<KubeObject>(restListerWatcher(this.client, resource.gvr), { name: `garbagecollector ${gvrKey(resource.gvr)}`, log: this.log })
      : this.options.informers.informerFor<KubeObject>(resource.gvr);
    const apiVersion = apiVersionOfGvr(resource.gvr);
    const identity = (obj: KubeObject): ObjectIdentity => ({
      apiVersion,
      kind: resource.kind,
      namespace: obj.metadata?.namespace ?? '',
      name: obj.metadata?.name ?? '',
      uid: obj.metadata?.uid ?? '',
    });
    const registration = informer.addEventHandler({
      onAdd: (obj) => this.graph.processChange({ type: 'add', identity: identity(obj), meta: obj.metadata ?? {} }),
      onUpdate: (oldObj, obj) => {
        if (oldObj === obj) return; // a resync changes nothing
        this.graph.processChange({ type: 'update', identity: identity(obj), meta: obj.metadata ?? {}, oldMeta: oldObj.metadata ?? {} });
      },
      onDelete: (deleted) => {
        const obj = deletedObject(deleted);
        this.graph.processChange({ type: 'delete', identity: identity(obj), meta: obj.metadata ?? {} });
      },
    });
    if (owned) informer.start();
    return { resource, informer, registration, owned };
  }

  private async stopMonitor(m: Monitor): Promise<void> {
    m.registration.remove();
    if (m.owned) await m.informer.stop();
  }

  /** Waits until every monitor has delivered its first list; gives up after timeoutMs (undefined: never). */
  private async waitForMonitorsSynced(monitors: () => readonly Monitor[], timeoutMs: number | undefined): Promise<void> {
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    while (!this.signal.aborted) {
      // A monitor removed meanwhile (its resource went away) is not waited for.
      const pending = monitors().filter((m) => this.monitors.get(gvrKey(m.resource.gvr)) === m && !m.registration.hasSynced());
      if (pending.length === 0) return;
      if (Date.now() > deadline) {
        this.log.warn('garbage collector: timed out waiting for new monitors to sync', { resources: pending.map((m) => gvrKey(m.resource.gvr)) });
        return;
      }
      await sleep(50, this.signal).catch(() => undefined);
    }
  }

  // --- workers -----------------------------------------------------------------------------

  private async deleteWorker(): Promise<void> {
    for (;;) {
      const uid = await this.deleteQueue.get();
      if (uid === undefined) return;
      try {
        await this.gate;
        await this.processAttemptToDelete(uid);
      } finally {
        this.deleteQueue.done(uid);
      }
    }
  }

  private async orphanWorker(): Promise<void> {
    for (;;) {
      const uid = await this.orphanQueue.get();
      if (uid === undefined) return;
      try {
        await this.gate;
        await this.processAttemptToOrphan(uid);
      } finally {
        this.orphanQueue.done(uid);
      }
    }
  }

  private async processAttemptToDelete(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) {
      this.deleteQueue.forget(uid);
      return;
    }
    try {
      const outcome = await this.attemptToDeleteItem(node);
      if (outcome === 'done' && node.virtual && this.graph.get(uid) === node) {
        // Not observed by an informer yet: look again later, or a node for an object created
        // and deleted while a watch was away could stay in the graph forever.
        this.deleteQueue.addRateLimited(uid);
        return;
      }
      this.deleteQueue.forget(uid);
    } catch (err) {
      if (err instanceof NamespacedOwnerOfClusterScopedError) {
        this.log.info('garbage collector: a cluster-scoped object refers to a namespaced owner', { item: node.identity });
        this.deleteQueue.forget(uid);
        return;
      }
      if (this.signal.aborted) return;
      this.metrics?.errors.inc({ queue: 'attempt_to_delete' });
      const level = err instanceof RestMappingError || isConflict(err) ? 'debug' : 'warn';
      this.log[level]('garbage collector: error syncing item', { item: node.identity, error: err });
      this.deleteQueue.addRateLimited(uid);
    }
  }

  private async processAttemptToOrphan(uid: string): Promise<void> {
    const owner = this.graph.get(uid);
    if (!owner) {
      this.orphanQueue.forget(uid);
      return;
    }
    try {
      await this.orphanDependents(owner);
      await this.removeFinalizer(owner, orphanFinalizer);
      this.orphanQueue.forget(uid);
    } catch (err) {
      if (this.signal.aborted) return;
      this.metrics?.errors.inc({ queue: 'attempt_to_orphan' });
      this.log.warn('garbage collector: orphaning dependents failed', { owner: owner.identity, error: err });
      this.orphanQueue.addRateLimited(uid);
    }
  }

  // --- the decisions -----------------------------------------------------------------------

  /**
   * Looks up the live object; deletes it if all its owners are gone, or trims its dangling
   * references; for an owner deleting in the foreground, finishes that deletion when its
   * blocking dependents are gone.
   */
  private async attemptToDeleteItem(item: GraphNode): Promise<Outcome> {
    // Being deleted is a one-way trip: wait for the deletion, then handle the dependents.
    if (item.beingDeleted && !item.deletingDependents) return 'done';
    const latest = await this.getObject(item.identity);
    if (!latest || latest.metadata?.uid !== item.uid) {
      this.graph.virtualDelete(item.identity);
      return 'virtualDeleted';
    }
    if (item.deletingDependents) {
      await this.processDeletingDependentsItem(item);
      return 'done';
    }
    const refs = latest.metadata?.ownerReferences ?? [];
    if (refs.length === 0) return 'done';

    const { solid, dangling, waiting } = await this.classifyReferences(item, refs);
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return 'done';
      // Drop the references to owners that are gone, and to owners waiting for their
      // dependents' deletion (or they would wait for this object forever).
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      this.log.info('garbage collector: removing dangling owner references', { item: item.identity, owners: [...drop] });
      await this.patchOwnerReferences(item, (current) => (current.some((r) => drop.has(r.uid)) ? current.filter((r) => !drop.has(r.uid)) : undefined), latest);
      return 'done';
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      for (const dep of item.dependents) {
        if (dep.deletingDependents) {
          // A possible cycle: make our own references non-blocking before deleting in the foreground.
          this.log.info('garbage collector: unblocking owner references to avoid a cycle', { item: item.identity, dependent: dep.identity });
          await this.patchOwnerReferences(item, (current) =>
            current.some((r) => r.blockOwnerDeletion === true) ? current.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r)) : undefined,
          );
          break;
        }
      }
      // An owner waits for us and we have dependents of our own: delete in the foreground too.
      return this.deleteObject(item, latest, 'Foreground');
    }
    const meta = latest.metadata;
    const policy = hasFinalizer(meta, orphanFinalizer) ? 'Orphan' : hasFinalizer(meta, foregroundDeletionFinalizer) ? 'Foreground' : 'Background';
    return this.deleteObject(item, latest, policy);
  }

  /** An owner deleting in the foreground: done once no blocking dependent remains. */
  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      this.log.info('garbage collector: removing the foregroundDeletion finalizer', { item: item.identity });
      await this.removeFinalizer(item, foregroundDeletionFinalizer);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.deleteQueue.add(dep.uid);
  }

  private async classifyReferences(
    item: GraphNode,
    refs: readonly OwnerReference[],
  ): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] }> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.ownerOf(ref, item);
      if (!owner) dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && hasFinalizer(owner.metadata, foregroundDeletionFinalizer)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /**
   * The live owner a reference names, or undefined when it is gone (404, or another object of the
   * same name: uid mismatch). An owner verified gone is remembered (the absent-owner cache).
   */
  private async ownerOf(ref: OwnerReference, item: GraphNode): Promise<KubeObject | undefined> {
    const clusterKey: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: '' };
    if (this.absentOwners.has(identityKey(clusterKey))) return undefined;
    const namespacedKey: ObjectIdentity = { ...clusterKey, namespace: item.identity.namespace };
    if (this.absentOwners.has(identityKey(namespacedKey))) return undefined;
    const resource = this.resolve(ref.apiVersion, ref.kind);
    if (resource.namespaced && item.identity.namespace === '') throw new NamespacedOwnerOfClusterScopedError();
    const key = resource.namespaced ? namespacedKey : clusterKey;
    const owner = await this.get(resource, key.namespace, ref.name);
    if (!owner || owner.metadata?.uid !== ref.uid) {
      this.absentOwners.add(identityKey(key));
      return undefined;
    }
    return owner;
  }

  private async orphanDependents(owner: GraphNode): Promise<void> {
    const results = await Promise.allSettled(
      [...owner.dependents].map(async (dep) => {
        const changed = await this.patchOwnerReferences(dep, (current) => (current.some((r) => r.uid === owner.uid) ? current.filter((r) => r.uid !== owner.uid) : undefined));
        if (changed) this.metrics?.orphaned.inc();
      }),
    );
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length) {
      throw new Error(`failed to orphan dependents of ${owner.identity.kind} ${owner.identity.name}: ${failures.map((f) => (f.reason as Error)?.message ?? String(f.reason)).join('; ')}`);
    }
  }

  // --- API access --------------------------------------------------------------------------

  /** The resource of apiVersion/kind, reading discovery again (at most every 2 s) when unknown. */
  private resolve(apiVersion: string, kind: string): DiscoveredResource {
    const r = this.mapper.resourceFor(apiVersion, kind);
    if (r) return r;
    if (Date.now() - this.lastMappingResync > 2000) {
      this.lastMappingResync = Date.now();
      this.requestResync();
    }
    throw new RestMappingError(apiVersion, kind);
  }

  private pathOf(resource: DiscoveredResource, namespace: string, name?: string): string {
    return resourcePath(resource.gvr, resource.namespaced ? namespace : undefined, name);
  }

  private async get(resource: DiscoveredResource, namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.client.call<KubeObject>('GET', this.pathOf(resource, namespace, name), { signal: this.signal });
    } catch (err) {
      if (isStatusError(err, 404)) return undefined;
      throw err;
    }
  }

  /** The live object of a node, or undefined when it is gone. */
  private getObject(id: ObjectIdentity): Promise<KubeObject | undefined> {
    return this.get(this.resolve(id.apiVersion, id.kind), id.namespace, id.name);
  }

  private async deleteObject(item: GraphNode, latest: KubeObject, policy: 'Background' | 'Foreground' | 'Orphan'): Promise<Outcome> {
    const resource = this.resolve(item.identity.apiVersion, item.identity.kind);
    this.log.info('garbage collector: deleting an object whose owners are gone', { item: item.identity, propagationPolicy: policy });
    try {
      await this.client.call('DELETE', this.pathOf(resource, item.identity.namespace, item.identity.name), {
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: policy,
          // Delete exactly what was judged: this uid, in this state.
          preconditions: { uid: item.uid, resourceVersion: latest.metadata?.resourceVersion },
        },
        signal: this.signal,
      });
      this.metrics?.deleted.inc({ resource: `${resource.gvr.resource}.${resource.gvr.group}` });
      return 'done';
    } catch (err) {
      if (isStatusError(err, 404)) {
        this.graph.virtualDelete(item.identity);
        return 'virtualDeleted';
      }
      throw err;
    }
  }

  /**
   * Rewrites a node's owner references: `change` gets the live list and returns the new one, or
   * undefined for no change. A merge patch carrying resourceVersion; retried on conflict on a
   * fresh read. Returns whether it wrote. A node gone (404, another uid) is left alone.
   */
  private async patchOwnerReferences(node: GraphNode, change: (current: readonly OwnerReference[]) => OwnerReference[] | undefined, first?: KubeObject): Promise<boolean> {
    const resource = this.resolve(node.identity.apiVersion, node.identity.kind);
    let prefetched = first;
    return retryOnConflict(async () => {
      const live = prefetched ?? (await this.get(resource, node.identity.namespace, node.identity.name));
      prefetched = undefined;
      if (!live || live.metadata?.uid !== node.uid) return false;
      const next = change(live.metadata?.ownerReferences ?? []);
      if (!next) return false;
      try {
        await this.client.patch(this.pathOf(resource, node.identity.namespace, node.identity.name), {
          metadata: { ownerReferences: next.length ? next : null, resourceVersion: live.metadata?.resourceVersion, uid: node.uid },
        });
      } catch (err) {
        if (isStatusError(err, 404)) return false;
        throw err;
      }
      return true;
    });
  }

  /** Removes `finalizer` from the node's object (merge patch with resourceVersion, retried on conflict). */
  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    const resource = this.resolve(node.identity.apiVersion, node.identity.kind);
    await retryOnConflict(async () => {
      const live = await this.get(resource, node.identity.namespace, node.identity.name);
      if (!live || live.metadata?.uid !== node.uid) return;
      const finalizers = live.metadata?.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return;
      const next = finalizers.filter((f) => f !== finalizer);
      try {
        await this.client.patch(this.pathOf(resource, node.identity.namespace, node.identity.name), {
          metadata: { finalizers: next.length ? next : null, resourceVersion: live.metadata?.resourceVersion, uid: node.uid },
        });
      } catch (err) {
        if (isStatusError(err, 404)) return;
        throw err;
      }
    });
  }
}
