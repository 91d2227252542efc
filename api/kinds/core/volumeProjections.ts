/**
 * core/v1 volume sources that project API data into files: configMap, secret, downwardAPI and
 * projected volumes, with their projections (service account tokens, cluster trust bundles).
 * Field names, types and defaults follow Kubernetes v1.32.
 */
import * as s from '../../schema/schema';
import { LabelSelector } from '../meta';
import { ObjectFieldSelector, ResourceFieldSelector } from './env';

/** 0644, the mode Kubernetes gives projected files by default. */
export const defaultFileMode = 0o644;

const localName = () =>
  s.string('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty.', { default: '' });

const modeText =
  'Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits.';
const defaultModeField = (what: string) =>
  s.int32(`defaultMode is optional: mode bits used to set permissions on ${what} by default. ${modeText} Defaults to 0644.`, { default: defaultFileMode });

export const KeyToPath = s.object(
  'io.k8s.api.core.v1.KeyToPath',
  'Maps a string key to a path within a volume.',
  {
    key: s.string('key is the key to project.'),
    mode: s.int32(`mode is Optional: mode bits used to set permissions on this file. ${modeText} If not specified, the volume defaultMode will be used.`),
    path: s.string("path is the relative path of the file to map the key to. May not be an absolute path. May not contain the path element '..'. May not start with the string '..'."),
  },
  { required: ['key', 'path'] },
);
export type KeyToPath = s.Static<typeof KeyToPath>;

const keyItems = (what: string) =>
  s.array(
    KeyToPath,
    `items if unspecified, each key-value pair in the Data field of the referenced ${what} will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present.`,
    { listType: 'atomic' },
  );

export const ConfigMapVolumeSource = s.object(
  'io.k8s.api.core.v1.ConfigMapVolumeSource',
  "Adapts a ConfigMap into a volume. The contents of the target ConfigMap's Data field will be presented in a volume as files using the keys in the Data field as the file names, unless the items element is populated with specific mappings of keys to paths.",
  {
    defaultMode: defaultModeField('created files'),
    items: keyItems('ConfigMap'),
    name: localName(),
    optional: s.boolean('optional specify whether the ConfigMap or its keys must be defined'),
  },
);
export type ConfigMapVolumeSource = s.Static<typeof ConfigMapVolumeSource>;

export const SecretVolumeSource = s.object(
  'io.k8s.api.core.v1.SecretVolumeSource',
  "Adapts a Secret into a volume. The contents of the target Secret's Data field will be presented in a volume as files using the keys in the Data field as the file names.",
  {
    defaultMode: defaultModeField('created files'),
    items: keyItems('Secret'),
    optional: s.boolean('optional field specify whether the Secret or its keys must be defined'),
    secretName: s.string("secretName is the name of the secret in the pod's namespace to use."),
  },
);
export type SecretVolumeSource = s.Static<typeof SecretVolumeSource>;

export const DownwardAPIVolumeFile = s.object(
  'io.k8s.api.core.v1.DownwardAPIVolumeFile',
  'DownwardAPIVolumeFile represents information to create the file containing the pod field',
  {
    fieldRef: ObjectFieldSelector.doc('Required: Selects a field of the pod: only annotations, labels, name, namespace and uid are supported.'),
    mode: s.int32(`Optional: mode bits used to set permissions on this file. ${modeText} If not specified, the volume defaultMode will be used.`),
    path: s.string("Required: Path is the relative path name of the file to be created. Must not be absolute or contain the '..' path. The first item of the relative path must not start with '..'"),
    resourceFieldRef: ResourceFieldSelector.doc(
      'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, requests.cpu and requests.memory) are currently supported.',
    ),
  },
  { required: ['path'] },
);
export type DownwardAPIVolumeFile = s.Static<typeof DownwardAPIVolumeFile>;

export const DownwardAPIVolumeSource = s.object(
  'io.k8s.api.core.v1.DownwardAPIVolumeSource',
  'DownwardAPIVolumeSource represents a volume containing downward API info. Downward API volumes support ownership management and SELinux relabeling.',
  {
    defaultMode: defaultModeField('created files'),
    items: s.array(DownwardAPIVolumeFile, 'Items is a list of downward API volume file', { listType: 'atomic' }),
  },
);
export type DownwardAPIVolumeSource = s.Static<typeof DownwardAPIVolumeSource>;

export const ConfigMapProjection = s.object(
  'io.k8s.api.core.v1.ConfigMapProjection',
  'Adapts a ConfigMap into a projected volume. Note that this is identical to a configmap volume source without the default mode.',
  {
    items: keyItems('ConfigMap'),
    name: localName(),
    optional: s.boolean('optional specify whether the ConfigMap or its keys must be defined'),
  },
);
export type ConfigMapProjection = s.Static<typeof ConfigMapProjection>;

export const SecretProjection = s.object(
  'io.k8s.api.core.v1.SecretProjection',
  'Adapts a secret into a projected volume. Note that this is identical to a secret volume source without the default mode.',
  {
    items: keyItems('Secret'),
    name: localName(),
    optional: s.boolean('optional field specify whether the Secret or its key must be defined'),
  },
);
export type SecretProjection = s.Static<typeof SecretProjection>;

export const DownwardAPIProjection = s.object(
  'io.k8s.api.core.v1.DownwardAPIProjection',
  'Represents downward API info for projecting into a projected volume. Note that this is identical to a downwardAPI volume source without the default mode.',
  {
    items: s.array(DownwardAPIVolumeFile, 'Items is a list of DownwardAPIVolume file', { listType: 'atomic' }),
  },
);
export type DownwardAPIProjection = s.Static<typeof DownwardAPIProjection>;

export const ServiceAccountTokenProjection = s.object(
  'io.k8s.api.core.v1.ServiceAccountTokenProjection',
  'ServiceAccountTokenProjection represents a projected service account token volume, used to insert a service account token into the pods runtime filesystem for use against APIs.',
  {
    audience: s.string('audience is the intended audience of the token. The audience defaults to the identifier of the apiserver.'),
    expirationSeconds: s.int64(
      'expirationSeconds is the requested duration of validity of the service account token; the kubelet rotates the token as it approaches expiration. Defaults to 1 hour and must be at least 10 minutes.',
      { default: 3600 },
    ),
    path: s.string('path is the path relative to the mount point of the file to project the token into.'),
  },
  { required: ['path'] },
);
export type ServiceAccountTokenProjection = s.Static<typeof ServiceAccountTokenProjection>;

export const ClusterTrustBundleProjection = s.object(
  'io.k8s.api.core.v1.ClusterTrustBundleProjection',
  'ClusterTrustBundleProjection describes how to select a set of ClusterTrustBundle objects and project their contents into the pod filesystem.',
  {
    labelSelector: LabelSelector.doc(
      'Select all ClusterTrustBundles that match this label selector. Only has effect if signerName is set. Mutually-exclusive with name. If unset, interpreted as "match nothing".',
    ),
    name: s.string('Select a single ClusterTrustBundle by object name. Mutually-exclusive with signerName and labelSelector.'),
    optional: s.boolean("If true, don't block pod startup if the referenced ClusterTrustBundle(s) aren't available."),
    path: s.string('Relative path from the volume root to write the bundle.'),
    signerName: s.string(
      'Select all ClusterTrustBundles that match this signer name. Mutually-exclusive with name. The contents of all selected ClusterTrustBundles will be unified and deduplicated.',
    ),
  },
  { required: ['path'] },
);
export type ClusterTrustBundleProjection = s.Static<typeof ClusterTrustBundleProjection>;

export const VolumeProjection = s.object(
  'io.k8s.api.core.v1.VolumeProjection',
  'Projection that may be projected along with other supported volume types. Exactly one of these fields must be set.',
  {
    clusterTrustBundle: ClusterTrustBundleProjection.doc(
      'ClusterTrustBundle allows a pod to access the `.spec.trustBundle` field of ClusterTrustBundle objects in an auto-updating file. Alpha, gated by the ClusterTrustBundleProjection feature gate.',
    ),
    configMap: ConfigMapProjection.doc('configMap information about the configMap data to project'),
    downwardAPI: DownwardAPIProjection.doc('downwardAPI information about the downwardAPI data to project'),
    secret: SecretProjection.doc('secret information about the secret data to project'),
    serviceAccountToken: ServiceAccountTokenProjection.doc('serviceAccountToken is information about the serviceAccountToken data to project'),
  },
);
export type VolumeProjection = s.Static<typeof VolumeProjection>;

export const ProjectedVolumeSource = s.object('io.k8s.api.core.v1.ProjectedVolumeSource', 'Represents a projected volume source', {
  defaultMode: s.int32(
    `defaultMode are the mode bits used to set permissions on created files by default. ${modeText} Directories within the path are not affected by this setting.`,
    { default: defaultFileMode },
  ),
  sources: s.array(VolumeProjection, 'sources is the list of volume projections. Each entry in this list handles one source.', { listType: 'atomic' }),
});
export type ProjectedVolumeSource = s.Static<typeof ProjectedVolumeSource>;
