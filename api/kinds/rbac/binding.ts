/**
 * What RoleBinding and ClusterRoleBinding share: the same fields (roleRef and subjects), defaults
 * and validation. They differ in their scope and in the role kinds their roleRef may name.
 */
import * as s from '../../schema/schema';
import { defineKind, type ResourceKind } from '../kind';
import { topLevelObject } from '../meta';
import { defaultBinding, rbacGroup, RoleRef, subjectsField, validateBinding, validateRoleRefUpdate } from './types';

/** The schema of a binding kind: its own descriptions, then roleRef (required) and subjects. */
export function bindingSchema(kind: string, description: string, roleRefDescription: string) {
  return topLevelObject(
    `io.k8s.api.rbac.v1.${kind}`,
    description,
    { group: rbacGroup, version: 'v1', kind },
    {
      roleRef: RoleRef.doc(roleRefDescription),
      subjects: subjectsField,
    },
    { required: ['roleRef'] },
  );
}

export type Binding = s.Static<ReturnType<typeof bindingSchema>>;

export interface BindingKindNames {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  /** RoleBindings are namespaced, ClusterRoleBindings are not. */
  readonly namespaced: boolean;
  /** The kinds of role the roleRef may name. */
  readonly roleKinds: readonly string[];
}

/** The ResourceKind of a binding kind; its roleRef is immutable. */
export function bindingKind<T extends Binding>(schema: s.Schema<T>, names: BindingKindNames): ResourceKind<T> {
  return defineKind<T>({
    group: rbacGroup,
    version: 'v1',
    kind: names.kind,
    listKind: `${names.kind}List`,
    plural: names.plural,
    singular: names.singular,
    shortNames: [],
    categories: [],
    namespaced: names.namespaced,
    nameRule: 'pathSegment',
    schema,
    subresources: {},
    defaults: defaultBinding,
    validate: (binding, old) => [
      ...validateBinding(binding, names.namespaced, names.roleKinds),
      ...(old ? validateRoleRefUpdate(binding.roleRef, old.roleRef) : []),
    ],
  });
}
