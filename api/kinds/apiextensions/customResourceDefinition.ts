/** apiextensions.k8s.io/v1 CustomResourceDefinition: a resource type served from a schema. */
import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { validateCustomResourceDefinition } from './crdValidation';
import { JSONSchemaProps, normalizeSchemaSlots } from './jsonSchemaProps';

export { JSONSchemaProps } from './jsonSchemaProps';

const group = 'apiextensions.k8s.io';
const prefix = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

export const CustomResourceDefinitionNames = s.object(
  `${prefix}.CustomResourceDefinitionNames`,
  'CustomResourceDefinitionNames indicates the names to serve this CustomResourceDefinition',
  {
    categories: s.array(
      s.string(),
      "categories is a list of grouped resources this custom resource belongs to (e.g. 'all'). This is published in API discovery documents, and used by clients to support invocations like `kubectl get all`.",
      { listType: 'atomic' },
    ),
    kind: s.string(
      'kind is the serialized kind of the resource. It is normally CamelCase and singular. Custom resource instances will use this value as the `kind` attribute in API calls.',
    ),
    listKind: s.string('listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".'),
    plural: s.string(
      'plural is the plural name of the resource to serve. The custom resources are served under `/apis/<group>/<version>/.../<plural>`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`). Must be all lowercase.',
    ),
    shortNames: s.array(
      s.string(),
      'shortNames are short names for the resource, exposed in API discovery documents, and used by clients to support invocations like `kubectl get <shortname>`. It must be all lowercase.',
      { listType: 'atomic' },
    ),
    singular: s.string('singular is the singular name of the resource. It must be all lowercase. Defaults to lowercased `kind`.'),
  },
  { required: ['plural', 'kind'] },
);
export type CustomResourceDefinitionNames = s.Static<typeof CustomResourceDefinitionNames>;

export const ServiceReference = s.object(
  `${prefix}.ServiceReference`,
  'ServiceReference holds a reference to Service.legacy.k8s.io',
  {
    name: s.string('name is the name of the service. Required'),
    namespace: s.string('namespace is the namespace of the service. Required'),
    path: s.string('path is an optional URL path at which the webhook will be contacted.'),
    port: s.int32(
      'port is an optional service port at which the webhook will be contacted. `port` should be a valid port number (1-65535, inclusive). Defaults to 443 for backward compatibility.',
      { default: 443 },
    ),
  },
  { required: ['namespace', 'name'] },
);

export const WebhookClientConfig = s.object(
  `${prefix}.WebhookClientConfig`,
  'WebhookClientConfig contains the information to make a TLS connection with the webhook.',
  {
    caBundle: s.bytes(
      "caBundle is a PEM encoded CA bundle which will be used to validate the webhook's server certificate. If unspecified, system trust roots on the apiserver are used.",
    ),
    service: ServiceReference.doc(
      'service is a reference to the service for this webhook. Either service or url must be specified. If the webhook is running within the cluster, then you should use `service`.',
    ),
    url: s.string(
      'url gives the location of the webhook, in standard URL form (`scheme://host:port/path`). Exactly one of `url` or `service` must be specified. The scheme must be "https"; user info, fragments and query parameters are not allowed.',
    ),
  },
);

export const WebhookConversion = s.object(
  `${prefix}.WebhookConversion`,
  'WebhookConversion describes how to call a conversion webhook',
  {
    clientConfig: WebhookClientConfig.doc('clientConfig is the instructions for how to call the webhook if strategy is `Webhook`.'),
    conversionReviewVersions: s.array(
      s.string(),
      'conversionReviewVersions is an ordered list of preferred `ConversionReview` versions the Webhook expects. The API server will use the first version in the list which it supports.',
      { listType: 'atomic' },
    ),
  },
  { required: ['conversionReviewVersions'] },
);

export const CustomResourceConversion = s.object(
  `${prefix}.CustomResourceConversion`,
  'CustomResourceConversion describes how to convert different versions of a CR.',
  {
    strategy: s.enumOf(
      ['None', 'Webhook'],
      'strategy specifies how custom resources are converted between versions. Allowed values are: "None" (the converter only changes the apiVersion) and "Webhook" (API Server will call to an external webhook to do the conversion).',
    ),
    webhook: WebhookConversion.doc('webhook describes how to call the conversion webhook. Required when `strategy` is set to `"Webhook"`.'),
  },
  { required: ['strategy'] },
);

export const CustomResourceColumnDefinition = s.object(
  `${prefix}.CustomResourceColumnDefinition`,
  'CustomResourceColumnDefinition specifies a column for server side printing.',
  {
    description: s.string('description is a human readable description of this column.'),
    format: s.string(
      "format is an optional OpenAPI type definition for this column. The 'name' format is applied to the primary identifier column to assist in clients identifying column is the resource name.",
    ),
    jsonPath: s.string(
      'jsonPath is a simple JSON path (i.e. with array notation) which is evaluated against each custom resource to produce the value for this column.',
    ),
    name: s.string('name is a human readable name for the column.'),
    priority: s.int32(
      'priority is an integer defining the relative importance of this column compared to others. Lower numbers are considered higher priority. Columns that may be omitted in limited space scenarios should be given a priority greater than 0.',
    ),
    type: s.string('type is an OpenAPI type definition for this column: integer, number, string, boolean or date.'),
  },
  { required: ['name', 'type', 'jsonPath'] },
);
export type CustomResourceColumnDefinition = s.Static<typeof CustomResourceColumnDefinition>;

export const CustomResourceSubresourceScale = s.object(
  `${prefix}.CustomResourceSubresourceScale`,
  'CustomResourceSubresourceScale defines how to serve the scale subresource for CustomResources.',
  {
    labelSelectorPath: s.string(
      'labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale `status.selector`. Must be a JSON Path under `.status` or `.spec`; the field it points to must be a string holding a serialized label selector.',
    ),
    specReplicasPath: s.string(
      'specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `spec.replicas`. Only JSON paths without the array notation are allowed. Must be a JSON Path under `.spec`.',
    ),
    statusReplicasPath: s.string(
      'statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `status.replicas`. Only JSON paths without the array notation are allowed. Must be a JSON Path under `.status`.',
    ),
  },
  { required: ['specReplicasPath', 'statusReplicasPath'] },
);

export const CustomResourceSubresourceStatus = s.object(
  `${prefix}.CustomResourceSubresourceStatus`,
  'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources. Status is represented by the `.status` JSON path inside of a CustomResource; it has no fields.',
  {},
);

export const CustomResourceSubresources = s.object(
  `${prefix}.CustomResourceSubresources`,
  'CustomResourceSubresources defines the status and scale subresources for CustomResources.',
  {
    scale: CustomResourceSubresourceScale.doc(
      'scale indicates the custom resource should serve a `/scale` subresource that returns an `autoscaling/v1` Scale object.',
    ),
    status: CustomResourceSubresourceStatus.doc(
      'status indicates the custom resource should serve a `/status` subresource. When enabled, requests to the primary endpoint ignore changes to `status` and requests to `/status` ignore changes to anything else.',
    ),
  },
);
export type CustomResourceSubresources = s.Static<typeof CustomResourceSubresources>;

export const CustomResourceValidation = s.object(
  `${prefix}.CustomResourceValidation`,
  'CustomResourceValidation is a list of validation methods for CustomResources.',
  { openAPIV3Schema: JSONSchemaProps.doc('openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.') },
);

export const SelectableField = s.object(
  `${prefix}.SelectableField`,
  'SelectableField specifies the JSON path of a field that may be used with field selectors.',
  {
    jsonPath: s.string(
      'jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value. Only JSON paths without the array notation are allowed. Must point to a field of type string, boolean or integer.',
    ),
  },
  { required: ['jsonPath'] },
);

export const CustomResourceDefinitionVersion = s.object(
  `${prefix}.CustomResourceDefinitionVersion`,
  'CustomResourceDefinitionVersion describes a version for CRD.',
  {
    additionalPrinterColumns: s.array(
      CustomResourceColumnDefinition,
      'additionalPrinterColumns specifies additional columns returned in Table output. If no columns are specified, a single column displaying the age of the custom resource is used.',
      { listType: 'atomic' },
    ),
    deprecated: s.boolean(
      'deprecated indicates this version of the custom resource API is deprecated. When set to true, API requests to this version receive a warning header in the server response. Defaults to false.',
    ),
    deprecationWarning: s.string(
      'deprecationWarning overrides the default warning returned to API clients. May only be set when `deprecated` is true.',
    ),
    name: s.string(
      'name is the version name, e.g. "v1", "v2beta1", etc. The custom resources are served under this version at `/apis/<group>/<version>/...` if `served` is true.',
    ),
    schema: CustomResourceValidation.doc('schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.'),
    selectableFields: s.array(
      SelectableField,
      'selectableFields specifies paths to fields that may be used as field selectors. A maximum of 8 selectable fields are allowed.',
      { listType: 'atomic' },
    ),
    served: s.boolean('served is a flag enabling/disabling this version from being served via REST APIs'),
    storage: s.boolean(
      'storage indicates this version should be used when persisting custom resources to storage. There must be exactly one version with storage=true.',
    ),
    subresources: CustomResourceSubresources.doc('subresources specify what subresources this version of the defined custom resource have.'),
  },
  { required: ['name', 'served', 'storage'] },
);
export type CustomResourceDefinitionVersion = s.Static<typeof CustomResourceDefinitionVersion>;

export const CustomResourceDefinitionSpec = s.object(
  `${prefix}.CustomResourceDefinitionSpec`,
  'CustomResourceDefinitionSpec describes how a user wants their resource to appear',
  {
    conversion: CustomResourceConversion.doc('conversion defines conversion settings for the CRD.').with({ default: { strategy: 'None' } }),
    group: s.string(
      'group is the API group of the defined custom resource. The custom resources are served under `/apis/<group>/...`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`).',
    ),
    names: CustomResourceDefinitionNames.doc('names specify the resource and kind names for the custom resource.'),
    preserveUnknownFields: s.boolean(
      'preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage. Deprecated in favor of `x-kubernetes-preserve-unknown-fields` in `spec.versions[*].schema.openAPIV3Schema`.',
    ),
    scope: s.enumOf(
      ['Cluster', 'Namespaced'],
      'scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.',
    ),
    versions: s.array(
      CustomResourceDefinitionVersion,
      'versions is the list of all API versions of the defined custom resource. Version names are used to compute the order in which served versions are listed in API discovery.',
      { listType: 'atomic' },
    ),
  },
  { required: ['group', 'names', 'scope', 'versions'] },
);
export type CustomResourceDefinitionSpec = s.Static<typeof CustomResourceDefinitionSpec>;

export const CustomResourceDefinitionCondition = s.object(
  `${prefix}.CustomResourceDefinitionCondition`,
  'CustomResourceDefinitionCondition contains details for the current condition of this pod.',
  {
    lastTransitionTime: s.time('lastTransitionTime last time the condition transitioned from one status to another.'),
    message: s.string('message is a human-readable message indicating details about last transition.'),
    reason: s.string("reason is a unique, one-word, CamelCase reason for the condition's last transition."),
    status: s.string('status is the status of the condition. Can be True, False, Unknown.'),
    type: s.string('type is the type of the condition. Types include Established, NamesAccepted and Terminating.'),
  },
  { required: ['type', 'status'] },
);
export type CustomResourceDefinitionCondition = s.Static<typeof CustomResourceDefinitionCondition>;

export const CustomResourceDefinitionStatus = s.object(
  `${prefix}.CustomResourceDefinitionStatus`,
  'CustomResourceDefinitionStatus indicates the state of the CustomResourceDefinition',
  {
    acceptedNames: CustomResourceDefinitionNames.doc(
      'acceptedNames are the names that are actually being used to serve discovery. They may be different than the names in spec.',
    ),
    conditions: s.array(CustomResourceDefinitionCondition, 'conditions indicate state for particular aspects of a CustomResourceDefinition', {
      listType: 'map',
      listMapKeys: ['type'],
    }),
    storedVersions: s.array(
      s.string(),
      'storedVersions lists all versions of CustomResources that were ever persisted. Versions may not be removed from `spec.versions` while they exist in this list.',
      { listType: 'atomic' },
    ),
  },
);
export type CustomResourceDefinitionStatus = s.Static<typeof CustomResourceDefinitionStatus>;

export const CustomResourceDefinition = topLevelObject(
  `${prefix}.CustomResourceDefinition`,
  'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
  { group, version: 'v1', kind: 'CustomResourceDefinition' },
  {
    spec: CustomResourceDefinitionSpec.doc('spec describes how the user wants the resources to appear'),
    status: CustomResourceDefinitionStatus.doc('status indicates the actual state of the CustomResourceDefinition'),
  },
  { required: ['spec'] },
);
export type CustomResourceDefinition = s.Static<typeof CustomResourceDefinition>;

/** SetDefaults_CustomResourceDefinition, plus the storage version the create/update strategy records. */
export function defaultCustomResourceDefinition(crd: CustomResourceDefinition): void {
  const names = crd.spec.names;
  if (!names.singular) names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  crd.spec.versions.forEach((version, i) => {
    const schema = version.schema?.openAPIV3Schema;
    if (schema) normalizeSchemaSlots(schema, `spec.versions[${i}].schema.openAPIV3Schema`);
  });
  // PrepareForCreate/PrepareForUpdate: the storage version is always among the stored versions.
  const storage = crd.spec.versions.find((v) => v.storage);
  if (storage) {
    crd.status ??= {};
    crd.status.storedVersions ??= [];
    if (!crd.status.storedVersions.includes(storage.name)) crd.status.storedVersions.push(storage.name);
  }
}

export const customResourceDefinitionKind = defineKind<CustomResourceDefinition>({
  group,
  version: 'v1',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  schema: CustomResourceDefinition,
  subresources: { status: true },
  defaults: defaultCustomResourceDefinition,
  validate: validateCustomResourceDefinition,
});
