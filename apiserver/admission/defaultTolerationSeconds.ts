/**
 * DefaultTolerationSeconds (Kubernetes' plugin/pkg/admission/defaulttolerationseconds): a pod
 * that does not already tolerate them gets tolerations of the `node.kubernetes.io/not-ready` and
 * `node.kubernetes.io/unreachable` NoExecute taints for 300 seconds, so it is evicted from a node
 * that stopped being ready only after five minutes. Runs on pod create and update (not on
 * subresources), as Kubernetes does.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { Toleration } from '../../api/kinds/core/toleration';
import type { AdmissionPlugin } from './admission';

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** tolerationSeconds of the not-ready toleration (--default-not-ready-toleration-seconds). Default 300. */
  readonly notReady?: number;
  /** tolerationSeconds of the unreachable toleration (--default-unreachable-toleration-seconds). Default 300. */
  readonly unreachable?: number;
}

/** Whether `t` tolerates a NoExecute taint with this key (an empty key or effect matches all). */
function coversNoExecute(t: Toleration, key: string): boolean {
  return (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);
}

/** Adds the default tolerations `pod` lacks; true if it changed. */
export function addDefaultTolerations(pod: Pod, options: DefaultTolerationSecondsOptions = {}): boolean {
  const spec = pod.spec;
  if (!spec) return false;
  const tolerations = spec.tolerations ?? [];
  const added: Toleration[] = [];
  if (!tolerations.some((t) => coversNoExecute(t, notReadyTaintKey))) {
    added.push({ key: notReadyTaintKey, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.notReady ?? 300 });
  }
  if (!tolerations.some((t) => coversNoExecute(t, unreachableTaintKey))) {
    added.push({ key: unreachableTaintKey, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.unreachable ?? 300 });
  }
  if (added.length === 0) return false;
  spec.tolerations = [...tolerations, ...added];
  return true;
}

export function defaultTolerationSeconds(options: DefaultTolerationSecondsOptions = {}): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(a) {
      if (a.kind.group !== '' || a.kind.plural !== 'pods' || a.subresource) return;
      if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
      if (!a.object) return;
      addDefaultTolerations(a.object as Pod, options);
    },
  };
}
