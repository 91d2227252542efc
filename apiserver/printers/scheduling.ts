/** scheduling.k8s.io/v1 priorityclasses: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY. */
import { priorityClassKind, type PriorityClass } from '../../api/kinds/scheduling/priorityClass';
import { since } from './duration';
import { ageColumn, column, definePrinter, fieldDoc, nameColumn } from './printer';

const doc = (field: string) => fieldDoc(priorityClassKind.schema, field);

export const priorityClassPrinter = definePrinter<PriorityClass>({
  // PreemptionPolicy has priority 0 but is filled in wide output only, which the server always prints.
  columns: [
    nameColumn,
    column('Value', 'integer', doc('value')),
    column('Global-Default', 'boolean', doc('globalDefault')),
    ageColumn,
    column('PreemptionPolicy', 'string', doc('preemptionPolicy')),
  ],
  cells(pc, now) {
    return [pc.metadata.name ?? '', pc.value, pc.globalDefault ?? false, since(pc.metadata.creationTimestamp, now), pc.preemptionPolicy ?? ''];
  },
});
