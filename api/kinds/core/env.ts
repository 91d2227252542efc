/** core/v1 container environment: EnvVar and its sources, EnvFromSource. */
import * as s from '../../schema/schema';

const localName = () =>
  s.string('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty.', { default: '' });

export const ObjectFieldSelector = s.object(
  'io.k8s.api.core.v1.ObjectFieldSelector',
  'ObjectFieldSelector selects an APIVersioned field of an object.',
  {
    apiVersion: s.string('Version of the schema the FieldPath is written in terms of, defaults to "v1".', { default: 'v1' }),
    fieldPath: s.string('Path of the field to select in the specified API version.'),
  },
  { required: ['fieldPath'] },
).with({ mapType: 'atomic' });
export type ObjectFieldSelector = s.Static<typeof ObjectFieldSelector>;

export const ResourceFieldSelector = s.object(
  'io.k8s.api.core.v1.ResourceFieldSelector',
  'ResourceFieldSelector represents container resources (cpu, memory) and their output format.',
  {
    containerName: s.string('Container name: required for volumes, optional for env vars.'),
    divisor: s.quantity('Specifies the output format of the exposed resources, defaults to "1".'),
    resource: s.string('Required: resource to select.'),
  },
  { required: ['resource'] },
).with({ mapType: 'atomic' });
export type ResourceFieldSelector = s.Static<typeof ResourceFieldSelector>;

export const ConfigMapKeySelector = s.object(
  'io.k8s.api.core.v1.ConfigMapKeySelector',
  'Selects a key from a ConfigMap.',
  {
    key: s.string('The key to select.'),
    name: localName(),
    optional: s.boolean('Specify whether the ConfigMap or its key must be defined.'),
  },
  { required: ['key'] },
).with({ mapType: 'atomic' });
export type ConfigMapKeySelector = s.Static<typeof ConfigMapKeySelector>;

export const SecretKeySelector = s.object(
  'io.k8s.api.core.v1.SecretKeySelector',
  'SecretKeySelector selects a key of a Secret.',
  {
    key: s.string('The key of the secret to select from. Must be a valid secret key.'),
    name: localName(),
    optional: s.boolean('Specify whether the Secret or its key must be defined.'),
  },
  { required: ['key'] },
).with({ mapType: 'atomic' });
export type SecretKeySelector = s.Static<typeof SecretKeySelector>;

export const EnvVarSource = s.object('io.k8s.api.core.v1.EnvVarSource', 'EnvVarSource represents a source for the value of an EnvVar.', {
  configMapKeyRef: ConfigMapKeySelector.doc('Selects a key of a ConfigMap.'),
  fieldRef: ObjectFieldSelector.doc(
    "Selects a field of the pod: supports metadata.name, metadata.namespace, `metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs.",
  ),
  resourceFieldRef: ResourceFieldSelector.doc(
    'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory and requests.ephemeral-storage) are currently supported.',
  ),
  secretKeyRef: SecretKeySelector.doc("Selects a key of a secret in the pod's namespace"),
});
export type EnvVarSource = s.Static<typeof EnvVarSource>;

export const EnvVar = s.object(
  'io.k8s.api.core.v1.EnvVar',
  'EnvVar represents an environment variable present in a Container.',
  {
    name: s.string('Name of the environment variable. Must be a C_IDENTIFIER.'),
    value: s.string(
      'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. Defaults to "".',
    ),
    valueFrom: EnvVarSource.doc("Source for the environment variable's value. Cannot be used if value is not empty."),
  },
  { required: ['name'] },
);
export type EnvVar = s.Static<typeof EnvVar>;

export const ConfigMapEnvSource = s.object(
  'io.k8s.api.core.v1.ConfigMapEnvSource',
  "ConfigMapEnvSource selects a ConfigMap to populate the environment variables with. The contents of the target ConfigMap's Data field will represent the key-value pairs as environment variables.",
  {
    name: localName(),
    optional: s.boolean('Specify whether the ConfigMap must be defined.'),
  },
);
export type ConfigMapEnvSource = s.Static<typeof ConfigMapEnvSource>;

export const SecretEnvSource = s.object(
  'io.k8s.api.core.v1.SecretEnvSource',
  "SecretEnvSource selects a Secret to populate the environment variables with. The contents of the target Secret's Data field will represent the key-value pairs as environment variables.",
  {
    name: localName(),
    optional: s.boolean('Specify whether the Secret must be defined.'),
  },
);
export type SecretEnvSource = s.Static<typeof SecretEnvSource>;

export const EnvFromSource = s.object('io.k8s.api.core.v1.EnvFromSource', 'EnvFromSource represents the source of a set of ConfigMaps or Secrets.', {
  configMapRef: ConfigMapEnvSource.doc('The ConfigMap to select from'),
  prefix: s.string('Optional text to prepend to the name of each environment variable. Must be a C_IDENTIFIER.'),
  secretRef: SecretEnvSource.doc('The Secret to select from'),
});
export type EnvFromSource = s.Static<typeof EnvFromSource>;
