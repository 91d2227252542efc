/**
 * Pod priority as the scheduler sees it. Kubernetes' Priority admission plugin copies the
 * PriorityClass's value into spec.priority when a pod is created; Marina's API server does not
 * (yet), so the scheduler resolves spec.priorityClassName itself from a PriorityClass informer:
 * a pod without spec.priority gets its class's value (the system classes known without lookup),
 * else the globalDefault class's, else 0. A pod that already has spec.priority is left alone.
 */
import type { Pod } from '../api/kinds/core/pod';
import { systemPriorityClasses, type PriorityClass } from '../api/kinds/scheduling/priorityClass';

export class PriorityResolver {
  private readonly classes = new Map<string, PriorityClass>();

  set(pc: PriorityClass): void {
    this.classes.set(pc.metadata?.name ?? '', pc);
  }

  delete(pc: PriorityClass): void {
    this.classes.delete(pc.metadata?.name ?? '');
  }

  /** The value and preemption policy for a class name (or the global default for ''). */
  private lookup(name: string): { value: number; preemptionPolicy?: string } | undefined {
    if (name) {
      const pc = this.classes.get(name);
      if (pc) return { value: pc.value, preemptionPolicy: pc.preemptionPolicy };
      const sys = systemPriorityClasses.find((c) => c.name === name);
      return sys && { value: sys.value };
    }
    for (const pc of this.classes.values()) if (pc.globalDefault) return { value: pc.value, preemptionPolicy: pc.preemptionPolicy };
    return undefined;
  }

  /** The pod itself when it has spec.priority or nothing applies; else a copy with spec.priority (and preemptionPolicy) set. */
  resolve(pod: Pod): Pod {
    const spec = pod.spec;
    if (!spec || spec.priority !== undefined) return pod;
    const found = this.lookup(spec.priorityClassName ?? '');
    if (!found) return pod;
    return { ...pod, spec: { ...spec, priority: found.value, ...(spec.preemptionPolicy === undefined && found.preemptionPolicy ? { preemptionPolicy: found.preemptionPolicy } : {}) } } as Pod;
  }
}
