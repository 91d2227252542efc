/** The built-in kinds and the REST strategy of each: the default unless the kind is special. */
import type { ResourceKind } from '../api/kinds/kind';
import { builtinKinds } from '../api/kinds/registry';
import type { Strategy } from './registry/strategy';
import { jobStrategy } from './strategies/jobs';
import { serviceStrategy } from './strategies/services';
import { namespaceStrategy } from './strategies/namespaces';
import { podStrategy } from './strategies/pods';

const special: Readonly<Record<string, Strategy>> = {
  'v1/Pod': podStrategy as Strategy,
  'v1/Namespace': namespaceStrategy as Strategy,
  'batch/v1/Job': jobStrategy as Strategy,
  'v1/Service': serviceStrategy as Strategy,
  // Nodes register with their status; endpoints, events and leases may be written with PUT alone.
  'v1/Node': { resetStatusOnCreate: false },
  'v1/Endpoints': { allowCreateOnUpdate: true },
  'v1/Event': { allowCreateOnUpdate: true },
  'coordination.k8s.io/v1/Lease': { allowCreateOnUpdate: true },
};

/** The default: a kind with a status subresource starts with an empty status. */
export function defaultStrategy(kind: ResourceKind): Strategy {
  return { resetStatusOnCreate: kind.subresources.status === true };
}

export function strategyFor(kind: ResourceKind): Strategy {
  const key = `${kind.group ? `${kind.group}/` : ''}${kind.version}/${kind.kind}`;
  return { ...defaultStrategy(kind), ...special[key] };
}

export function builtinResources(): { kind: ResourceKind; strategy: Strategy }[] {
  return builtinKinds.map((kind) => ({ kind, strategy: strategyFor(kind) }));
}
