/**
 * Validation of pod specs and pod templates, as Kubernetes' ValidatePodSpec and
 * ValidatePodTemplateSpec do it (pkg/apis/core/validation, v1.32). Used by the Pod kind and by
 * every workload that embeds a pod template. Kind functions run after schema validation, so types
 * and enum values are already right here; these are the cross-field rules.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import { validateAnnotations, validateLabels } from '../../validation/objectMeta';
import type { Container, EphemeralContainer } from './container';
import {
  checkHostPortConflicts,
  validateContainerCommon,
  validateEphemeralOnlyFields,
  validateImageWhitespace,
  validateProbesAndLifecycle,
  type PodContext,
} from './containerValidation';
import type { PodSpec, PodTemplateSpec } from './podSpec';
import { validateOverhead } from './resourceValidation';
import { validateAffinity } from './affinity';
import { validateDNSConfig, validateHostAliases, validatePodResourceClaims, validateReadinessGates, validateSchedulingGates } from './schedulingValidation';
import { validateOS, validatePodSecurityContext, validateWindowsHostProcessPod } from './securityValidation';
import { validateTolerations } from './toleration';
import { validateTopologySpreadConstraints } from './topologySpreadConstraint';
import { dns1123Label, dns1123Subdomain, inclusiveRangeError, maxInt32, notFound } from './validationHelpers';
import { validateVolumes } from './volume';

export interface PodSpecValidationOptions {
  /**
   * The spec is a Pod's, not a template's: under hostNetwork each container port's hostPort must
   * equal its containerPort (templates may leave hostPort unset, it is defaulted on the Pod).
   */
  readonly isPod?: boolean;
  /** The pod's name, when validating a Pod: generic ephemeral volumes create PVCs named after it. */
  readonly podName?: string;
}

/** Validates a pod spec at `path` (`spec` for a Pod, `spec.template.spec` for a Deployment). */
export function validatePodSpec(spec: PodSpec, path: FieldPath, opts: PodSpecValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined) errs.push(field.required(child(path, 'terminationGracePeriodSeconds')));
  const hostUsers = spec.hostUsers !== false;

  errs.push(...validateVolumes(spec.volumes, child(path, 'volumes'), { resourceIsPod: opts.isPod === true, ...(opts.podName ? { podName: opts.podName } : {}) }));
  const ctx: PodContext = {
    volumes: volumeSources(spec),
    podClaimNames: new Set((spec.resourceClaims ?? []).map((c) => c.name).filter((n) => n !== '')),
    gracePeriod: spec.terminationGracePeriodSeconds,
    hostUsers,
  };
  errs.push(...validatePodResourceClaims(spec.resourceClaims ?? [], child(path, 'resourceClaims')));
  errs.push(...validateContainers(spec.containers, ctx, child(path, 'containers')));
  errs.push(...validateInitContainers(spec.initContainers ?? [], spec.containers, ctx, child(path, 'initContainers')));
  errs.push(...validateEphemeralContainers(spec, ctx, child(path, 'ephemeralContainers')));
  errs.push(...validateHostNetworkPorts(spec, path, opts.isPod === true));
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(spec, child(path, 'securityContext')));
  errs.push(...validateAffinity(spec.affinity, child(path, 'affinity')));
  errs.push(...validateDNSConfig(spec, child(path, 'dnsConfig')));
  errs.push(...validateReadinessGates(spec.readinessGates ?? [], child(path, 'readinessGates')));
  errs.push(...validateSchedulingGates(spec.schedulingGates ?? [], child(path, 'schedulingGates')));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, child(path, 'topologySpreadConstraints')));
  errs.push(...validateWindowsHostProcessPod(spec, path));
  if (!hostUsers) {
    // A pod in its own user namespace may not share the host's other namespaces.
    const text = 'when `pod.Spec.HostUsers` is false';
    if (spec.hostNetwork) errs.push(field.forbidden(child(path, 'hostNetwork'), text));
    if (spec.hostPID) errs.push(field.forbidden(child(path, 'HostPID'), text));
    if (spec.hostIPC) errs.push(field.forbidden(child(path, 'HostIPC'), text));
  }
  if (spec.serviceAccountName) errs.push(...dns1123Subdomain(spec.serviceAccountName, child(path, 'serviceAccountName')));
  if (spec.nodeName) errs.push(...dns1123Subdomain(spec.nodeName, child(path, 'nodeName')));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && (deadline < 1 || deadline > maxInt32)) {
    errs.push(field.invalid(child(path, 'activeDeadlineSeconds'), deadline, inclusiveRangeError(1, maxInt32)));
  }
  if (spec.hostname) errs.push(...dns1123Label(spec.hostname, child(path, 'hostname')));
  if (spec.subdomain) errs.push(...dns1123Label(spec.subdomain, child(path, 'subdomain')));
  if ((spec.tolerations ?? []).length) errs.push(...validateTolerations(spec.tolerations, child(path, 'tolerations')));
  if ((spec.hostAliases ?? []).length) errs.push(...validateHostAliases(spec.hostAliases ?? [], child(path, 'hostAliases')));
  if (spec.priorityClassName) errs.push(...dns1123Subdomain(spec.priorityClassName, child(path, 'priorityClassName')));
  if (spec.runtimeClassName !== undefined) errs.push(...dns1123Subdomain(spec.runtimeClassName, child(path, 'runtimeClassName')));
  if (spec.overhead) errs.push(...validateOverhead(spec.overhead, child(path, 'overhead')));
  errs.push(...validateOS(spec, path));
  if (opts.isPod) errs.push(...validatePodOnly(spec, path));
  return errs;
}

/**
 * Validates a pod template at `path` (e.g. `spec.template`): its labels and annotations (reported
 * at `<path>.labels`, as Kubernetes does) and its spec; templates may not hold ephemeral containers.
 */
export function validatePodTemplateSpec(template: PodTemplateSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateLabels(template.metadata?.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(template.metadata?.annotations, child(path, 'annotations')));
  const specPath = child(path, 'spec');
  if (!template.spec) return [...errs, field.required(child(specPath, 'containers'))];
  errs.push(...validatePodSpec(template.spec, specPath));
  if ((template.spec.ephemeralContainers ?? []).length) {
    errs.push(field.forbidden(child(specPath, 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/** Each volume's name with the names of the sources it sets (`persistentVolumeClaim`, `image`, ...). */
function volumeSources(spec: PodSpec): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const v of spec.volumes ?? []) {
    const fields = Object.entries(v as Readonly<Record<string, unknown>>).filter(([k, val]) => k !== 'name' && val !== undefined);
    out.set(v.name, new Set(fields.map(([k]) => k)));
  }
  return out;
}

function validateContainers(containers: readonly Container[], ctx: PodContext, path: FieldPath): FieldError[] {
  if (!containers.length) return [field.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const at = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, at));
    if (names.has(c.name)) errs.push(field.duplicate(child(at, 'name'), c.name));
    else names.add(c.name);
    errs.push(...validateProbesAndLifecycle(c, ctx, at));
    if (c.restartPolicy !== undefined) errs.push(field.forbidden(child(at, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

function validateInitContainers(inits: readonly Container[], regular: readonly Container[], ctx: PodContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(regular.map((c) => c.name));
  inits.forEach((c, i) => {
    const at = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, at));
    // restartPolicy's only value, Always (a sidecar), is enforced by the schema.
    const sidecar = c.restartPolicy === 'Always';
    if (names.has(c.name)) errs.push(field.duplicate(child(at, 'name'), c.name));
    else if (c.name) names.add(c.name);
    // Init containers run one by one: their host ports are checked individually.
    errs.push(...checkHostPortConflicts([c], path));
    if (sidecar) {
      errs.push(...validateProbesAndLifecycle(c, ctx, at));
    } else {
      const text = 'may not be set for init containers without restartPolicy=Always';
      for (const name of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (c[name] !== undefined) errs.push(field.forbidden(child(at, name), text));
      }
    }
  });
  return errs;
}

function validateEphemeralContainers(spec: PodSpec, ctx: PodContext, path: FieldPath): FieldError[] {
  const ephemeral: readonly EphemeralContainer[] = spec.ephemeralContainers ?? [];
  if (!ephemeral.length) return [];
  const errs: FieldError[] = [];
  const others = new Set([...spec.containers, ...(spec.initContainers ?? [])].map((c) => c.name));
  const all = new Set(others);
  ephemeral.forEach((ec, i) => {
    const at = index(path, i);
    errs.push(...validateContainerCommon(ec, ctx, at));
    errs.push(...validateImageWhitespace(ec, at));
    if (all.has(ec.name)) errs.push(field.duplicate(child(at, 'name'), ec.name));
    else all.add(ec.name);
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) {
      errs.push(notFound(child(at, 'targetContainerName'), ec.targetContainerName));
    }
    errs.push(...validateEphemeralOnlyFields(ec, at));
  });
  return errs;
}

/** Under hostNetwork a port's hostPort must match its containerPort (0 allowed in templates). */
function validateHostNetworkPorts(spec: PodSpec, path: FieldPath, isPod: boolean): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errs: FieldError[] = [];
  spec.containers.forEach((c, i) => {
    (c.ports ?? []).forEach((p, j) => {
      const hostPort = p.hostPort ?? 0;
      if ((isPod || hostPort !== 0) && hostPort !== p.containerPort) {
        errs.push(field.invalid(child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'hostPort'), hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

/** Checks Kubernetes makes for Pods but not for pod templates (validatePodMetadataAndSpec). */
function validatePodOnly(spec: PodSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.serviceAccountName) {
    (spec.volumes ?? []).forEach((v, vi) => {
      const projected = (v as { projected?: { sources?: readonly { serviceAccountToken?: unknown }[] } }).projected;
      (projected?.sources ?? []).forEach((source, si) => {
        if (source.serviceAccountToken !== undefined) {
          const at = child(index(child(child(index(child(path, 'volumes'), vi), 'projected'), 'sources'), si), 'serviceAccountToken');
          errs.push(field.forbidden(at, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  spec.containers.forEach((c, i) => errs.push(...validateImageWhitespace(c, index(child(path, 'containers'), i))));
  (spec.initContainers ?? []).forEach((c, i) => errs.push(...validateImageWhitespace(c, index(child(path, 'initContainers'), i))));
  return errs;
}
