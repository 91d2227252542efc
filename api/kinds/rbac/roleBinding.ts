import * as s from '../../schema/schema';
import { bindingKind, bindingSchema } from './binding';

export const RoleBinding = bindingSchema(
  'RoleBinding',
  'RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.',
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
);
export type RoleBinding = s.Static<typeof RoleBinding>;

export const roleBindingKind = bindingKind(RoleBinding, {
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  roleKinds: ['Role', 'ClusterRole'],
});
