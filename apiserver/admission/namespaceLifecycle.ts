/**
 * NamespaceLifecycle: namespaced objects may only be created in a namespace that exists (404
 * otherwise) and is not being deleted (403), as in Kubernetes.
 */
import { apiVersionOf } from '../../api/kinds/kind';
import { forbidden, notFound } from '../../api/status';
import type { AdmissionPlugin } from './admission';

export interface NamespaceLookup {
  /** The namespace's phase, or undefined if it does not exist. */
  (name: string): Promise<'Active' | 'Terminating' | undefined>;
}

/** Kinds that may still be written into a terminating namespace (their controllers clean up). */
const allowedWhileTerminating = new Set(['v1/Event', 'events.k8s.io/v1/Event']);

export function namespaceLifecycle(lookup: NamespaceLookup): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(a) {
      if (a.operation !== 'CREATE' || !a.kind.namespaced || !a.namespace) return;
      const phase = await lookup(a.namespace);
      if (phase === undefined) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
      if (phase === 'Terminating' && !allowedWhileTerminating.has(`${apiVersionOf(a.kind)}/${a.kind.kind}`)) {
        throw forbidden(
          { group: a.kind.group, resource: a.kind.plural },
          a.name,
          `unable to create new content in namespace ${a.namespace} because it is being terminated`,
        );
      }
    },
  };
}
