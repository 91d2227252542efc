/** apps/v1 printers: deployments, replicasets, statefulsets, daemonsets and controllerrevisions. */
import { controllerRevisionKind, type ControllerRevision } from '../../api/kinds/apps/controllerRevision';
import { daemonSetKind, type DaemonSet } from '../../api/kinds/apps/daemonSet';
import { deploymentKind, type Deployment } from '../../api/kinds/apps/deployment';
import { replicaSetKind, type ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { StatefulSet } from '../../api/kinds/apps/statefulSet';
import { since } from './duration';
import { containerCells, formatLabels, formatLabelSelector, labelSelectorString } from './format';
import { ageColumn, column, containersColumn, definePrinter, fieldDoc, imagesColumn, nameColumn } from './printer';

const readyColumn = column('Ready', 'string', 'Number of the pod with ready state');

export const deploymentPrinter = definePrinter<Deployment>({
  columns: [
    nameColumn,
    readyColumn,
    column('Up-to-date', 'string', fieldDoc(deploymentKind.schema, 'status.updatedReplicas')),
    column('Available', 'string', fieldDoc(deploymentKind.schema, 'status.availableReplicas')),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    column('Selector', 'string', fieldDoc(deploymentKind.schema, 'spec.selector'), { priority: 1 }),
  ],
  cells(d, now) {
    const status = d.status ?? {};
    return [
      d.metadata.name ?? '',
      `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      since(d.metadata.creationTimestamp, now),
      ...containerCells(d.spec?.template?.spec?.containers),
      // Kubernetes prints the selector itself here, empty rather than <none>.
      labelSelectorString(d.spec?.selector),
    ];
  },
});

export const replicaSetPrinter = definePrinter<ReplicaSet>({
  columns: [
    nameColumn,
    column('Desired', 'integer', fieldDoc(replicaSetKind.schema, 'spec.replicas')),
    column('Current', 'integer', fieldDoc(replicaSetKind.schema, 'status.replicas')),
    column('Ready', 'integer', fieldDoc(replicaSetKind.schema, 'status.readyReplicas')),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    column('Selector', 'string', fieldDoc(replicaSetKind.schema, 'spec.selector'), { priority: 1 }),
  ],
  cells(rs, now) {
    return [
      rs.metadata.name ?? '',
      rs.spec?.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      since(rs.metadata.creationTimestamp, now),
      ...containerCells(rs.spec?.template?.spec?.containers),
      formatLabelSelector(rs.spec?.selector),
    ];
  },
});

export const statefulSetPrinter = definePrinter<StatefulSet>({
  columns: [nameColumn, readyColumn, ageColumn, containersColumn(), imagesColumn()],
  cells(sts, now) {
    return [
      sts.metadata.name ?? '',
      `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 1}`,
      since(sts.metadata.creationTimestamp, now),
      ...containerCells(sts.spec?.template?.spec?.containers),
    ];
  },
});

const daemonSetStatus = (field: string) => fieldDoc(daemonSetKind.schema, `status.${field}`);

export const daemonSetPrinter = definePrinter<DaemonSet>({
  columns: [
    nameColumn,
    column('Desired', 'integer', daemonSetStatus('desiredNumberScheduled')),
    column('Current', 'integer', daemonSetStatus('currentNumberScheduled')),
    column('Ready', 'integer', daemonSetStatus('numberReady')),
    column('Up-to-date', 'integer', daemonSetStatus('updatedNumberScheduled')),
    column('Available', 'integer', daemonSetStatus('numberAvailable')),
    column('Node Selector', 'string', fieldDoc(daemonSetKind.schema, 'spec.template.spec.nodeSelector')),
    ageColumn,
    containersColumn(),
    imagesColumn(),
    column('Selector', 'string', fieldDoc(daemonSetKind.schema, 'spec.selector'), { priority: 1 }),
  ],
  cells(ds, now) {
    const status = ds.status;
    return [
      ds.metadata.name ?? '',
      status?.desiredNumberScheduled ?? 0,
      status?.currentNumberScheduled ?? 0,
      status?.numberReady ?? 0,
      status?.updatedNumberScheduled ?? 0,
      status?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      since(ds.metadata.creationTimestamp, now),
      ...containerCells(ds.spec?.template?.spec?.containers),
      formatLabelSelector(ds.spec?.selector),
    ];
  },
});

/** `statefulset.apps/web`: the controller's group kind in lower case and its name, or <none>. */
function controllerName(revision: ControllerRevision): string {
  const ref = (revision.metadata?.ownerReferences ?? []).find((o) => o.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  if (!group && !ref.kind) return ref.name;
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter = definePrinter<ControllerRevision>({
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', fieldDoc(controllerRevisionKind.schema, 'revision')),
    ageColumn,
  ],
  cells(cr, now) {
    return [cr.metadata.name ?? '', controllerName(cr), cr.revision, since(cr.metadata.creationTimestamp, now)];
  },
});
