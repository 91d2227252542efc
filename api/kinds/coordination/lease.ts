/** coordination.k8s.io/v1 Lease: leader election and node heartbeats. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { isQualifiedName } from '../../validation/names';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';

export const LeaseSpec = s.object('io.k8s.api.coordination.v1.LeaseSpec', 'LeaseSpec is a specification of a Lease.', {
  acquireTime: s.time('acquireTime is a time when the current lease was acquired.'),
  holderIdentity: s.string(
    'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
  ),
  leaseDurationSeconds: s.int32(
    'leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.',
  ),
  leaseTransitions: s.int32('leaseTransitions is the number of transitions of a lease between holders.'),
  preferredHolder: s.string(
    'PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up. This field can only be set if Strategy is also set.',
  ),
  renewTime: s.time('renewTime is a time when the current holder of a lease has last updated the lease.'),
  strategy: s.string(
    'Strategy indicates the strategy for picking the leader for coordinated leader election. If the field is not specified, there is no active coordination for this lease. (Alpha) Using this field requires the CoordinatedLeaderElection feature gate to be enabled.',
  ),
});
export type LeaseSpec = s.Static<typeof LeaseSpec>;

export const Lease = topLevelObject(
  'io.k8s.api.coordination.v1.Lease',
  'Lease defines a lease concept.',
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' },
  {
    spec: LeaseSpec.doc('spec contains the specification of the Lease.'),
  },
);
export type Lease = s.Static<typeof Lease>;

/** The coordinated leader election strategies Kubernetes defines (unqualified names). */
export const leaseStrategies = ['OldestEmulationVersion'] as const;

/** A Lease or LeaseCandidate strategy: a Kubernetes-defined name, or a qualified name `example.com/x`. */
export function validateLeaseStrategy(strategy: string, path: string): FieldError[] {
  if (!strategy.includes('/')) {
    return (leaseStrategies as readonly string[]).includes(strategy) ? [] : [field.notSupported(path, strategy, leaseStrategies)];
  }
  return isQualifiedName(strategy).map((msg) => field.invalid(path, strategy, msg));
}

export function validateLeaseSpec(spec: LeaseSpec, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(field.invalid(`${path}.leaseDurationSeconds`, spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errs.push(field.invalid(`${path}.leaseTransitions`, spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (spec.strategy !== undefined) errs.push(...validateLeaseStrategy(spec.strategy, `${path}.strategy`));
  if (spec.preferredHolder && !spec.strategy) {
    errs.push(field.forbidden(`${path}.preferredHolder`, 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

export const leaseKind = defineKind<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  listKind: 'LeaseList',
  plural: 'leases',
  singular: 'lease',
  shortNames: [],
  categories: [],
  namespaced: true,
  schema: Lease,
  subresources: {},
  validate: (lease) => validateLeaseSpec(lease.spec ?? {}),
});
