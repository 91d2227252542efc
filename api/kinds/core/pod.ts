/** The core/v1 Pod kind, and Binding, the object the scheduler posts to bind a pod to a node. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { ObjectReference } from './objectReference';
import { defaultPodOnly, defaultPodSpec, podQOSClass } from './podDefaults';
import { PodSpec } from './podSpec';
import { PodStatus } from './podStatus';
import { validatePodSpecUpdate } from './podUpdate';
import { validatePodSpec } from './podValidation';
import { qualifiedName, validIP } from './validationHelpers';

export const Pod = topLevelObject(
  'io.k8s.api.core.v1.Pod',
  'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
  { group: '', version: 'v1', kind: 'Pod' },
  {
    spec: PodSpec.doc(
      'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
    ),
    status: PodStatus.doc(
      'Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
    ),
  },
);
export type Pod = s.Static<typeof Pod>;

export const Binding = topLevelObject(
  'io.k8s.api.core.v1.Binding',
  'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.',
  { group: '', version: 'v1', kind: 'Binding' },
  {
    target: ObjectReference.doc('The target object that you want to bind to the standard object.'),
  },
  { required: ['target'] },
);
export type Binding = s.Static<typeof Binding>;

/** Binding's own rules (ValidatePodBinding): the target is a Node, named. */
export function validateBinding(binding: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = binding.target.kind ?? '';
  if (kind !== '' && kind !== 'Node') errs.push(field.notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!binding.target.name) errs.push(field.required('target.name'));
  return errs;
}

/**
 * The status a new pod starts with (the pod strategy's PrepareForCreate): phase Pending and its
 * QoS class. The class is computed as after defaulting (requests from limits), so this may run
 * before or after the kind's defaults.
 */
export function initialPodStatus(pod: Pod): NonNullable<Pod['status']> {
  if (!pod.spec) return { phase: 'Pending' };
  return { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
}

/** Keeps podIP/podIPs and hostIP/hostIPs in step, as the v1 conversion of PodStatus does. */
function defaultPodStatus(status: NonNullable<Pod['status']>): void {
  if (status.podIP && !(status.podIPs ?? []).length) status.podIPs = [{ ip: status.podIP }];
  if ((status.podIPs ?? []).length) status.podIP = status.podIPs![0]!.ip;
  if (status.hostIP && !(status.hostIPs ?? []).length) status.hostIPs = [{ ip: status.hostIP }];
  if ((status.hostIPs ?? []).length) status.hostIP = status.hostIPs![0]!.ip;
}

const systemConditions = new Set(['PodScheduled', 'Ready', 'Initialized']);

/** The parts of ValidatePodStatusUpdate that concern the status's own content. */
function validatePodStatus(pod: Pod): FieldError[] {
  const status = pod.status;
  if (!status) return [];
  const errs: FieldError[] = [];
  (status.conditions ?? []).forEach((c, i) => {
    if (!systemConditions.has(c.type)) errs.push(...qualifiedName(c.type, `status.conditions[${i}].type`));
  });
  (status.podIPs ?? []).forEach((ip, i) => errs.push(...validIP(ip.ip, `status.podIPs[${i}]`)));
  (status.hostIPs ?? []).forEach((ip, i) => errs.push(...validIP(ip.ip, `status.hostIPs[${i}]`)));
  const claims = new Set((pod.spec?.resourceClaims ?? []).map((c) => c.name));
  (status.resourceClaimStatuses ?? []).forEach((c, i) => {
    if (!claims.has(c.name)) errs.push(field.invalid(`status.resourceClaimStatuses[${i}].name`, c.name, 'must match the name of an entry in `spec.resourceClaims`'));
  });
  return errs;
}

function validatePod(pod: Pod, old?: Pod): FieldError[] {
  if (!pod.spec) return [field.required('spec.containers')];
  const name = pod.metadata?.name;
  const errs = validatePodSpec(pod.spec, 'spec', { isPod: true, ...(name ? { podName: name } : {}) });
  if (!old) {
    // Ephemeral containers are added through the ephemeralcontainers subresource only.
    if ((pod.spec.ephemeralContainers ?? []).length) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    if (pod.spec.nodeName && (pod.spec.schedulingGates ?? []).length) {
      errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
    }
    return errs;
  }
  if (old.spec) errs.push(...validatePodSpecUpdate(pod.spec, old.spec));
  if ((pod.status?.qosClass ?? '') !== (old.status?.qosClass ?? '') && old.status?.qosClass) {
    errs.push(field.invalid('status.qosClass', pod.status?.qosClass ?? '', 'field is immutable'));
  }
  errs.push(...validatePodStatus(pod));
  return errs;
}

export const podKind = defineKind<Pod>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  schema: Pod,
  subresources: { status: true },
  selectableFields: {
    'spec.nodeName': (pod) => pod.spec?.nodeName ?? '',
    'spec.restartPolicy': (pod) => pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': (pod) => pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (pod) => pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (pod) => String(pod.spec?.hostNetwork ?? false),
    'status.phase': (pod) => pod.status?.phase ?? '',
    'status.podIP': (pod) => pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '',
    'status.nominatedNodeName': (pod) => pod.status?.nominatedNodeName ?? '',
  },
  defaults: (pod) => {
    if (pod.spec) {
      defaultPodSpec(pod.spec);
      defaultPodOnly(pod.spec);
    }
    if (pod.status) defaultPodStatus(pod.status);
  },
  validate: validatePod,
});
