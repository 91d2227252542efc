/**
 * The WebSite controller: for each WebSite, make its ConfigMap, Deployment and Service look as
 * the spec says, keep its entry in the site registry, and report what it sees in status.
 *
 * Level-triggered, like every controller of the SDK: reconcile() is told only which WebSite to
 * look at (never what changed), reads the current state, and converges. It is safe to run any
 * number of times: an unchanged world means no writes. It runs when
 *   - the WebSite changes (for),
 *   - an object it controls changes or is deleted (owns: mapped through the controller reference,
 *     so a deleted Deployment is recreated and a Deployment's progress updates the status),
 *   - a ConfigMap a site references changes (watches: mapped through a cache index).
 * An error thrown is retried with backoff; a site that cannot be served as specified (a missing
 * ConfigMap) is not an error: it is reported (Degraded condition, Warning event), and the watch on
 * ConfigMaps brings the site back when the ConfigMap appears.
 */
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ConfigMap } from '../../api/kinds/core/configMap';
import type { Service } from '../../api/kinds/core/service';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { GroupVersionResource } from '../../client/resource';
import {
  addFinalizer,
  cloneJson,
  createOrUpdateObject,
  getControllerOf,
  hasFinalizer,
  isBeingDeleted,
  newControllerManagedBy,
  removeFinalizer,
  setControllerReference,
  updateStatus,
  type Controller,
  type Manager,
  type ReconcileContext,
  type Request,
} from '../../controllers/runtime';
import { registerSite, unregisterSite } from './registry';
import {
  contentConfigMapName,
  mutateContentConfigMap,
  mutateDeployment,
  mutateService,
  ownedMeta,
  pageKey,
  workloadName,
  type ContentSource,
} from './resources';
import { computeStatus, type Problem } from './status';
import { webSiteKind, webSitesGvr, type WebSite, type WebSiteStatus } from './types';

export const configMapsGvr: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps' };
export const deploymentsGvr: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
export const servicesGvr: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };

/** Held on every WebSite until its registry entry is removed. */
export const finalizerName = 'examples.marina.dev/registry-entry';
/** The busybox image Marina's nodes import (kubelet/images/busybox.ts): it has httpd. */
export const defaultImage = 'marina.local/busybox:latest';

export interface WebSiteControllerOptions {
  /** The image the web server pods run (it needs busybox's httpd). Default defaultImage. */
  readonly image?: string;
  /** Namespace of the site registry ConfigMap. Default 'default'. */
  readonly registryNamespace?: string;
  /** WebSites reconciled at once (never the same one twice). Default 2. */
  readonly concurrency?: number;
}

/** Creates or updates an object the site owns (see reconcile); the object as stored. */
type Apply = <T extends KubeObject>(gvr: GroupVersionResource, obj: T, mutate: (live: T) => void) => Promise<T>;

/** Index of the WebSite cache: `<namespace>/<ConfigMap name>` for each site serving a ConfigMap. */
const byConfigMapRef = 'configMapRef';

/** Builds the controller and adds it to the manager (which starts it). */
export function addWebSiteController(manager: Manager, options: WebSiteControllerOptions = {}): Controller {
  const image = options.image ?? defaultImage;
  const registryNamespace = options.registryNamespace ?? 'default';
  const client = manager.client;
  // The manager's shared caches: one list + watch per resource, whatever the number of controllers.
  const sites = manager.informers.informerFor<WebSite>(webSitesGvr);
  const configMaps = manager.informers.informerFor<ConfigMap>(configMapsGvr);
  const deployments = manager.informers.informerFor<Deployment>(deploymentsGvr);
  sites.addIndexers({ [byConfigMapRef]: (s) => (s.spec?.configMapRef ? [`${s.metadata.namespace}/${s.spec.configMapRef.name}`] : []) });
  const recorder = manager.eventRecorder('website-operator');

  async function reconcile(req: Request, ctx: ReconcileContext): Promise<void> {
    const cached = sites.lister.get(req.namespace, req.name);
    // Gone: what it owned goes with it (garbage collection); the finalizer already ran.
    if (!cached) return;
    // Cached objects are frozen and shared: change a copy.
    let site = cloneJson(cached);
    const webSites = client.resource<WebSite>(webSitesGvr, req.namespace);

    if (isBeingDeleted(site)) {
      if (!hasFinalizer(site, finalizerName)) return;
      await unregisterSite(client, registryNamespace, site);
      removeFinalizer(site, finalizerName);
      await webSites.update(site); // a 409 (stale cache) throws: retried on the next read
      ctx.log.info('removed the registry entry');
      return;
    }
    // The finalizer goes on before anything it must clean up exists.
    if (addFinalizer(site, finalizerName)) site = await webSites.update(site);

    // Each owned object: created or updated as `mutate` says, with a controller reference to the
    // site (so owns() maps its events here, and the garbage collector deletes it with the site).
    const apply: Apply = async (gvr, obj, mutate) => {
      const { operation, object } = await createOrUpdateObject(client, gvr, obj, (live) => {
        mutate(live);
        setControllerReference(site, live);
      });
      if (operation !== 'unchanged') recorder.event(site, 'Normal', operation === 'created' ? 'Created' : 'Updated', `${obj.kind} ${obj.metadata?.name} ${operation}`);
      return object;
    };

    const content = await contentSource(site, apply);
    if ('problem' in content) {
      const { problem } = content;
      recorder.event(site, 'Warning', problem.reason, problem.message);
      const current = deployments.lister.get(req.namespace, workloadName(site));
      await writeStatus(site, current, undefined, problem);
      return;
    }
    const name = workloadName(site);
    const deployment = await apply<Deployment>(deploymentsGvr, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: ownedMeta(site, name) }, (d) => mutateDeployment(d, site, content.source, image));
    const service = await apply<Service>(servicesGvr, { apiVersion: 'v1', kind: 'Service', metadata: ownedMeta(site, name) }, (s) => mutateService(s, site));
    const status = await writeStatus(site, deployment, service, undefined);
    if (status.address) await registerSite(client, registryNamespace, site, status.address);
  }

  /** The page's ConfigMap: the site's own (made from spec.content), or the one it references. */
  async function contentSource(site: WebSite, apply: Apply): Promise<{ readonly source: ContentSource } | { readonly problem: Problem }> {
    const ns = site.metadata.namespace;
    if (site.spec.content !== undefined) {
      const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: ownedMeta(site, contentConfigMapName(site)) };
      await apply(configMapsGvr, cm, (live) => mutateContentConfigMap(live, site));
      return { source: { configMapName: contentConfigMapName(site), key: pageKey, content: site.spec.content } };
    }
    // spec.configMapRef (the CRD's CEL rule guarantees exactly one of the two).
    await deleteOwnedContent(site);
    const ref = site.spec.configMapRef!;
    const key = ref.key ?? pageKey;
    const cm = configMaps.lister.get(ns, ref.name);
    if (!cm) return { problem: { reason: 'ConfigMapNotFound', message: `ConfigMap ${ns}/${ref.name} not found` } };
    const page = cm.data?.[key];
    if (page === undefined) return { problem: { reason: 'ConfigMapKeyNotFound', message: `ConfigMap ${ns}/${ref.name} has no key ${key}` } };
    return { source: { configMapName: ref.name, key, content: page } };
  }

  /** A site that switched from spec.content to a ConfigMap reference no longer needs its own. */
  async function deleteOwnedContent(site: WebSite): Promise<void> {
    const own = configMaps.lister.get(site.metadata.namespace, contentConfigMapName(site));
    if (!own || getControllerOf(own)?.uid !== site.metadata.uid) return;
    try {
      await client.resource(configMapsGvr, site.metadata.namespace).delete(contentConfigMapName(site), { preconditions: { uid: own.metadata?.uid } });
    } catch (err) {
      if (!isStatusError(err, 404)) throw err;
    }
  }

  /** Writes the status through /status; re-reads and recomputes on a conflict, writes nothing when unchanged. */
  function writeStatus(site: WebSite, deployment: Deployment | undefined, service: Service | undefined, problem: Problem | undefined): Promise<WebSiteStatus> {
    return updateStatus<WebSite>(client, webSitesGvr, site.metadata.namespace, site.metadata.name, (latest) => {
      latest.status = computeStatus(latest.status, { site, ...(deployment ? { deployment } : {}), ...(service ? { service } : {}), ...(problem ? { problem } : {}) }, new Date());
    }).then((written) => written.status ?? {});
  }

  return newControllerManagedBy(manager)
    .named('website')
    .for(webSitesGvr, { kind: webSiteKind })
    .owns(configMapsGvr)
    .owns(deploymentsGvr)
    .owns(servicesGvr)
    .watches(configMapsGvr, (cm) => sites.lister.byIndex(byConfigMapRef, `${cm.metadata?.namespace}/${cm.metadata?.name}`).map((s) => ({ namespace: s.metadata.namespace!, name: s.metadata.name })))
    .withConcurrency(options.concurrency ?? 2)
    .complete(reconcile);
}
