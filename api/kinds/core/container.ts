/** core/v1 containers: Container, EphemeralContainer and their ports, mounts and devices. */
import * as s from '../../schema/schema';
import { EnvFromSource, EnvVar } from './env';
import { Lifecycle, Probe } from './probe';
import { ResourceRequirements } from './resources';
import { SecurityContext } from './securityContext';

export const ContainerPort = s.object(
  'io.k8s.api.core.v1.ContainerPort',
  'ContainerPort represents a network port in a single container.',
  {
    containerPort: s.int32("Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."),
    hostIP: s.string('What host IP to bind the external port to.'),
    hostPort: s.int32(
      'Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. If HostNetwork is specified, this must match ContainerPort. Most containers do not need this.',
    ),
    name: s.string(
      'If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.',
    ),
    protocol: s.enumOf(['TCP', 'UDP', 'SCTP'], 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".', { default: 'TCP' }),
  },
  { required: ['containerPort'] },
);
export type ContainerPort = s.Static<typeof ContainerPort>;

export const VolumeMount = s.object(
  'io.k8s.api.core.v1.VolumeMount',
  'VolumeMount describes a mounting of a Volume within a container.',
  {
    mountPath: s.string("Path within the container at which the volume should be mounted. Must not contain ':'."),
    mountPropagation: s.enumOf(
      ['None', 'HostToContainer', 'Bidirectional'],
      'mountPropagation determines how mounts are propagated from the host to container and the other way around. When not set, MountPropagationNone is used.',
    ),
    name: s.string('This must match the Name of a Volume.'),
    readOnly: s.boolean('Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'),
    recursiveReadOnly: s.enumOf(
      ['Disabled', 'IfPossible', 'Enabled'],
      'RecursiveReadOnly specifies whether read-only mounts should be handled recursively. If ReadOnly is false, this field has no meaning and must be unspecified. If this field is not specified, it is treated as an equivalent of Disabled.',
    ),
    subPath: s.string("Path within the volume from which the container's volume should be mounted. Defaults to \"\" (volume's root)."),
    subPathExpr: s.string(
      "Expanded path within the volume from which the container's volume should be mounted. Behaves similarly to SubPath but environment variable references $(VAR_NAME) are expanded using the container's environment. SubPathExpr and SubPath are mutually exclusive.",
    ),
  },
  { required: ['name', 'mountPath'] },
);
export type VolumeMount = s.Static<typeof VolumeMount>;

export const VolumeDevice = s.object(
  'io.k8s.api.core.v1.VolumeDevice',
  'volumeDevice describes a mapping of a raw block device within a container.',
  {
    devicePath: s.string('devicePath is the path inside of the container that the device will be mapped to.'),
    name: s.string('name must match the name of a persistentVolumeClaim in the pod'),
  },
  { required: ['name', 'devicePath'] },
);
export type VolumeDevice = s.Static<typeof VolumeDevice>;

export const ContainerResizePolicy = s.object(
  'io.k8s.api.core.v1.ContainerResizePolicy',
  'ContainerResizePolicy represents resource resize policy for the container.',
  {
    resourceName: s.enumOf(['cpu', 'memory'], 'Name of the resource to which this resource resize policy applies. Supported values: cpu, memory.'),
    restartPolicy: s.enumOf(
      ['NotRequired', 'RestartContainer'],
      'Restart policy to apply when specified resource is resized. If not specified, it defaults to NotRequired.',
    ),
  },
  { required: ['resourceName', 'restartPolicy'] },
);
export type ContainerResizePolicy = s.Static<typeof ContainerResizePolicy>;

/** The fields Container and EphemeralContainer share (EphemeralContainerCommon upstream). */
function containerProperties(what: 'container' | 'ephemeral container') {
  const ephemeral = what === 'ephemeral container';
  return {
    args: s.array(
      s.string(),
      "Arguments to the entrypoint. The container image's CMD is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container's environment.",
      { listType: 'atomic' },
    ),
    command: s.array(
      s.string(),
      "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container's environment.",
      { listType: 'atomic' },
    ),
    env: s.array(EnvVar, 'List of environment variables to set in the container. Cannot be updated.', {
      listType: 'map',
      listMapKeys: ['name'],
      patchMergeKey: 'name',
      patchStrategy: 'merge',
    }),
    envFrom: s.array(
      EnvFromSource,
      'List of sources to populate environment variables in the container. The keys defined within a source must be a C_IDENTIFIER. When a key exists in multiple sources, the value associated with the last source will take precedence. Cannot be updated.',
      { listType: 'atomic' },
    ),
    image: s.string(
      'Container image name. This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.',
    ),
    imagePullPolicy: s.enumOf(
      ['Always', 'Never', 'IfNotPresent'],
      'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated.',
    ),
    lifecycle: Lifecycle.doc(
      ephemeral ? 'Lifecycle is not allowed for ephemeral containers.' : 'Actions that the management system should take in response to container lifecycle events. Cannot be updated.',
    ),
    livenessProbe: Probe.doc(
      ephemeral ? 'Probes are not allowed for ephemeral containers.' : 'Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated.',
    ),
    name: s.string(
      ephemeral
        ? 'Name of the ephemeral container specified as a DNS_LABEL. This name must be unique among all containers, init containers and ephemeral containers.'
        : 'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
    ),
    ports: s.array(
      ContainerPort,
      ephemeral
        ? 'Ports are not allowed for ephemeral containers.'
        : 'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Cannot be updated.',
      { listType: 'map', listMapKeys: ['containerPort', 'protocol'], patchMergeKey: 'containerPort', patchStrategy: 'merge' },
    ),
    readinessProbe: Probe.doc(
      ephemeral
        ? 'Probes are not allowed for ephemeral containers.'
        : 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated.',
    ),
    resizePolicy: s.array(ContainerResizePolicy, 'Resources resize policy for the container.', { listType: 'atomic' }),
    resources: ResourceRequirements.doc(
      ephemeral
        ? 'Resources are not allowed for ephemeral containers. Ephemeral containers use spare resources already allocated to the pod.'
        : 'Compute Resources required by this container. Cannot be updated.',
    ).with({ default: {} }),
    restartPolicy: s.enumOf(
      ['Always'],
      ephemeral
        ? 'Restart policy for the container to manage the restart behavior of each container within a pod. You cannot set this field on ephemeral containers.'
        : 'RestartPolicy defines the restart behavior of individual containers in a pod. This field may only be set for init containers, and the only allowed value is "Always" (a sidecar container).',
    ),
    securityContext: SecurityContext.doc(
      ephemeral
        ? 'Optional: SecurityContext defines the security options the ephemeral container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext.'
        : 'SecurityContext defines the security options the container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext.',
    ),
    startupProbe: Probe.doc(
      ephemeral
        ? 'Probes are not allowed for ephemeral containers.'
        : 'StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully. Cannot be updated.',
    ),
    stdin: s.boolean(
      'Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.',
    ),
    stdinOnce: s.boolean(
      'Whether the container runtime should close the stdin channel after it has been opened by a single attach. When stdin is true the stdin stream will remain open across multiple attach sessions. Default is false.',
    ),
    terminationMessagePath: s.string(
      "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Defaults to /dev/termination-log. Cannot be updated.",
      { default: '/dev/termination-log' },
    ),
    terminationMessagePolicy: s.enumOf(
      ['File', 'FallbackToLogsOnError'],
      'Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. Defaults to File. Cannot be updated.',
      { default: 'File' },
    ),
    tty: s.boolean("Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false."),
    volumeDevices: s.array(VolumeDevice, 'volumeDevices is the list of block devices to be used by the container.', {
      listType: 'map',
      listMapKeys: ['devicePath'],
      patchMergeKey: 'devicePath',
      patchStrategy: 'merge',
    }),
    volumeMounts: s.array(
      VolumeMount,
      ephemeral
        ? "Pod volumes to mount into the container's filesystem. Subpath mounts are not allowed for ephemeral containers. Cannot be updated."
        : "Pod volumes to mount into the container's filesystem. Cannot be updated.",
      { listType: 'map', listMapKeys: ['mountPath'], patchMergeKey: 'mountPath', patchStrategy: 'merge' },
    ),
    workingDir: s.string("Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated."),
  } as const;
}

export const Container = s.object(
  'io.k8s.api.core.v1.Container',
  'A single application container that you want to run within a pod.',
  containerProperties('container'),
  { required: ['name'] },
);
export type Container = s.Static<typeof Container>;

export const EphemeralContainer = s.object(
  'io.k8s.api.core.v1.EphemeralContainer',
  'An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging. Ephemeral containers have no resource or scheduling guarantees, and they will not be restarted when they exit or when a Pod is removed or restarted.',
  {
    ...containerProperties('ephemeral container'),
    targetContainerName: s.string(
      'If set, the name of the container from PodSpec that this ephemeral container targets. The ephemeral container will be run in the namespaces (IPC, PID, etc) of this container. If not set then the ephemeral container uses the namespaces configured in the Pod spec.',
    ),
  },
  { required: ['name'] },
);
export type EphemeralContainer = s.Static<typeof EphemeralContainer>;
