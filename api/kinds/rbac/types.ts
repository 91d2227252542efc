/**
 * rbac.authorization.k8s.io/v1 types shared by Role, ClusterRole, RoleBinding and
 * ClusterRoleBinding, with the validation Kubernetes' pkg/apis/rbac/validation applies to them.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index } from '../../field/path';
import * as s from '../../schema/schema';
import { validateLabelSelector } from '../../validation/labelSelector';
import { isDNS1123Subdomain, isPathSegmentName } from '../../validation/names';
import { LabelSelector } from '../meta';

export const rbacGroup = 'rbac.authorization.k8s.io';

export const PolicyRule = s.object(
  'io.k8s.api.rbac.v1.PolicyRule',
  'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
  {
    apiGroups: s.array(
      s.string(),
      'APIGroups is the name of the APIGroup that contains the resources. If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.',
      { listType: 'atomic' },
    ),
    nonResourceURLs: s.array(
      s.string(),
      'NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path. Since non-resource URLs are not namespaced, this field is only applicable for ClusterRoles referenced from a ClusterRoleBinding.',
      { listType: 'atomic' },
    ),
    resourceNames: s.array(s.string(), 'ResourceNames is an optional white list of names that the rule applies to. An empty set means that everything is allowed.', {
      listType: 'atomic',
    }),
    resources: s.array(s.string(), "Resources is a list of resources this rule applies to. '*' represents all resources.", { listType: 'atomic' }),
    verbs: s.array(s.string(), "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs.", {
      listType: 'atomic',
    }),
  },
  { required: ['verbs'] },
);
export type PolicyRule = s.Static<typeof PolicyRule>;

export const AggregationRule = s.object(
  'io.k8s.api.rbac.v1.AggregationRule',
  'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole',
  {
    clusterRoleSelectors: s.array(
      LabelSelector,
      "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added",
      { listType: 'atomic' },
    ),
  },
);
export type AggregationRule = s.Static<typeof AggregationRule>;

export const RoleRef = s.object(
  'io.k8s.api.rbac.v1.RoleRef',
  'RoleRef contains information that points to the role being used',
  {
    apiGroup: s.string('APIGroup is the group for the resource being referenced'),
    kind: s.string('Kind is the type of resource being referenced'),
    name: s.string('Name is the name of resource being referenced'),
  },
  { required: ['apiGroup', 'kind', 'name'] },
).with({ mapType: 'atomic' });
export type RoleRef = s.Static<typeof RoleRef>;

export const Subject = s.object(
  'io.k8s.api.rbac.v1.Subject',
  'Subject contains a reference to the object or user identities a role binding applies to. This can either hold a direct API object reference, or a value for non-objects such as user and group names.',
  {
    apiGroup: s.string(
      'APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.',
    ),
    kind: s.string(
      'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount". If the Authorizer does not recognized the kind value, the Authorizer should report an error.',
    ),
    name: s.string('Name of the object being referenced.'),
    namespace: s.string(
      'Namespace of the referenced object. If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.',
    ),
  },
  { required: ['kind', 'name'] },
).with({ mapType: 'atomic' });
export type Subject = s.Static<typeof Subject>;

/** The `subjects` field of RoleBinding and ClusterRoleBinding. */
export const subjectsField = s.array(Subject, 'Subjects holds references to the objects the role applies to.', { listType: 'atomic' });

/** ValidatePolicyRule: verbs are required; non-resource URLs only in cluster roles and never mixed with resources. */
export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.verbs.length === 0) errs.push(field.required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length > 0) {
    if (namespaced) errs.push(field.invalid(child(path, 'nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
      errs.push(field.invalid(child(path, 'nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if ((rule.apiGroups ?? []).length === 0) errs.push(field.required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if ((rule.resources ?? []).length === 0) errs.push(field.required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRules(rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  return (rules ?? []).flatMap((rule, i) => validatePolicyRule(rule, namespaced, index('rules', i)));
}

export function validateAggregationRule(rule: AggregationRule | undefined): FieldError[] {
  if (!rule) return [];
  const path = 'aggregationRule.clusterRoleSelectors';
  const selectors = rule.clusterRoleSelectors ?? [];
  if (selectors.length === 0) return [field.required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  return selectors.flatMap((selector, i) => validateLabelSelector(selector, index(path, i)));
}

/** ValidateRoleBindingSubject; `namespaced` is true for RoleBindings, where a service account's namespace defaults to the binding's. */
export function validateSubject(subject: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!subject.name) errs.push(field.required(child(path, 'name')));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.name) for (const msg of isDNS1123Subdomain(subject.name)) errs.push(field.invalid(child(path, 'name'), subject.name, msg));
      if (subject.apiGroup) errs.push(field.notSupported(child(path, 'apiGroup'), subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(field.required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== rbacGroup) errs.push(field.notSupported(child(path, 'apiGroup'), subject.apiGroup ?? '', [rbacGroup]));
      break;
    default:
      errs.push(field.notSupported(child(path, 'kind'), subject.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** The roleRef and subjects of a binding; `kinds` are the role kinds it may reference. */
export function validateBinding(
  binding: { roleRef: RoleRef; subjects?: Subject[] | undefined },
  namespaced: boolean,
  kinds: readonly string[],
): FieldError[] {
  const errs: FieldError[] = [];
  const ref = binding.roleRef;
  if (ref.apiGroup !== rbacGroup) errs.push(field.notSupported('roleRef.apiGroup', ref.apiGroup, [rbacGroup]));
  if (!kinds.includes(ref.kind)) errs.push(field.notSupported('roleRef.kind', ref.kind, kinds));
  if (!ref.name) errs.push(field.required('roleRef.name'));
  else for (const msg of isPathSegmentName(ref.name)) errs.push(field.invalid('roleRef.name', ref.name, msg));
  (binding.subjects ?? []).forEach((subject, i) => errs.push(...validateSubject(subject, namespaced, index('subjects', i))));
  return errs;
}

/** A binding's roleRef may not change: delete and recreate the binding instead. */
export function validateRoleRefUpdate(ref: RoleRef, old: RoleRef): FieldError[] {
  const same = ref.apiGroup === old.apiGroup && ref.kind === old.kind && ref.name === old.name;
  return same ? [] : [field.invalid('roleRef', ref, 'cannot change roleRef')];
}

/** SetDefaults_RoleBinding/ClusterRoleBinding/Subject: the rbac group where it is implied. */
export function defaultBinding(binding: { roleRef?: RoleRef; subjects?: Subject[] | undefined }): void {
  if (binding.roleRef && !binding.roleRef.apiGroup) binding.roleRef.apiGroup = rbacGroup;
  for (const subject of binding.subjects ?? []) {
    if (!subject.apiGroup && (subject.kind === 'User' || subject.kind === 'Group')) subject.apiGroup = rbacGroup;
  }
}
