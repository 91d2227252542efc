/**
 * rbac.authorization.k8s.io/v1 rolebindings and clusterrolebindings: NAME ROLE AGE, wide USERS
 * GROUPS SERVICEACCOUNTS. (Roles and clusterroles have no printer in Kubernetes: they print with
 * the default NAME CREATED AT.)
 */
import type { Binding } from '../../api/kinds/rbac/binding';
import { clusterRoleBindingKind } from '../../api/kinds/rbac/clusterRoleBinding';
import { since } from './duration';
import { ageColumn, column, definePrinter, fieldDoc, nameColumn, type Printer } from './printer';

/** rbac.SubjectsStrings: users, groups and service accounts (namespace/name). */
function subjects(binding: Binding): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of binding.subjects ?? []) {
    if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

function bindingPrinter(what: string): Printer<Binding> {
  return definePrinter<Binding>({
    columns: [
      nameColumn,
      column('Role', 'string', fieldDoc(clusterRoleBindingKind.schema, 'roleRef')),
      ageColumn,
      column('Users', 'string', `Users in the ${what}`, { priority: 1 }),
      column('Groups', 'string', `Groups in the ${what}`, { priority: 1 }),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, { priority: 1 }),
    ],
    cells(binding, now) {
      // roleRef is required, but a printer must not fail on whatever storage holds.
      return [binding.metadata.name ?? '', `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`, since(binding.metadata.creationTimestamp, now), ...subjects(binding)];
    },
  });
}

export const roleBindingPrinter = bindingPrinter('roleBinding');
export const clusterRoleBindingPrinter = bindingPrinter('clusterRoleBinding');
