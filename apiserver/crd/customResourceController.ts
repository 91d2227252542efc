/**
 * Serves custom resources as CustomResourceDefinitions come and go: the API server's part of
 * Kubernetes' apiextensions-apiserver (its naming, establishing and finalizing controllers and the
 * CRD handler's serving of versions), run inside the API server on the CRD store's watch cache.
 *
 * For each CRD, one at a time and again on every change:
 *   - a new CRD gets the finalizer customresourcecleanup.apiextensions.k8s.io, so that deleting it
 *     first deletes its custom resources;
 *   - names: spec.names are accepted unless another CRD of the group (by its accepted names) or a
 *     built-in resource of the group already uses one; the result is status.acceptedNames and the
 *     NamesAccepted condition (True/NoConflicts, or False/PluralConflict, KindConflict...);
 *   - serving: once names are accepted, every served version is registered (its kind, strategy
 *     and a view of storage converted to and from the storage version), versions no longer served
 *     are removed, changed versions re-registered; then Established=True/InitialNamesAccepted is
 *     written, so a client that sees Established finds the resource (and discovery lists it). A
 *     CRD established once keeps its accepted names if later names conflict, as in Kubernetes;
 *   - deletion: creates are refused (405), Terminating=True/InstanceDeletionInProgress is written,
 *     every custom resource is deleted (deleteCollection, waiting for their own finalizers), the
 *     resource stops being served, Terminating=False/InstanceDeletionCompleted is written and the
 *     finalizer removed, so the CRD goes away.
 * Failures are logged and retried with backoff.
 */
import { cloneJson } from '../../api/util/cloneJson';
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
} from '../../api/kinds/apiextensions/customResourceDefinition';
import { isEstablished } from '../../api/kinds/apiextensions/crdValidation';
import { apiVersionOf, type KubeObject, type Stored } from '../../api/kinds/kind';
import * as status from '../../api/status';
import { deepEqual } from '../../api/util/deepEqual';
import type { Logger } from '../../client/log';
import type { CacheWatcher, WatchSink } from '../cacher/cacheWatcher';
import type { ResourceRegistry } from '../registry/resourceRegistry';
import type { ResourceStore, WriteOptions } from '../registry/store';
import { timestamp } from '../registry/systemFields';
import { ConflictError, KeyNotFoundError, type StoredObject } from '../storage/interface';
import { objectKey, resourcePrefix } from '../storage/keys';
import { customResourceKind, customResourceStrategy, type CustomResourceState } from './customResourceKind';
import { schemaFromJSONSchemaProps } from './schemaFromJSONSchemaProps';
import { VersionedStorage } from './versionedStorage';

export const customResourceCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

const crdGroup = 'apiextensions.k8s.io';
const writeOptions: WriteOptions = { dryRun: false, fieldValidation: 'Ignore' };
/** How often a CRD being deleted checks whether its custom resources are gone. */
const deletionPollMs = 500;

type CRD = Stored<CustomResourceDefinition & KubeObject>;
type Names = CustomResourceDefinitionNames;
type Condition = CustomResourceDefinitionCondition;

export interface CustomResourceController {
  stop(): Promise<void>;
}

/**
 * Starts serving the CRDs there are; resolves once each has been handled once (so custom
 * resources are served when the API server reports ready) and keeps following changes.
 */
export async function startCustomResourceController(registry: ResourceRegistry, log: Logger): Promise<CustomResourceController> {
  const crdStore = registry.lookup(crdGroup, 'v1', 'customresourcedefinitions');
  if (!crdStore) return { stop: async () => {} };
  const controller = new Controller(registry, crdStore, log.with({ controller: 'customresources' }));
  await controller.start();
  return { stop: () => controller.stop() };
}

interface ServedVersion {
  readonly version: string;
  readonly plural: string;
  /** What the registration was built from; a change re-registers the version. */
  readonly fingerprint: string;
  readonly store: ResourceStore;
}

interface Served {
  readonly state: CustomResourceState;
  readonly versions: Map<string, ServedVersion>;
}

class Controller {
  /** The latest state of every CRD, from the watch and from this controller's own writes. */
  private readonly crds = new Map<string, CRD>();
  private readonly served = new Map<string, Served>();
  /** The stores this controller registered (everything else in the registry is built in). */
  private readonly ours = new Set<ResourceStore>();
  private readonly queue = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private running: Promise<void> | undefined;
  private watcher: CacheWatcher | undefined;
  private stopped = false;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly crdStore: ResourceStore,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.watch();
    await this.idle();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.detach();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // A reconcile in flight finishes its current step; don't wait forever on a stuck store.
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  // --- watch ----------------------------------------------------------------------------------

  /** Follows the CRD cache from a snapshot; CRDs missing from a new snapshot were deleted. */
  private async watch(): Promise<void> {
    const inSnapshot = new Set<string>();
    let initial = true;
    const sink: WatchSink = {
      send: (type, object) => {
        const name = object.metadata.name!;
        if (initial) inSnapshot.add(name);
        if (type === 'DELETED') this.crds.delete(name);
        else this.remember(object);
        this.enqueue(name);
        return true;
      },
      bookmark: () => true,
      end: (reason) => {
        if (this.stopped) return;
        this.log.info('CRD watch ended; restarting', { reason });
        // Later, not now: a restarting cacher installs its new state after ending its watchers.
        this.after(100, () => void this.restartWatch());
      },
    };
    const prefix = this.crdStore.prefix(undefined);
    this.watcher = await this.crdStore.cacher.watch({ kind: 'snapshot', initialEventsEndBookmark: false }, { keyPrefix: prefix }, sink, false);
    initial = false;
    for (const name of [...this.crds.keys()]) {
      if (!inSnapshot.has(name)) {
        this.crds.delete(name);
        this.enqueue(name);
      }
    }
  }

  private async restartWatch(attempt = 0): Promise<void> {
    if (this.stopped) return;
    try {
      await this.watch();
    } catch (err) {
      this.log.warn('cannot watch CRDs; retrying', { error: err });
      this.after(Math.min(5_000, 100 * 2 ** attempt), () => void this.restartWatch(attempt + 1));
    }
  }

  /** Keeps the newer of what is known and `obj` (watch events may trail our own writes). */
  private remember(obj: StoredObject): void {
    const name = obj.metadata.name!;
    const known = this.crds.get(name);
    if (known && Number(known.metadata.resourceVersion) > Number(obj.metadata.resourceVersion)) return;
    this.crds.set(name, obj as CRD);
  }

  // --- work queue -----------------------------------------------------------------------------

  private enqueue(name: string): void {
    if (this.stopped) return;
    this.queue.add(name);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.size && !this.stopped) this.enqueue(this.queue.values().next().value!);
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.queue.size) {
      const name = this.queue.values().next().value!;
      this.queue.delete(name);
      try {
        await this.reconcile(name);
        this.failures.delete(name);
      } catch (err) {
        if (this.stopped) return;
        const failures = (this.failures.get(name) ?? 0) + 1;
        this.failures.set(name, failures);
        const delay = Math.min(10_000, 100 * 2 ** failures);
        this.log.warn('cannot reconcile CRD; retrying', { crd: name, error: err, delayMs: delay });
        this.after(delay, () => this.enqueue(name));
      }
    }
  }

  /** Resolves when the queue is empty (failed CRDs wait for their retry). */
  private async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  // --- reconcile ------------------------------------------------------------------------------

  private async reconcile(name: string): Promise<void> {
    let crd = this.crds.get(name);
    if (!crd) return this.unserve(name);
    if (crd.metadata.deletionTimestamp) return this.finalize(crd);

    if (!(crd.metadata.finalizers ?? []).includes(customResourceCleanupFinalizer)) {
      const updated = await this.updateMain(name, (c) => {
        if (c.metadata.deletionTimestamp) return;
        const finalizers = c.metadata.finalizers ?? [];
        if (!finalizers.includes(customResourceCleanupFinalizer)) c.metadata.finalizers = [...finalizers, customResourceCleanupFinalizer];
      });
      if (!updated) return;
      crd = updated;
      if (crd.metadata.deletionTimestamp) return this.finalize(crd);
    }

    const { names, namesAccepted, established } = this.calculateNames(crd);
    let establishedNow = established;
    if (namesAccepted.status === 'True' || established.status === 'True') {
      await this.serve(crd, names);
      if (established.status !== 'True') {
        establishedNow = condition('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted');
      }
    } else {
      await this.unserve(name);
    }
    await this.writeStatus(name, (c) => {
      const st = (c.status ??= {});
      st.acceptedNames = names;
      setCondition(c, namesAccepted);
      setCondition(c, establishedNow);
    });
  }

  /**
   * Kubernetes' NamingConditionController: each name is taken from spec when it is what was
   * accepted before or nobody else in the group uses it; Established starts False until the
   * versions are served.
   */
  private calculateNames(crd: CRD): { names: Names; namesAccepted: Condition; established: Condition } {
    const { resources, kinds } = this.namesInUse(crd);
    const requested = crd.spec.names;
    const accepted: Partial<Names> = crd.status?.acceptedNames ?? {};
    const names: Names = { plural: accepted.plural ?? '', kind: accepted.kind ?? '', ...pick(accepted) };
    let namesAccepted: Condition | undefined;
    const conflict = (reason: string, message: string) => {
      namesAccepted = condition('NamesAccepted', 'False', reason, message);
    };
    const inUse = (want: string | undefined, had: string | undefined, used: ReadonlySet<string>) =>
      want === had || want === undefined || !used.has(want) ? undefined : `${JSON.stringify(want)} is already in use`;

    const plural = inUse(requested.plural, accepted.plural, resources);
    if (plural) conflict('PluralConflict', plural);
    else names.plural = requested.plural;
    const singular = inUse(requested.singular, accepted.singular, resources);
    if (singular) conflict('SingularConflict', singular);
    else if (requested.singular !== undefined) names.singular = requested.singular;
    if (!deepEqual(requested.shortNames ?? [], accepted.shortNames ?? [])) {
      const had = new Set(accepted.shortNames ?? []);
      const errs = (requested.shortNames ?? []).filter((n) => !had.has(n)).flatMap((n) => inUse(n, '', resources) ?? []);
      if (errs.length) conflict('ShortNamesConflict', errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
      else if (requested.shortNames) names.shortNames = requested.shortNames;
      else delete names.shortNames;
    }
    const kind = inUse(requested.kind, accepted.kind, kinds);
    if (kind) conflict('KindConflict', kind);
    else names.kind = requested.kind;
    const listKind = inUse(requested.listKind, accepted.listKind, kinds);
    if (listKind) conflict('ListKindConflict', listKind);
    else if (requested.listKind !== undefined) names.listKind = requested.listKind;
    if (requested.categories) names.categories = requested.categories;
    else delete names.categories;

    const nameCondition = namesAccepted ?? condition('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found');
    let established = findCondition(crd, 'Established') ?? condition('Established', 'False', 'NotAccepted', 'not all names are accepted');
    if (established.status !== 'True' && nameCondition.status === 'True') {
      established = condition('Established', 'False', 'Installing', 'the initial names have been accepted');
    }
    return { names, namesAccepted: nameCondition, established };
  }

  /** The resource and kind names of the group taken by other CRDs (as accepted) and built-in kinds. */
  private namesInUse(crd: CRD): { resources: Set<string>; kinds: Set<string> } {
    const resources = new Set<string>();
    const kinds = new Set<string>();
    const add = (names: Partial<Names>) => {
      for (const n of [names.plural, names.singular, ...(names.shortNames ?? [])]) if (n) resources.add(n);
      for (const n of [names.kind, names.listKind]) if (n) kinds.add(n);
    };
    for (const other of this.crds.values()) {
      if (other.metadata.name === crd.metadata.name || other.spec.group !== crd.spec.group) continue;
      if (other.status?.acceptedNames) add(other.status.acceptedNames);
    }
    for (const store of this.registry.all()) {
      if (store.kind.group !== crd.spec.group || this.ours.has(store)) continue;
      const k = store.kind;
      add({ plural: k.plural, singular: k.singular, shortNames: [...k.shortNames], kind: k.kind, listKind: k.listKind });
    }
    return { resources, kinds };
  }

  // --- serving --------------------------------------------------------------------------------

  /** Registers every served version (again when it changed) and removes versions no longer served. */
  private async serve(crd: CRD, names: Names): Promise<void> {
    const crdName = crd.metadata.name!;
    const entry: Served = this.served.get(crdName) ?? { state: { terminating: false }, versions: new Map() };
    this.served.set(crdName, entry);
    const storageVersion = crd.spec.versions.find((v) => v.storage);
    if (!storageVersion) throw new Error(`CRD ${crdName} has no storage version`);
    const storageSchema = schemaFromJSONSchemaProps(storageVersion.schema?.openAPIV3Schema);
    // In Kubernetes' version priority (v1, v1beta1, v1alpha1, others), so that discovery, which
    // lists a group's versions as registered, prefers the most stable one.
    const wanted = crd.spec.versions.filter((v) => v.served).sort((a, b) => compareVersions(a.name, b.name));
    const added: ResourceStore[] = [];
    for (const version of wanted) {
      const fingerprint = JSON.stringify({
        version,
        group: crd.spec.group,
        scope: crd.spec.scope,
        names,
        storage: storageVersion.name,
        storageSchema: storageVersion.schema,
      });
      const current = entry.versions.get(version.name);
      if (current?.fingerprint === fingerprint) continue;
      if (current && current.plural !== names.plural) await this.removeVersion(crd.spec.group, current);
      const existing = this.registry.lookup(crd.spec.group, version.name, names.plural);
      if (existing && !this.ours.has(existing)) throw new Error(`${names.plural}.${crd.spec.group}/${version.name} is served by a built-in resource`);
      const kind = customResourceKind(crd, version, names);
      const storage = new VersionedStorage(this.crdStore.storage, {
        servedVersion: apiVersionOf(kind),
        servedSchema: kind.schema,
        storageVersion: `${crd.spec.group}/${storageVersion.name}`,
        storageSchema,
      });
      if (existing) this.ours.delete(existing);
      const store = this.registry.add(kind, customResourceStrategy(kind, entry.state), { storage });
      this.ours.add(store);
      entry.versions.set(version.name, { version: version.name, plural: names.plural, fingerprint, store });
      added.push(store);
    }
    for (const [name, served] of [...entry.versions]) {
      if (!wanted.some((v) => v.name === name)) {
        await this.removeVersion(crd.spec.group, served);
        entry.versions.delete(name);
      }
    }
    if (added.length) {
      await Promise.all(added.map((s) => s.cacher.ready()));
      this.log.info('serving custom resource', { crd: crdName, versions: [...entry.versions.keys()] });
    }
  }

  private async unserve(crdName: string): Promise<void> {
    const entry = this.served.get(crdName);
    if (!entry) return;
    this.served.delete(crdName);
    const group = entry.versions.values().next().value?.store.kind.group;
    for (const served of entry.versions.values()) await this.removeVersion(served.store.kind.group, served);
    if (entry.versions.size) this.log.info('stopped serving custom resource', { crd: crdName, group });
  }

  private async removeVersion(group: string, served: ServedVersion): Promise<void> {
    // Only if the path still holds our store (never a built-in one).
    if (this.registry.lookup(group, served.version, served.plural) === served.store) await this.registry.remove(group, served.version, served.plural);
    this.ours.delete(served.store);
  }

  // --- deletion -------------------------------------------------------------------------------

  /** Kubernetes' CRDFinalizer: delete the custom resources, stop serving, drop the finalizer. */
  private async finalize(crd: CRD): Promise<void> {
    const name = crd.metadata.name!;
    const entry = this.served.get(name);
    if (entry) entry.state.terminating = true;
    if (!(crd.metadata.finalizers ?? []).includes(customResourceCleanupFinalizer)) return this.unserve(name);

    const inProgress = condition('Terminating', 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress');
    if (!(await this.writeStatus(name, (c) => setCondition(c, inProgress)))) return;
    let done: Condition;
    if (isEstablished(crd as CustomResourceDefinition)) {
      const remaining = await this.deleteInstances(crd);
      if (remaining > 0) {
        // Their own finalizers hold some back: look again soon (not a failure).
        this.log.debug('waiting for custom resources to be deleted', { crd: name, remaining });
        this.after(deletionPollMs, () => this.enqueue(name));
        return;
      }
      done = condition('Terminating', 'False', 'InstanceDeletionCompleted', 'removed all instances');
    } else {
      done = condition('Terminating', 'False', 'NeverEstablished', 'resource was never established');
    }
    if (!(await this.writeStatus(name, (c) => setCondition(c, done)))) return;
    await this.unserve(name);
    await this.updateMain(name, (c) => {
      const finalizers = (c.metadata.finalizers ?? []).filter((f) => f !== customResourceCleanupFinalizer);
      if (finalizers.length) c.metadata.finalizers = finalizers;
      else delete c.metadata.finalizers;
    });
    this.log.info('deleted custom resource definition', { crd: name });
  }

  /** Deletes every custom resource of the CRD; returns how many are still there. */
  private async deleteInstances(crd: CRD): Promise<number> {
    const entry = this.served.get(crd.metadata.name!);
    const store = entry?.versions.values().next().value?.store;
    if (store) {
      await store.deleteCollection(undefined, {}, { dryRun: false });
      return (await store.list(undefined, {})).items.length;
    }
    // Established once but no version served now (or not served since a restart): delete in
    // storage directly.
    const plural = crd.status?.acceptedNames?.plural || crd.spec.names.plural;
    const gr = { group: crd.spec.group, resource: plural };
    const storage = this.crdStore.storage;
    const { items } = await storage.list(resourcePrefix(gr));
    for (const item of items) {
      const key = objectKey(gr, crd.spec.scope === 'Namespaced' ? item.metadata.namespace : undefined, item.metadata.name!);
      try {
        await storage.delete(key, Number(item.metadata.resourceVersion));
      } catch (err) {
        if (!(err instanceof KeyNotFoundError) && !(err instanceof ConflictError)) throw err;
      }
    }
    return (await storage.list(resourcePrefix(gr))).items.length;
  }

  // --- writes ---------------------------------------------------------------------------------

  /** Writes the CRD's status; undefined when the CRD is gone. */
  private async writeStatus(name: string, mutate: (crd: CRD) => void): Promise<CRD | undefined> {
    return this.write(name, mutate, 'status');
  }

  /** Writes the CRD itself (metadata); undefined when the CRD is gone. */
  private async updateMain(name: string, mutate: (crd: CRD) => void): Promise<CRD | undefined> {
    return this.write(name, mutate, undefined);
  }

  private async write(name: string, mutate: (crd: CRD) => void, subresource: 'status' | undefined): Promise<CRD | undefined> {
    // Most reconciles change nothing: tell from the cached copy without a round trip. (Were the
    // copy stale, the newer state's event brings this CRD back for another look.)
    const cached = this.crds.get(name);
    if (cached) {
      const probe = cloneJson(cached);
      mutate(probe);
      if (deepEqual(probe, cached)) return cached;
    }
    try {
      const result = await this.crdStore.guaranteedUpdate(
        undefined,
        name,
        (current) => {
          mutate(current as CRD);
          return { object: current, warnings: [] };
        },
        writeOptions,
        subresource,
      );
      const written = result.object as CRD;
      if (this.crdStore.shouldDeleteNow(written)) {
        this.crds.delete(name);
        return undefined;
      }
      this.remember(written);
      return written;
    } catch (err) {
      if (status.isStatusError(err, 404)) {
        this.crds.delete(name);
        return undefined;
      }
      throw err;
    }
  }
}

function condition(type: string, st: 'True' | 'False' | 'Unknown', reason: string, message: string): Condition {
  return { type, status: st, reason, message };
}

function findCondition(crd: CustomResourceDefinition, type: string): Condition | undefined {
  const found = crd.status?.conditions?.find((c) => c.type === type);
  return found && { ...found };
}

/** SetCRDCondition: lastTransitionTime moves only when the status does. */
function setCondition(crd: CustomResourceDefinition, cond: Condition): void {
  const st = (crd.status ??= {});
  const conditions = (st.conditions ??= []);
  const existing = conditions.find((c) => c.type === cond.type);
  if (!existing) {
    conditions.push({ ...cond, lastTransitionTime: timestamp() });
    return;
  }
  if (existing.status !== cond.status || !existing.lastTransitionTime) existing.lastTransitionTime = timestamp();
  existing.status = cond.status;
  if (cond.reason !== undefined) existing.reason = cond.reason;
  else delete existing.reason;
  if (cond.message !== undefined) existing.message = cond.message;
  else delete existing.message;
}

/** version.CompareKubeAwareVersionStrings, as a sort order: GA before beta before alpha, newer first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), stability: m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, minor: Number(m[3] ?? 0) };
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? -1 : y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  return y.stability - x.stability || y.major - x.major || y.minor - x.minor;
}

/** The optional names, copied. */
function pick(names: Partial<Names>): Partial<Names> {
  return {
    ...(names.singular !== undefined ? { singular: names.singular } : {}),
    ...(names.shortNames !== undefined ? { shortNames: [...names.shortNames] } : {}),
    ...(names.listKind !== undefined ? { listKind: names.listKind } : {}),
    ...(names.categories !== undefined ? { categories: [...names.categories] } : {}),
  };
}
