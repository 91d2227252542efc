/** core/v1 Node: a worker machine, cluster-scoped (v1.32). Status types are in nodeStatus.ts. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index } from '../../field/path';
import * as s from '../../schema/schema';
import { isDualStackCIDRs, validateCIDR } from '../../validation/ip';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../validation/names';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { NodeConfigSource, NodeStatus } from './nodeStatus';
import { Taint, validateTaints } from './taint';

export const NodeSpec = s.object(
  'io.k8s.api.core.v1.NodeSpec',
  'NodeSpec describes the attributes that a node is created with.',
  {
    configSource: NodeConfigSource.doc('Deprecated: Previously used to specify the source of the node\'s configuration for the DynamicKubeletConfig feature. This feature is removed.'),
    externalID: s.string('Deprecated. Not all kubelets will set this field. Remove field after 1.13.'),
    podCIDR: s.string('PodCIDR represents the pod IP range assigned to the node.'),
    podCIDRs: s.array(s.string(), 'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field. It may contain at most 1 value for each of IPv4 and IPv6.', {
      listType: 'set',
      patchStrategy: 'merge',
    }),
    providerID: s.string('ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>'),
    taints: s.array(Taint, "If specified, the node's taints.", { listType: 'atomic' }),
    unschedulable: s.boolean('Unschedulable controls node schedulability of new pods. By default, node is schedulable.'),
  },
);
export type NodeSpec = s.Static<typeof NodeSpec>;

export const Node = topLevelObject(
  'io.k8s.api.core.v1.Node',
  'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
  { group: '', version: 'v1', kind: 'Node' },
  {
    spec: NodeSpec.doc('Spec defines the behavior of a node.'),
    status: NodeStatus.doc('Most recently observed status of the node. Populated by the system. Read-only.'),
  },
);
export type Node = s.Static<typeof Node>;

const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const quantityParts = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** Sign and integrality of a resource.Quantity (already checked by the schema). */
export function quantitySign(q: string | number): { negative: boolean; integer: boolean } {
  const m = quantityParts.exec(String(q));
  if (!m) return { negative: false, integer: true };
  const [, sign, whole = '', frac = '', exponent, suffix = ''] = m;
  const mantissa = BigInt((whole + frac).replace(/^0+/, '') || '0');
  if (mantissa === 0n) return { negative: false, integer: true };
  const exp10 = (exponent === undefined ? decimalSuffixes[suffix] ?? 0 : Number(exponent)) - frac.length;
  const exp2 = binarySuffixes[suffix] ?? 0;
  let integer = true;
  if (exp10 < 0) integer = (mantissa * 2n ** BigInt(exp2)) % 10n ** BigInt(-exp10) === 0n;
  return { negative: sign === '-', integer };
}

/** helper.IsIntegerResourceName: pods and extended resources (a domain-prefixed name outside kubernetes.io). */
function isIntegerResource(name: string): boolean {
  if (name === 'pods') return true;
  const native = !name.includes('/') || name.includes('kubernetes.io/');
  return !native && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
}

/** ValidateNodeResources: capacity and allocatable quantities are non-negative (integers where counted). */
function validateNodeResources(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  for (const name of ['capacity', 'allocatable'] as const) {
    for (const [resource, value] of Object.entries(node.status?.[name] ?? {})) {
      const path = `status.${name}.${resource}`;
      const { negative, integer } = quantitySign(value);
      if (negative) errs.push(field.invalid(path, String(value), 'must be greater than or equal to 0'));
      if (isIntegerResource(resource) && !integer) errs.push(field.invalid(path, String(value), 'must be an integer'));
    }
  }
  const swap = node.status?.nodeInfo?.swap?.capacity;
  if (swap !== undefined && swap < 0) errs.push(field.invalid('status.nodeInfo.swap.capacity', swap, 'must be greater than or equal to 0'));
  return errs;
}

/** spec.podCIDRs: valid CIDRs, at most one per IP family, no duplicates. */
function validatePodCIDRs(cidrs: readonly string[]): FieldError[] {
  const path = 'spec.podCIDRs';
  const errs: FieldError[] = [];
  cidrs.forEach((cidr, i) => errs.push(...validateCIDR(index(path, i), cidr)));
  if (cidrs.length > 1) {
    if (!isDualStackCIDRs(cidrs) || cidrs.length > 2) {
      errs.push(field.invalid(path, cidrs, 'may specify no more than one CIDR for each IP family'));
    }
    const seen = new Set<string>();
    cidrs.forEach((cidr, i) => {
      if (seen.has(cidr)) errs.push(field.duplicate(index(path, i), cidr));
      seen.add(cidr);
    });
  }
  return errs;
}

/** validateNodeConfigSourceSpec (on update, as Kubernetes). */
function validateConfigSource(source: NodeConfigSource): FieldError[] {
  const path = 'spec.configSource';
  if (!source.configMap) return [field.invalid(path, source, 'exactly one reference subfield must be non-nil')];
  const cm = source.configMap;
  const at = child(path, 'configMap');
  const errs: FieldError[] = [];
  if (cm.uid) errs.push(field.forbidden(child(at, 'uid'), 'uid must not be set in spec'));
  if (cm.resourceVersion) errs.push(field.forbidden(child(at, 'resourceVersion'), 'resourceVersion must not be set in spec'));
  if (!cm.namespace) errs.push(field.required(child(at, 'namespace'), 'namespace must be set'));
  else for (const msg of isDNS1123Label(cm.namespace)) errs.push(field.invalid(child(at, 'namespace'), cm.namespace, msg));
  if (!cm.name) errs.push(field.required(child(at, 'name'), 'name must be set'));
  else for (const msg of isDNS1123Subdomain(cm.name)) errs.push(field.invalid(child(at, 'name'), cm.name, msg));
  if (!cm.kubeletConfigKey) errs.push(field.required(child(at, 'kubeletConfigKey'), 'kubeletConfigKey must be set'));
  return errs;
}

const podCIDRImmutable = 'node updates may not change podCIDR except from "" to valid';

/** ValidateNode and ValidateNodeUpdate. */
export function validateNode(node: Node, old?: Node): FieldError[] {
  // Kubernetes reports taint problems under metadata.taints (ValidateNode builds the path from "metadata").
  const errs = [...validateTaints(node.spec?.taints, 'metadata.taints'), ...validateNodeResources(node)];
  if (!old) {
    if (node.spec?.podCIDRs?.length) errs.push(...validatePodCIDRs(node.spec.podCIDRs));
    return errs;
  }
  const seen = new Set<string>();
  (node.status?.addresses ?? []).forEach((address, i) => {
    const k = `${address.type}\u0000${address.address}`;
    if (seen.has(k)) errs.push(field.duplicate(index('status.addresses', i), address));
    seen.add(k);
  });
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  const cidrs = node.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== cidrs.length) errs.push(field.forbidden('spec.podCIDRs', podCIDRImmutable));
    else oldCIDRs.forEach((cidr, i) => cidr !== cidrs[i] && errs.push(field.forbidden('spec.podCIDRs', podCIDRImmutable)));
  }
  const oldProvider = old.spec?.providerID ?? '';
  if (oldProvider && oldProvider !== (node.spec?.providerID ?? '')) {
    errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  if (node.spec?.configSource) errs.push(...validateConfigSource(node.spec.configSource));
  if ((node.spec?.externalID ?? '') !== (old.spec?.externalID ?? '')) errs.push(field.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

/** SetDefaults_NodeStatus, and the podCIDR/podCIDRs pairing done by v1 conversion. */
export function defaultNode(node: Node): void {
  const spec = node.spec;
  if (spec) {
    if (spec.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR];
    else if (!spec.podCIDR && spec.podCIDRs?.length) spec.podCIDR = spec.podCIDRs[0]!;
  }
  const status = node.status;
  if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
}

export const nodeKind = defineKind<Node>({
  group: '',
  version: 'v1',
  kind: 'Node',
  listKind: 'NodeList',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  categories: [],
  namespaced: false,
  schema: Node,
  subresources: { status: true },
  selectableFields: { 'spec.unschedulable': (node) => String(node.spec?.unschedulable ?? false) },
  defaults: defaultNode,
  validate: validateNode,
});
