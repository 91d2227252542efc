/** core/v1 references to other objects, used across kinds (events, endpoints, bindings, volumes). */
import * as s from '../../schema/schema';

export const ObjectReference = s.object(
  'io.k8s.api.core.v1.ObjectReference',
  'ObjectReference contains enough information to let you inspect or modify the referred object.',
  {
    apiVersion: s.string('API version of the referent.'),
    fieldPath: s.string('If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].'),
    kind: s.string('Kind of the referent.'),
    name: s.string('Name of the referent.'),
    namespace: s.string('Namespace of the referent.'),
    resourceVersion: s.string('Specific resourceVersion to which this reference is made, if any.'),
    uid: s.string('UID of the referent.'),
  },
).with({ mapType: 'atomic' });
export type ObjectReference = s.Static<typeof ObjectReference>;

export const LocalObjectReference = s.object(
  'io.k8s.api.core.v1.LocalObjectReference',
  'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
  {
    name: s.string('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty.', { default: '' }),
  },
).with({ mapType: 'atomic' });
export type LocalObjectReference = s.Static<typeof LocalObjectReference>;

export const TypedLocalObjectReference = s.object(
  'io.k8s.api.core.v1.TypedLocalObjectReference',
  'TypedLocalObjectReference contains enough information to let you locate the typed referenced object inside the same namespace.',
  {
    apiGroup: s.string('APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group.'),
    kind: s.string('Kind is the type of resource being referenced'),
    name: s.string('Name is the name of resource being referenced'),
  },
  { required: ['kind', 'name'] },
).with({ mapType: 'atomic' });

export const TypedObjectReference = s.object(
  'io.k8s.api.core.v1.TypedObjectReference',
  'TypedObjectReference contains enough information to let you locate the typed referenced object.',
  {
    apiGroup: s.string('APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group.'),
    kind: s.string('Kind is the type of resource being referenced'),
    name: s.string('Name is the name of resource being referenced'),
    namespace: s.string('Namespace is the namespace of resource being referenced.'),
  },
  { required: ['kind', 'name'] },
);
