/**
 * core/v1 kinds kubectl creates with its typed client (k8s.io/api/core/v1/generated.proto):
 * Namespace, ConfigMap, Secret, ServiceAccount, Pod, Service. Most statuses are decoded as `{}`
 * (all their fields are omitempty, clients send them empty, and writes to the main resource
 * ignore them); the Service status is decoded in full.
 */
import { always, bool, defineMessage, int32, list, map, msg, str } from './descriptor';
import { LocalObjectReference } from './container';
import { Condition, emptyMessage, IntOrString, ObjectMeta } from './meta';
import { PodSpec } from './podSpec';

const core = 'k8s.io.api.core.v1.';

const NamespaceSpec = defineMessage(`${core}NamespaceSpec`, {
  finalizers: list(1, 'string'),
});

export const Namespace = defineMessage(`${core}Namespace`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, NamespaceSpec),
  status: msg(3, emptyMessage(`${core}NamespaceStatus`)),
});

export const ConfigMap = defineMessage(`${core}ConfigMap`, {
  metadata: msg(1, ObjectMeta),
  immutable: always(bool(4)),
  data: map(2, 'string'),
  binaryData: map(3, 'bytes'),
});

export const Secret = defineMessage(`${core}Secret`, {
  metadata: msg(1, ObjectMeta),
  immutable: always(bool(5)),
  data: map(2, 'bytes'),
  stringData: map(4, 'string'),
  type: str(3),
});

const ObjectReference = defineMessage(`${core}ObjectReference`, {
  kind: str(1),
  namespace: str(2),
  name: str(3),
  uid: str(4),
  apiVersion: str(5),
  resourceVersion: str(6),
  fieldPath: str(7),
});

export const ServiceAccount = defineMessage(`${core}ServiceAccount`, {
  metadata: msg(1, ObjectMeta),
  secrets: list(2, ObjectReference),
  imagePullSecrets: list(3, LocalObjectReference),
  automountServiceAccountToken: always(bool(4)),
});

export const Pod = defineMessage(`${core}Pod`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, PodSpec),
  status: msg(3, emptyMessage(`${core}PodStatus`)),
});

const ServicePort = defineMessage(`${core}ServicePort`, {
  name: str(1),
  protocol: str(2),
  appProtocol: always(str(6)),
  port: always(int32(3)),
  targetPort: msg(4, IntOrString),
  nodePort: int32(5),
});

const ClientIPConfig = defineMessage(`${core}ClientIPConfig`, {
  timeoutSeconds: always(int32(1)),
});

const SessionAffinityConfig = defineMessage(`${core}SessionAffinityConfig`, {
  clientIP: msg(1, ClientIPConfig),
});

const ServiceSpec = defineMessage(`${core}ServiceSpec`, {
  ports: list(1, ServicePort),
  selector: map(2, 'string'),
  clusterIP: str(3),
  clusterIPs: list(18, 'string'),
  type: str(4),
  externalIPs: list(5, 'string'),
  sessionAffinity: str(7),
  loadBalancerIP: str(8),
  loadBalancerSourceRanges: list(9, 'string'),
  externalName: str(10),
  externalTrafficPolicy: str(11),
  healthCheckNodePort: int32(12),
  publishNotReadyAddresses: bool(13),
  sessionAffinityConfig: msg(14, SessionAffinityConfig),
  ipFamilies: list(19, 'string'),
  ipFamilyPolicy: always(str(17)),
  allocateLoadBalancerNodePorts: always(bool(20)),
  loadBalancerClass: always(str(21)),
  internalTrafficPolicy: always(str(22)),
  trafficDistribution: always(str(23)),
});

const PortStatus = defineMessage(`${core}PortStatus`, {
  port: always(int32(1)),
  protocol: always(str(2)),
  error: always(str(3)),
});

const LoadBalancerIngress = defineMessage(`${core}LoadBalancerIngress`, {
  ip: str(1),
  hostname: str(2),
  ipMode: always(str(3)),
  ports: list(4, PortStatus),
});

/** Decoded in full, so that it reads `{loadBalancer: {}}` as Kubernetes' JSON does. */
const ServiceStatus = defineMessage(`${core}ServiceStatus`, {
  loadBalancer: msg(1, defineMessage(`${core}LoadBalancerStatus`, { ingress: list(1, LoadBalancerIngress) })),
  conditions: list(2, Condition),
});

export const Service = defineMessage(`${core}Service`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, ServiceSpec),
  status: msg(3, ServiceStatus),
});
