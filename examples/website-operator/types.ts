/**
 * The WebSite custom resource as TypeScript sees it: one interface per part of crds/website.yaml's
 * schema, written by hand to match it field for field (optional where the schema has no
 * `required` and no default). Fields the API server defaults (replicas, port, configMapRef.key)
 * are still optional here: an object read from the API has them, one you build may not.
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { Condition, ObjectMeta } from '../../api/kinds/meta';
import type { GroupVersionResource } from '../../client/resource';
import type { KindInfo } from '../../controllers/runtime';

/** How clients address WebSites: /apis/examples.marina.dev/v1/namespaces/NS/websites. */
export const webSitesGvr: GroupVersionResource = { group: 'examples.marina.dev', version: 'v1', resource: 'websites' };

/** What owner references to a WebSite say (the builder's owns() matches on it). */
export const webSiteKind: KindInfo = { apiVersion: 'examples.marina.dev/v1', kind: 'WebSite' };

export interface WebSiteSpec {
  /** Web server pods (default 1, 0..100). */
  replicas?: number;
  /** The page served at /. Exactly one of content and configMapRef is set (a CEL rule says so). */
  content?: string;
  /** Serve the page held in this ConfigMap (same namespace) instead. */
  configMapRef?: { name: string; /** default index.html */ key?: string };
  /** httpd's port in the pods and on the Service (default 8080, >= 1024). */
  port?: number;
}

export interface WebSiteStatus {
  /** The metadata.generation this status was computed for. */
  observedGeneration?: number;
  availableReplicas?: number;
  /** host:port of the site inside the cluster. */
  address?: string;
  /** The pods' label selector as a string (the scale subresource's labelSelectorPath). */
  selector?: string;
  /** Available, Progressing and Degraded. */
  conditions?: Condition[];
}

export interface WebSite extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string; namespace?: string };
  spec: WebSiteSpec;
  status?: WebSiteStatus;
}

/** A WebSite to create (the API server fills in the defaults). */
export function newWebSite(name: string, spec: WebSiteSpec, namespace?: string): WebSite {
  return { apiVersion: webSiteKind.apiVersion, kind: webSiteKind.kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec };
}
