/**
 * The last change trigger time of an Endpoints object (Kubernetes' TriggerTimeTracker): the
 * earliest time, among the changes since the last sync, of a pod's Ready condition transition
 * or the Service's creation; for a Service seen for the first time, its creation time. It ends up
 * in the `endpoints.kubernetes.io/last-change-trigger-time` annotation (consumers measure
 * network programming latency from it).
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { Service } from '../../api/kinds/core/service';

interface ServiceState {
  podTriggerTimes: Map<string, number>;
  serviceTriggerTime: number | undefined;
}

function parse(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

function podTriggerTime(pod: Pod): number | undefined {
  return parse((pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.lastTransitionTime);
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The trigger time for this sync (ms), or undefined when nothing changed that says when. */
  compute(key: string, service: Service, pods: readonly Pod[]): number | undefined {
    const state = this.states.get(key);
    let min: number | undefined;
    const take = (t: number) => {
      if (min === undefined || t < min) min = t;
    };
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      if (t === undefined) continue;
      const name = pod.metadata?.name ?? '';
      podTimes.set(name, t);
      const last = state?.podTriggerTimes.get(name);
      if (last === undefined || t > last) take(t);
    }
    const serviceTime = parse(service.metadata?.creationTimestamp);
    if (serviceTime !== undefined && (state?.serviceTriggerTime === undefined || serviceTime > state.serviceTriggerTime)) take(serviceTime);
    this.states.set(key, { podTriggerTimes: podTimes, serviceTriggerTime: serviceTime });
    // A Service seen for the first time: its creation.
    if (!state) return serviceTime;
    return min;
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}

/** RFC 3339 with fractional seconds only when there are any (Go's RFC3339Nano). */
export function formatTriggerTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
