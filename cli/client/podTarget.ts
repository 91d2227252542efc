/**
 * Which pod and container `logs` and `exec` talk to: `POD`, `pod/POD`, or a workload
 * (`deploy/web`, `job/x`, `rs/…`, `sts/…`, `ds/…`, `svc/…`): then one of the pods its selector
 * matches, as kubectl picks it (running and ready first, then the newest). The container is -c,
 * else the pod's `kubectl.kubernetes.io/default-container`, else its first (with a note on stderr
 * when the pod has several).
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { KubeObject } from '../../api/kinds/kind';
import type { LabelSelector } from '../../api/kinds/meta';
import { labelSelectorString } from '../../apiserver/printers/format';
import type { Session } from './context';
import { CliError, usageError } from './io';
import { getObject, parseTargets } from './resources';

function rank(p: Pod): number {
  if (p.metadata?.deletionTimestamp) return 3;
  if (p.status?.phase !== 'Running') return 2;
  return p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 0 : 1;
}

/** The pod an argument names (a pod, or one of a workload's pods). */
export async function resolvePod(session: Session, arg: string): Promise<Pod> {
  const mapper = await session.mapper();
  if (!arg.includes('/')) return (await getObject(session, mapper.resolveOne('pods'), session.namespace, arg)) as Pod;
  const [t] = parseTargets(mapper, [arg]);
  if (!t || t.name === undefined) throw usageError(`a pod or TYPE/NAME is required, not "${arg}"`);
  const obj = (await getObject(session, t.resource, session.namespace, t.name)) as KubeObject & { spec?: { selector?: unknown } };
  if (t.resource.kind === 'Pod') return obj as Pod;
  const raw = obj.spec?.selector;
  // A Service's selector is a plain map; the workloads' a LabelSelector.
  const selector = t.resource.kind === 'Service' ? labelSelectorString({ matchLabels: raw as Record<string, string> }) : labelSelectorString((raw ?? {}) as LabelSelector);
  if (!selector) throw new CliError(`${t.resource.kind.toLowerCase()}/${t.name} has no selector to find its pods by`);
  const { items } = await session.client.listAll<Pod>(`/api/v1/namespaces/${session.namespace}/pods`, { labelSelector: selector });
  if (!items.length) throw new CliError(`no pods found for ${t.resource.kind.toLowerCase()}/${t.name} (selector ${selector})`);
  items.sort((a, b) => rank(a) - rank(b) || (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? ''));
  return items[0]!;
}

/** The container to use: the given one (checked), else the default one. */
export function containerOf(session: Session, pod: Pod, wanted: string | undefined): string {
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
  if (wanted !== undefined) {
    if (!names.includes(wanted)) throw new CliError(`container ${wanted} is not valid for pod ${pod.metadata?.name}`);
    return wanted;
  }
  const regular = (pod.spec?.containers ?? []).map((c) => c.name);
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && regular.includes(annotated)) return annotated;
  const first = regular[0];
  if (!first) throw new CliError(`pod ${pod.metadata?.name} has no containers`);
  if (regular.length > 1) session.io.stderr.write(`Defaulted container "${first}" out of: ${regular.join(', ')}\n`);
  return first;
}
