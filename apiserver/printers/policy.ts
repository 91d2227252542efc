/** policy/v1 poddisruptionbudgets: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE. */
import type { PodDisruptionBudget } from '../../api/kinds/policy/podDisruptionBudget';
import { since } from './duration';
import { ageColumn, column, definePrinter, nameColumn } from './printer';

/** An IntOrString as Kubernetes prints it ("1", "50%"), or N/A when unset. */
function intOrString(value: number | string | undefined): string {
  return value === undefined ? 'N/A' : String(value);
}

export const podDisruptionBudgetPrinter = definePrinter<PodDisruptionBudget>({
  columns: [
    nameColumn,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells(pdb, now) {
    return [
      pdb.metadata.name ?? '',
      intOrString(pdb.spec?.minAvailable),
      intOrString(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      since(pdb.metadata.creationTimestamp, now),
    ];
  },
});
