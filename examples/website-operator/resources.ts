/**
 * What a WebSite becomes: a ConfigMap with its content, a Deployment running busybox httpd on it,
 * and a Service in front. Each `mutate…` function is given the live object (or a fresh one to
 * create) and sets only the fields this operator manages, leaving the rest (the API server's
 * defaults, other controllers' fields) alone: createOrUpdate compares before and after and writes
 * only when something it manages differs. Sub-objects replaced as a whole (a probe, a volume
 * source) are written with their defaults spelled out, for the same reason. Pure functions: no I/O.
 */
import { createHash } from 'node:crypto';
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ConfigMap } from '../../api/kinds/core/configMap';
import type { Container } from '../../api/kinds/core/container';
import type { Service } from '../../api/kinds/core/service';
import type { Volume } from '../../api/kinds/core/volume';
import type { WebSite } from './types';

/** The page's key in the content ConfigMap, and its file name under /www. */
export const pageKey = 'index.html';
/** Changes with the page: a new hash in the pod template rolls the pods out (see mutateDeployment). */
export const contentHashAnnotation = 'examples.marina.dev/content-hash';
/** Defaults the API server applies; the operator needs them before the object comes back defaulted. */
export const defaultPort = 8080;
export const defaultReplicas = 1;

/** Where the page comes from: a ConfigMap and the key holding it. */
export interface ContentSource {
  readonly configMapName: string;
  readonly key: string;
  /** The page itself (hashed into the pod template). */
  readonly content: string;
}

/** The owned ConfigMap holding spec.content. */
export const contentConfigMapName = (site: WebSite): string => `${site.metadata.name}-content`;

/** The Deployment and the Service carry the site's name. */
export const workloadName = (site: WebSite): string => site.metadata.name;

/** Labels on everything the operator makes; the first two select the site's pods. */
export function labelsFor(site: WebSite): Record<string, string> {
  return { ...selectorLabels(site), 'app.kubernetes.io/managed-by': 'website-operator' };
}

export function selectorLabels(site: WebSite): Record<string, string> {
  return { 'app.kubernetes.io/name': 'website', 'app.kubernetes.io/instance': site.metadata.name };
}

/** The pods' selector as a string, as the scale subresource reports it. */
export function selectorString(site: WebSite): string {
  return Object.entries(selectorLabels(site)).map(([k, v]) => `${k}=${v}`).join(',');
}

export const portOf = (site: WebSite): number => site.spec.port ?? defaultPort;

/** A short, stable digest of the page. */
export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

/** metadata of an object the site owns, as created: named `name`, in the site's namespace. */
export function ownedMeta(site: WebSite, name: string): { name: string; namespace?: string } {
  return { name, ...(site.metadata.namespace ? { namespace: site.metadata.namespace } : {}) };
}

export function mutateContentConfigMap(cm: ConfigMap, site: WebSite): void {
  cm.metadata = { ...cm.metadata, labels: { ...cm.metadata?.labels, ...labelsFor(site) } };
  cm.data = { [pageKey]: site.spec.content ?? '' };
}

export function mutateDeployment(d: Deployment, site: WebSite, source: ContentSource, image: string): void {
  const port = portOf(site);
  d.metadata = { ...d.metadata, labels: { ...d.metadata?.labels, ...labelsFor(site) } };
  const spec = (d.spec ??= { selector: {}, template: {} });
  spec.replicas = site.spec.replicas ?? defaultReplicas;
  // A Deployment's selector is immutable: set it when creating, never change it afterwards.
  if (!d.metadata.resourceVersion) spec.selector = { matchLabels: selectorLabels(site) };
  const template = spec.template;
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, ...labelsFor(site) },
    // The pods read the page from a ConfigMap volume at start; a new hash makes new pods.
    annotations: { ...template.metadata?.annotations, [contentHashAnnotation]: contentHash(source.content) },
  };
  const podSpec = (template.spec ??= { containers: [] });
  // httpd runs as PID 1, which ignores SIGTERM; it has nothing to drain, so it is not given 30 s.
  podSpec.terminationGracePeriodSeconds = 3;
  setContainer(podSpec.containers, image, port);
  podSpec.volumes = upsertByName(podSpec.volumes ?? [], contentVolume(source));
}

/** The httpd container, changed in place (fields this operator does not set keep their defaults). */
function setContainer(containers: Container[], image: string, port: number): void {
  let c = containers.find((x) => x.name === 'httpd');
  if (!c) containers.push((c = { name: 'httpd' }));
  c.image = image;
  // The image is imported on the nodes, not pulled: never try a registry.
  c.imagePullPolicy = 'IfNotPresent';
  c.command = ['httpd', '-f', '-p', String(port), '-h', '/www'];
  c.ports = [{ name: 'http', containerPort: port, protocol: 'TCP' }];
  c.volumeMounts = [{ name: 'content', mountPath: '/www', readOnly: true }];
  // Ready once httpd answers: the Deployment's availableReplicas then means "serving".
  c.readinessProbe = { httpGet: { path: '/', port, scheme: 'HTTP' }, periodSeconds: 2, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };
}

/** The ConfigMap volume mounted at /www: the page's key appears as /www/index.html. */
function contentVolume(source: ContentSource): Volume {
  return { name: 'content', configMap: { name: source.configMapName, items: [{ key: source.key, path: pageKey }], defaultMode: 0o644 } };
}

export function mutateService(svc: Service, site: WebSite): void {
  const port = portOf(site);
  svc.metadata = { ...svc.metadata, labels: { ...svc.metadata?.labels, ...labelsFor(site) } };
  const spec = (svc.spec ??= {});
  spec.selector = selectorLabels(site);
  spec.ports = [{ name: 'http', port, targetPort: port, protocol: 'TCP' }];
}

/** `list` with `item` in place of the element of the same name (appended when absent). */
function upsertByName<T extends { name: string }>(list: readonly T[], item: T): T[] {
  const i = list.findIndex((x) => x.name === item.name);
  return i < 0 ? [...list, item] : list.map((x, j) => (j === i ? item : x));
}
