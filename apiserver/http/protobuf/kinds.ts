/**
 * The kinds whose protobuf encoding Marina decodes, by apiVersion and kind: those kubectl sends
 * with its typed clients. Adding a kind is adding its message here (and its table).
 */
import type { MessageType } from './descriptor';
import { ConfigMap, Namespace, Pod, Secret, Service, ServiceAccount } from './core';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './rbac';
import { CronJob, Deployment, Eviction, Job, PodDisruptionBudget, PriorityClass } from './workloads';

const kinds: readonly (readonly [apiVersion: string, kind: string, message: MessageType])[] = [
  ['v1', 'Namespace', Namespace],
  ['v1', 'ConfigMap', ConfigMap],
  ['v1', 'Secret', Secret],
  ['v1', 'ServiceAccount', ServiceAccount],
  ['v1', 'Pod', Pod],
  ['v1', 'Service', Service],
  ['apps/v1', 'Deployment', Deployment],
  ['batch/v1', 'Job', Job],
  ['batch/v1', 'CronJob', CronJob],
  ['policy/v1', 'PodDisruptionBudget', PodDisruptionBudget],
  ['policy/v1', 'Eviction', Eviction],
  ['scheduling.k8s.io/v1', 'PriorityClass', PriorityClass],
  ['rbac.authorization.k8s.io/v1', 'Role', Role],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', ClusterRole],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', RoleBinding],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', ClusterRoleBinding],
];

const byType = new Map(kinds.map(([apiVersion, kind, message]) => [`${apiVersion} ${kind}`, message]));

/** The message of a kind, or undefined when its protobuf encoding is not known. */
export function protobufMessageOf(apiVersion: string, kind: string): MessageType | undefined {
  return byType.get(`${apiVersion} ${kind}`);
}

/** Every decodable kind, as `apiVersion kind` (for errors and tests). */
export function protobufKinds(): string[] {
  return [...byType.keys()];
}
