/** coordination.k8s.io/v1 leases: NAME HOLDER AGE. */
import { leaseKind, type Lease } from '../../api/kinds/coordination/lease';
import { since } from './duration';
import { ageColumn, column, definePrinter, fieldDoc, nameColumn } from './printer';

export const leasePrinter = definePrinter<Lease>({
  columns: [nameColumn, column('Holder', 'string', fieldDoc(leaseKind.schema, 'spec.holderIdentity')), ageColumn],
  cells(lease, now) {
    return [lease.metadata.name ?? '', lease.spec?.holderIdentity ?? '', since(lease.metadata.creationTimestamp, now)];
  },
});
