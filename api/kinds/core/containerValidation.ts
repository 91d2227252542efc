/**
 * Validation of containers (regular, init and ephemeral) as Kubernetes' validateContainerCommon and
 * its helpers do it: names, image, ports, environment, mounts, probes, lifecycle hooks, resources
 * and security context. Paths and messages follow pkg/apis/core/validation (v1.32), including
 * its quirks (e.g. subPath errors reported at `volumeMounts.subPath`).
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import type { Container, ContainerPort, EphemeralContainer, VolumeDevice, VolumeMount } from './container';
import type { EnvFromSource, EnvVar, ObjectFieldSelector, ResourceFieldSelector } from './env';
import type { HTTPGetAction, Lifecycle, LifecycleHandler, Probe } from './probe';
import { compareQuantities, quantityNanos } from './resources';
import { validateResourceRequirements } from './resourceValidation';
import { validateSecurityContext } from './securityValidation';
import {
  dns1123Label,
  dns1123Subdomain,
  isConfigMapKey,
  isEnvVarName,
  isHTTPHeaderName,
  isValidPortName,
  localDescendingPath,
  noBacksteps,
  nonNegative,
  notFound,
  portNumber,
  portNumOrName,
  qualifiedName,
} from './validationHelpers';

type AnyContainer = Container | EphemeralContainer;

/** What container validation needs to know about the pod around it. */
export interface PodContext {
  /** Volumes by name, each with the names of its set sources (`persistentVolumeClaim`, ...). */
  readonly volumes: ReadonlyMap<string, ReadonlySet<string>>;
  readonly podClaimNames: ReadonlySet<string>;
  readonly gracePeriod: number | undefined;
  readonly hostUsers: boolean;
}

export function validateContainerCommon(c: AnyContainer, ctx: PodContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(child(path, 'name')));
  else errs.push(...dns1123Label(c.name, child(path, 'name')));
  if (!c.image) errs.push(field.required(child(path, 'image')));
  if (!c.terminationMessagePolicy) errs.push(field.required(child(path, 'terminationMessagePolicy')));
  errs.push(...validateContainerPorts(c.ports ?? [], child(path, 'ports')));
  errs.push(...validateEnv(c.env ?? [], child(path, 'env')));
  errs.push(...validateEnvFrom(c.envFrom ?? [], child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c, ctx, child(path, 'volumeMounts')));
  errs.push(...validateVolumeDevices(c, ctx, child(path, 'volumeDevices')));
  if (!c.imagePullPolicy) errs.push(field.required(child(path, 'imagePullPolicy')));
  errs.push(...validateResourceRequirements(c.resources ?? {}, ctx.podClaimNames, child(path, 'resources')));
  errs.push(...validateResizePolicy(c, child(path, 'resizePolicy')));
  errs.push(...validateSecurityContext(c.securityContext, child(path, 'securityContext')));
  return errs;
}

export function validateContainerPorts(ports: readonly ContainerPort[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const at = index(path, i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const msg of msgs) errs.push(field.invalid(child(at, 'name'), port.name, msg));
      else if (names.has(port.name)) errs.push(field.duplicate(child(at, 'name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(field.required(child(at, 'containerPort')));
    else errs.push(...portNumber(port.containerPort, child(at, 'containerPort')));
    if (port.hostPort) errs.push(...portNumber(port.hostPort, child(at, 'hostPort')));
    if (!port.protocol) errs.push(field.required(child(at, 'protocol')));
  });
  return errs;
}

/** Host ports may not repeat (same protocol, host IP and port) across the given containers. */
export function checkHostPortConflicts(containers: readonly AnyContainer[], path: FieldPath, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const id = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(id)) errs.push(field.duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), id));
      else seen.add(id);
    });
  });
  return errs;
}

const envFieldPaths = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
/** Labels ConvertDownwardAPIFieldLabel accepts for pods (before the env or volume restriction). */
const convertibleFieldLabels = new Set([
  ...envFieldPaths,
  'metadata.annotations',
  'metadata.labels',
  'spec.restartPolicy',
  'spec.schedulerName',
  'status.phase',
]);
const resourceFieldPaths = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'];

export function validateEnv(vars: readonly EnvVar[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  vars.forEach((ev, i) => {
    const at = index(path, i);
    if (!ev.name) errs.push(field.required(child(at, 'name')));
    else for (const msg of isEnvVarName(ev.name)) errs.push(field.invalid(child(at, 'name'), ev.name, msg));
    errs.push(...validateEnvVarValueFrom(ev, child(at, 'valueFrom')));
  });
  return errs;
}

function validateEnvVarValueFrom(ev: EnvVar, path: FieldPath): FieldError[] {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    errs.push(...validateObjectFieldSelector(from.fieldRef, envFieldPaths, child(path, 'fieldRef')));
  }
  if (from.resourceFieldRef) {
    sources++;
    errs.push(...validateResourceFieldSelector(from.resourceFieldRef, false, child(path, 'resourceFieldRef')));
  }
  for (const name of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = from[name];
    if (!ref) continue;
    sources++;
    const at = child(path, name);
    errs.push(...dns1123Subdomain(ref.name ?? '', child(at, 'name')));
    if (!ref.key) errs.push(field.required(child(at, 'key')));
    else for (const msg of isConfigMapKey(ref.key)) errs.push(field.invalid(child(at, 'key'), ref.key, msg));
  }
  if (sources === 0) errs.push(field.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (ev.value) errs.push(field.invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

/** A downward API field reference; `allowed` lists the plain paths valid where it is used. */
export function validateObjectFieldSelector(fs: ObjectFieldSelector, allowed: readonly string[], path: FieldPath): FieldError[] {
  if (!fs.apiVersion) return [field.required(child(path, 'apiVersion'))];
  if (!fs.fieldPath) return [field.required(child(path, 'fieldPath'))];
  const sub = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/.exec(fs.fieldPath);
  if (fs.apiVersion !== 'v1') {
    return [field.invalid(child(path, 'fieldPath'), fs.fieldPath, `error converting fieldPath: unsupported pod version: ${fs.apiVersion}`)];
  }
  if (sub) {
    const [, base, subscript = ''] = sub;
    return qualifiedName(base === 'metadata.annotations' ? subscript.toLowerCase() : subscript, path);
  }
  if (!convertibleFieldLabels.has(fs.fieldPath)) {
    return [field.invalid(child(path, 'fieldPath'), fs.fieldPath, `error converting fieldPath: field label not supported: ${fs.fieldPath}`)];
  }
  if (!allowed.includes(fs.fieldPath)) return [field.notSupported(child(path, 'fieldPath'), fs.fieldPath, [...allowed].sort())];
  return [];
}

const cpuDivisors = ['1m', '1'];
const byteDivisors = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

/** A container resource reference (env or downward API volume); volumes require containerName. */
export function validateResourceFieldSelector(fs: ResourceFieldSelector, volume: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (volume && !fs.containerName) errs.push(field.required(child(path, 'containerName')));
  else if (!fs.resource) errs.push(field.required(child(path, 'resource')));
  else if (!resourceFieldPaths.includes(fs.resource) && !/^(requests|limits)\.hugepages-/.test(fs.resource)) {
    errs.push(field.notSupported(child(path, 'resource'), fs.resource, resourceFieldPaths));
  }
  if (fs.divisor !== undefined && compareToAny(fs.divisor)) {
    const r = fs.resource;
    const d = child(path, 'divisor');
    if (r.endsWith('.cpu') && !matchesAny(fs.divisor, cpuDivisors)) errs.push(field.invalid(d, r, "only divisor's values 1m and 1 are supported with the cpu resource"));
    const bytes = byteDivisors.join(', ');
    if (r.endsWith('.memory') && !matchesAny(fs.divisor, byteDivisors)) errs.push(field.invalid(d, r, `only divisor's values ${bytes} are supported with the memory resource`));
    if (r.endsWith('.ephemeral-storage') && !matchesAny(fs.divisor, byteDivisors)) {
      errs.push(field.invalid(d, r, `only divisor's values ${bytes} are supported with the local ephemeral storage resource`));
    }
    if (/^(requests|limits)\.hugepages-/.test(r) && !matchesAny(fs.divisor, byteDivisors)) {
      errs.push(field.invalid(d, r, `only divisor's values ${bytes} are supported with the hugepages resource`));
    }
  }
  return errs;
}


/** A divisor of zero counts as unset, as in Kubernetes. */
function compareToAny(divisor: string | number): boolean {
  return quantityNanos(divisor) !== 0n;
}

function matchesAny(q: string | number, allowed: readonly string[]): boolean {
  return allowed.some((a) => compareQuantities(q, a) === 0);
}

export function validateEnvFrom(sources: readonly EnvFromSource[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  sources.forEach((ev, i) => {
    const at = index(path, i);
    if (ev.prefix) for (const msg of isEnvVarName(ev.prefix)) errs.push(field.invalid(child(at, 'prefix'), ev.prefix, msg));
    let count = 0;
    for (const name of ['configMapRef', 'secretRef'] as const) {
      const ref = ev[name];
      if (!ref) continue;
      count++;
      if (!ref.name) errs.push(field.required(child(child(at, name), 'name')));
      else errs.push(...dns1123Subdomain(ref.name, child(child(at, name), 'name')));
    }
    if (count === 0) errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(c: AnyContainer, ctx: PodContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const mounts: readonly VolumeMount[] = c.volumeMounts ?? [];
  const devices = new Map((c.volumeDevices ?? []).map((d) => [d.name, d.devicePath]));
  const devicePaths = new Set(devices.values());
  const mountPoints = new Set<string>();
  const privileged = c.securityContext?.privileged === true;
  mounts.forEach((m, i) => {
    const at = index(path, i);
    if (!m.name) errs.push(field.required(child(at, 'name')));
    const sources = ctx.volumes.get(m.name);
    if (!sources) errs.push(notFound(child(at, 'name'), m.name));
    if (!m.mountPath) errs.push(field.required(child(at, 'mountPath')));
    if (mountPoints.has(m.mountPath)) errs.push(field.invalid(child(at, 'mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (devices.has(m.name)) errs.push(field.invalid(child(at, 'name'), m.name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(m.mountPath)) errs.push(field.invalid(child(at, 'mountPath'), m.mountPath, 'must not already exist as a path in volumeDevices'));
    if (sources?.has('image')) {
      if (m.subPath) errs.push(field.invalid(child(at, 'subPath'), m.subPath, 'not allowed in image volume sources'));
      if (m.subPathExpr) errs.push(field.invalid(child(at, 'subPathExpr'), m.subPathExpr, 'not allowed in image volume sources'));
    }
    if (m.subPath) errs.push(...localDescendingPath(m.subPath, child(path, 'subPath')));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(field.invalid(child(at, 'subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...localDescendingPath(m.subPathExpr, child(path, 'subPathExpr')));
    }
    if (m.mountPropagation === 'Bidirectional' && !privileged) {
      errs.push(field.forbidden(child(path, 'mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers'));
    }
    if (m.recursiveReadOnly === 'Enabled' || m.recursiveReadOnly === 'IfPossible') {
      if (!m.readOnly) errs.push(field.forbidden(child(path, 'recursiveReadOnly'), 'may only be specified when readOnly is true'));
      if (m.mountPropagation && m.mountPropagation !== 'None') {
        errs.push(field.forbidden(child(path, 'recursiveReadOnly'), 'may only be specified when mountPropagation is None or not specified'));
      }
    }
  });
  return errs;
}

function validateVolumeDevices(c: AnyContainer, ctx: PodContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const devices: readonly VolumeDevice[] = c.volumeDevices ?? [];
  const mounts = new Map((c.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
  const mountPaths = new Set(mounts.values());
  const names = new Set<string>();
  const paths = new Set<string>();
  devices.forEach((d, i) => {
    const at = index(path, i);
    const sources = ctx.volumes.get(d.name);
    if (!d.name) errs.push(field.required(child(at, 'name')));
    if (names.has(d.name)) errs.push(field.invalid(child(at, 'name'), d.name, 'must be unique'));
    if (sources && !sources.has('persistentVolumeClaim') && !sources.has('ephemeral')) {
      errs.push(field.invalid(child(at, 'name'), d.name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!sources) errs.push(notFound(child(at, 'name'), d.name));
    if (!d.devicePath) errs.push(field.required(child(at, 'devicePath')));
    if (paths.has(d.devicePath)) errs.push(field.invalid(child(at, 'devicePath'), d.devicePath, 'must be unique'));
    if (d.devicePath && noBacksteps(d.devicePath, '').length) errs.push(field.invalid(child(at, 'devicePath'), d.devicePath, "can not contain backsteps ('..')"));
    else paths.add(d.devicePath);
    if (mounts.has(d.name)) errs.push(field.invalid(child(at, 'name'), d.name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(d.devicePath)) errs.push(field.invalid(child(at, 'devicePath'), d.devicePath, 'must not already exist as a path in volumeMounts'));
    if (d.name) names.add(d.name);
  });
  return errs;
}

/** Resize policies name each resource once (pod resize itself is alpha in v1.32, so nothing more). */
function validateResizePolicy(c: AnyContainer, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (c.resizePolicy ?? []).forEach((p, i) => {
    if (seen.has(p.resourceName)) errs.push(field.duplicate(index(path, i), p.resourceName));
    seen.add(p.resourceName);
  });
  return errs;
}

// ---- probes and lifecycle hooks ------------------------------------------------------------------

type Handler = { exec?: Probe['exec']; httpGet?: HTTPGetAction; tcpSocket?: Probe['tcpSocket']; grpc?: Probe['grpc']; sleep?: LifecycleHandler['sleep'] };

function validateHandler(h: Handler, ctx: PodContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let handlers = 0;
  const kinds = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;
  for (const kind of kinds) {
    if (h[kind] === undefined) continue;
    if (handlers > 0) {
      errs.push(field.forbidden(child(path, kind), 'may not specify more than 1 handler type'));
      continue;
    }
    handlers++;
    const at = child(path, kind);
    if (h.exec && kind === 'exec' && !(h.exec.command ?? []).length) errs.push(field.required(child(at, 'command')));
    if (h.httpGet && kind === 'httpGet') errs.push(...validateHTTPGet(h.httpGet, at));
    if (h.tcpSocket && kind === 'tcpSocket') errs.push(...portNumOrName(h.tcpSocket.port, child(at, 'port')));
    if (h.grpc && kind === 'grpc') errs.push(...portNumber(h.grpc.port, child(at, 'port')));
    if (h.sleep && kind === 'sleep' && ctx.gracePeriod !== undefined && (h.sleep.seconds <= 0 || h.sleep.seconds > ctx.gracePeriod)) {
      errs.push(
        field.invalid(
          at,
          h.sleep.seconds,
          `must be greater than 0 and less than terminationGracePeriodSeconds (${ctx.gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
        ),
      );
    }
  }
  if (handlers === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateHTTPGet(http: HTTPGetAction, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!http.path) errs.push(field.required(child(path, 'path')));
  errs.push(...portNumOrName(http.port, child(path, 'port')));
  for (const h of http.httpHeaders ?? []) for (const msg of isHTTPHeaderName(h.name)) errs.push(field.invalid(child(path, 'httpHeaders'), h.name, msg));
  return errs;
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbe(probe: Probe | undefined, kind: ProbeKind, ctx: PodContext, path: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler({ exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, grpc: probe.grpc }, ctx, path);
  for (const name of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...nonNegative(probe[name], child(path, name)));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined && grace <= 0) errs.push(field.invalid(child(path, 'terminationGracePeriodSeconds'), grace, 'must be greater than 0'));
  if (kind !== 'readinessProbe' && (probe.successThreshold ?? 1) !== 1) {
    errs.push(field.invalid(child(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  }
  if (kind === 'readinessProbe' && grace !== undefined) {
    errs.push(field.invalid(child(path, 'terminationGracePeriodSeconds'), grace, 'must not be set for readinessProbes'));
  }
  return errs;
}

export function validateLifecycle(lifecycle: Lifecycle, ctx: PodContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of ['postStart', 'preStop'] as const) {
    const h = lifecycle[name];
    if (h) errs.push(...validateHandler({ exec: h.exec, httpGet: h.httpGet, tcpSocket: h.tcpSocket, sleep: h.sleep }, ctx, child(path, name)));
  }
  return errs;
}

/** Probes and lifecycle of a regular container or a sidecar (restartable init container). */
export function validateProbesAndLifecycle(c: AnyContainer, ctx: PodContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, ctx, child(path, 'lifecycle')));
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) errs.push(...validateProbe(c[kind], kind, ctx, child(path, kind)));
  return errs;
}

/** Ephemeral containers may not set these (upstream's allow list leaves them out). */
export function validateEphemeralOnlyFields(ec: EphemeralContainer, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const text = 'cannot be set for an Ephemeral Container';
  const resources = ec.resources ?? {};
  const set = {
    ports: ec.ports !== undefined,
    resources: Object.keys(resources.limits ?? {}).length + Object.keys(resources.requests ?? {}).length + (resources.claims ?? []).length > 0,
    livenessProbe: ec.livenessProbe !== undefined,
    readinessProbe: ec.readinessProbe !== undefined,
    startupProbe: ec.startupProbe !== undefined,
    lifecycle: ec.lifecycle !== undefined,
    resizePolicy: ec.resizePolicy !== undefined,
    restartPolicy: ec.restartPolicy !== undefined,
  };
  for (const [name, isSet] of Object.entries(set)) if (isSet) errs.push(field.forbidden(child(path, name), text));
  (ec.volumeMounts ?? []).forEach((vm, i) => {
    if (vm.subPath) errs.push(field.forbidden(child(index(child(path, 'volumeMounts'), i), 'subPath'), text));
    if (vm.subPathExpr) errs.push(field.forbidden(child(index(child(path, 'volumeMounts'), i), 'subPathExpr'), text));
  });
  return errs;
}

/** Pod-only: the image may not carry surrounding whitespace. */
export function validateImageWhitespace(c: AnyContainer, path: FieldPath): FieldError[] {
  const image = c.image ?? '';
  return image.trim() !== image ? [field.invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace')] : [];
}
