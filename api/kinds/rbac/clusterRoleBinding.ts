import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { objectMetaField, typeMeta } from '../meta';
import { defaultBinding, rbacGroup, RoleRef, subjectsField, validateBinding, validateRoleRefUpdate } from './types';

export const ClusterRoleBinding = s.object(
  'io.k8s.api.rbac.v1.ClusterRoleBinding',
  'ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
  {
    ...typeMeta(),
    metadata: objectMetaField,
    roleRef: RoleRef.doc(
      'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
    ),
    subjects: subjectsField,
  },
  { required: ['roleRef'], gvk: [{ group: rbacGroup, version: 'v1', kind: 'ClusterRoleBinding' }] },
);
export type ClusterRoleBinding = s.Static<typeof ClusterRoleBinding>;

export const clusterRoleBindingKind = defineKind<ClusterRoleBinding>({
  group: rbacGroup,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  listKind: 'ClusterRoleBindingList',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  shortNames: [],
  categories: [],
  namespaced: false,
  nameRule: 'pathSegment',
  schema: ClusterRoleBinding,
  subresources: {},
  defaults: defaultBinding,
  validate: (binding, old) => [
    ...validateBinding(binding, false, ['ClusterRole']),
    ...(old ? validateRoleRefUpdate(binding.roleRef, old.roleRef) : []),
  ],
});
