import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { AggregationRule, PolicyRule, rbacGroup, validateAggregationRule, validateRules } from './types';

export const ClusterRole = topLevelObject(
  'io.k8s.api.rbac.v1.ClusterRole',
  'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
  { group: rbacGroup, version: 'v1', kind: 'ClusterRole' },
  {
    aggregationRule: AggregationRule.doc(
      'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will be stomped by the controller.',
    ),
    rules: s.array(PolicyRule, 'Rules holds all the PolicyRules for this ClusterRole', { listType: 'atomic' }),
  },
);
export type ClusterRole = s.Static<typeof ClusterRole>;

export const clusterRoleKind = defineKind<ClusterRole>({
  group: rbacGroup,
  version: 'v1',
  kind: 'ClusterRole',
  listKind: 'ClusterRoleList',
  plural: 'clusterroles',
  singular: 'clusterrole',
  shortNames: [],
  categories: [],
  namespaced: false,
  nameRule: 'pathSegment',
  schema: ClusterRole,
  subresources: {},
  validate: (role) => [...validateRules(role.rules, false), ...validateAggregationRule(role.aggregationRule)],
});
