/**
 * core/v1 Volume: a named volume in a pod, with exactly one of Kubernetes v1.32's ~30 volume
 * sources. The sources live in volumeSources.ts and volumeProjections.ts; validation (Kubernetes'
 * ValidateVolumes) in volumeValidation.ts. Pods and pod templates use:
 *   - Volume (the schema) and its type;
 *   - defaultVolumes(volumes): the conditional defaults a pod's defaults() must apply;
 *   - validateVolumes(volumes, path): the validation a pod's validate() must apply.
 */
import * as s from '../../schema/schema';
import { PersistentVolumeClaimTemplate } from './persistentVolumeClaim';
import { ConfigMapVolumeSource, DownwardAPIVolumeSource, ProjectedVolumeSource, SecretVolumeSource } from './volumeProjections';
import {
  AWSElasticBlockStoreVolumeSource,
  AzureDiskVolumeSource,
  AzureFileVolumeSource,
  CephFSVolumeSource,
  CinderVolumeSource,
  CSIVolumeSource,
  EmptyDirVolumeSource,
  FCVolumeSource,
  FlexVolumeSource,
  FlockerVolumeSource,
  GCEPersistentDiskVolumeSource,
  GitRepoVolumeSource,
  GlusterfsVolumeSource,
  HostPathVolumeSource,
  ImageVolumeSource,
  ISCSIVolumeSource,
  NFSVolumeSource,
  PersistentVolumeClaimVolumeSource,
  PhotonPersistentDiskVolumeSource,
  PortworxVolumeSource,
  QuobyteVolumeSource,
  RBDVolumeSource,
  ScaleIOVolumeSource,
  StorageOSVolumeSource,
  VsphereVirtualDiskVolumeSource,
} from './volumeSources';

export { validateVolumes, type VolumeValidationOptions } from './volumeValidation';

export const EphemeralVolumeSource = s.object('io.k8s.api.core.v1.EphemeralVolumeSource', 'Represents an ephemeral volume that is handled by a normal storage driver.', {
  volumeClaimTemplate: PersistentVolumeClaimTemplate.doc(
    'Will be used to create a stand-alone PVC to provision the volume. The pod in which this EphemeralVolumeSource is embedded will be the owner of the PVC, and the PVC is named `<pod name>-<volume name>`. Required, must not be nil.',
  ),
});
export type EphemeralVolumeSource = s.Static<typeof EphemeralVolumeSource>;

export const Volume = s.object(
  'io.k8s.api.core.v1.Volume',
  'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
  {
    awsElasticBlockStore: AWSElasticBlockStoreVolumeSource.doc(
      "awsElasticBlockStore represents an AWS Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Deprecated: all operations are redirected to the ebs.csi.aws.com CSI driver.",
    ),
    azureDisk: AzureDiskVolumeSource.doc(
      'azureDisk represents an Azure Data Disk mount on the host and bind mount to the pod. Deprecated: all operations are redirected to the disk.csi.azure.com CSI driver.',
    ),
    azureFile: AzureFileVolumeSource.doc(
      'azureFile represents an Azure File Service mount on the host and bind mount to the pod. Deprecated: all operations are redirected to the file.csi.azure.com CSI driver.',
    ),
    cephfs: CephFSVolumeSource.doc("cephFS represents a Ceph FS mount on the host that shares a pod's lifetime. Deprecated: CephFS is no longer supported."),
    cinder: CinderVolumeSource.doc(
      'cinder represents a cinder volume attached and mounted on kubelets host machine. Deprecated: all operations are redirected to the cinder.csi.openstack.org CSI driver.',
    ),
    configMap: ConfigMapVolumeSource.doc('configMap represents a configMap that should populate this volume'),
    csi: CSIVolumeSource.doc('csi (Container Storage Interface) represents ephemeral storage that is handled by certain external CSI drivers.'),
    downwardAPI: DownwardAPIVolumeSource.doc('downwardAPI represents downward API about the pod that should populate this volume'),
    emptyDir: EmptyDirVolumeSource.doc("emptyDir represents a temporary directory that shares a pod's lifetime."),
    ephemeral: EphemeralVolumeSource.doc(
      'ephemeral represents a volume that is handled by a cluster storage driver. The volume\'s lifecycle is tied to the pod that defines it: it will be created before the pod starts and deleted when the pod is removed.',
    ),
    fc: FCVolumeSource.doc("fc represents a Fibre Channel resource that is attached to a kubelet's host machine and then exposed to the pod."),
    flexVolume: FlexVolumeSource.doc(
      'flexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin. Deprecated: FlexVolume is deprecated; consider using a CSIDriver instead.',
    ),
    flocker: FlockerVolumeSource.doc(
      "flocker represents a Flocker volume attached to a kubelet's host machine. This depends on the Flocker control service being running. Deprecated: Flocker is no longer supported.",
    ),
    gcePersistentDisk: GCEPersistentDiskVolumeSource.doc(
      "gcePersistentDisk represents a GCE Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Deprecated: all operations are redirected to the pd.csi.storage.gke.io CSI driver.",
    ),
    gitRepo: GitRepoVolumeSource.doc(
      'gitRepo represents a git repository at a particular revision. Deprecated: mount an EmptyDir into an InitContainer that clones the repo using git, then mount the EmptyDir into the Pod\'s container.',
    ),
    glusterfs: GlusterfsVolumeSource.doc("glusterfs represents a Glusterfs mount on the host that shares a pod's lifetime. Deprecated: Glusterfs is no longer supported."),
    hostPath: HostPathVolumeSource.doc(
      'hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container. This is generally used for system agents or other privileged things that are allowed to see the host machine.',
    ),
    image: ImageVolumeSource.doc(
      "image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet's host machine. The volume is resolved at pod startup and mounted read-only.",
    ),
    iscsi: ISCSIVolumeSource.doc("iscsi represents an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod."),
    name: s.string('name of the volume. Must be a DNS_LABEL and unique within the pod.'),
    nfs: NFSVolumeSource.doc("nfs represents an NFS mount on the host that shares a pod's lifetime"),
    persistentVolumeClaim: PersistentVolumeClaimVolumeSource.doc(
      'persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace.',
    ),
    photonPersistentDisk: PhotonPersistentDiskVolumeSource.doc(
      'photonPersistentDisk represents a PhotonController persistent disk attached and mounted on kubelets host machine. Deprecated: PhotonPersistentDisk is no longer supported.',
    ),
    portworxVolume: PortworxVolumeSource.doc(
      'portworxVolume represents a portworx volume attached and mounted on kubelets host machine. Deprecated: operations are redirected to the pxd.portworx.com CSI driver when the CSIMigrationPortworx feature-gate is on.',
    ),
    projected: ProjectedVolumeSource.doc('projected items for all in one resources secrets, configmaps, and downward API'),
    quobyte: QuobyteVolumeSource.doc("quobyte represents a Quobyte mount on the host that shares a pod's lifetime. Deprecated: Quobyte is no longer supported."),
    rbd: RBDVolumeSource.doc("rbd represents a Rados Block Device mount on the host that shares a pod's lifetime. Deprecated: RBD is no longer supported."),
    scaleIO: ScaleIOVolumeSource.doc('scaleIO represents a ScaleIO persistent volume attached and mounted on Kubernetes nodes. Deprecated: ScaleIO is no longer supported.'),
    secret: SecretVolumeSource.doc('secret represents a secret that should populate this volume.'),
    storageos: StorageOSVolumeSource.doc('storageOS represents a StorageOS volume attached and mounted on Kubernetes nodes. Deprecated: StorageOS is no longer supported.'),
    vsphereVolume: VsphereVirtualDiskVolumeSource.doc(
      'vsphereVolume represents a vSphere volume attached and mounted on kubelets host machine. Deprecated: all operations are redirected to the csi.vsphere.vmware.com CSI driver.',
    ),
  },
  { required: ['name'] },
);
export type Volume = s.Static<typeof Volume>;

/** Every volume source field of Volume, in the order Kubernetes' validation looks at them. */
export const volumeSourceFields = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const satisfies readonly Exclude<keyof Volume, 'name'>[];
export type VolumeSourceField = (typeof volumeSourceFields)[number];

/**
 * The pull policy Kubernetes gives an image volume (SetDefaults_ImageVolumeSource): Always when the
 * reference's tag is `latest` or it has neither tag nor digest, IfNotPresent otherwise.
 */
function imageVolumePullPolicy(reference: string): 'Always' | 'IfNotPresent' {
  if (reference === '' || /\s/.test(reference)) return 'IfNotPresent';
  const at = reference.indexOf('@');
  const name = at >= 0 ? reference.slice(0, at) : reference;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : at >= 0 ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * Kubernetes' conditional volume defaults (SetDefaults_Volume, SetDefaults_ImageVolumeSource): a
 * volume without any source becomes an emptyDir, and an image volume gets a pull policy. The
 * unconditional ones (defaultMode 0644, hostPath type "", ...) are schema defaults.
 */
export function defaultVolumes(volumes: Volume[] | undefined): void {
  for (const volume of volumes ?? []) {
    if (volumeSourceFields.every((f) => volume[f] === undefined)) volume.emptyDir = {};
    if (volume.image && !volume.image.pullPolicy) volume.image.pullPolicy = imageVolumePullPolicy(volume.image.reference ?? '');
  }
}
