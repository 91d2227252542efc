/** The namespace controller: empties namespaces being deleted, then finalizes them. */
import type { Namespace } from '../../api/kinds/core/namespace';
import type { Controller } from '../runtime/controller';
import { newControllerManagedBy } from '../runtime/builder';
import type { Manager } from '../runtime/manager';
import { matching } from '../runtime/predicates';
import { NamespaceReconciler, namespacesGvr, type NamespaceControllerOptions } from './namespaceController';

export { NamespaceReconciler, namespacesGvr, ResourcesRemainingError, type NamespaceControllerOptions } from './namespaceController';

export type NamespaceControllerTuning = Omit<NamespaceControllerOptions, 'client' | 'metrics'> & {
  /** Namespaces emptied at once. Default 5 (Kubernetes: --concurrent-namespace-syncs 10). */
  readonly concurrency?: number;
};

export function register(manager: Manager, tuning: NamespaceControllerTuning = {}): Controller {
  const { concurrency, ...options } = tuning;
  return newControllerManagedBy(manager)
    .named('namespace')
    // Only namespaces being deleted have anything to do.
    .for(namespacesGvr, { predicates: [matching((ns) => (ns as Namespace).metadata?.deletionTimestamp !== undefined)] })
    .withConcurrency(concurrency ?? 5)
    .complete(new NamespaceReconciler({ ...options, client: manager.client, metrics: manager.metrics }));
}
