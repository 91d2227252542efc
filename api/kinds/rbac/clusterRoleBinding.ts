import * as s from '../../schema/schema';
import { bindingKind, bindingSchema } from './binding';

export const ClusterRoleBinding = bindingSchema(
  'ClusterRoleBinding',
  'ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
  'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
);
export type ClusterRoleBinding = s.Static<typeof ClusterRoleBinding>;

export const clusterRoleBindingKind = bindingKind(ClusterRoleBinding, {
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  roleKinds: ['ClusterRole'],
});
