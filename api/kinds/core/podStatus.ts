/** core/v1 PodStatus and the container statuses under it. */
import * as s from '../../schema/schema';
import { conditionListSemantics } from '../meta';
import { ResourceList, ResourceRequirements } from './resources';

export const PodCondition = s.object(
  'io.k8s.api.core.v1.PodCondition',
  'PodCondition contains details for the current condition of this pod.',
  {
    lastProbeTime: s.time('Last time we probed the condition.'),
    lastTransitionTime: s.time('Last time the condition transitioned from one status to another.'),
    message: s.string('Human-readable message indicating details about last transition.'),
    reason: s.string("Unique, one-word, CamelCase reason for the condition's last transition."),
    status: s.string('Status is the status of the condition. Can be True, False, Unknown.'),
    type: s.string('Type is the type of the condition, e.g. PodScheduled, Initialized, ContainersReady, Ready.'),
  },
  { required: ['type', 'status'] },
);
export type PodCondition = s.Static<typeof PodCondition>;

export const ContainerStateRunning = s.object('io.k8s.api.core.v1.ContainerStateRunning', 'ContainerStateRunning is a running state of a container.', {
  startedAt: s.time('Time at which the container was last (re-)started'),
});

export const ContainerStateTerminated = s.object(
  'io.k8s.api.core.v1.ContainerStateTerminated',
  'ContainerStateTerminated is a terminated state of a container.',
  {
    containerID: s.string("Container's ID in the format '<type>://<container_id>'"),
    exitCode: s.int32('Exit status from the last termination of the container'),
    finishedAt: s.time('Time at which the container last terminated'),
    message: s.string('Message regarding the last termination of the container'),
    reason: s.string('(brief) reason from the last termination of the container'),
    signal: s.int32('Signal from the last termination of the container'),
    startedAt: s.time('Time at which previous execution of the container started'),
  },
  { required: ['exitCode'] },
);

export const ContainerStateWaiting = s.object('io.k8s.api.core.v1.ContainerStateWaiting', 'ContainerStateWaiting is a waiting state of a container.', {
  message: s.string('Message regarding why the container is not yet running.'),
  reason: s.string('(brief) reason the container is not yet running.'),
});

export const ContainerState = s.object(
  'io.k8s.api.core.v1.ContainerState',
  'ContainerState holds a possible state of container. Only one of its members may be specified. If none of them is specified, the default one is ContainerStateWaiting.',
  {
    running: ContainerStateRunning.doc('Details about a running container'),
    terminated: ContainerStateTerminated.doc('Details about a terminated container'),
    waiting: ContainerStateWaiting.doc('Details about a waiting container'),
  },
);
export type ContainerState = s.Static<typeof ContainerState>;

export const LinuxContainerUser = s.object(
  'io.k8s.api.core.v1.LinuxContainerUser',
  'LinuxContainerUser represents user identity information in Linux containers',
  {
    gid: s.int64('GID is the primary gid initially attached to the first process in the container'),
    supplementalGroups: s.array(s.int64(), 'SupplementalGroups are the supplemental groups initially attached to the first process in the container', {
      listType: 'atomic',
    }),
    uid: s.int64('UID is the primary uid initially attached to the first process in the container'),
  },
  { required: ['uid', 'gid'] },
);

export const ContainerUser = s.object('io.k8s.api.core.v1.ContainerUser', 'ContainerUser represents user identity information', {
  linux: LinuxContainerUser.doc('Linux holds user identity information initially attached to the first process of the containers in Linux.'),
});

export const ResourceHealth = s.object(
  'io.k8s.api.core.v1.ResourceHealth',
  'ResourceHealth represents the health of a resource. It has the latest device health information.',
  {
    health: s.string('Health of the resource. can be one of: Healthy, Unhealthy, Unknown.'),
    resourceID: s.string('ResourceID is the unique identifier of the resource. See the ResourceID type for more information.'),
  },
  { required: ['resourceID'] },
);

export const ResourceStatus = s.object(
  'io.k8s.api.core.v1.ResourceStatus',
  'ResourceStatus represents the status of a single resource allocated to a Pod.',
  {
    name: s.string('Name of the resource. Must be unique within the pod and in case of non-DRA resource, match one of the resources from the pod spec.'),
    resources: s.array(ResourceHealth, 'List of unique resources health. Each element in the list contains an unique resource ID and its health.', {
      listType: 'map',
      listMapKeys: ['resourceID'],
    }),
  },
  { required: ['name'] },
);

export const VolumeMountStatus = s.object(
  'io.k8s.api.core.v1.VolumeMountStatus',
  'VolumeMountStatus shows status of volume mounts.',
  {
    mountPath: s.string('MountPath corresponds to the original VolumeMount.'),
    name: s.string('Name corresponds to the name of the original VolumeMount.'),
    readOnly: s.boolean('ReadOnly corresponds to the original VolumeMount.'),
    recursiveReadOnly: s.string('RecursiveReadOnly must be set to Disabled, Enabled, or unspecified (for non-readonly mounts).'),
  },
  { required: ['name', 'mountPath'] },
);

export const ContainerStatus = s.object(
  'io.k8s.api.core.v1.ContainerStatus',
  'ContainerStatus contains details for the current status of this container.',
  {
    allocatedResources: ResourceList.doc('AllocatedResources represents the compute resources allocated for this container by the node.'),
    allocatedResourcesStatus: s.array(ResourceStatus, 'AllocatedResourcesStatus represents the status of various resources allocated for this Pod.', {
      listType: 'map',
      listMapKeys: ['name'],
      patchMergeKey: 'name',
      patchStrategy: 'merge',
    }),
    containerID: s.string("ContainerID is the ID of the container in the format '<type>://<container_id>'."),
    image: s.string('Image is the name of container image that the container is running.'),
    imageID: s.string("ImageID is the image ID of the container's image."),
    lastState: ContainerState.doc("LastTerminationState holds the last termination state of the container to help debug container crashes and restarts."),
    name: s.string('Name is a DNS_LABEL representing the unique name of the container. Each container in a pod must have a unique name across all container types. Cannot be updated.'),
    ready: s.boolean('Ready specifies whether the container is currently passing its readiness check. The value will change as readiness probes keep executing.'),
    resources: ResourceRequirements.doc('Resources represents the compute resource requests and limits that have been successfully enacted on the running container after it has been started or has been successfully resized.'),
    restartCount: s.int32('RestartCount holds the number of times the container has been restarted.'),
    started: s.boolean('Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.'),
    state: ContainerState.doc('State holds details about the container\'s current condition.'),
    user: ContainerUser.doc('User represents user identity information initially attached to the first process of the container'),
    volumeMounts: s.array(VolumeMountStatus, 'Status of volume mounts.', {
      listType: 'map',
      listMapKeys: ['mountPath'],
      patchMergeKey: 'mountPath',
      patchStrategy: 'merge',
    }),
  },
  { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] },
);
export type ContainerStatus = s.Static<typeof ContainerStatus>;

export const PodIP = s.object(
  'io.k8s.api.core.v1.PodIP',
  'PodIP represents a single IP address allocated to the pod.',
  { ip: s.string('IP is the IP address assigned to the pod') },
  { required: ['ip'] },
);

export const HostIP = s.object(
  'io.k8s.api.core.v1.HostIP',
  'HostIP represents a single IP address allocated to the host.',
  { ip: s.string('IP is the IP address assigned to the host') },
  { required: ['ip'] },
);

export const PodResourceClaimStatus = s.object(
  'io.k8s.api.core.v1.PodResourceClaimStatus',
  'PodResourceClaimStatus is stored in the PodStatus for each PodResourceClaim which references a ResourceClaimTemplate. It stores the generated name for the corresponding ResourceClaim.',
  {
    name: s.string('Name uniquely identifies this resource claim inside the pod. This must match the name of an entry in pod.spec.resourceClaims.'),
    resourceClaimName: s.string(
      'ResourceClaimName is the name of the ResourceClaim that was generated for the Pod in the namespace of the Pod. If this is unset, then generating a ResourceClaim was not necessary.',
    ),
  },
  { required: ['name'] },
);

const containerStatuses = (what: string) =>
  s.array(ContainerStatus, `Statuses of ${what} in this pod. Each container in the pod should have at most one status in this list.`, { listType: 'atomic' });

export const PodStatus = s.object(
  'io.k8s.api.core.v1.PodStatus',
  'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.',
  {
    conditions: s.array(PodCondition, 'Current service state of pod.', conditionListSemantics),
    containerStatuses: containerStatuses('containers'),
    ephemeralContainerStatuses: containerStatuses('ephemeral containers'),
    hostIP: s.string('hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet.'),
    hostIPs: s.array(HostIP, 'hostIPs holds the IP addresses allocated to the host. If this field is specified, the first entry must match the hostIP field.', {
      listType: 'atomic',
      patchMergeKey: 'ip',
      patchStrategy: 'merge',
    }),
    initContainerStatuses: containerStatuses('init containers'),
    message: s.string('A human readable message indicating details about why the pod is in this condition.'),
    nominatedNodeName: s.string(
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
    ),
    phase: s.string(
      "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle: one of Pending, Running, Succeeded, Failed or Unknown.",
    ),
    podIP: s.string('podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    podIPs: s.array(PodIP, 'podIPs holds the IP addresses allocated to the pod. If this field is specified, the 0th entry must match the podIP field.', {
      listType: 'map',
      listMapKeys: ['ip'],
      patchMergeKey: 'ip',
      patchStrategy: 'merge',
    }),
    qosClass: s.string('The Quality of Service (QOS) classification assigned to the pod based on resource requirements: BestEffort, Burstable or Guaranteed.'),
    reason: s.string("A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'"),
    resize: s.string(
      'Status of resources resize desired for pod\'s containers. It is empty if no resources resize is pending. Any changes to container resources will automatically set this to "Proposed".',
    ),
    resourceClaimStatuses: s.array(PodResourceClaimStatus, 'Status of resource claims.', {
      listType: 'map',
      listMapKeys: ['name'],
      patchMergeKey: 'name',
      patchStrategy: 'merge,retainKeys',
    }),
    startTime: s.time('RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.'),
  },
);
export type PodStatus = s.Static<typeof PodStatus>;
