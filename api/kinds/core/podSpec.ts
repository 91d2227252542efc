/** core/v1 PodSpec, the description of a pod, and PodTemplateSpec, as workloads embed it. */
import * as s from '../../schema/schema';
import { ObjectMeta } from '../meta';
import { Affinity } from './affinity';
import { Container, EphemeralContainer } from './container';
import { LocalObjectReference } from './objectReference';
import { ResourceList, ResourceRequirements } from './resources';
import { PodSecurityContext } from './securityContext';
import { Toleration } from './toleration';
import { TopologySpreadConstraint } from './topologySpreadConstraint';
import { Volume } from './volume';

export const PodDNSConfigOption = s.object('io.k8s.api.core.v1.PodDNSConfigOption', 'PodDNSConfigOption defines DNS resolver options of a pod.', {
  name: s.string("Name is this DNS resolver option's name. Required."),
  value: s.string("Value is this DNS resolver option's value."),
});
export type PodDNSConfigOption = s.Static<typeof PodDNSConfigOption>;

export const PodDNSConfig = s.object(
  'io.k8s.api.core.v1.PodDNSConfig',
  'PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.',
  {
    nameservers: s.array(
      s.string(),
      'A list of DNS name server IP addresses. This will be appended to the base nameservers generated from DNSPolicy. Duplicated nameservers will be removed.',
      { listType: 'atomic' },
    ),
    options: s.array(
      PodDNSConfigOption,
      'A list of DNS resolver options. This will be merged with the base options generated from DNSPolicy. Duplicated entries will be removed. Resolution options given in Options will override those that appear in the base DNSPolicy.',
      { listType: 'atomic' },
    ),
    searches: s.array(
      s.string(),
      'A list of DNS search domains for host-name lookup. This will be appended to the base search paths generated from DNSPolicy. Duplicated search paths will be removed.',
      { listType: 'atomic' },
    ),
  },
);
export type PodDNSConfig = s.Static<typeof PodDNSConfig>;

export const HostAlias = s.object(
  'io.k8s.api.core.v1.HostAlias',
  "HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod's hosts file.",
  {
    hostnames: s.array(s.string(), 'Hostnames for the above IP address.', { listType: 'atomic' }),
    ip: s.string('IP address of the host file entry.'),
  },
  { required: ['ip'] },
);
export type HostAlias = s.Static<typeof HostAlias>;

export const PodReadinessGate = s.object(
  'io.k8s.api.core.v1.PodReadinessGate',
  'PodReadinessGate contains the reference to a pod condition',
  { conditionType: s.string("ConditionType refers to a condition in the pod's condition list with matching type.") },
  { required: ['conditionType'] },
);
export type PodReadinessGate = s.Static<typeof PodReadinessGate>;

export const PodSchedulingGate = s.object(
  'io.k8s.api.core.v1.PodSchedulingGate',
  'PodSchedulingGate is associated to a Pod to guard its scheduling.',
  { name: s.string('Name of the scheduling gate. Each scheduling gate must have a unique name field.') },
  { required: ['name'] },
);
export type PodSchedulingGate = s.Static<typeof PodSchedulingGate>;

export const PodResourceClaim = s.object(
  'io.k8s.api.core.v1.PodResourceClaim',
  'PodResourceClaim references exactly one ResourceClaim, either directly or by naming a ResourceClaimTemplate which is then turned into a ResourceClaim for the pod. It adds a name to it that uniquely identifies the ResourceClaim inside the Pod.',
  {
    name: s.string('Name uniquely identifies this resource claim inside the pod. This must be a DNS_LABEL.'),
    resourceClaimName: s.string('ResourceClaimName is the name of a ResourceClaim object in the same namespace as this pod. Exactly one of ResourceClaimName and ResourceClaimTemplateName must be set.'),
    resourceClaimTemplateName: s.string(
      'ResourceClaimTemplateName is the name of a ResourceClaimTemplate object in the same namespace as this pod. The template will be used to create a new ResourceClaim, which will be bound to this pod. Exactly one of ResourceClaimName and ResourceClaimTemplateName must be set.',
    ),
  },
  { required: ['name'] },
);
export type PodResourceClaim = s.Static<typeof PodResourceClaim>;

export const PodOS = s.object(
  'io.k8s.api.core.v1.PodOS',
  'PodOS defines the OS parameters of a pod.',
  { name: s.string('Name is the name of the operating system. The currently supported values are linux and windows.') },
  { required: ['name'] },
);
export type PodOS = s.Static<typeof PodOS>;

const containerList = { listType: 'map', listMapKeys: ['name'], patchMergeKey: 'name', patchStrategy: 'merge' } as const;

export const PodSpec = s.object(
  'io.k8s.api.core.v1.PodSpec',
  'PodSpec is a description of a pod.',
  {
    activeDeadlineSeconds: s.int64(
      'Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer.',
    ),
    affinity: Affinity.doc("If specified, the pod's scheduling constraints"),
    automountServiceAccountToken: s.boolean('AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.'),
    containers: s.array(
      Container,
      'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.',
      containerList,
    ),
    dnsConfig: PodDNSConfig.doc(
      'Specifies the DNS parameters of a pod. Parameters specified here will be merged to the generated DNS configuration based on DNSPolicy.',
    ),
    dnsPolicy: s.enumOf(
      ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
      "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'.",
      { default: 'ClusterFirst' },
    ),
    enableServiceLinks: s.boolean(
      "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true.",
    ),
    ephemeralContainers: s.array(
      EphemeralContainer,
      'List of ephemeral containers run in this pod. Ephemeral containers may be run in an existing pod to perform user-initiated actions such as debugging. This list cannot be specified when creating a pod, and it cannot be modified by updating the pod spec.',
      containerList,
    ),
    hostAliases: s.array(
      HostAlias,
      "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.",
      { listType: 'map', listMapKeys: ['ip'], patchMergeKey: 'ip', patchStrategy: 'merge' },
    ),
    hostIPC: s.boolean("Use the host's ipc namespace. Optional: Default to false."),
    hostNetwork: s.boolean(
      "Host networking requested for this pod. Use the host's network namespace. If this option is set, the ports that will be used must be specified. Default to false.",
    ),
    hostPID: s.boolean("Use the host's pid namespace. Optional: Default to false."),
    hostUsers: s.boolean(
      "Use the host's user namespace. Optional: Default to true. If set to true or not present, the pod will be run in the host user namespace; setting it to false creates a new user namespace for the pod.",
    ),
    hostname: s.string("Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value."),
    imagePullSecrets: s.array(
      LocalObjectReference,
      'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.',
      { listType: 'map', listMapKeys: ['name'], patchMergeKey: 'name', patchStrategy: 'merge' },
    ),
    initContainers: s.array(
      Container,
      'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started. If any init container fails, the pod is considered to have failed and is handled according to its restartPolicy.',
      containerList,
    ),
    nodeName: s.string(
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod.',
    ),
    nodeSelector: s
      .map(s.string(), "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.")
      .with({ mapType: 'atomic' }),
    os: PodOS.doc(
      'Specifies the OS of the containers in the pod. If the OS field is set to linux or windows, some pod and container fields are restricted to that OS.',
    ),
    overhead: ResourceList.doc(
      'Overhead represents the resource overhead associated with running a pod for a given RuntimeClass. This field will be autopopulated at admission time by the RuntimeClass admission controller.',
    ),
    preemptionPolicy: s.enumOf(
      ['PreemptLowerPriority', 'Never'],
      'PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
    ),
    priority: s.int32(
      'The priority value. Various system components use this field to find the priority of the pod. The priority admission controller populates this field from the PriorityClassName.',
    ),
    priorityClassName: s.string(
      'If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities. If not specified, the pod priority will be default or zero if there is no default.',
    ),
    readinessGates: s.array(
      PodReadinessGate,
      'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True".',
      { listType: 'atomic' },
    ),
    resourceClaims: s.array(
      PodResourceClaim,
      'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start. The resources will be made available to those containers which consume them by name. This field is immutable.',
      { listType: 'map', listMapKeys: ['name'], patchMergeKey: 'name', patchStrategy: 'merge,retainKeys' },
    ),
    resources: ResourceRequirements.doc(
      'Resources is the total amount of CPU and Memory resources required by all containers in the pod. It supports specifying Requests and Limits for "cpu" and "memory" resource names only. This is an alpha field and requires enabling the PodLevelResources feature gate.',
    ),
    restartPolicy: s.enumOf(
      ['Always', 'OnFailure', 'Never'],
      'Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always.',
      { default: 'Always' },
    ),
    runtimeClassName: s.string(
      'RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod. If no RuntimeClass resource matches the named class, the pod will not be run.',
    ),
    schedulerName: s.string('If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.', {
      default: 'default-scheduler',
    }),
    schedulingGates: s.array(
      PodSchedulingGate,
      'SchedulingGates is an opaque list of values that if specified will block scheduling the pod. If schedulingGates is not empty, the pod will stay in the SchedulingGated state and the scheduler will not attempt to schedule the pod.',
      { listType: 'map', listMapKeys: ['name'], patchMergeKey: 'name', patchStrategy: 'merge' },
    ),
    securityContext: PodSecurityContext.doc(
      'SecurityContext holds pod-level security attributes and common container settings. Optional: Defaults to empty. See type description for default values of each field.',
    ).with({ default: {} }),
    serviceAccount: s.string('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.'),
    serviceAccountName: s.string('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
    setHostnameAsFQDN: s.boolean(
      "If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default). In Linux containers, this means setting the FQDN in the hostname field of the kernel. Default to false.",
    ),
    shareProcessNamespace: s.boolean(
      'Share a single process namespace between all of the containers in a pod. When this is set containers will be able to view and signal processes from other containers in the same pod, and the first process in each container will not be assigned PID 1. Default to false.',
    ),
    subdomain: s.string(
      'If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>". If not specified, the pod will not have a domainname at all.',
    ),
    terminationGracePeriodSeconds: s.int64(
      'Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). Defaults to 30 seconds.',
      { default: 30 },
    ),
    tolerations: s.array(Toleration, "If specified, the pod's tolerations.", { listType: 'atomic' }),
    topologySpreadConstraints: s.array(
      TopologySpreadConstraint,
      'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains. Scheduler will schedule pods in a way which abides to the constraints. All topologySpreadConstraints are ANDed.',
      { listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'], patchMergeKey: 'topologyKey', patchStrategy: 'merge' },
    ),
    volumes: s.array(Volume, 'List of volumes that can be mounted by containers belonging to the pod.', {
      listType: 'map',
      listMapKeys: ['name'],
      patchMergeKey: 'name',
      patchStrategy: 'merge,retainKeys',
    }),
  },
  { required: ['containers'] },
);
export type PodSpec = s.Static<typeof PodSpec>;

export const PodTemplateSpec = s.object(
  'io.k8s.api.core.v1.PodTemplateSpec',
  'PodTemplateSpec describes the data a pod should have when created from a template',
  {
    metadata: ObjectMeta.doc(
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    ),
    spec: PodSpec.doc(
      'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
    ),
  },
);
export type PodTemplateSpec = s.Static<typeof PodTemplateSpec>;
