/** The printers of the small kinds: leases, priorityclasses, poddisruptionbudgets, role bindings. */
import type { Binding } from '../../api/kinds/rbac/binding';
import { leasePrinter } from './coordination';
import { podDisruptionBudgetPrinter } from './policy';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac';
import { priorityClassPrinter } from './scheduling';
import { ago, columnNames, printRow } from './testing';

const metadata = { name: 'x', creationTimestamp: ago(3600) };

it('prints leases: HOLDER AGE', () => {
  expect(columnNames(leasePrinter).wide).toEqual(['NAME', 'HOLDER', 'AGE']);
  expect(printRow(leasePrinter, { metadata, spec: { holderIdentity: 'node-1' } })).toEqual({ Name: 'x', Holder: 'node-1', Age: '60m' });
  expect(printRow(leasePrinter, { metadata, spec: {} }).Holder).toBe('');
});

it('prints priorityclasses: VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', () => {
  expect(columnNames(priorityClassPrinter).normal).toEqual(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
  expect(printRow(priorityClassPrinter, { metadata, value: 1000, globalDefault: true, preemptionPolicy: 'Never' })).toEqual({
    Name: 'x',
    Value: 1000,
    'Global-Default': true,
    Age: '60m',
    PreemptionPolicy: 'Never',
  });
  expect(printRow(priorityClassPrinter, { metadata, value: -5 })).toMatchObject({ 'Global-Default': false, PreemptionPolicy: '' });
});

it('prints poddisruptionbudgets: MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE', () => {
  expect(columnNames(podDisruptionBudgetPrinter).normal).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
  const status = { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 };
  expect(printRow(podDisruptionBudgetPrinter, { metadata, spec: { minAvailable: 2 }, status })).toEqual({
    Name: 'x',
    'Min Available': '2',
    'Max Unavailable': 'N/A',
    'Allowed Disruptions': 1,
    Age: '60m',
  });
  expect(printRow(podDisruptionBudgetPrinter, { metadata, spec: { maxUnavailable: '25%' } })).toMatchObject({ 'Min Available': 'N/A', 'Max Unavailable': '25%', 'Allowed Disruptions': 0 });
});

it('prints role bindings: ROLE AGE and, wide, their subjects', () => {
  expect(columnNames(roleBindingPrinter)).toEqual({ normal: ['NAME', 'ROLE', 'AGE'], wide: ['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS'] });
  const binding: Binding & { metadata: typeof metadata } = {
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'User', name: 'bob', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
    ],
  };
  expect(printRow(roleBindingPrinter, binding)).toEqual({ Name: 'x', Role: 'ClusterRole/view', Age: '60m', Users: 'alice, bob', Groups: 'devs', ServiceAccounts: 'build/ci' });
  expect(clusterRoleBindingPrinter.columns[3]!.description).toBe('Users in the clusterRoleBinding');
});
