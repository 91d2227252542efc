/**
 * Nodes: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION
 * CONTAINER-RUNTIME. STATUS is Ready, NotReady or Unknown (no Ready condition), plus
 * SchedulingDisabled for a cordoned node; ROLES come from node-role.kubernetes.io/<role> labels
 * and the kubernetes.io/role label.
 */
import { nodeKind, type Node } from '../../api/kinds/core/node';
import { since } from './duration';
import { ageColumn, column, definePrinter, fieldDoc, nameColumn } from './printer';

const roleLabelPrefix = 'node-role.kubernetes.io/';
const roleLabel = 'kubernetes.io/role';

function nodeStatus(node: Node): string {
  // The last Ready condition wins, as Kubernetes builds a map by type.
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function roles(node: Node): string {
  const found = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(roleLabelPrefix) && key.length > roleLabelPrefix.length) found.add(key.slice(roleLabelPrefix.length));
    else if (key === roleLabel && value !== '') found.add(value);
  }
  return [...found].sort().join(',') || '<none>';
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

const infoDoc = (field: string) => fieldDoc(nodeKind.schema, `status.nodeInfo.${field}`);

export const nodePrinter = definePrinter<Node>({
  columns: [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', infoDoc('kubeletVersion')),
    column('Internal-IP', 'string', fieldDoc(nodeKind.schema, 'status.addresses'), { priority: 1 }),
    column('External-IP', 'string', fieldDoc(nodeKind.schema, 'status.addresses'), { priority: 1 }),
    column('OS-Image', 'string', infoDoc('osImage'), { priority: 1 }),
    column('Kernel-Version', 'string', infoDoc('kernelVersion'), { priority: 1 }),
    column('Container-Runtime', 'string', infoDoc('containerRuntimeVersion'), { priority: 1 }),
  ],
  cells(node, now) {
    const info = node.status?.nodeInfo;
    return [
      node.metadata.name ?? '',
      nodeStatus(node),
      roles(node),
      since(node.metadata.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
});
