/** core/v1 NodeStatus and the types it is made of (v1.32). */
import * as s from '../../schema/schema';
import { conditionListSemantics } from '../meta';

/** A resource name to quantity map (core/v1 ResourceList). */
const resourceList = (description: string) => s.map(s.quantity(), description);

export const NodeAddress = s.object(
  'io.k8s.api.core.v1.NodeAddress',
  "NodeAddress contains information for the node's address.",
  {
    address: s.string('The node address.'),
    type: s.string('Node address type, one of Hostname, ExternalIP or InternalIP.'),
  },
  { required: ['type', 'address'] },
);
export type NodeAddress = s.Static<typeof NodeAddress>;

export const NodeCondition = s.object(
  'io.k8s.api.core.v1.NodeCondition',
  'NodeCondition contains condition information for a node.',
  {
    lastHeartbeatTime: s.time('Last time we got an update on a given condition.'),
    lastTransitionTime: s.time('Last time the condition transit from one status to another.'),
    message: s.string('Human readable message indicating details about last transition.'),
    reason: s.string("(brief) reason for the condition's last transition."),
    status: s.string('Status of the condition, one of True, False, Unknown.'),
    type: s.string('Type of node condition.'),
  },
  { required: ['type', 'status'] },
);
export type NodeCondition = s.Static<typeof NodeCondition>;

export const ConfigMapNodeConfigSource = s.object(
  'io.k8s.api.core.v1.ConfigMapNodeConfigSource',
  'ConfigMapNodeConfigSource contains the information to reference a ConfigMap as a config source for the Node. This API is deprecated since 1.22.',
  {
    kubeletConfigKey: s.string('KubeletConfigKey declares which key of the referenced ConfigMap corresponds to the KubeletConfiguration structure. This field is required in all cases.'),
    name: s.string('Name is the metadata.name of the referenced ConfigMap. This field is required in all cases.'),
    namespace: s.string('Namespace is the metadata.namespace of the referenced ConfigMap. This field is required in all cases.'),
    resourceVersion: s.string('ResourceVersion is the metadata.ResourceVersion of the referenced ConfigMap. This field is forbidden in Node.Spec, and required in Node.Status.'),
    uid: s.string('UID is the metadata.UID of the referenced ConfigMap. This field is forbidden in Node.Spec, and required in Node.Status.'),
  },
  { required: ['namespace', 'name', 'kubeletConfigKey'] },
);

export const NodeConfigSource = s.object(
  'io.k8s.api.core.v1.NodeConfigSource',
  'NodeConfigSource specifies a source of node configuration. Exactly one subfield (excluding metadata) must be non-nil. This API is deprecated since 1.22.',
  {
    configMap: ConfigMapNodeConfigSource.doc('ConfigMap is a reference to a Node\'s ConfigMap.'),
  },
);
export type NodeConfigSource = s.Static<typeof NodeConfigSource>;

export const NodeConfigStatus = s.object(
  'io.k8s.api.core.v1.NodeConfigStatus',
  'NodeConfigStatus describes the status of the config assigned by Node.Spec.ConfigSource.',
  {
    active: NodeConfigSource.doc('Active reports the checkpointed config the node is actively using.'),
    assigned: NodeConfigSource.doc("Assigned reports the checkpointed config the node will try to use; it is the node's local copy of Spec.ConfigSource."),
    error: s.string('Error describes any problems reconciling the Spec.ConfigSource to the Active config.'),
    lastKnownGood: NodeConfigSource.doc('LastKnownGood reports the checkpointed config the node will fall back to when it encounters an error attempting to use the Assigned config.'),
  },
);

export const DaemonEndpoint = s.object(
  'io.k8s.api.core.v1.DaemonEndpoint',
  'DaemonEndpoint contains information about a single Daemon endpoint.',
  {
    Port: s.int32('Port number of the given endpoint.'),
  },
  { required: ['Port'] },
);

export const NodeDaemonEndpoints = s.object(
  'io.k8s.api.core.v1.NodeDaemonEndpoints',
  'NodeDaemonEndpoints lists ports opened by daemons running on the Node.',
  {
    kubeletEndpoint: DaemonEndpoint.doc('Endpoint on which Kubelet is listening.'),
  },
);

export const NodeFeatures = s.object(
  'io.k8s.api.core.v1.NodeFeatures',
  'NodeFeatures describes the set of features implemented by the CRI implementation. The features contained in the NodeFeatures should depend only on the cri implementation independent of runtime handlers.',
  {
    supplementalGroupsPolicy: s.boolean('SupplementalGroupsPolicy is set to true if the runtime supports SupplementalGroupsPolicy and ContainerUser.'),
  },
);

export const ContainerImage = s.object(
  'io.k8s.api.core.v1.ContainerImage',
  'Describe a container image',
  {
    names: s.array(s.string(), 'Names by which this image is known. e.g. ["kubernetes.example/hyperkube:v1.0.7", "cloud-vendor.registry.example/cloud-vendor/hyperkube:v1.0.7"]', { listType: 'atomic' }),
    sizeBytes: s.int64('The size of the image in bytes.'),
  },
);

export const NodeSwapStatus = s.object(
  'io.k8s.api.core.v1.NodeSwapStatus',
  'NodeSwapStatus represents swap memory information.',
  {
    capacity: s.int64('Total amount of swap memory in bytes.'),
  },
);

export const NodeSystemInfo = s.object(
  'io.k8s.api.core.v1.NodeSystemInfo',
  'NodeSystemInfo is a set of ids/uuids to uniquely identify the node.',
  {
    architecture: s.string('The Architecture reported by the node'),
    bootID: s.string('Boot ID reported by the node.'),
    containerRuntimeVersion: s.string('ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
    kernelVersion: s.string("Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    kubeProxyVersion: s.string('Deprecated: KubeProxy Version reported by the node.'),
    kubeletVersion: s.string('Kubelet Version reported by the node.'),
    machineID: s.string('MachineID reported by the node. For unique machine identification in the cluster this field is preferred.'),
    operatingSystem: s.string('The Operating System reported by the node'),
    osImage: s.string('OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    swap: NodeSwapStatus.doc('Swap Info reported by the node.'),
    systemUUID: s.string('SystemUUID reported by the node. For unique machine identification MachineID is preferred.'),
  },
  {
    required: ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture'],
  },
);

export const NodeRuntimeHandlerFeatures = s.object(
  'io.k8s.api.core.v1.NodeRuntimeHandlerFeatures',
  'NodeRuntimeHandlerFeatures is a set of features implemented by the runtime handler.',
  {
    recursiveReadOnlyMounts: s.boolean('RecursiveReadOnlyMounts is set to true if the runtime handler supports RecursiveReadOnlyMounts.'),
    userNamespaces: s.boolean('UserNamespaces is set to true if the runtime handler supports UserNamespaces, including for volumes.'),
  },
);

export const NodeRuntimeHandler = s.object(
  'io.k8s.api.core.v1.NodeRuntimeHandler',
  'NodeRuntimeHandler is a set of runtime handler information.',
  {
    features: NodeRuntimeHandlerFeatures.doc('Supported features.'),
    name: s.string('Runtime handler name. Empty for the default runtime handler.'),
  },
);

export const AttachedVolume = s.object(
  'io.k8s.api.core.v1.AttachedVolume',
  'AttachedVolume describes a volume attached to a node',
  {
    devicePath: s.string('DevicePath represents the device path where the volume should be available'),
    name: s.string('Name of the attached volume'),
  },
  { required: ['name', 'devicePath'] },
);

export const NodeStatus = s.object(
  'io.k8s.api.core.v1.NodeStatus',
  'NodeStatus is information about the current status of a node.',
  {
    addresses: s.array(NodeAddress, 'List of addresses reachable to the node. Queried from cloud provider, if available.', {
      listType: 'map',
      listMapKeys: ['type'],
      patchMergeKey: 'type',
      patchStrategy: 'merge',
    }),
    allocatable: resourceList('Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.'),
    capacity: resourceList('Capacity represents the total resources of a node.'),
    conditions: s.array(NodeCondition, 'Conditions is an array of current observed node conditions.', conditionListSemantics),
    config: NodeConfigStatus.doc('Status of the config assigned to the node via the dynamic Kubelet config feature.'),
    daemonEndpoints: NodeDaemonEndpoints.doc('Endpoints of daemons running on the Node.'),
    features: NodeFeatures.doc('Features describes the set of features implemented by the CRI implementation.'),
    images: s.array(ContainerImage, 'List of container images on this node', { listType: 'atomic' }),
    nodeInfo: NodeSystemInfo.doc('Set of ids/uuids to uniquely identify the node.'),
    phase: s.string('NodePhase is the recently observed lifecycle phase of the node. The field is never populated, and now is deprecated.'),
    runtimeHandlers: s.array(NodeRuntimeHandler, 'The available runtime handlers.', { listType: 'atomic' }),
    volumesAttached: s.array(AttachedVolume, 'List of volumes that are attached to the node.', { listType: 'atomic' }),
    volumesInUse: s.array(s.string(), 'List of attachable volumes in use (mounted) by the node.', { listType: 'atomic' }),
  },
);
export type NodeStatus = s.Static<typeof NodeStatus>;
