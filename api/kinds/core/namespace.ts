import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { conditionListSemantics, topLevelObject } from '../meta';

export const NamespaceCondition = s.object(
  'io.k8s.api.core.v1.NamespaceCondition',
  'NamespaceCondition contains details about state of namespace.',
  {
    lastTransitionTime: s.time('Last time the condition transitioned from one status to another.'),
    message: s.string('Human-readable message indicating details about last transition.'),
    reason: s.string('Unique, one-word, CamelCase reason for the condition\'s last transition.'),
    status: s.string('Status of the condition, one of True, False, Unknown.'),
    type: s.string('Type of namespace controller condition.'),
  },
  { required: ['type', 'status'] },
);

export const NamespaceSpec = s.object('io.k8s.api.core.v1.NamespaceSpec', 'NamespaceSpec describes the attributes on a Namespace.', {
  finalizers: s.array(s.string(), 'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.', { listType: 'atomic' }),
});

export const NamespaceStatus = s.object('io.k8s.api.core.v1.NamespaceStatus', 'NamespaceStatus is information about the current status of a Namespace.', {
  conditions: s.array(NamespaceCondition, 'Represents the latest available observations of a namespace\'s current state.', conditionListSemantics),
  phase: s.enumOf(['Active', 'Terminating'], 'Phase is the current lifecycle phase of the namespace.'),
});

export const Namespace = topLevelObject(
  'io.k8s.api.core.v1.Namespace',
  'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  { group: '', version: 'v1', kind: 'Namespace' },
  {
    spec: NamespaceSpec.doc('Spec defines the behavior of the Namespace.'),
    status: NamespaceStatus.doc('Status describes the current status of a Namespace.'),
  },
);
export type Namespace = s.Static<typeof Namespace>;

/** The finalizer the namespace controller removes once a namespace's content is gone. */
export const namespaceFinalizer = 'kubernetes';

export const namespaceKind = defineKind<Namespace>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  categories: [],
  namespaced: false,
  nameRule: 'dns1123Label',
  schema: Namespace,
  subresources: { status: true },
  selectableFields: { 'status.phase': (ns) => ns.status?.phase ?? '' },
  defaults: (ns) => {
    // Every namespace carries the `kubernetes` finalizer and the name label, as in Kubernetes.
    ns.spec ??= {};
    ns.spec.finalizers ??= [namespaceFinalizer];
    if (ns.metadata?.name) ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name };
  },
});
