/**
 * rbac.authorization.k8s.io/v1 kinds (k8s.io/api/rbac/v1/generated.proto): Role, ClusterRole,
 * RoleBinding, ClusterRoleBinding, as `kubectl create role|clusterrole|rolebinding|...` sends them.
 */
import { always, defineMessage, list, msg, str } from './descriptor';
import { LabelSelector, ObjectMeta } from './meta';

const rbac = 'k8s.io.api.rbac.v1.';

const PolicyRule = defineMessage(`${rbac}PolicyRule`, {
  verbs: list(1, 'string'),
  apiGroups: list(2, 'string'),
  resources: list(3, 'string'),
  resourceNames: list(4, 'string'),
  nonResourceURLs: list(5, 'string'),
});

const AggregationRule = defineMessage(`${rbac}AggregationRule`, {
  clusterRoleSelectors: list(1, LabelSelector),
});

const Subject = defineMessage(`${rbac}Subject`, {
  kind: always(str(1)),
  apiGroup: str(2),
  name: always(str(3)),
  namespace: str(4),
});

const RoleRef = defineMessage(`${rbac}RoleRef`, {
  apiGroup: always(str(1)),
  kind: always(str(2)),
  name: always(str(3)),
});

export const Role = defineMessage(`${rbac}Role`, {
  metadata: msg(1, ObjectMeta),
  rules: list(2, PolicyRule),
});

export const ClusterRole = defineMessage(`${rbac}ClusterRole`, {
  metadata: msg(1, ObjectMeta),
  rules: list(2, PolicyRule),
  aggregationRule: msg(3, AggregationRule),
});

export const RoleBinding = defineMessage(`${rbac}RoleBinding`, {
  metadata: msg(1, ObjectMeta),
  subjects: list(2, Subject),
  roleRef: msg(3, RoleRef),
});

export const ClusterRoleBinding = defineMessage(`${rbac}ClusterRoleBinding`, {
  metadata: msg(1, ObjectMeta),
  subjects: list(2, Subject),
  roleRef: msg(3, RoleRef),
});
