/**
 * The site registry: one ConfigMap, "website-registry" in the operator's namespace, listing every
 * WebSite and its address (key `<namespace>.<name>`), for anything that wants a directory of the
 * sites (a front page, a monitoring job). It is shared by all WebSites, so no single WebSite can
 * own it: owner references and garbage collection cannot remove a deleted site's entry. That is
 * what the operator's finalizer is for (see controller.ts): a WebSite is deleted only once its
 * entry is gone.
 *
 * Writes are read-modify-write with the resourceVersion read (createOrUpdate), so concurrent
 * reconciles of different sites never lose each other's entries: a 409 is retried on a fresh read.
 */
import type { ConfigMap } from '../../api/kinds/core/configMap';
import { isStatusError } from '../../api/status';
import type { RestClient } from '../../client/restClient';
import { createOrUpdate, retryOnConflict } from '../../controllers/runtime';
import type { WebSite } from './types';

export const registryName = 'website-registry';
const configMapsGvr = { group: '', version: 'v1', resource: 'configmaps' };

/** A site's key in the registry (ConfigMap keys allow letters, digits, '-', '_' and '.'). */
export const registryKey = (site: WebSite): string => `${site.metadata.namespace}.${site.metadata.name}`;

/** Records (or refreshes) the site's address; no write when it is already there. */
export async function registerSite(client: RestClient, namespace: string, site: WebSite, address: string): Promise<void> {
  const empty: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: registryName, namespace } };
  await createOrUpdate<ConfigMap>(client, configMapsGvr, empty, (cm) => {
    cm.data = { ...cm.data, [registryKey(site)]: address };
  });
}

/** Removes the site's entry; nothing to do when the registry or the entry is gone. */
export async function unregisterSite(client: RestClient, namespace: string, site: WebSite): Promise<void> {
  const registry = client.resource<ConfigMap>(configMapsGvr, namespace);
  await retryOnConflict(async () => {
    let cm: ConfigMap;
    try {
      cm = await registry.get(registryName);
    } catch (err) {
      if (isStatusError(err, 404)) return;
      throw err;
    }
    const key = registryKey(site);
    if (!cm.data || !(key in cm.data)) return;
    const data = { ...cm.data };
    delete data[key];
    await registry.update({ ...cm, data });
  });
}
