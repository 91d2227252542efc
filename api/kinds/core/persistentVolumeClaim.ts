/**
 * core/v1 PersistentVolumeClaim: a user's request for storage, and the claim template that
 * ephemeral volumes and StatefulSets stamp claims from. Validation follows Kubernetes v1.32
 * (pkg/apis/core/validation ValidatePersistentVolumeClaim*), with its field paths and messages.
 */
import { cloneJson } from '../../util/cloneJson';
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, type FieldPath } from '../../field/path';
import * as s from '../../schema/schema';
import { deepEqual } from '../../util/deepEqual';
import { validateLabelSelector } from '../../validation/labelSelector';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names';
import { validateAnnotations, validateLabels } from '../../validation/objectMeta';
import { defineKind } from '../kind';
import { conditionListSemantics, LabelSelector, ObjectMeta, topLevelObject } from '../meta';
import { TypedLocalObjectReference, TypedObjectReference } from './objectReference';
import { compareQuantities, quantityNanos, quantityString, ResourceList } from './resources';

/** The access modes a claim (or a volume) may ask for. */
export const persistentVolumeAccessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;

export const VolumeResourceRequirements = s.object(
  'io.k8s.api.core.v1.VolumeResourceRequirements',
  'VolumeResourceRequirements describes the storage resource requirements for a volume.',
  {
    limits: ResourceList.doc('Limits describes the maximum amount of compute resources allowed.'),
    requests: ResourceList.doc(
      'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits.',
    ),
  },
);
export type VolumeResourceRequirements = s.Static<typeof VolumeResourceRequirements>;

export const PersistentVolumeClaimSpec = s.object(
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec',
  'PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes',
  {
    accessModes: s.array(s.string(), 'accessModes contains the desired access modes the volume should have.', { listType: 'atomic' }),
    dataSource: TypedLocalObjectReference.doc(
      'dataSource field can be used to specify either an existing VolumeSnapshot object (snapshot.storage.k8s.io/VolumeSnapshot), an existing PVC (PersistentVolumeClaim) or an existing custom resource that implements data population. If the provisioner or an external controller can support the specified data source, it will create a new volume based on its contents.',
    ),
    dataSourceRef: TypedObjectReference.doc(
      'dataSourceRef specifies the object from which to populate the volume with data, if a non-empty volume is desired. This may be any object from a non-empty API group (non core object) or a PersistentVolumeClaim object. When this field is specified, volume binding will only succeed if the type of the specified object matches some installed volume populator or dynamic provisioner.',
    ),
    resources: VolumeResourceRequirements.doc(
      'resources represents the minimum resources the volume should have. Users are allowed to specify resource requirements that are lower than previous value but must still be higher than capacity recorded in the status field of the claim.',
    ),
    selector: LabelSelector.doc('selector is a label query over volumes to consider for binding.'),
    storageClassName: s.string('storageClassName is the name of the StorageClass required by the claim.'),
    volumeAttributesClassName: s.string(
      'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim. Unlike storageClassName, it can be changed after the claim is created. This is a beta field and requires enabling VolumeAttributesClass feature (off by default).',
    ),
    volumeMode: s.enumOf(['Block', 'Filesystem'], 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.', {
      default: 'Filesystem',
    }),
    volumeName: s.string('volumeName is the binding reference to the PersistentVolume backing this claim.'),
  },
);
export type PersistentVolumeClaimSpec = s.Static<typeof PersistentVolumeClaimSpec>;

export const PersistentVolumeClaimCondition = s.object(
  'io.k8s.api.core.v1.PersistentVolumeClaimCondition',
  'PersistentVolumeClaimCondition contains details about state of pvc',
  {
    lastProbeTime: s.time('lastProbeTime is the time we probed the condition.'),
    lastTransitionTime: s.time('lastTransitionTime is the time the condition transitioned from one status to another.'),
    message: s.string('message is the human-readable message indicating details about last transition.'),
    reason: s.string(
      'reason is a unique, short, machine understandable string that gives the reason for condition\'s last transition. If it reports "Resizing" that means the underlying persistent volume is being resized.',
    ),
    status: s.string('Status is the status of the condition. Can be True, False, Unknown.'),
    type: s.string('Type is the type of the condition, e.g. Resizing or FileSystemResizePending.'),
  },
  { required: ['type', 'status'] },
);
export type PersistentVolumeClaimCondition = s.Static<typeof PersistentVolumeClaimCondition>;

export const ModifyVolumeStatus = s.object(
  'io.k8s.api.core.v1.ModifyVolumeStatus',
  'ModifyVolumeStatus represents the status object of ControllerModifyVolume operation',
  {
    status: s.string('status is the status of the ControllerModifyVolume operation: Pending, InProgress or Infeasible.'),
    targetVolumeAttributesClassName: s.string('targetVolumeAttributesClassName is the name of the VolumeAttributesClass the PVC currently being reconciled'),
  },
  { required: ['status'] },
);

export const PersistentVolumeClaimStatus = s.object(
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus',
  'PersistentVolumeClaimStatus is the current status of a persistent volume claim.',
  {
    accessModes: s.array(s.string(), 'accessModes contains the actual access modes the volume backing the PVC has.', { listType: 'atomic' }),
    allocatedResourceStatuses: s
      .map(
        s.string(),
        'allocatedResourceStatuses stores status of resource being resized for the given PVC: ControllerResizeInProgress, ControllerResizeInfeasible, NodeResizePending, NodeResizeInProgress or NodeResizeInfeasible.',
      )
      .with({ mapType: 'granular' }),
    allocatedResources: ResourceList.doc(
      'allocatedResources tracks the resources allocated to a PVC including its capacity. Capacity reported here may be larger than the actual capacity when a volume expansion operation is requested.',
    ),
    capacity: ResourceList.doc('capacity represents the actual resources of the underlying volume.'),
    conditions: s.array(
      PersistentVolumeClaimCondition,
      "conditions is the current Condition of persistent volume claim. If underlying persistent volume is being resized then the Condition will be set to 'Resizing'.",
      conditionListSemantics,
    ),
    currentVolumeAttributesClassName: s.string(
      'currentVolumeAttributesClassName is the current name of the VolumeAttributesClass the PVC is using. When unset, there is no VolumeAttributeClass applied to this PersistentVolumeClaim.',
    ),
    modifyVolumeStatus: ModifyVolumeStatus.doc(
      'ModifyVolumeStatus represents the status object of ControllerModifyVolume operation. When this is unset, there is no ModifyVolume operation being attempted.',
    ),
    phase: s.string('phase represents the current phase of PersistentVolumeClaim: Pending, Bound or Lost.'),
  },
);
export type PersistentVolumeClaimStatus = s.Static<typeof PersistentVolumeClaimStatus>;

export const PersistentVolumeClaim = topLevelObject(
  'io.k8s.api.core.v1.PersistentVolumeClaim',
  "PersistentVolumeClaim is a user's request for and claim to a persistent volume",
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim' },
  {
    spec: PersistentVolumeClaimSpec.doc('spec defines the desired characteristics of a volume requested by a pod author.').with({ default: {} }),
    status: PersistentVolumeClaimStatus.doc('status represents the current information/status of a persistent volume claim. Read-only.'),
  },
);
export type PersistentVolumeClaim = s.Static<typeof PersistentVolumeClaim>;

export const PersistentVolumeClaimTemplate = s.object(
  'io.k8s.api.core.v1.PersistentVolumeClaimTemplate',
  'PersistentVolumeClaimTemplate is used to produce PersistentVolumeClaim objects as part of an EphemeralVolumeSource.',
  {
    metadata: ObjectMeta.doc(
      'May contain labels and annotations that will be copied into the PVC when creating it. No other fields are allowed and will be rejected during validation.',
    ),
    spec: PersistentVolumeClaimSpec.doc(
      'The specification for the PersistentVolumeClaim. The entire content is copied unchanged into the PVC that gets created from this template.',
    ),
  },
  { required: ['spec'] },
);
export type PersistentVolumeClaimTemplate = s.Static<typeof PersistentVolumeClaimTemplate>;

// ---- defaults ----------------------------------------------------------------------------------

/**
 * Keeps dataSource and dataSourceRef in step, as Kubernetes does on create and update: either one
 * set alone fills the other (dataSourceRef with a namespace has no dataSource equivalent).
 */
export function normalizeDataSources(spec: PersistentVolumeClaimSpec): void {
  if (spec.dataSource && !spec.dataSourceRef) {
    const { apiGroup, kind, name } = spec.dataSource;
    spec.dataSourceRef = { ...(apiGroup === undefined ? {} : { apiGroup }), kind, name };
  } else if (spec.dataSourceRef && !spec.dataSource && !spec.dataSourceRef.namespace) {
    const { apiGroup, kind, name } = spec.dataSourceRef;
    spec.dataSource = { ...(apiGroup === undefined ? {} : { apiGroup }), kind, name };
  }
}

// ---- validation --------------------------------------------------------------------------------

function dns1123SubdomainErrors(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Subdomain(value).map((msg) => field.invalid(path, value, msg));
}

/** A quantity that is not strictly positive gets Kubernetes' "must be greater than zero". */
function positiveQuantity(q: string | number, path: FieldPath): FieldError[] {
  const nanos = quantityNanos(q);
  return nanos !== undefined && nanos <= 0n ? [field.invalid(path, quantityString(q), 'must be greater than zero')] : [];
}

function validateDataSource(ref: { apiGroup?: string; kind: string; name: string; namespace?: string }, path: FieldPath, isRef: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref.name) errs.push(field.required(child(path, 'name')));
  if (!ref.kind) errs.push(field.required(child(path, 'kind')));
  const group = ref.apiGroup ?? '';
  if (group !== '') errs.push(...dns1123SubdomainErrors(group, child(path, 'apiGroup')));
  if (group === '' && ref.kind && ref.kind !== 'PersistentVolumeClaim') {
    errs.push(field.invalid(path, ref.kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  }
  if (isRef && ref.namespace) {
    for (const msg of isDNS1123Label(ref.namespace)) errs.push(field.invalid(child(path, 'namespace'), ref.namespace, msg));
  }
  return errs;
}

/** ValidatePersistentVolumeClaimSpec: access modes, storage request, class names, data sources. */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errs.push(field.required(child(path, 'accessModes'), 'at least 1 access mode is required'));
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, child(path, 'selector')));
  for (const mode of modes) {
    if (!(persistentVolumeAccessModes as readonly string[]).includes(mode)) {
      errs.push(field.notSupported(child(path, 'accessModes'), mode, persistentVolumeAccessModes));
    }
  }
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push(field.forbidden(child(path, 'accessModes'), 'may not use ReadWriteOncePod with other access modes'));
  }
  // Kubernetes names the storage request `spec.resources[storage]`.
  const storagePath = `${child(path, 'resources')}[storage]`;
  const storage = spec.resources?.requests?.['storage'];
  if (storage === undefined) errs.push(field.required(storagePath));
  else errs.push(...positiveQuantity(storage, storagePath));
  if (spec.storageClassName) errs.push(...dns1123SubdomainErrors(spec.storageClassName, child(path, 'storageClassName')));
  if (spec.dataSource) errs.push(...validateDataSource(spec.dataSource, child(path, 'dataSource'), false));
  if (spec.dataSourceRef) errs.push(...validateDataSource(spec.dataSourceRef, child(path, 'dataSourceRef'), true));
  if (spec.dataSourceRef?.namespace) {
    if (spec.dataSource) errs.push(field.invalid(path, child(path, 'dataSource'), 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (spec.dataSource && spec.dataSourceRef) {
    const a = spec.dataSource;
    const b = spec.dataSourceRef;
    if ((a.apiGroup ?? '') !== (b.apiGroup ?? '') || a.kind !== b.kind || a.name !== b.name) {
      errs.push(field.invalid(path, child(path, 'dataSource'), 'must match dataSourceRef'));
    }
  }
  if (spec.volumeAttributesClassName) errs.push(...dns1123SubdomainErrors(spec.volumeAttributesClassName, child(path, 'volumeAttributesClassName')));
  return errs;
}

/**
 * ObjectMeta fields in Go order with the name Kubernetes reports them by (its Go field name with
 * a lower-case first letter, hence `uID`); labels and annotations are the only ones a template may set.
 */
const templateMetaFields: readonly [keyof ObjectMeta, string][] = [
  ['name', 'name'],
  ['generateName', 'generateName'],
  ['namespace', 'namespace'],
  ['selfLink', 'selfLink'],
  ['uid', 'uID'],
  ['resourceVersion', 'resourceVersion'],
  ['generation', 'generation'],
  ['creationTimestamp', 'creationTimestamp'],
  ['deletionTimestamp', 'deletionTimestamp'],
  ['deletionGracePeriodSeconds', 'deletionGracePeriodSeconds'],
  ['ownerReferences', 'ownerReferences'],
  ['finalizers', 'finalizers'],
  ['managedFields', 'managedFields'],
];

/** ValidatePersistentVolumeClaimTemplate: metadata may only carry labels and annotations. */
export function validatePersistentVolumeClaimTemplate(template: PersistentVolumeClaimTemplate, path: FieldPath): FieldError[] {
  const metaPath = child(path, 'metadata');
  const meta: ObjectMeta = template.metadata ?? {};
  const errs = [...validateAnnotations(meta.annotations, child(metaPath, 'annotations')), ...validateLabels(meta.labels, child(metaPath, 'labels'))];
  for (const [name, reported] of templateMetaFields) {
    const value = meta[name];
    // Go's zero values ("" and 0) count as unset; an empty list does not.
    if (value !== undefined && value !== '' && value !== 0) errs.push(field.forbidden(child(metaPath, reported), 'cannot be set'));
  }
  errs.push(...validatePersistentVolumeClaimSpec(template.spec ?? {}, child(path, 'spec')));
  return errs;
}

const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

function validateStatus(status: PersistentVolumeClaimStatus | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of ['capacity', 'allocatedResources'] as const) {
    for (const [resource, q] of Object.entries(status?.[name] ?? {})) {
      const nanos = quantityNanos(q);
      if (nanos !== undefined && nanos < 0n) errs.push(field.invalid(`status.${name}[${resource}]`, quantityString(q), 'must be greater than or equal to 0'));
    }
  }
  return errs;
}

function specDiff(old: PersistentVolumeClaimSpec, next: PersistentVolumeClaimSpec): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort();
  const o = old as Record<string, unknown>;
  const n = next as Record<string, unknown>;
  return keys
    .filter((k) => !deepEqual(o[k], n[k]))
    .map((k) => `-  ${k}: ${JSON.stringify(o[k]) ?? 'null'}\n+  ${k}: ${JSON.stringify(n[k]) ?? 'null'}`)
    .join('\n');
}

/** ValidatePersistentVolumeClaimUpdate: the spec is frozen but for a few fields bound claims may change. */
function validateUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs: FieldError[] = [];
  const newSpec = cloneJson(pvc.spec ?? {});
  const oldSpec = cloneJson(old.spec ?? {});
  // volumeName may be set once, by the binder.
  if (!oldSpec.volumeName) {
    if (newSpec.volumeName === undefined) delete oldSpec.volumeName;
    else oldSpec.volumeName = newSpec.volumeName;
  }
  const oldAnnotation = old.metadata?.annotations?.[betaStorageClassAnnotation];
  const newAnnotation = pvc.metadata?.annotations?.[betaStorageClassAnnotation];
  if (oldAnnotation !== undefined && newAnnotation === oldAnnotation && oldSpec.storageClassName === undefined && newSpec.storageClassName === oldAnnotation) {
    // Moving the class from the beta annotation to the field.
    delete newSpec.storageClassName;
  } else {
    if ((newAnnotation ?? '') !== (oldAnnotation ?? '')) {
      // Kubernetes joins this path with dots: metadata.annotations.volume.beta.kubernetes.io/storage-class.
      errs.push(field.invalid(`metadata.annotations.${betaStorageClassAnnotation}`, newAnnotation ?? '', 'field is immutable'));
    }
    // A claim created without a class may be given one later (retroactive default StorageClass).
    if (oldAnnotation === undefined && !oldSpec.storageClassName && newSpec.storageClassName) {
      if (oldSpec.storageClassName === undefined) delete newSpec.storageClassName;
      else newSpec.storageClassName = oldSpec.storageClassName;
    }
  }
  if (pvc.status?.phase === 'Bound') {
    if (newSpec.resources?.requests) {
      const oldStorage = oldSpec.resources?.requests?.['storage'];
      if (oldStorage === undefined) delete newSpec.resources.requests['storage'];
      else newSpec.resources.requests['storage'] = oldStorage;
    }
    if (newSpec.volumeAttributesClassName !== undefined) {
      if (oldSpec.volumeAttributesClassName === undefined) delete newSpec.volumeAttributesClassName;
      else newSpec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
    }
  }
  if (!deepEqual(newSpec, oldSpec)) {
    errs.push(field.forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(oldSpec, newSpec)}`));
  }
  const oldSize = old.spec?.resources?.requests?.['storage'] ?? 0;
  const newSize = pvc.spec?.resources?.requests?.['storage'] ?? 0;
  if (compareQuantities(newSize, oldSize) < 0) {
    // With RecoverVolumeExpansionFailure (beta, on in v1.32) a claim may shrink back down to above its capacity.
    const capacity = old.status?.capacity?.['storage'] ?? 0;
    if (compareQuantities(newSize, capacity) <= 0) errs.push(field.forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  if ((pvc.spec?.volumeMode ?? '') !== (old.spec?.volumeMode ?? '')) errs.push(field.invalid('volumeMode', pvc.spec?.volumeMode ?? null, 'field is immutable'));
  const oldClass = old.spec?.volumeAttributesClassName;
  const newClass = pvc.spec?.volumeAttributesClassName;
  if (oldClass !== undefined && newClass !== oldClass) {
    if (newClass === undefined) errs.push(field.forbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
    else if (newClass === '') errs.push(field.forbidden('spec.volumeAttributesClassName', 'update from non-nil value to an empty string is forbidden'));
  }
  return errs;
}

function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim, old?: PersistentVolumeClaim): FieldError[] {
  const errs = validatePersistentVolumeClaimSpec(pvc.spec ?? {}, 'spec');
  // Kubernetes discards the status of a new claim, so only updates have one to check.
  if (old) errs.push(...validateStatus(pvc.status), ...validateUpdate(pvc, old));
  return errs;
}

export const persistentVolumeClaimKind = defineKind<PersistentVolumeClaim>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  listKind: 'PersistentVolumeClaimList',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  categories: [],
  namespaced: true,
  schema: PersistentVolumeClaim,
  subresources: { status: true },
  // Kubernetes keeps a bare `name` field selector for backward compatibility.
  selectableFields: { name: (pvc) => pvc.metadata?.name ?? '' },
  defaults: (pvc) => {
    pvc.spec ??= { volumeMode: 'Filesystem' };
    normalizeDataSources(pvc.spec);
    pvc.status ??= {};
    pvc.status.phase ||= 'Pending';
  },
  validate: validatePersistentVolumeClaim,
});
