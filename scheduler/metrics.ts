/** The scheduler's Prometheus metrics (names as kube-scheduler's). */
import type { Counter, Gauge, Histogram, MetricsRegistry } from '../client/metrics';
import type { PendingCounts } from './queue/schedulingQueue';

const latencyBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export class SchedulerMetrics {
  /** scheduler_schedule_attempts_total{result, profile}. */
  readonly attempts: Counter;
  /** scheduler_scheduling_attempt_duration_seconds{result, profile}: one cycle, from pop to assume (or failure). */
  readonly attemptDuration: Histogram;
  /** scheduler_pod_scheduling_sli_duration_seconds: from first entering the queue to bound. */
  readonly podSchedulingDuration: Histogram;
  /** scheduler_pending_pods{queue}. */
  readonly pendingPods: Gauge;
  readonly preemptionAttempts: Counter;
  readonly preemptionVictims: Counter;
  readonly bindingsInFlight: Gauge;
  /** scheduler_binding_duration_seconds: one pods/binding request (the Bind extension point). */
  readonly bindingDuration: Histogram;

  constructor(registry: MetricsRegistry) {
    this.attempts = registry.counter('scheduler_schedule_attempts_total', 'Scheduling attempts by result (scheduled, unschedulable, error) and profile.');
    this.attemptDuration = registry.histogram('scheduler_scheduling_attempt_duration_seconds', 'Duration of one scheduling attempt, by result and profile.', latencyBuckets);
    this.podSchedulingDuration = registry.histogram('scheduler_pod_scheduling_sli_duration_seconds', 'Time from a pod entering the queue to its binding, in seconds.', latencyBuckets);
    this.pendingPods = registry.gauge('scheduler_pending_pods', 'Pending pods by queue (active, backoff, unschedulable, gated).');
    this.preemptionAttempts = registry.counter('scheduler_preemption_attempts_total', 'Preemption attempts.');
    this.preemptionVictims = registry.counter('scheduler_preemption_victims_total', 'Pods evicted by preemption.');
    this.bindingsInFlight = registry.gauge('scheduler_bindings_in_flight', 'Binding requests in flight.');
    this.bindingDuration = registry.histogram('scheduler_binding_duration_seconds', 'Duration of the Bind extension point (the binding request), in seconds.', latencyBuckets);
  }

  setPending(counts: PendingCounts): void {
    this.pendingPods.set(counts.active, { queue: 'active' });
    this.pendingPods.set(counts.backoff, { queue: 'backoff' });
    this.pendingPods.set(counts.unschedulable, { queue: 'unschedulable' });
    this.pendingPods.set(counts.gated, { queue: 'gated' });
  }
}
