/** core/v1 ServiceAccount: an identity for processes that run in a Pod (v1.32). */
import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { LocalObjectReference, ObjectReference } from './objectReference';

export const ServiceAccount = topLevelObject(
  'io.k8s.api.core.v1.ServiceAccount',
  'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
  { group: '', version: 'v1', kind: 'ServiceAccount' },
  {
    automountServiceAccountToken: s.boolean('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted. Can be overridden at the pod level.'),
    imagePullSecrets: s.array(LocalObjectReference, 'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount. They are only accessed by the kubelet.', { listType: 'atomic' }),
    secrets: s.array(ObjectReference, 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true" (deprecated since v1.32).', {
      patchMergeKey: 'name',
      patchStrategy: 'merge',
    }),
  },
);
export type ServiceAccount = s.Static<typeof ServiceAccount>;

export const serviceAccountKind = defineKind<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  categories: [],
  namespaced: true,
  schema: ServiceAccount,
  subresources: {},
});
