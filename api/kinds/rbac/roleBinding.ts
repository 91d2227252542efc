import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { objectMetaField, typeMeta } from '../meta';
import { defaultBinding, rbacGroup, RoleRef, subjectsField, validateBinding, validateRoleRefUpdate } from './types';

export const RoleBinding = s.object(
  'io.k8s.api.rbac.v1.RoleBinding',
  'RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.',
  {
    ...typeMeta(),
    metadata: objectMetaField,
    roleRef: RoleRef.doc(
      'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
    ),
    subjects: subjectsField,
  },
  { required: ['roleRef'], gvk: [{ group: rbacGroup, version: 'v1', kind: 'RoleBinding' }] },
);
export type RoleBinding = s.Static<typeof RoleBinding>;

export const roleBindingKind = defineKind<RoleBinding>({
  group: rbacGroup,
  version: 'v1',
  kind: 'RoleBinding',
  listKind: 'RoleBindingList',
  plural: 'rolebindings',
  singular: 'rolebinding',
  shortNames: [],
  categories: [],
  namespaced: true,
  nameRule: 'pathSegment',
  schema: RoleBinding,
  subresources: {},
  defaults: defaultBinding,
  validate: (binding, old) => [
    ...validateBinding(binding, true, ['Role', 'ClusterRole']),
    ...(old ? validateRoleRefUpdate(binding.roleRef, old.roleRef) : []),
  ],
});
