/**
 * core/v1 volume sources backed by a node path, a network file system, a block device or a storage
 * driver: everything Volume can name except the API-projected ones (volumeProjections.ts) and the
 * ephemeral claim template (volume.ts). Field names, types and defaults follow Kubernetes v1.32.
 */
import * as s from '../../schema/schema';
import { LocalObjectReference } from './objectReference';

const fsTypeExt4 = () =>
  s.string('fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified.');
const readOnlyForces = () => s.boolean('readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.');
const partition = () =>
  s.int32('partition is the partition in the volume that you want to mount. If omitted, the default is to mount by volume name. Examples: for /dev/sda1 the partition is "1"; for /dev/sda it is "0" (or leave the property empty).');

export const AWSElasticBlockStoreVolumeSource = s.object(
  'io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource',
  'Represents a Persistent Disk resource in AWS. An AWS EBS disk must exist before mounting to a container and be in the same AWS zone as the kubelet.',
  {
    fsType: fsTypeExt4(),
    partition: partition(),
    readOnly: s.boolean('readOnly value true will force the readOnly setting in VolumeMounts.'),
    volumeID: s.string('volumeID is unique ID of the persistent disk resource in AWS (Amazon EBS volume).'),
  },
  { required: ['volumeID'] },
);

export const AzureDiskVolumeSource = s.object(
  'io.k8s.api.core.v1.AzureDiskVolumeSource',
  'AzureDisk represents an Azure Data Disk mount on the host and bind mount to the pod.',
  {
    cachingMode: s.enumOf(['None', 'ReadOnly', 'ReadWrite'], 'cachingMode is the Host Caching mode: None, Read Only, Read Write.', { default: 'ReadWrite' }),
    diskName: s.string('diskName is the Name of the data disk in the blob storage'),
    diskURI: s.string('diskURI is the URI of data disk in the blob storage'),
    fsType: s.string('fsType is Filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified.', { default: 'ext4' }),
    kind: s.enumOf(
      ['Dedicated', 'Managed', 'Shared'],
      'kind expected values are Shared: multiple blob disks per storage account, Dedicated: single blob disk per storage account, Managed: azure managed data disk (only in managed availability set). defaults to shared',
      { default: 'Shared' },
    ),
    readOnly: s.boolean('readOnly Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.', { default: false }),
  },
  { required: ['diskName', 'diskURI'] },
);

export const AzureFileVolumeSource = s.object(
  'io.k8s.api.core.v1.AzureFileVolumeSource',
  'AzureFile represents an Azure File Service mount on the host and bind mount to the pod.',
  {
    readOnly: readOnlyForces(),
    secretName: s.string('secretName is the name of secret that contains Azure Storage Account Name and Key'),
    shareName: s.string('shareName is the azure share Name'),
  },
  { required: ['secretName', 'shareName'] },
);

export const CephFSVolumeSource = s.object(
  'io.k8s.api.core.v1.CephFSVolumeSource',
  'Represents a Ceph Filesystem mount that lasts the lifetime of a pod. Cephfs volumes do not support ownership management or SELinux relabeling.',
  {
    monitors: s.array(s.string(), 'monitors is Required: Monitors is a collection of Ceph monitors.', { listType: 'atomic' }),
    path: s.string('path is Optional: Used as the mounted root, rather than the full Ceph tree, default is /'),
    readOnly: s.boolean('readOnly is Optional: Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.'),
    secretFile: s.string('secretFile is Optional: SecretFile is the path to key ring for User, default is /etc/ceph/user.secret'),
    secretRef: LocalObjectReference.doc('secretRef is Optional: SecretRef is reference to the authentication secret for User, default is empty.'),
    user: s.string('user is optional: User is the rados user name, default is admin'),
  },
  { required: ['monitors'] },
);

export const CinderVolumeSource = s.object(
  'io.k8s.api.core.v1.CinderVolumeSource',
  'Represents a cinder volume resource in Openstack. A Cinder volume must exist before mounting to a container and be in the same region as the kubelet.',
  {
    fsType: fsTypeExt4(),
    readOnly: readOnlyForces(),
    secretRef: LocalObjectReference.doc('secretRef is optional: points to a secret object containing parameters used to connect to OpenStack.'),
    volumeID: s.string('volumeID used to identify the volume in cinder.'),
  },
  { required: ['volumeID'] },
);

export const CSIVolumeSource = s.object(
  'io.k8s.api.core.v1.CSIVolumeSource',
  'Represents a source location of a volume to mount, managed by an external CSI driver',
  {
    driver: s.string('driver is the name of the CSI driver that handles this volume. Consult with your admin for the correct name as registered in the cluster.'),
    fsType: s.string('fsType to mount. Ex. "ext4", "xfs", "ntfs". If not provided, the empty value is passed to the associated CSI driver which will determine the default filesystem to apply.'),
    nodePublishSecretRef: LocalObjectReference.doc(
      'nodePublishSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodePublishVolume and NodeUnpublishVolume calls.',
    ),
    readOnly: s.boolean('readOnly specifies a read-only configuration for the volume. Defaults to false (read/write).'),
    volumeAttributes: s.map(s.string(), "volumeAttributes stores driver-specific properties that are passed to the CSI driver. Consult your driver's documentation for supported values."),
  },
  { required: ['driver'] },
);

export const EmptyDirVolumeSource = s.object(
  'io.k8s.api.core.v1.EmptyDirVolumeSource',
  'Represents an empty directory for a pod. Empty directory volumes support ownership management and SELinux relabeling.',
  {
    medium: s.string('medium represents what type of storage medium should back this directory. The default is "" which means to use the node\'s default medium. Must be an empty string (default) or Memory.'),
    sizeLimit: s.quantity(
      'sizeLimit is the total amount of local storage required for this EmptyDir volume. The size limit is also applicable for memory medium. The default is nil which means that the limit is undefined.',
    ),
  },
);
export type EmptyDirVolumeSource = s.Static<typeof EmptyDirVolumeSource>;

export const FCVolumeSource = s.object(
  'io.k8s.api.core.v1.FCVolumeSource',
  'Represents a Fibre Channel volume. Fibre Channel volumes can only be mounted as read/write once.',
  {
    fsType: fsTypeExt4(),
    lun: s.int32('lun is Optional: FC target lun number'),
    readOnly: s.boolean('readOnly is Optional: Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.'),
    targetWWNs: s.array(s.string(), 'targetWWNs is Optional: FC target worldwide names (WWNs)', { listType: 'atomic' }),
    wwids: s.array(s.string(), 'wwids Optional: FC volume world wide identifiers (wwids). Either wwids or combination of targetWWNs and lun must be set, but not both simultaneously.', {
      listType: 'atomic',
    }),
  },
);

export const FlexVolumeSource = s.object(
  'io.k8s.api.core.v1.FlexVolumeSource',
  'FlexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin.',
  {
    driver: s.string('driver is the name of the driver to use for this volume.'),
    fsType: s.string('fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. The default filesystem depends on FlexVolume script.'),
    options: s.map(s.string(), 'options is Optional: this field holds extra command options if any.'),
    readOnly: s.boolean('readOnly is Optional: defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.'),
    secretRef: LocalObjectReference.doc(
      'secretRef is Optional: secretRef is reference to the secret object containing sensitive information to pass to the plugin scripts. This may be empty if no secret object is specified.',
    ),
  },
  { required: ['driver'] },
);

export const FlockerVolumeSource = s.object(
  'io.k8s.api.core.v1.FlockerVolumeSource',
  'Represents a Flocker volume mounted by the Flocker agent. One and only one of datasetName and datasetUUID should be set.',
  {
    datasetName: s.string('datasetName is Name of the dataset stored as metadata -> name on the dataset for Flocker; should be considered as deprecated'),
    datasetUUID: s.string('datasetUUID is the UUID of the dataset. This is unique identifier of a Flocker dataset'),
  },
);

export const GCEPersistentDiskVolumeSource = s.object(
  'io.k8s.api.core.v1.GCEPersistentDiskVolumeSource',
  'Represents a Persistent Disk resource in Google Compute Engine. A GCE PD must exist before mounting to a container and be in the same GCE project and zone as the kubelet.',
  {
    fsType: fsTypeExt4(),
    partition: partition(),
    pdName: s.string('pdName is unique name of the PD resource in GCE. Used to identify the disk in GCE.'),
    readOnly: s.boolean('readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false.'),
  },
  { required: ['pdName'] },
);

export const GitRepoVolumeSource = s.object(
  'io.k8s.api.core.v1.GitRepoVolumeSource',
  'Represents a volume that is populated with the contents of a git repository. DEPRECATED: GitRepo is deprecated; mount an EmptyDir into an InitContainer that clones the repo instead.',
  {
    directory: s.string(
      "directory is the target directory name. Must not contain or start with '..'. If '.' is supplied, the volume directory will be the git repository; otherwise the volume will contain the repository in the subdirectory with the given name.",
    ),
    repository: s.string('repository is the URL'),
    revision: s.string('revision is the commit hash for the specified revision.'),
  },
  { required: ['repository'] },
);

export const GlusterfsVolumeSource = s.object(
  'io.k8s.api.core.v1.GlusterfsVolumeSource',
  'Represents a Glusterfs mount that lasts the lifetime of a pod. Glusterfs volumes do not support ownership management or SELinux relabeling.',
  {
    endpoints: s.string('endpoints is the endpoint name that details Glusterfs topology.'),
    path: s.string('path is the Glusterfs volume path.'),
    readOnly: s.boolean('readOnly here will force the Glusterfs volume to be mounted with read-only permissions. Defaults to false.'),
  },
  { required: ['endpoints', 'path'] },
);

/** The values HostPathVolumeSource.type accepts; '' (the default) performs no checks. */
export const hostPathTypes = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] as const;

export const HostPathVolumeSource = s.object(
  'io.k8s.api.core.v1.HostPathVolumeSource',
  'Represents a host path mapped into a pod. Host path volumes do not support ownership management or SELinux relabeling.',
  {
    path: s.string('path of the directory on the host. If the path is a symlink, it will follow the link to the real path.'),
    type: s.enumOf(hostPathTypes, 'type for HostPath Volume. Defaults to "".', { default: '' }),
  },
  { required: ['path'] },
);
export type HostPathVolumeSource = s.Static<typeof HostPathVolumeSource>;

export const ImageVolumeSource = s.object(
  'io.k8s.api.core.v1.ImageVolumeSource',
  'ImageVolumeSource represents a image volume resource.',
  {
    pullPolicy: s.enumOf(
      ['Always', 'IfNotPresent', 'Never'],
      'Policy for pulling OCI objects: Always, Never or IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.',
    ),
    reference: s.string(
      'Required: Image or artifact reference to be used. Behaves in the same way as pod.spec.containers[*].image. This field is optional to allow higher level config management to default or override container images in workload controllers.',
    ),
  },
);
export type ImageVolumeSource = s.Static<typeof ImageVolumeSource>;

export const ISCSIVolumeSource = s.object(
  'io.k8s.api.core.v1.ISCSIVolumeSource',
  'Represents an ISCSI disk. ISCSI volumes can only be mounted as read/write once. ISCSI volumes support ownership management and SELinux relabeling.',
  {
    chapAuthDiscovery: s.boolean('chapAuthDiscovery defines whether support iSCSI Discovery CHAP authentication'),
    chapAuthSession: s.boolean('chapAuthSession defines whether support iSCSI Session CHAP authentication'),
    fsType: fsTypeExt4(),
    initiatorName: s.string(
      'initiatorName is the custom iSCSI Initiator Name. If initiatorName is specified with iscsiInterface simultaneously, new iSCSI interface <target portal>:<volume name> will be created for the connection.',
    ),
    iqn: s.string('iqn is the target iSCSI Qualified Name.'),
    iscsiInterface: s.string("iscsiInterface is the interface Name that uses an iSCSI transport. Defaults to 'default' (tcp).", { default: 'default' }),
    lun: s.int32('lun represents iSCSI Target Lun number.'),
    portals: s.array(
      s.string(),
      'portals is the iSCSI Target Portal List. The portal is either an IP or ip_addr:port if the port is other than default (typically TCP ports 860 and 3260).',
      { listType: 'atomic' },
    ),
    readOnly: s.boolean('readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false.'),
    secretRef: LocalObjectReference.doc('secretRef is the CHAP Secret for iSCSI target and initiator authentication'),
    targetPortal: s.string('targetPortal is iSCSI Target Portal. The Portal is either an IP or ip_addr:port if the port is other than default (typically TCP ports 860 and 3260).'),
  },
  { required: ['targetPortal', 'iqn', 'lun'] },
);

export const NFSVolumeSource = s.object(
  'io.k8s.api.core.v1.NFSVolumeSource',
  'Represents an NFS mount that lasts the lifetime of a pod. NFS volumes do not support ownership management or SELinux relabeling.',
  {
    path: s.string('path that is exported by the NFS server.'),
    readOnly: s.boolean('readOnly here will force the NFS export to be mounted with read-only permissions. Defaults to false.'),
    server: s.string('server is the hostname or IP address of the NFS server.'),
  },
  { required: ['server', 'path'] },
);

export const PersistentVolumeClaimVolumeSource = s.object(
  'io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource',
  "PersistentVolumeClaimVolumeSource references the user's PVC in the same namespace. This volume finds the bound PV and mounts that volume for the pod.",
  {
    claimName: s.string('claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume.'),
    readOnly: s.boolean('readOnly Will force the ReadOnly setting in VolumeMounts. Default false.'),
  },
  { required: ['claimName'] },
);

export const PhotonPersistentDiskVolumeSource = s.object(
  'io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource',
  'Represents a Photon Controller persistent disk resource.',
  {
    fsType: fsTypeExt4(),
    pdID: s.string('pdID is the ID that identifies Photon Controller persistent disk'),
  },
  { required: ['pdID'] },
);

export const PortworxVolumeSource = s.object(
  'io.k8s.api.core.v1.PortworxVolumeSource',
  'PortworxVolumeSource represents a Portworx volume resource.',
  {
    fsType: s.string('fSType represents the filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs". Implicitly inferred to be "ext4" if unspecified.'),
    readOnly: readOnlyForces(),
    volumeID: s.string('volumeID uniquely identifies a Portworx volume'),
  },
  { required: ['volumeID'] },
);

export const QuobyteVolumeSource = s.object(
  'io.k8s.api.core.v1.QuobyteVolumeSource',
  'Represents a Quobyte mount that lasts the lifetime of a pod. Quobyte volumes do not support ownership management or SELinux relabeling.',
  {
    group: s.string('group to map volume access to. Default is no group'),
    readOnly: s.boolean('readOnly here will force the Quobyte volume to be mounted with read-only permissions. Defaults to false.'),
    registry: s.string(
      'registry represents a single or multiple Quobyte Registry services specified as a string as host:port pair (multiple entries are separated with commas) which acts as the central registry for volumes',
    ),
    tenant: s.string('tenant owning the given Quobyte volume in the Backend. Used with dynamically provisioned Quobyte volumes, value is set by the plugin'),
    user: s.string('user to map volume access to. Defaults to serivceaccount user'),
    volume: s.string('volume is a string that references an already created Quobyte volume by name.'),
  },
  { required: ['registry', 'volume'] },
);

export const RBDVolumeSource = s.object(
  'io.k8s.api.core.v1.RBDVolumeSource',
  'Represents a Rados Block Device mount that lasts the lifetime of a pod. RBD volumes support ownership management and SELinux relabeling.',
  {
    fsType: fsTypeExt4(),
    image: s.string('image is the rados image name.'),
    keyring: s.string('keyring is the path to key ring for RBDUser. Default is /etc/ceph/keyring.', { default: '/etc/ceph/keyring' }),
    monitors: s.array(s.string(), 'monitors is a collection of Ceph monitors.', { listType: 'atomic' }),
    pool: s.string('pool is the rados pool name. Default is rbd.', { default: 'rbd' }),
    readOnly: s.boolean('readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false.'),
    secretRef: LocalObjectReference.doc('secretRef is name of the authentication secret for RBDUser. If provided overrides keyring. Default is nil.'),
    user: s.string('user is the rados user name. Default is admin.', { default: 'admin' }),
  },
  { required: ['monitors', 'image'] },
);

export const ScaleIOVolumeSource = s.object(
  'io.k8s.api.core.v1.ScaleIOVolumeSource',
  'ScaleIOVolumeSource represents a persistent ScaleIO volume',
  {
    fsType: s.string('fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Default is "xfs".', { default: 'xfs' }),
    gateway: s.string('gateway is the host address of the ScaleIO API Gateway.'),
    protectionDomain: s.string('protectionDomain is the name of the ScaleIO Protection Domain for the configured storage.'),
    readOnly: readOnlyForces(),
    secretRef: LocalObjectReference.doc(
      'secretRef references to the secret for ScaleIO user and other sensitive information. If this is not provided, Login operation will fail.',
    ),
    sslEnabled: s.boolean('sslEnabled Flag enable/disable SSL communication with Gateway, default false'),
    storageMode: s.string('storageMode indicates whether the storage for a volume should be ThickProvisioned or ThinProvisioned. Default is ThinProvisioned.', {
      default: 'ThinProvisioned',
    }),
    storagePool: s.string('storagePool is the ScaleIO Storage Pool associated with the protection domain.'),
    system: s.string('system is the name of the storage system as configured in ScaleIO.'),
    volumeName: s.string('volumeName is the name of a volume already created in the ScaleIO system that is associated with this volume source.'),
  },
  { required: ['gateway', 'system', 'secretRef'] },
);

export const StorageOSVolumeSource = s.object(
  'io.k8s.api.core.v1.StorageOSVolumeSource',
  'Represents a StorageOS persistent volume resource.',
  {
    fsType: fsTypeExt4(),
    readOnly: readOnlyForces(),
    secretRef: LocalObjectReference.doc(
      'secretRef specifies the secret to use for obtaining the StorageOS API credentials. If not specified, default values will be attempted.',
    ),
    volumeName: s.string('volumeName is the human-readable name of the StorageOS volume. Volume names are only unique within a namespace.'),
    volumeNamespace: s.string(
      "volumeNamespace specifies the scope of the volume within StorageOS. If no namespace is specified then the Pod's namespace will be used.",
    ),
  },
);

export const VsphereVirtualDiskVolumeSource = s.object(
  'io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource',
  'Represents a vSphere volume resource.',
  {
    fsType: fsTypeExt4(),
    storagePolicyID: s.string('storagePolicyID is the storage Policy Based Management (SPBM) profile ID associated with the StoragePolicyName.'),
    storagePolicyName: s.string('storagePolicyName is the storage Policy Based Management (SPBM) profile name.'),
    volumePath: s.string('volumePath is the path that identifies vSphere volume vmdk'),
  },
  { required: ['volumePath'] },
);
