/**
 * apimachinery's messages (k8s.io/apimachinery/pkg/{runtime,apis/meta/v1,util/intstr,api/resource}
 * generated.proto): the runtime.Unknown envelope, object metadata, label selectors, delete
 * options, and the types with a JSON form of their own (Time, IntOrString, Quantity, FieldsV1).
 */
import { always, bool, bytes, defineMessage, int32, int64, list, map, msg, str, type JsonValue, type MessageType } from './descriptor';

// --- runtime -------------------------------------------------------------------------------

export const TypeMeta = defineMessage('k8s.io.apimachinery.pkg.runtime.TypeMeta', {
  apiVersion: str(1),
  kind: str(2),
});

/** The envelope of every protobuf body: the object's type, then the object's own message in `raw`. */
export const Unknown = defineMessage('k8s.io.apimachinery.pkg.runtime.Unknown', {
  typeMeta: msg(1, TypeMeta),
  raw: bytes(2),
  contentEncoding: str(3),
  contentType: str(4),
});

// --- types with their own JSON form --------------------------------------------------------

/** metav1.Time: RFC 3339 in seconds, as Go writes it; the zero time is dropped (Go writes null). */
export const Time = defineMessage(
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time',
  { seconds: int64(1), nanos: int32(2) },
  {
    toJson: (f) => (typeof f.seconds === 'number' && f.seconds !== 0 ? new Date(f.seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : null),
    isZero: (v) => v === null,
  },
);

/** intstr.IntOrString: type 0 is intVal, type 1 is strVal; a JSON number or string. */
export const IntOrString = defineMessage(
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
  { type: int64(1), intVal: int32(2), strVal: str(3) },
  {
    toJson: (f) => (f.type === 1 ? (f.strVal ?? '') : (f.intVal ?? 0)),
    isZero: (v) => v === 0 || v === '',
  },
);

/** resource.Quantity: its canonical string. */
export const Quantity = defineMessage(
  'k8s.io.apimachinery.pkg.api.resource.Quantity',
  { string: str(1) },
  {
    toJson: (f) => f.string ?? '',
    isZero: (v) => v === '',
  },
);

/** metav1.FieldsV1: its raw bytes are the JSON object itself. */
export const FieldsV1 = defineMessage(
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
  { Raw: bytes(1) },
  {
    toJson: (f) => (typeof f.Raw === 'string' ? (JSON.parse(Buffer.from(f.Raw, 'base64').toString('utf8')) as JsonValue) : null),
    isZero: (v) => v === null,
  },
);

// --- object metadata ------------------------------------------------------------------------

export const OwnerReference = defineMessage('k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference', {
  apiVersion: always(str(5)),
  kind: always(str(1)),
  name: always(str(3)),
  uid: always(str(4)),
  controller: always(bool(6)),
  blockOwnerDeletion: always(bool(7)),
});

export const ManagedFieldsEntry = defineMessage('k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry', {
  manager: str(1),
  operation: str(2),
  apiVersion: str(3),
  time: msg(4, Time),
  fieldsType: str(6),
  fieldsV1: msg(7, FieldsV1),
  subresource: str(8),
});

export const ObjectMeta = defineMessage('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', {
  name: str(1),
  generateName: str(2),
  namespace: str(3),
  selfLink: str(4),
  uid: str(5),
  resourceVersion: str(6),
  generation: int64(7),
  creationTimestamp: msg(8, Time),
  deletionTimestamp: msg(9, Time),
  deletionGracePeriodSeconds: always(int64(10)),
  labels: map(11, 'string'),
  annotations: map(12, 'string'),
  ownerReferences: list(13, OwnerReference),
  finalizers: list(14, 'string'),
  managedFields: list(17, ManagedFieldsEntry),
});

// --- selectors and options ------------------------------------------------------------------

export const LabelSelectorRequirement = defineMessage('k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement', {
  key: always(str(1)),
  operator: always(str(2)),
  values: list(3, 'string'),
});

export const LabelSelector = defineMessage('k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', {
  matchLabels: map(1, 'string'),
  matchExpressions: list(2, LabelSelectorRequirement),
});

export const Preconditions = defineMessage('k8s.io.apimachinery.pkg.apis.meta.v1.Preconditions', {
  uid: always(str(1)),
  resourceVersion: always(str(2)),
});

export const DeleteOptions = defineMessage('k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', {
  gracePeriodSeconds: always(int64(1)),
  preconditions: msg(2, Preconditions),
  orphanDependents: always(bool(3)),
  propagationPolicy: always(str(4)),
  dryRun: list(5, 'string'),
  ignoreStoreReadErrorWithClusterBreakingPotential: always(bool(6)),
});

export const Condition = defineMessage('k8s.io.apimachinery.pkg.apis.meta.v1.Condition', {
  type: always(str(1)),
  status: always(str(2)),
  observedGeneration: int64(3),
  lastTransitionTime: always(msg(4, Time)),
  reason: always(str(5)),
  message: always(str(6)),
});

/** A message whose fields are all skipped: `{}` (the statuses clients send empty on create). */
export function emptyMessage(name: string): MessageType {
  return defineMessage(name, {});
}
