/**
 * Namespaces: a new namespace is Active; deleting one marks it Terminating, and it stays until
 * the namespace controller has emptied it and cleared spec.finalizers through /finalize. The
 * system namespaces cannot be deleted. spec.finalizers changes only through /finalize.
 */
import { namespaceFinalizer, type Namespace } from '../../api/kinds/core/namespace';
import { forbidden } from '../../api/status';
import type { Strategy } from '../registry/strategy';

const undeletable = new Set(['default', 'kube-system', 'kube-public']);

export const namespaceStrategy: Strategy<Namespace> = {
  returnDeletedObject: true,
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    // Every namespace is finalized by the namespace controller, whatever else the client asked.
    const finalizers = ns.spec?.finalizers ?? [];
    if (!finalizers.includes(namespaceFinalizer)) ns.spec = { ...ns.spec, finalizers: [...finalizers, namespaceFinalizer] };
  },
  prepareForUpdate(ns, old) {
    ns.spec = { ...ns.spec, finalizers: old.spec?.finalizers ?? [] };
    if (!old.spec?.finalizers) delete ns.spec.finalizers;
  },
  checkDelete(ns) {
    if (undeletable.has(ns.metadata.name ?? '')) {
      throw forbidden({ group: '', resource: 'namespaces' }, ns.metadata.name ?? '', 'this namespace may not be deleted');
    }
  },
  pendingFinalization: (ns) => (ns.spec?.finalizers ?? []).length > 0,
  prepareForDelete(ns) {
    ns.status = { ...ns.status, phase: 'Terminating' };
  },
};
