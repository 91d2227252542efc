/**
 * Computed defaults for pod specs (Kubernetes' SetDefaults_PodSpec, SetDefaults_Container,
 * SetDefaults_Probe, ... and the v1 conversion of serviceAccount), shared by Pods and by the pod
 * templates of workloads. Schema defaults (restartPolicy, dnsPolicy, probe periods, ...) have
 * already been applied when these run; these handle what depends on other fields, and the Go zero
 * values ("" and 0) that Kubernetes treats as unset.
 *
 * defaultPodOnly holds what Kubernetes' SetDefaults_Pod does for Pods but deliberately not for pod
 * templates (requests from limits, enableServiceLinks, host ports under hostNetwork).
 */
import type { Container, EphemeralContainer } from './container';
import type { Lifecycle, Probe } from './probe';
import type { PodSpec } from './podSpec';
import { quantityNanos } from './resources';
import { defaultVolumes } from './volume';

type AnyContainer = Container | EphemeralContainer;

export function defaultPodSpec(spec: PodSpec): void {
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  // The v1 conversion keeps the deprecated serviceAccount in step with serviceAccountName.
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const c of allContainers(spec)) defaultContainer(c);
  defaultVolumes(spec.volumes);
}

/** Defaults Kubernetes applies to Pods only (SetDefaults_Pod), not to pod templates. */
export function defaultPodOnly(spec: PodSpec): void {
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    // Requests default to limits where a request is not given.
    const limits = c.resources?.limits;
    if (limits) {
      c.resources ??= {};
      const requests = (c.resources.requests ??= {});
      for (const [name, q] of Object.entries(limits)) if (!(name in requests)) requests[name] = q;
    }
    if (spec.hostNetwork) {
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
  spec.enableServiceLinks ??= true;
}

function defaultContainer(c: AnyContainer): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image ?? '');
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
  if (c.lifecycle) defaultLifecycle(c.lifecycle);
  for (const env of c.env ?? []) {
    const ref = env.valueFrom?.fieldRef;
    if (ref && !ref.apiVersion) ref.apiVersion = 'v1';
  }
}

function defaultProbe(probe: Probe): void {
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  if (probe.httpGet) {
    if (!probe.httpGet.path) probe.httpGet.path = '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
  if (probe.grpc) probe.grpc.service ??= '';
}

function defaultLifecycle(lifecycle: Lifecycle): void {
  for (const handler of [lifecycle.postStart, lifecycle.preStop]) {
    if (handler?.httpGet) {
      if (!handler.httpGet.path) handler.httpGet.path = '/';
      handler.httpGet.scheme ??= 'HTTP';
    }
  }
}

/** Always when the image's tag is `latest` or it has neither tag nor digest; IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * The tag of an image reference as Kubernetes' parsers.ParseImageName reads it: `latest` when the
 * reference has neither tag nor digest, '' when it has only a digest or cannot be parsed.
 */
export function imageTag(image: string): string {
  if (image === '' || /\s/.test(image)) return '';
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const hasDigest = at >= 0;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : '';
  if (tag === '' && !hasDigest) return 'latest';
  return tag;
}

/** Every container of the spec: init, regular and ephemeral. */
export function allContainers(spec: PodSpec): AnyContainer[] {
  return [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])];
}

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The pod's quality of service class, computed from cpu and memory requests and limits (qos.ComputePodQOS). */
export function podQOSClass(spec: PodSpec): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    // Requests default to limits (defaultPodOnly), so an unset request counts as its limit.
    for (const [name, q] of Object.entries({ ...c.resources?.limits, ...c.resources?.requests })) {
      const n = qosQuantity(name, q);
      if (n !== undefined) requests.set(name, (requests.get(name) ?? 0n) + n);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(c.resources?.limits ?? {})) {
      const n = qosQuantity(name, q);
      if (n === undefined) continue;
      found.add(name);
      limits.set(name, (limits.get(name) ?? 0n) + n);
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** A positive cpu or memory quantity in nanos; undefined for other resources and zero values. */
function qosQuantity(name: string, q: string | number): bigint | undefined {
  if (name !== 'cpu' && name !== 'memory') return undefined;
  const n = quantityNanos(q);
  return n !== undefined && n > 0n ? n : undefined;
}
