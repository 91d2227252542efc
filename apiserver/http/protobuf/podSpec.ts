/**
 * core/v1 PodSpec and PodTemplateSpec (k8s.io/api/core/v1/generated.proto): volumes (the common
 * sources; the legacy in-tree cloud and network volume types are skipped as unknown fields),
 * scheduling (affinity, tolerations, topology spread), the pod security context and DNS.
 */
import { always, bool, defineMessage, inline, int32, int64, list, map, msg, str } from './descriptor';
import { AppArmorProfile, Container, KeyToPath, LocalObjectReference, ObjectFieldSelector, ResourceFieldSelector, ResourceRequirements, SELinuxOptions, SeccompProfile, WindowsSecurityContextOptions } from './container';
import { LabelSelector, ObjectMeta, Quantity } from './meta';

const core = 'k8s.io.api.core.v1.';

// --- volumes --------------------------------------------------------------------------------

const HostPathVolumeSource = defineMessage(`${core}HostPathVolumeSource`, {
  path: always(str(1)),
  type: always(str(2)),
});

const EmptyDirVolumeSource = defineMessage(`${core}EmptyDirVolumeSource`, {
  medium: str(1),
  sizeLimit: always(msg(2, Quantity)),
});

const SecretVolumeSource = defineMessage(`${core}SecretVolumeSource`, {
  secretName: str(1),
  items: list(2, KeyToPath),
  defaultMode: always(int32(3)),
  optional: always(bool(4)),
});

const NFSVolumeSource = defineMessage(`${core}NFSVolumeSource`, {
  server: always(str(1)),
  path: always(str(2)),
  readOnly: bool(3),
});

const PersistentVolumeClaimVolumeSource = defineMessage(`${core}PersistentVolumeClaimVolumeSource`, {
  claimName: always(str(1)),
  readOnly: bool(2),
});

const DownwardAPIVolumeFile = defineMessage(`${core}DownwardAPIVolumeFile`, {
  path: always(str(1)),
  fieldRef: msg(2, ObjectFieldSelector),
  resourceFieldRef: msg(3, ResourceFieldSelector),
  mode: always(int32(4)),
});

const DownwardAPIVolumeSource = defineMessage(`${core}DownwardAPIVolumeSource`, {
  items: list(1, DownwardAPIVolumeFile),
  defaultMode: always(int32(2)),
});

const ConfigMapVolumeSource = defineMessage(`${core}ConfigMapVolumeSource`, {
  localObjectReference: inline(1, LocalObjectReference),
  items: list(2, KeyToPath),
  defaultMode: always(int32(3)),
  optional: always(bool(4)),
});

const SecretProjection = defineMessage(`${core}SecretProjection`, {
  localObjectReference: inline(1, LocalObjectReference),
  items: list(2, KeyToPath),
  optional: always(bool(4)),
});

const ConfigMapProjection = defineMessage(`${core}ConfigMapProjection`, {
  localObjectReference: inline(1, LocalObjectReference),
  items: list(2, KeyToPath),
  optional: always(bool(4)),
});

const DownwardAPIProjection = defineMessage(`${core}DownwardAPIProjection`, {
  items: list(1, DownwardAPIVolumeFile),
});

const ServiceAccountTokenProjection = defineMessage(`${core}ServiceAccountTokenProjection`, {
  audience: str(1),
  expirationSeconds: always(int64(2)),
  path: always(str(3)),
});

const ClusterTrustBundleProjection = defineMessage(`${core}ClusterTrustBundleProjection`, {
  name: always(str(1)),
  signerName: always(str(2)),
  labelSelector: msg(3, LabelSelector),
  optional: always(bool(5)),
  path: always(str(4)),
});

const VolumeProjection = defineMessage(`${core}VolumeProjection`, {
  secret: msg(1, SecretProjection),
  downwardAPI: msg(2, DownwardAPIProjection),
  configMap: msg(3, ConfigMapProjection),
  serviceAccountToken: msg(4, ServiceAccountTokenProjection),
  clusterTrustBundle: msg(5, ClusterTrustBundleProjection),
});

const ProjectedVolumeSource = defineMessage(`${core}ProjectedVolumeSource`, {
  sources: list(1, VolumeProjection),
  defaultMode: always(int32(2)),
});

const CSIVolumeSource = defineMessage(`${core}CSIVolumeSource`, {
  driver: always(str(1)),
  readOnly: always(bool(2)),
  fsType: always(str(3)),
  volumeAttributes: map(4, 'string'),
  nodePublishSecretRef: msg(5, LocalObjectReference),
});

const ImageVolumeSource = defineMessage(`${core}ImageVolumeSource`, {
  reference: str(1),
  pullPolicy: str(2),
});

const VolumeSource = defineMessage(`${core}VolumeSource`, {
  hostPath: msg(1, HostPathVolumeSource),
  emptyDir: msg(2, EmptyDirVolumeSource),
  secret: msg(6, SecretVolumeSource),
  nfs: msg(7, NFSVolumeSource),
  persistentVolumeClaim: msg(10, PersistentVolumeClaimVolumeSource),
  downwardAPI: msg(16, DownwardAPIVolumeSource),
  configMap: msg(19, ConfigMapVolumeSource),
  projected: msg(26, ProjectedVolumeSource),
  csi: msg(28, CSIVolumeSource),
  image: msg(30, ImageVolumeSource),
});

const Volume = defineMessage(`${core}Volume`, {
  name: always(str(1)),
  volumeSource: inline(2, VolumeSource),
});

// --- scheduling -----------------------------------------------------------------------------

const NodeSelectorRequirement = defineMessage(`${core}NodeSelectorRequirement`, {
  key: always(str(1)),
  operator: always(str(2)),
  values: list(3, 'string'),
});

const NodeSelectorTerm = defineMessage(`${core}NodeSelectorTerm`, {
  matchExpressions: list(1, NodeSelectorRequirement),
  matchFields: list(2, NodeSelectorRequirement),
});

const NodeSelector = defineMessage(`${core}NodeSelector`, {
  nodeSelectorTerms: list(1, NodeSelectorTerm),
});

const PreferredSchedulingTerm = defineMessage(`${core}PreferredSchedulingTerm`, {
  weight: always(int32(1)),
  preference: msg(2, NodeSelectorTerm),
});

const NodeAffinity = defineMessage(`${core}NodeAffinity`, {
  requiredDuringSchedulingIgnoredDuringExecution: msg(1, NodeSelector),
  preferredDuringSchedulingIgnoredDuringExecution: list(2, PreferredSchedulingTerm),
});

const PodAffinityTerm = defineMessage(`${core}PodAffinityTerm`, {
  labelSelector: msg(1, LabelSelector),
  namespaces: list(2, 'string'),
  topologyKey: always(str(3)),
  namespaceSelector: msg(4, LabelSelector),
  matchLabelKeys: list(5, 'string'),
  mismatchLabelKeys: list(6, 'string'),
});

const WeightedPodAffinityTerm = defineMessage(`${core}WeightedPodAffinityTerm`, {
  weight: always(int32(1)),
  podAffinityTerm: msg(2, PodAffinityTerm),
});

const PodAffinity = defineMessage(`${core}PodAffinity`, {
  requiredDuringSchedulingIgnoredDuringExecution: list(1, PodAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: list(2, WeightedPodAffinityTerm),
});

const PodAntiAffinity = defineMessage(`${core}PodAntiAffinity`, {
  requiredDuringSchedulingIgnoredDuringExecution: list(1, PodAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: list(2, WeightedPodAffinityTerm),
});

const Affinity = defineMessage(`${core}Affinity`, {
  nodeAffinity: msg(1, NodeAffinity),
  podAffinity: msg(2, PodAffinity),
  podAntiAffinity: msg(3, PodAntiAffinity),
});

const Toleration = defineMessage(`${core}Toleration`, {
  key: str(1),
  operator: str(2),
  value: str(3),
  effect: str(4),
  tolerationSeconds: always(int64(5)),
});

const TopologySpreadConstraint = defineMessage(`${core}TopologySpreadConstraint`, {
  maxSkew: always(int32(1)),
  topologyKey: always(str(2)),
  whenUnsatisfiable: always(str(3)),
  labelSelector: msg(4, LabelSelector),
  minDomains: always(int32(5)),
  nodeAffinityPolicy: always(str(6)),
  nodeTaintsPolicy: always(str(7)),
  matchLabelKeys: list(8, 'string'),
});

// --- pod-level settings ---------------------------------------------------------------------

const Sysctl = defineMessage(`${core}Sysctl`, {
  name: always(str(1)),
  value: always(str(2)),
});

const PodSecurityContext = defineMessage(`${core}PodSecurityContext`, {
  seLinuxOptions: msg(1, SELinuxOptions),
  windowsOptions: msg(8, WindowsSecurityContextOptions),
  runAsUser: always(int64(2)),
  runAsGroup: always(int64(6)),
  runAsNonRoot: always(bool(3)),
  supplementalGroups: list(4, 'int64'),
  supplementalGroupsPolicy: always(str(12)),
  fsGroup: always(int64(5)),
  sysctls: list(7, Sysctl),
  fsGroupChangePolicy: always(str(9)),
  seccompProfile: msg(10, SeccompProfile),
  appArmorProfile: msg(11, AppArmorProfile),
  seLinuxChangePolicy: always(str(13)),
});

const HostAlias = defineMessage(`${core}HostAlias`, {
  ip: always(str(1)),
  hostnames: list(2, 'string'),
});

const PodDNSConfigOption = defineMessage(`${core}PodDNSConfigOption`, {
  name: str(1),
  value: always(str(2)),
});

const PodDNSConfig = defineMessage(`${core}PodDNSConfig`, {
  nameservers: list(1, 'string'),
  searches: list(2, 'string'),
  options: list(3, PodDNSConfigOption),
});

const PodReadinessGate = defineMessage(`${core}PodReadinessGate`, {
  conditionType: always(str(1)),
});

const PodOS = defineMessage(`${core}PodOS`, {
  name: always(str(1)),
});

const PodSchedulingGate = defineMessage(`${core}PodSchedulingGate`, {
  name: always(str(1)),
});

const PodResourceClaim = defineMessage(`${core}PodResourceClaim`, {
  name: always(str(1)),
  resourceClaimName: always(str(3)),
  resourceClaimTemplateName: always(str(4)),
});

export const PodSpec = defineMessage(`${core}PodSpec`, {
  volumes: list(1, Volume),
  initContainers: list(20, Container),
  containers: list(2, Container),
  restartPolicy: str(3),
  terminationGracePeriodSeconds: always(int64(4)),
  activeDeadlineSeconds: always(int64(5)),
  dnsPolicy: str(6),
  nodeSelector: map(7, 'string'),
  serviceAccountName: str(8),
  serviceAccount: str(9),
  automountServiceAccountToken: always(bool(21)),
  nodeName: str(10),
  hostNetwork: bool(11),
  hostPID: bool(12),
  hostIPC: bool(13),
  shareProcessNamespace: always(bool(27)),
  securityContext: msg(14, PodSecurityContext),
  imagePullSecrets: list(15, LocalObjectReference),
  hostname: str(16),
  subdomain: str(17),
  affinity: msg(18, Affinity),
  schedulerName: str(19),
  tolerations: list(22, Toleration),
  hostAliases: list(23, HostAlias),
  priorityClassName: str(24),
  priority: always(int32(25)),
  dnsConfig: msg(26, PodDNSConfig),
  readinessGates: list(28, PodReadinessGate),
  runtimeClassName: always(str(29)),
  enableServiceLinks: always(bool(30)),
  preemptionPolicy: always(str(31)),
  overhead: map(32, Quantity),
  topologySpreadConstraints: list(33, TopologySpreadConstraint),
  setHostnameAsFQDN: always(bool(35)),
  os: msg(36, PodOS),
  hostUsers: always(bool(37)),
  schedulingGates: list(38, PodSchedulingGate),
  resourceClaims: list(39, PodResourceClaim),
  resources: msg(40, ResourceRequirements),
});

export const PodTemplateSpec = defineMessage(`${core}PodTemplateSpec`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, PodSpec),
});
