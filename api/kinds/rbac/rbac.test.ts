import { decodeObject, validateObject } from '../decode';
import type { KubeObject, ResourceKind } from '../kind';
import { admit, causesOf, manifestFile } from '../testing';
import { clusterRoleKind } from './clusterRole';
import { clusterRoleBindingKind } from './clusterRoleBinding';
import { roleKind } from './role';
import { roleBindingKind } from './roleBinding';

const kinds: Record<string, ResourceKind> = {
  Role: roleKind as unknown as ResourceKind,
  ClusterRole: clusterRoleKind as unknown as ResourceKind,
  RoleBinding: roleBindingKind as unknown as ResourceKind,
  ClusterRoleBinding: clusterRoleBindingKind as unknown as ResourceKind,
};

describe('RBAC fixtures', () => {
  const files = ['access/simple-role.yaml', 'access/simple-clusterrole.yaml', 'access/simple-rolebinding-with-role.yaml', 'admin/sched/my-scheduler.yaml'];
  it.each(files)('admits every RBAC document of %s', (file) => {
    const docs = (manifestFile(file) as (KubeObject | null)[]).filter((d): d is KubeObject => d !== null && typeof d.kind === 'string' && d.kind in kinds);
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      const kind = kinds[doc.kind!]!;
      if (kind.namespaced && !doc.metadata?.namespace) doc.metadata = { ...doc.metadata, namespace: 'default' };
      expect(() => admit(kind, doc)).not.toThrow();
    }
  });
});

describe('Role and ClusterRole', () => {
  const rule = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };

  it('requires verbs in the schema and a non-empty verb list', () => {
    expect(causesOf(() => admit(roleKind, { metadata: { name: 'r', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'] }] }))).toEqual([
      'rules[0].verbs: Required value',
    ]);
    expect(causesOf(() => admit(roleKind, { metadata: { name: 'r', namespace: 'default' }, rules: [{ verbs: [] }] }))).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
  });

  it('allows nonResourceURLs only in cluster roles, and never with resources', () => {
    const urls = { nonResourceURLs: ['/healthz'], verbs: ['get'] };
    expect(causesOf(() => admit(roleKind, { metadata: { name: 'r', namespace: 'default' }, rules: [urls] }))).toEqual([
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    ]);
    expect(() => admit(clusterRoleKind, { metadata: { name: 'system:health' }, rules: [urls] })).not.toThrow();
    expect(causesOf(() => admit(clusterRoleKind, { metadata: { name: 'c' }, rules: [{ ...urls, resources: ['pods'] }] }))).toEqual([
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs',
    ]);
  });

  it('accepts aggregated cluster roles and validates their selectors', () => {
    const aggregated = { metadata: { name: 'monitoring' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } };
    expect(() => admit(clusterRoleKind, aggregated)).not.toThrow();
    expect(causesOf(() => admit(clusterRoleKind, { metadata: { name: 'm' }, aggregationRule: {} }))).toEqual([
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
    expect(causesOf(() => admit(clusterRoleKind, { metadata: { name: 'm' }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } }))).toEqual([
      "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });

  it('names are path segments: colons allowed, slashes not', () => {
    expect(() => admit(clusterRoleKind, { metadata: { name: 'system:controller:foo' }, rules: [rule] })).not.toThrow();
    expect(causesOf(() => admit(roleKind, { metadata: { name: 'a/b', namespace: 'default' }, rules: [rule] }))).toEqual([
      `metadata.name: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  it('reports unknown fields with their path', () => {
    expect(() => decodeObject(roleKind, { metadata: { name: 'r', namespace: 'default' }, rules: [{ ...rule, verb: ['get'] }] })).toThrow(
      'strict decoding error: unknown field "rules[0].verb"',
    );
  });
});

describe('RoleBinding and ClusterRoleBinding', () => {
  const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' };

  it('defaults the apiGroup of users and groups', () => {
    const object = admit(roleBindingKind, {
      metadata: { name: 'b', namespace: 'dev' },
      roleRef,
      subjects: [
        { kind: 'User', name: 'jane' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', name: 'builder' },
      ],
    });
    expect(object.subjects).toEqual([
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'builder' },
    ]);
  });

  it('requires roleRef and its fields', () => {
    expect(causesOf(() => admit(roleBindingKind, { metadata: { name: 'b', namespace: 'dev' } }))).toEqual(['roleRef: Required value']);
    expect(causesOf(() => admit(roleBindingKind, { metadata: { name: 'b', namespace: 'dev' }, roleRef: { kind: 'Role' } }))).toEqual([
      'roleRef.apiGroup: Required value',
      'roleRef.name: Required value',
    ]);
  });

  it('checks roleRef kind and group, and subject kinds and groups', () => {
    expect(
      causesOf(() =>
        admit(clusterRoleBindingKind, {
          metadata: { name: 'b' },
          roleRef: { apiGroup: 'example.com', kind: 'Role', name: 'x' },
          subjects: [
            { kind: 'ServiceAccount', name: 'sa' },
            { kind: 'ServiceAccount', name: 'sa', namespace: 'ns', apiGroup: 'v1' },
            { kind: 'User', name: 'u', apiGroup: 'example.com' },
            { kind: 'Robot', name: 'r2' },
          ],
        }),
      ),
    ).toEqual([
      'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
      'subjects[1].apiGroup: Unsupported value: "v1": supported values: ""',
      'subjects[2].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
      'subjects[3].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
  });

  it('lets a RoleBinding reference a ClusterRole and a service account of its own namespace', () => {
    expect(() =>
      admit(roleBindingKind, {
        metadata: { name: 'b', namespace: 'dev' },
        roleRef: { ...roleRef, kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'default' }],
      }),
    ).not.toThrow();
  });

  it('keeps roleRef immutable', () => {
    const old = admit(roleBindingKind, { metadata: { name: 'b', namespace: 'dev' }, roleRef, subjects: [{ kind: 'User', name: 'jane' }] });
    const more = structuredClone(old);
    more.subjects = [...(more.subjects ?? []), { kind: 'User', name: 'joe', apiGroup: 'rbac.authorization.k8s.io' }];
    expect(() => validateObject(roleBindingKind, more, old)).not.toThrow();
    const next = structuredClone(old);
    next.roleRef = { ...roleRef, name: 'admin' };
    expect(causesOf(() => validateObject(roleBindingKind, next, old))).toEqual([
      'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"admin"}: cannot change roleRef',
    ]);
  });
});
