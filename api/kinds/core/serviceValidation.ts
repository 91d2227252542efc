/**
 * Service validation (Kubernetes' ValidateService, ValidateServiceUpdate and
 * ValidateLoadBalancerStatus, v1.32), and the port checks shared with Endpoints.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, key, type FieldPath } from '../../field/path';
import { deepEqual } from '../../util/deepEqual';
import { isDualStackIPs, isIPv6String, validateCIDR, validateIP, validateNonSpecialIP } from '../../validation/ip';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../validation/names';
import { validateLabels } from '../../validation/objectMeta';
import type { Service, ServiceSpec } from './service';

/** Port protocols, in Kubernetes' order for "supported values". */
export const protocols = ['SCTP', 'TCP', 'UDP'] as const;
export const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
export type ServiceType = (typeof serviceTypes)[number];

/** Seconds of ClientIP session stickiness when not given (3 hours), and the maximum (1 day). */
export const defaultClientIPServiceAffinitySeconds = 10800;
export const maxClientIPServiceAffinitySeconds = 86400;

const topologyModeAnnotation = 'service.kubernetes.io/topology-mode';
const topologyHintsAnnotation = 'service.kubernetes.io/topology-aware-hints';
const sourceRangesAnnotation = 'service.beta.kubernetes.io/load-balancer-source-ranges';

// ---- ports, shared with Endpoints ----

/** validation.IsValidPortNum. */
export function portNumErrors(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** validation.IsValidPortName: an IANA_SVC_NAME. */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** ValidatePortNumOrName: a port number, or an IANA service name. */
export function validatePortNumOrName(port: number | string, path: FieldPath): FieldError[] {
  const msgs = typeof port === 'number' ? portNumErrors(port) : portNameErrors(port);
  return msgs.map((msg) => field.invalid(path, port, msg));
}

export function validatePortNumber(port: number, path: FieldPath): FieldError[] {
  return portNumErrors(port).map((msg) => field.invalid(path, port, msg));
}

export function validateDNS1123Label(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((msg) => field.invalid(path, value, msg));
}

export function validateQualifiedName(value: string, path: FieldPath): FieldError[] {
  return isQualifiedName(value).map((msg) => field.invalid(path, value, msg));
}

// ---- helpers ----

/** LoadBalancer, NodePort, or ClusterIP with external IPs (service.ExternallyAccessible). */
export function externallyAccessible(spec: ServiceSpec): boolean {
  const type = spec.type ?? 'ClusterIP';
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

/** A headless service: clusterIPs is exactly ["None"]. */
export function isHeadlessService(spec: ServiceSpec): boolean {
  return spec.clusterIPs?.length === 1 && spec.clusterIPs[0] === 'None';
}

export function typeOf(spec: ServiceSpec): ServiceType {
  return spec.type ?? 'ClusterIP';
}

/** The type's needs: a cluster IP (all but ExternalName), node ports, a health check node port. */
export const needsClusterIP = (spec: ServiceSpec) => typeOf(spec) !== 'ExternalName';
export const needsNodePort = (spec: ServiceSpec) => typeOf(spec) === 'NodePort' || typeOf(spec) === 'LoadBalancer';
export const needsHCNodePort = (spec: ServiceSpec) => typeOf(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';

// ---- create ----

function validateServicePort(port: NonNullable<ServiceSpec['ports']>[number], requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = port.name ?? '';
  if (requireName && !name) {
    errs.push(field.required(child(path, 'name')));
  } else if (name) {
    errs.push(...validateDNS1123Label(name, child(path, 'name')));
    if (names.has(name)) errs.push(field.duplicate(child(path, 'name'), name));
    else names.add(name);
  }
  errs.push(...validatePortNumber(port.port, child(path, 'port')));
  if (port.targetPort !== undefined) errs.push(...validatePortNumOrName(port.targetPort, child(path, 'targetPort')));
  if (port.appProtocol !== undefined) errs.push(...validateQualifiedName(port.appProtocol, child(path, 'appProtocol')));
  // Not an upstream validation rule, but the node port allocator never accepts these.
  if (port.nodePort) errs.push(...validatePortNumber(port.nodePort, child(path, 'nodePort')));
  return errs;
}

/** ValidateServiceClusterIPsRelatedFields. */
function validateClusterIPs(spec: ServiceSpec): FieldError[] {
  if (typeOf(spec) === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const path = 'spec.clusterIPs';
  const clusterIP = spec.clusterIP ?? '';
  const clusterIPs = spec.clusterIPs ?? [];
  const families = spec.ipFamilies ?? [];
  if (clusterIP) {
    if (clusterIPs.length === 0) errs.push(field.required(path));
    else if (clusterIPs[0] !== clusterIP) errs.push(field.invalid(path, clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length > 0) {
    errs.push(field.invalid(path, clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  families.forEach((family, i) => {
    if (seen.has(family)) errs.push(field.duplicate(index('spec.ipFamilies', i), family));
    seen.add(family);
  });
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errs.push(field.invalid(path, clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrs = validateIP(index(path, i), ip);
    if (ipErrs.length) invalidIPs = true;
    errs.push(...ipErrs);
  });
  if (clusterIPs.length > 2) errs.push(field.invalid(path, clusterIPs, 'may only hold up to 2 values'));
  if (invalidIPs) return errs;
  if (clusterIPs.length > 1 && !isDualStackIPs(clusterIPs)) {
    errs.push(field.invalid(path, clusterIPs, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadlessService(spec) && clusterIPs.length > 0 && families.length > 0) {
    clusterIPs.forEach((ip, i) => {
      if (i >= families.length) return;
      if (families[i] === 'IPv4' && isIPv6String(ip)) errs.push(field.invalid(index(path, i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isIPv6String(ip)) errs.push(field.invalid(index(path, i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateSessionAffinity(spec: ServiceSpec): FieldError[] {
  const path = 'spec.sessionAffinityConfig';
  if (spec.sessionAffinity === 'None') {
    return spec.sessionAffinityConfig ? [field.forbidden(path, 'must not be set when session affinity is None')] : [];
  }
  const when = 'when session affinity type is ClientIP';
  const config = spec.sessionAffinityConfig;
  if (!config) return [field.required(path, when)];
  if (!config.clientIP) return [field.required(child(path, 'clientIP'), when)];
  const timeout = config.clientIP.timeoutSeconds;
  const at = child(path, 'clientIP.timeoutSeconds');
  if (timeout === undefined) return [field.required(at, when)];
  if (timeout <= 0 || timeout > maxClientIPServiceAffinitySeconds) {
    return [field.invalid(at, timeout, `must be greater than 0 and less than ${maxClientIPServiceAffinitySeconds}`)];
  }
  return [];
}

function validateSourceRanges(svc: Service, spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const isLB = typeOf(spec) === 'LoadBalancer';
  const ranges = spec.loadBalancerSourceRanges ?? [];
  const annotation = svc.metadata?.annotations?.[sourceRangesAnnotation];
  if (ranges.length > 0) {
    // Kubernetes names this path with a capital L.
    const path = 'spec.LoadBalancerSourceRanges';
    if (!isLB) errs.push(field.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((range, i) => errs.push(...validateCIDR(index(path, i), range.trim())));
  } else if (annotation !== undefined) {
    const path = key('metadata.annotations', sourceRangesAnnotation);
    if (!isLB) errs.push(field.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    const value = annotation.trim();
    if (value) for (const cidr of value.split(',')) errs.push(...validateCIDR(path, cidr.trim()));
  }
  return errs;
}

function validateTrafficPolicies(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const type = typeOf(spec);
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(field.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) {
    errs.push(field.required('spec.externalTrafficPolicy'));
  }
  // A missing healthCheckNodePort is allocated by the server, so only a given one is checked.
  const hc = spec.healthCheckNodePort ?? 0;
  if (needsHCNodePort(spec)) {
    if (hc !== 0) errs.push(...validatePortNumber(hc, 'spec.healthCheckNodePort'));
  } else if (hc !== 0) {
    errs.push(field.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  if (spec.internalTrafficPolicy === undefined && type !== 'ExternalName') {
    errs.push(field.required('spec.internalTrafficPolicy', "must be specified when `type` is 'ClusterIP', 'NodePort', or 'LoadBalancer'"));
  }
  return errs;
}

function validateLoadBalancerFields(spec: ServiceSpec, oldSpec?: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const isLB = typeOf(spec) === 'LoadBalancer';
  if (oldSpec && typeOf(oldSpec) === 'LoadBalancer' && isLB && oldSpec.loadBalancerClass !== spec.loadBalancerClass) {
    errs.push(field.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (spec.loadBalancerClass !== undefined) {
    if (isLB) errs.push(...validateQualifiedName(spec.loadBalancerClass, 'spec.loadBalancerClass'));
    else errs.push(field.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (isLB) {
    if (spec.allocateLoadBalancerNodePorts === undefined) errs.push(field.required('spec.allocateLoadBalancerNodePorts'));
  } else if (spec.allocateLoadBalancerNodePorts !== undefined) {
    errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

/** ValidateService: the rules for a service's spec and annotations. */
export function validateServiceSpec(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  const type = typeOf(spec);
  const annotations = svc.metadata?.annotations ?? {};
  const mode = annotations[topologyModeAnnotation];
  const hints = annotations[topologyHintsAnnotation];
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    errs.push(field.invalid(key('metadata.annotations', topologyModeAnnotation), mode, `must match annotations[${topologyHintsAnnotation}] when both are specified`));
  }
  const ports = spec.ports ?? [];
  const headless = isHeadlessService(spec);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(field.required('spec.ports'));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) {
    errs.push(field.invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  }
  if (type === 'ExternalName') {
    if (spec.clusterIPs?.length) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (spec.ipFamilies?.length) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    // The value (a CNAME) may have a trailing dot to denote it as fully qualified.
    const cname = (spec.externalName ?? '').replace(/\.$/, '');
    if (cname) errs.push(...isDNS1123Subdomain(cname).map((msg) => field.invalid('spec.externalName', cname, msg)));
    else errs.push(field.required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => errs.push(...validateServicePort(port, ports.length > 1, names, index('spec.ports', i))));
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateSessionAffinity(spec));
  errs.push(...validateClusterIPs(spec));
  (spec.externalIPs ?? []).forEach((ip, i) => {
    const ipErrs = validateIP(index('spec.externalIPs', i), ip);
    errs.push(...(ipErrs.length ? ipErrs : validateNonSpecialIP(index('spec.externalIPs', i), ip)));
  });
  if (type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (port.nodePort) errs.push(field.forbidden(index('spec.ports', i) + '.nodePort', "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((port, i) => {
    const protocol = port.protocol ?? 'TCP';
    if (port.nodePort) {
      const k = `${protocol}/${port.nodePort}`;
      if (nodePorts.has(k)) errs.push(field.duplicate(index('spec.ports', i) + '.nodePort', port.nodePort));
      nodePorts.add(k);
    }
    const k = `${protocol}/${port.port}`;
    if (portKeys.has(k)) errs.push(field.duplicate(index('spec.ports', i), { port: port.port, protocol }));
    portKeys.add(k);
  });
  errs.push(...validateSourceRanges(svc, spec));
  errs.push(...validateTrafficPolicies(spec));
  return errs;
}

// ---- update ----

function validateClusterIPsUpdate(spec: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (typeOf(spec) === 'ExternalName' || typeOf(old) === 'ExternalName') return [];
  if (isHeadlessService(spec) && isHeadlessService(old)) return [];
  const path = 'spec.clusterIPs[0]';
  const ips = spec.clusterIPs ?? [];
  const oldIPs = old.clusterIPs ?? [];
  const errs: FieldError[] = [];
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => ip !== ips[i] && errs.push(field.invalid(path, ips, 'may not change once set')));
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(field.invalid(path, ips, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) errs.push(field.invalid(path, ips, 'may not change once set'));
    if (ips.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(field.invalid(path, ips, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(field.invalid(path, ips, 'may not change once set'));
  }
  return errs;
}

function validateIPFamiliesUpdate(spec: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (typeOf(spec) === 'ExternalName' || typeOf(old) === 'ExternalName') return [];
  if (isHeadlessService(spec) || isHeadlessService(old)) return [];
  const families = spec.ipFamilies ?? [];
  const oldFamilies = old.ipFamilies ?? [];
  const ips = spec.clusterIPs ?? [];
  const errs: FieldError[] = [];
  if (oldFamilies.length === families.length) {
    oldFamilies.forEach((f, i) => f !== families[i] && errs.push(field.invalid('spec.ipFamilies[0]', families, 'may not change once set')));
  } else if (oldFamilies.length > families.length) {
    if (ips.length === 0) errs.push(field.invalid('spec.ipFamilies[0]', families, 'primary ipFamily can not be unset'));
    if (families.length > 0 && families[0] !== oldFamilies[0]) errs.push(field.invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
    if (families.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(field.invalid('spec.clusterIPs[0]', ips, "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldFamilies.length > 0 && families.length > 0 && families[0] !== oldFamilies[0]) {
    errs.push(field.invalid('spec.ipFamilies[0]', ips, 'may not change once set'));
  }
  return errs;
}

/** ValidateLoadBalancerStatus (the AllowServiceLBStatusOnNonLB gate is off in v1.32). */
export function validateLoadBalancerStatus(svc: Service): FieldError[] {
  const ingresses = svc.status?.loadBalancer?.ingress ?? [];
  const path = 'status.loadBalancer.ingress';
  if (typeOf(svc.spec ?? {}) !== 'LoadBalancer' && ingresses.length > 0) {
    return [field.forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  const errs: FieldError[] = [];
  ingresses.forEach((ingress, i) => {
    const at = index(path, i);
    if (ingress.ip) errs.push(...validateIP(child(at, 'ip'), ingress.ip));
    if (ingress.ipMode === undefined) {
      if (ingress.ip) errs.push(field.required(child(at, 'ipMode'), 'must be specified when `ip` is set'));
    } else if (!ingress.ip) {
      errs.push(field.forbidden(child(at, 'ipMode'), 'may not be specified when `ip` is not set'));
    }
    if (ingress.hostname) {
      for (const msg of isDNS1123Subdomain(ingress.hostname)) errs.push(field.invalid(child(at, 'hostname'), ingress.hostname, msg));
      if (validateIP('', ingress.hostname).length === 0) errs.push(field.invalid(child(at, 'hostname'), ingress.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

/**
 * The kind's validate: ValidateService on create; on update ValidateServiceUpdate. The status
 * is only checked when it changed (a /status write), as Kubernetes checks it only there.
 */
export function validateService(svc: Service, old?: Service): FieldError[] {
  const errs: FieldError[] = [];
  if (old) {
    const spec = svc.spec ?? {};
    const oldSpec = old.spec ?? {};
    errs.push(...validateClusterIPsUpdate(spec, oldSpec), ...validateIPFamiliesUpdate(spec, oldSpec));
    errs.push(...validateLoadBalancerFields(spec, oldSpec));
  } else {
    errs.push(...validateLoadBalancerFields(svc.spec ?? {}));
  }
  errs.push(...validateServiceSpec(svc));
  if (!old || !deepEqual(svc.status ?? {}, old.status ?? {})) errs.push(...validateLoadBalancerStatus(svc));
  return errs;
}
