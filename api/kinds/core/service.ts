/**
 * core/v1 Service (v1.32): schema, defaults, the update preparation the REST layer does (keeping
 * allocated values, wiping type-dependent fields) and the kind. Validation is in
 * serviceValidation.ts.
 */
import * as s from '../../schema/schema';
import { deepEqual } from '../../util/deepEqual';
import { defineKind } from '../kind';
import { Condition, conditionListSemantics, topLevelObject } from '../meta';
import {
  defaultClientIPServiceAffinitySeconds,
  externallyAccessible,
  needsClusterIP,
  needsHCNodePort,
  needsNodePort,
  protocols,
  serviceTypes,
  typeOf,
  validateService,
} from './serviceValidation';

export const ServicePort = s.object(
  'io.k8s.api.core.v1.ServicePort',
  "ServicePort contains information on service's port.",
  {
    appProtocol: s.string('The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand. This field follows standard Kubernetes label syntax.'),
    name: s.string('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names. Optional if only one ServicePort is defined on this service.'),
    nodePort: s.int32('The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system.'),
    port: s.int32('The port that will be exposed by this service.'),
    protocol: s.enumOf(protocols, 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.', { default: 'TCP' }),
    targetPort: s.intOrString('Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. Defaults to the value of the \'port\' field.'),
  },
  { required: ['port'] },
);
export type ServicePort = s.Static<typeof ServicePort>;

export const ClientIPConfig = s.object(
  'io.k8s.api.core.v1.ClientIPConfig',
  'ClientIPConfig represents the configurations of Client IP based session affinity.',
  {
    timeoutSeconds: s.int32('timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == "ClientIP". Default value is 10800(for 3 hours).'),
  },
);

export const SessionAffinityConfig = s.object(
  'io.k8s.api.core.v1.SessionAffinityConfig',
  'SessionAffinityConfig represents the configurations of session affinity.',
  {
    clientIP: ClientIPConfig.doc('clientIP contains the configurations of Client IP based session affinity.'),
  },
);
export type SessionAffinityConfig = s.Static<typeof SessionAffinityConfig>;

export const ServiceSpec = s.object(
  'io.k8s.api.core.v1.ServiceSpec',
  'ServiceSpec describes the attributes that a user creates on a service.',
  {
    allocateLoadBalancerNodePorts: s.boolean('allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true". It may be set to "false" if the cluster load-balancer does not rely on NodePorts.'),
    clusterIP: s.string('clusterIP is the IP address of the service and is usually assigned randomly. Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP).'),
    clusterIPs: s.array(s.string(), 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly. If this field is not specified, it will be initialized from the clusterIP field; if specified, clusterIPs[0] and clusterIP must have the same value.', { listType: 'atomic' }),
    externalIPs: s.array(s.string(), 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service. These IPs are not managed by Kubernetes.', { listType: 'atomic' }),
    externalName: s.string('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). Must be a lowercase RFC-1123 hostname and requires `type` to be "ExternalName".'),
    externalTrafficPolicy: s.enumOf(['Cluster', 'Local'], 'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs). "Local" delivers only to node-local endpoints; "Cluster" (the default) routes to all endpoints.'),
    healthCheckNodePort: s.int32('healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local.'),
    internalTrafficPolicy: s.enumOf(['Cluster', 'Local'], 'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. "Local" keeps traffic on node-local endpoints; "Cluster" (the default) routes to all endpoints.'),
    ipFamilies: s.array(s.enumOf(['IPv4', 'IPv6']), 'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service, usually assigned automatically based on cluster configuration and the ipFamilyPolicy field. It may hold at most two entries.', { listType: 'atomic' }),
    ipFamilyPolicy: s.enumOf(['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service: "SingleStack", "PreferDualStack" or "RequireDualStack". If there is no value provided, then this field will be set to SingleStack.'),
    loadBalancerClass: s.string('loadBalancerClass is the class of the load balancer implementation this Service belongs to, a label-style identifier with an optional prefix. It can only be set when the Service type is \'LoadBalancer\' and cannot be changed once set.'),
    loadBalancerIP: s.string('Only applies to Service Type: LoadBalancer. Deprecated: This field was under-specified and its meaning varies across implementations.'),
    loadBalancerSourceRanges: s.array(s.string(), 'If specified and supported by the platform, traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.', { listType: 'atomic' }),
    ports: s.array(ServicePort, 'The list of ports that are exposed by this service.', {
      listType: 'map',
      listMapKeys: ['port', 'protocol'],
      patchMergeKey: 'port',
      patchStrategy: 'merge',
    }),
    publishNotReadyAddresses: s.boolean('publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.'),
    selector: s.map(s.string(), 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints.').with({ mapType: 'atomic' }),
    sessionAffinity: s.enumOf(['ClientIP', 'None'], 'Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.', { default: 'None' }),
    sessionAffinityConfig: SessionAffinityConfig.doc('sessionAffinityConfig contains the configurations of session affinity.'),
    trafficDistribution: s.enumOf(['PreferClose'], 'TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints. If set to "PreferClose", implementations should prioritize endpoints that are topologically close (e.g., same zone).'),
    type: s.enumOf(serviceTypes, 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.', { default: 'ClusterIP' }),
  },
);
export type ServiceSpec = s.Static<typeof ServiceSpec>;

export const PortStatus = s.object(
  'io.k8s.api.core.v1.PortStatus',
  'PortStatus represents the error condition of a service port',
  {
    error: s.string('Error is to record the problem with the service port, in CamelCase (e.g. "CamelCase" or "example.com/CamelCase"); empty when there is no problem.'),
    port: s.int32('Port is the port number of the service port of which status is recorded here'),
    protocol: s.string('Protocol is the protocol of the service port of which status is recorded here. The supported values are: "TCP", "UDP", "SCTP"'),
  },
  { required: ['port', 'protocol'] },
);

export const LoadBalancerIngress = s.object(
  'io.k8s.api.core.v1.LoadBalancerIngress',
  'LoadBalancerIngress represents the status of a load-balancer ingress point: traffic intended for the service should be sent to an ingress point.',
  {
    hostname: s.string('Hostname is set for load-balancer ingress points that are DNS based (typically AWS load-balancers)'),
    ip: s.string('IP is set for load-balancer ingress points that are IP based (typically GCE or OpenStack load-balancers)'),
    ipMode: s.enumOf(['Proxy', 'VIP'], 'IPMode specifies how the load-balancer IP behaves: "VIP" (traffic is delivered to the node with the destination set to the load-balancer\'s IP and port) or "Proxy" (traffic is delivered with the destination set to the node\'s IP and node port or the pod\'s IP and port).'),
    ports: s.array(PortStatus, 'Ports is a list of records of service ports. If used, every port defined in the service should have an entry in it.', { listType: 'atomic' }),
  },
);

export const LoadBalancerStatus = s.object(
  'io.k8s.api.core.v1.LoadBalancerStatus',
  'LoadBalancerStatus represents the status of a load-balancer.',
  {
    ingress: s.array(LoadBalancerIngress, 'Ingress is a list containing ingress points for the load-balancer. Traffic intended for the service should be sent to these ingress points.', { listType: 'atomic' }),
  },
);
export type LoadBalancerStatus = s.Static<typeof LoadBalancerStatus>;

export const ServiceStatus = s.object(
  'io.k8s.api.core.v1.ServiceStatus',
  'ServiceStatus represents the current status of a service.',
  {
    conditions: s.array(Condition, 'Current service state', conditionListSemantics),
    loadBalancer: LoadBalancerStatus.doc('LoadBalancer contains the current status of the load-balancer, if one is present.').with({ default: {} }),
  },
);

export const Service = topLevelObject(
  'io.k8s.api.core.v1.Service',
  'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  { group: '', version: 'v1', kind: 'Service' },
  {
    spec: ServiceSpec.doc('Spec defines the behavior of a service.').with({ default: {} }),
    status: ServiceStatus.doc('Most recently observed status of the service. Populated by the system. Read-only.').with({ default: {} }),
  },
);
export type Service = s.Static<typeof Service>;

/**
 * SetDefaults_Service, plus the create-time clusterIP → clusterIPs pairing Kubernetes does in the
 * strategy (NormalizeClusterIPs). Schema defaults (type, sessionAffinity, protocol) already applied.
 */
export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  const type = (spec.type ??= 'ClusterIP');
  const affinity = (spec.sessionAffinity ??= 'None');
  if (affinity === 'None') delete spec.sessionAffinityConfig;
  if (affinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: defaultClientIPServiceAffinitySeconds } };
  }
  for (const port of spec.ports ?? []) {
    port.protocol ??= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec) && spec.externalTrafficPolicy === undefined) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && type !== 'ExternalName') spec.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    for (const ingress of svc.status?.loadBalancer?.ingress ?? []) {
      if (ingress.ip && ingress.ipMode === undefined) ingress.ipMode = 'VIP';
    }
  }
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
}

function nodePortsOf(spec: ServiceSpec): Set<number> {
  return new Set((spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
}

/**
 * What Kubernetes' service REST storage does to an update before validation, for a Strategy's
 * prepareForUpdate: keeps values the server allocated that the client left out
 * (patchAllocatedValues: clusterIP(s), ipFamilies, nodePorts, healthCheckNodePort), pairs
 * clusterIP and clusterIPs (NormalizeClusterIPs), and wipes fields the new type no longer uses
 * when the client left them unchanged (dropTypeDependentFields).
 */
export function prepareServiceUpdate(svc: Service, old: Service): void {
  const spec = (svc.spec ??= {});
  const oldSpec = old.spec ?? {};

  // patchAllocatedValues
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!spec.clusterIPs?.length && oldSpec.clusterIPs?.length) spec.clusterIPs = [...oldSpec.clusterIPs];
    if (!spec.ipFamilies?.length && oldSpec.ipFamilies?.length) spec.ipFamilies = [...oldSpec.ipFamilies];
    if (spec.ipFamilyPolicy === undefined && oldSpec.ipFamilyPolicy !== undefined) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
  }
  if (needsNodePort(oldSpec) && needsNodePort(spec)) {
    const newPorts = nodePortsOf(spec);
    const used = new Set([...nodePortsOf(oldSpec)].filter((p) => newPorts.has(p)));
    const byName = new Map((oldSpec.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const port of spec.ports ?? []) {
      const oldValue = byName.get(port.name ?? '') ?? 0;
      if (!port.nodePort && oldValue && !used.has(oldValue)) port.nodePort = oldValue;
    }
  }
  if (needsHCNodePort(oldSpec) && needsHCNodePort(spec) && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }

  // NormalizeClusterIPs (update)
  const oldIP = oldSpec.clusterIP ?? '';
  const newIP = spec.clusterIP ?? '';
  if (oldSpec.clusterIPs?.length && !spec.clusterIPs?.length && oldIP === newIP) spec.clusterIPs = [...oldSpec.clusterIPs];
  if (oldIP !== newIP) {
    if (oldIP && !newIP) delete spec.clusterIPs;
    else if (!oldIP && newIP && !spec.clusterIPs?.length) spec.clusterIPs = [newIP];
  }

  // dropTypeDependentFields
  if (needsClusterIP(oldSpec) && !needsClusterIP(spec)) {
    if (oldIP === (spec.clusterIP ?? '') && deepEqual(oldSpec.clusterIPs ?? [], spec.clusterIPs ?? [])) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (deepEqual(oldSpec.ipFamilies ?? [], spec.ipFamilies ?? [])) delete spec.ipFamilies;
    if (oldSpec.ipFamilyPolicy === spec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(oldSpec) && !needsNodePort(spec)) {
    const same = deepEqual((oldSpec.ports ?? []).map((p) => p.nodePort ?? 0), (spec.ports ?? []).map((p) => p.nodePort ?? 0));
    if (same) for (const port of spec.ports ?? []) delete port.nodePort;
  }
  if (needsHCNodePort(oldSpec) && !needsHCNodePort(spec) && (oldSpec.healthCheckNodePort ?? 0) === (spec.healthCheckNodePort ?? 0)) {
    delete spec.healthCheckNodePort;
  }
  const wasLB = typeOf(oldSpec) === 'LoadBalancer';
  const isLB = typeOf(spec) === 'LoadBalancer';
  if (wasLB && !isLB) {
    if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (spec.loadBalancerClass === oldSpec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(oldSpec) && !externallyAccessible(spec) && spec.externalTrafficPolicy === oldSpec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
}

export const serviceKind = defineKind<Service>({
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  nameRule: 'dns1035Label',
  schema: Service,
  subresources: { status: true },
  selectableFields: {
    'spec.clusterIP': (svc) => svc.spec?.clusterIP ?? '',
    'spec.type': (svc) => svc.spec?.type ?? '',
  },
  defaults: defaultService,
  validate: validateService,
});
