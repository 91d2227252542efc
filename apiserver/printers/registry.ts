/**
 * Which printer serves which kind: Kubernetes' printers for the built-in kinds, the CRD's columns
 * for custom resources, and the default NAME CREATED AT for everything else (roles,
 * clusterroles, customresourcedefinitions, as in Kubernetes).
 */
import type { ResourceKind } from '../../api/kinds/kind';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './apps';
import { cronJobPrinter, jobPrinter } from './batch';
import { leasePrinter } from './coordination';
import { configMapPrinter, namespacePrinter, persistentVolumeClaimPrinter, secretPrinter, serviceAccountPrinter } from './core';
import { customResourcePrinter } from './customResources';
import { defaultPrinter } from './defaultPrinter';
import { eventPrinter } from './events';
import { nodePrinter } from './nodes';
import { podPrinter } from './pods';
import { podDisruptionBudgetPrinter } from './policy';
import type { Printer } from './printer';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac';
import { priorityClassPrinter } from './scheduling';
import { endpointsPrinter, servicePrinter } from './services';

/** Built-in printers by `group/Kind` ('' for the core group). */
const builtin: ReadonlyMap<string, Printer> = new Map<string, Printer>([
  ['/Pod', podPrinter],
  ['/Node', nodePrinter],
  ['/Namespace', namespacePrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['/Event', eventPrinter],
  ['/PersistentVolumeClaim', persistentVolumeClaimPrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/StatefulSet', statefulSetPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['apps/ControllerRevision', controllerRevisionPrinter],
  ['batch/Job', jobPrinter],
  ['batch/CronJob', cronJobPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['scheduling.k8s.io/PriorityClass', priorityClassPrinter],
  ['policy/PodDisruptionBudget', podDisruptionBudgetPrinter],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingPrinter],
  ['rbac.authorization.k8s.io/ClusterRoleBinding', clusterRoleBindingPrinter],
]);

/** Printers of custom resource kinds, built once per served kind (a changed CRD is a new kind). */
const custom = new WeakMap<ResourceKind, Printer>();

export function printerFor(kind: ResourceKind): Printer {
  if (kind.unstructured) {
    let printer = custom.get(kind);
    if (!printer) custom.set(kind, (printer = customResourcePrinter(kind.printerColumns)));
    return printer;
  }
  return builtin.get(`${kind.group}/${kind.kind}`) ?? defaultPrinter;
}
