/**
 * What the workload controllers read from a pod, as Kubernetes' pkg/api/v1/pod and
 * pkg/controller helpers: active (neither finished nor being deleted), ready (condition
 * Ready=True), available (ready for at least minReadySeconds), restarts, and the pod a
 * controller creates from its template.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { PodCondition } from '../../api/kinds/core/podStatus';
import type { PodTemplateSpec } from '../../api/kinds/core/podSpec';
import type { OwnerReference } from '../../api/kinds/meta';

/** Neither Succeeded nor Failed, and not being deleted (controller.IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** The pod's Ready condition, if any. */
export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Ready=True (podutil.IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod last became ready, in ms since the epoch; undefined when not ready or unknown. */
export function podReadySince(pod: Pod): number | undefined {
  const cond = podReadyCondition(pod);
  if (cond?.status !== 'True' || !cond.lastTransitionTime) return undefined;
  const t = Date.parse(cond.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Ready for at least `minReadySeconds` at `nowMs` (podutil.IsPodAvailable): with 0, ready is
 * available; otherwise the Ready condition must have turned True more than that long ago.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/**
 * For a ready pod not yet available: in how many ms it becomes available (at least 1);
 * undefined when it is not ready, already available, or has no usable transition time.
 */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  if (minReadySeconds <= 0 || !isPodReady(pod)) return undefined;
  const since = podReadySince(pod);
  if (since === undefined) return undefined;
  const at = since + minReadySeconds * 1000;
  return at < nowMs ? undefined : Math.max(1, at - nowMs + 1);
}

/**
 * The highest restart count among the pod's containers and its restartable (sidecar) init
 * containers, as the scale-down ranking compares them.
 */
export function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const s of pod.status?.initContainerStatuses ?? []) if (sidecars.has(s.name)) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/**
 * A controller name as a generateName prefix: `<name>-`, or the name itself when the dash
 * would make it too long for a pod name (getPodsPrefix).
 */
export function podNamePrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  // A generated name adds 5 characters; the whole must stay a DNS-1123 subdomain (253).
  return prefix.length <= 253 - 5 ? prefix : controllerName;
}

/**
 * The pod a controller creates from its template (controller.GetPodFromTemplate): the template's
 * labels, annotations, finalizers and spec, a generated name, and the controller reference.
 */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, controllerName: string, ref: OwnerReference): Pod {
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podNamePrefix(controllerName),
      namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [ref],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  } as Pod;
}
