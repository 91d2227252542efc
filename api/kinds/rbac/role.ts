import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';
import { PolicyRule, rbacGroup, validateRules } from './types';

export const Role = topLevelObject(
  'io.k8s.api.rbac.v1.Role',
  'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
  { group: rbacGroup, version: 'v1', kind: 'Role' },
  {
    rules: s.array(PolicyRule, 'Rules holds all the PolicyRules for this Role', { listType: 'atomic' }),
  },
);
export type Role = s.Static<typeof Role>;

export const roleKind = defineKind<Role>({
  group: rbacGroup,
  version: 'v1',
  kind: 'Role',
  listKind: 'RoleList',
  plural: 'roles',
  singular: 'role',
  shortNames: [],
  categories: [],
  namespaced: true,
  nameRule: 'pathSegment',
  schema: Role,
  subresources: {},
  validate: (role) => validateRules(role.rules, true),
});
