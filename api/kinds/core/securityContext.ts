/** core/v1 security settings of containers and pods. */
import * as s from '../../schema/schema';

export const Capabilities = s.object('io.k8s.api.core.v1.Capabilities', 'Adds and removes POSIX capabilities from running containers.', {
  add: s.array(s.string(), 'Added capabilities', { listType: 'atomic' }),
  drop: s.array(s.string(), 'Removed capabilities', { listType: 'atomic' }),
});
export type Capabilities = s.Static<typeof Capabilities>;

export const SELinuxOptions = s.object('io.k8s.api.core.v1.SELinuxOptions', 'SELinuxOptions are the labels to be applied to the container', {
  level: s.string('Level is SELinux level label that applies to the container.'),
  role: s.string('Role is a SELinux role label that applies to the container.'),
  type: s.string('Type is a SELinux type label that applies to the container.'),
  user: s.string('User is a SELinux user label that applies to the container.'),
});
export type SELinuxOptions = s.Static<typeof SELinuxOptions>;

export const SeccompProfile = s.object(
  'io.k8s.api.core.v1.SeccompProfile',
  "SeccompProfile defines a pod/container's seccomp profile settings. Only one profile source may be set.",
  {
    localhostProfile: s.string(
      "localhostProfile indicates a profile defined in a file on the node should be used. The profile must be preconfigured on the node to work. Must be a descending path, relative to the kubelet's configured seccomp profile location. Must be set if type is \"Localhost\". Must NOT be set for any other type.",
    ),
    type: s.enumOf(
      ['Localhost', 'RuntimeDefault', 'Unconfined'],
      'type indicates which kind of seccomp profile will be applied. Valid options are: Localhost - a profile defined in a file on the node should be used. RuntimeDefault - the container runtime default profile should be used. Unconfined - no profile should be applied.',
    ),
  },
  { required: ['type'] },
);
export type SeccompProfile = s.Static<typeof SeccompProfile>;

export const AppArmorProfile = s.object(
  'io.k8s.api.core.v1.AppArmorProfile',
  "AppArmorProfile defines a pod or container's AppArmor settings.",
  {
    localhostProfile: s.string(
      'localhostProfile indicates a profile loaded on the node that should be used. The profile must be preconfigured on the node to work. Must match the loaded name of the profile. Must be set if and only if type is "Localhost".',
    ),
    type: s.enumOf(
      ['Localhost', 'RuntimeDefault', 'Unconfined'],
      "type indicates which kind of AppArmor profile will be applied. Valid options are: Localhost - a profile pre-loaded on the node. RuntimeDefault - the container runtime's default profile. Unconfined - no AppArmor enforcement.",
    ),
  },
  { required: ['type'] },
);
export type AppArmorProfile = s.Static<typeof AppArmorProfile>;

export const WindowsSecurityContextOptions = s.object(
  'io.k8s.api.core.v1.WindowsSecurityContextOptions',
  'WindowsSecurityContextOptions contain Windows-specific options and credentials.',
  {
    gmsaCredentialSpec: s.string('GMSACredentialSpec is where the GMSA admission webhook inlines the contents of the GMSA credential spec named by the GMSACredentialSpecName field.'),
    gmsaCredentialSpecName: s.string('GMSACredentialSpecName is the name of the GMSA credential spec to use.'),
    hostProcess: s.boolean(
      "HostProcess determines if a container should be run as a 'Host Process' container. All of a Pod's containers must have the same effective HostProcess value. In addition, if HostProcess is true then HostNetwork must also be set to true.",
    ),
    runAsUserName: s.string('The UserName in Windows to run the entrypoint of the container process. Defaults to the user specified in image metadata if unspecified.'),
  },
);
export type WindowsSecurityContextOptions = s.Static<typeof WindowsSecurityContextOptions>;

export const Sysctl = s.object(
  'io.k8s.api.core.v1.Sysctl',
  'Sysctl defines a kernel parameter to be set',
  {
    name: s.string('Name of a property to set'),
    value: s.string('Value of a property to set'),
  },
  { required: ['name', 'value'] },
);
export type Sysctl = s.Static<typeof Sysctl>;

export const SecurityContext = s.object(
  'io.k8s.api.core.v1.SecurityContext',
  'SecurityContext holds security configuration that will be applied to a container. Some fields are present in both SecurityContext and PodSecurityContext; when both are set, the values in SecurityContext take precedence.',
  {
    allowPrivilegeEscalation: s.boolean(
      'AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process. This bool directly controls if the no_new_privs flag will be set on the container process. Note that this field cannot be set when spec.os.name is windows.',
    ),
    appArmorProfile: AppArmorProfile.doc(
      "appArmorProfile is the AppArmor options to use by this container. If set, this profile overrides the pod's appArmorProfile. Note that this field cannot be set when spec.os.name is windows.",
    ),
    capabilities: Capabilities.doc(
      'The capabilities to add/drop when running containers. Defaults to the default set of capabilities granted by the container runtime. Note that this field cannot be set when spec.os.name is windows.',
    ),
    privileged: s.boolean(
      'Run container in privileged mode. Processes in privileged containers are essentially equivalent to root on the host. Defaults to false. Note that this field cannot be set when spec.os.name is windows.',
    ),
    procMount: s.enumOf(
      ['Default', 'Unmasked'],
      'procMount denotes the type of proc mount to use for the containers. The default value is Default which uses the container runtime defaults for readonly paths and masked paths. Note that this field cannot be set when spec.os.name is windows.',
    ),
    readOnlyRootFilesystem: s.boolean('Whether this container has a read-only root filesystem. Default is false. Note that this field cannot be set when spec.os.name is windows.'),
    runAsGroup: s.int64(
      'The GID to run the entrypoint of the container process. Uses runtime default if unset. May also be set in PodSecurityContext. Note that this field cannot be set when spec.os.name is windows.',
    ),
    runAsNonRoot: s.boolean(
      'Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does.',
    ),
    runAsUser: s.int64(
      'The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified. May also be set in PodSecurityContext. Note that this field cannot be set when spec.os.name is windows.',
    ),
    seLinuxOptions: SELinuxOptions.doc(
      'The SELinux context to be applied to the container. If unspecified, the container runtime will allocate a random SELinux context for each container. Note that this field cannot be set when spec.os.name is windows.',
    ),
    seccompProfile: SeccompProfile.doc(
      'The seccomp options to use by this container. If seccomp options are provided at both the pod & container level, the container options override the pod options. Note that this field cannot be set when spec.os.name is windows.',
    ),
    windowsOptions: WindowsSecurityContextOptions.doc(
      'The Windows specific settings applied to all containers. If unspecified, the options from the PodSecurityContext will be used. Note that this field cannot be set when spec.os.name is linux.',
    ),
  },
);
export type SecurityContext = s.Static<typeof SecurityContext>;

export const PodSecurityContext = s.object(
  'io.k8s.api.core.v1.PodSecurityContext',
  'PodSecurityContext holds pod-level security attributes and common container settings. Some fields are also present in container.securityContext. Field values of container.securityContext take precedence over field values of PodSecurityContext.',
  {
    appArmorProfile: AppArmorProfile.doc('appArmorProfile is the AppArmor options to use by the containers in this pod. Note that this field cannot be set when spec.os.name is windows.'),
    fsGroup: s.int64(
      'A special supplemental group that applies to all containers in a pod. Some volume types allow the Kubelet to change the ownership of that volume to be owned by the pod. Note that this field cannot be set when spec.os.name is windows.',
    ),
    fsGroupChangePolicy: s.enumOf(
      ['Always', 'OnRootMismatch'],
      'fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod. Valid values are "OnRootMismatch" and "Always". If not specified, "Always" is used. Note that this field cannot be set when spec.os.name is windows.',
    ),
    runAsGroup: s.int64('The GID to run the entrypoint of the container process. Uses runtime default if unset. Note that this field cannot be set when spec.os.name is windows.'),
    runAsNonRoot: s.boolean(
      'Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does.',
    ),
    runAsUser: s.int64(
      'The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified. Note that this field cannot be set when spec.os.name is windows.',
    ),
    seLinuxChangePolicy: s.enumOf(
      ['Recursive', 'MountOption'],
      'seLinuxChangePolicy defines how the container\'s SELinux label is applied to all volumes used by the Pod. Valid values are "MountOption" and "Recursive". Note that this field cannot be set when spec.os.name is windows.',
    ),
    seLinuxOptions: SELinuxOptions.doc(
      'The SELinux context to be applied to all containers. If unspecified, the container runtime will allocate a random SELinux context for each container. Note that this field cannot be set when spec.os.name is windows.',
    ),
    seccompProfile: SeccompProfile.doc('The seccomp options to use by the containers in this pod. Note that this field cannot be set when spec.os.name is windows.'),
    supplementalGroups: s.array(
      s.int64(),
      "A list of groups applied to the first process run in each container, in addition to the container's primary GID and fsGroup (if specified). Note that this field cannot be set when spec.os.name is windows.",
      { listType: 'atomic' },
    ),
    supplementalGroupsPolicy: s.enumOf(
      ['Merge', 'Strict'],
      'Defines how supplemental groups of the first container processes are calculated. Valid values are "Merge" and "Strict". If not specified, "Merge" is used. Note that this field cannot be set when spec.os.name is windows.',
    ),
    sysctls: s.array(
      Sysctl,
      'Sysctls hold a list of namespaced sysctls used for the pod. Pods with unsupported sysctls (by the container runtime) might fail to launch. Note that this field cannot be set when spec.os.name is windows.',
      { listType: 'atomic' },
    ),
    windowsOptions: WindowsSecurityContextOptions.doc(
      "The Windows specific settings applied to all containers. If unspecified, the options within a container's SecurityContext will be used. Note that this field cannot be set when spec.os.name is linux.",
    ),
  },
);
export type PodSecurityContext = s.Static<typeof PodSecurityContext>;
