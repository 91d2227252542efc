/**
 * A controller's metrics, named as controller-runtime's, labelled with the controller's name:
 *   controller_runtime_reconcile_total{controller,result}   result: success, error, requeue_after
 *   controller_runtime_reconcile_errors_total{controller}   reconciles that threw
 *   controller_runtime_terminal_reconcile_errors_total{controller}
 *   controller_runtime_reconcile_time_seconds{controller}   a histogram of reconcile durations
 *   controller_runtime_max_concurrent_reconciles{controller}
 *   controller_runtime_active_workers{controller}           workers inside a reconcile now
 * The workqueue's own metrics (workqueue_*{name}) are recorded by the queue under the same name.
 */
import type { MetricsRegistry } from '../../client/metrics';

export type ReconcileOutcome = 'success' | 'error' | 'requeue_after';

export interface ControllerMetrics {
  reconciled(outcome: ReconcileOutcome, seconds: number, terminal?: boolean): void;
  activeWorkers(delta: number): void;
}

const reconcileBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];

export function controllerMetrics(registry: MetricsRegistry, controller: string, workers: number): ControllerMetrics {
  const labels = { controller };
  const total = registry.counter('controller_runtime_reconcile_total', 'Total number of reconciliations per controller.');
  const errors = registry.counter('controller_runtime_reconcile_errors_total', 'Total number of reconciliation errors per controller.');
  const terminal = registry.counter('controller_runtime_terminal_reconcile_errors_total', 'Total number of terminal reconciliation errors per controller.');
  const time = registry.histogram('controller_runtime_reconcile_time_seconds', 'Length of time per reconciliation per controller.', reconcileBuckets);
  const maxWorkers = registry.gauge('controller_runtime_max_concurrent_reconciles', 'Maximum number of concurrent reconciles per controller.');
  const active = registry.gauge('controller_runtime_active_workers', 'Number of currently used workers per controller.');
  // Series exist from the start, so rates and alerts see zeros rather than nothing.
  for (const result of ['success', 'error', 'requeue_after'] as const) total.inc({ controller, result }, 0);
  errors.inc(labels, 0);
  terminal.inc(labels, 0);
  maxWorkers.set(workers, labels);
  active.set(0, labels);
  return {
    reconciled(outcome, seconds, isTerminal = false) {
      total.inc({ controller, result: outcome });
      if (outcome === 'error') errors.inc(labels);
      if (isTerminal) terminal.inc(labels);
      time.observe(seconds, labels);
    },
    activeWorkers(delta) {
      active.add(delta, labels);
    },
  };
}
