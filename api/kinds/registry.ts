/** Every built-in kind Marina serves. */
import type { ResourceKind } from './kind';
import { customResourceDefinitionKind } from './apiextensions/customResourceDefinition';
import { controllerRevisionKind } from './apps/controllerRevision';
import { daemonSetKind } from './apps/daemonSet';
import { deploymentKind } from './apps/deployment';
import { replicaSetKind } from './apps/replicaSet';
import { statefulSetKind } from './apps/statefulSet';
import { cronJobKind } from './batch/cronJob';
import { jobKind } from './batch/job';
import { leaseKind } from './coordination/lease';
import { configMapKind } from './core/configMap';
import { endpointsKind } from './core/endpoints';
import { eventKind } from './core/event';
import { namespaceKind } from './core/namespace';
import { nodeKind } from './core/node';
import { persistentVolumeClaimKind } from './core/persistentVolumeClaim';
import { podKind } from './core/pod';
import { secretKind } from './core/secret';
import { serviceKind } from './core/service';
import { serviceAccountKind } from './core/serviceAccount';
import { podDisruptionBudgetKind } from './policy/podDisruptionBudget';
import { clusterRoleKind } from './rbac/clusterRole';
import { clusterRoleBindingKind } from './rbac/clusterRoleBinding';
import { roleKind } from './rbac/role';
import { roleBindingKind } from './rbac/roleBinding';
import { priorityClassKind } from './scheduling/priorityClass';

export const builtinKinds: readonly ResourceKind[] = [
  namespaceKind,
  podKind,
  nodeKind,
  serviceKind,
  endpointsKind,
  configMapKind,
  secretKind,
  serviceAccountKind,
  eventKind,
  persistentVolumeClaimKind,
  deploymentKind,
  replicaSetKind,
  statefulSetKind,
  daemonSetKind,
  controllerRevisionKind,
  jobKind,
  cronJobKind,
  leaseKind,
  priorityClassKind,
  roleKind,
  clusterRoleKind,
  roleBindingKind,
  clusterRoleBindingKind,
  podDisruptionBudgetKind,
  customResourceDefinitionKind,
];
