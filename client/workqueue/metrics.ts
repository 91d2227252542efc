/**
 * A workqueue's metrics, as client-go names them, labelled with the queue's name:
 *   workqueue_depth                    items waiting (added and not yet handed out)
 *   workqueue_adds_total               adds that were not duplicates
 *   workqueue_queue_duration_seconds   time from the (first) add to the get that handed it out
 *   workqueue_work_duration_seconds    time from get to done
 *   workqueue_retries_total            rate-limited re-adds (addRateLimited)
 */
import type { Clock } from '../clock';
import type { MetricsRegistry } from '../metrics';

export interface QueueMetrics<T> {
  /** An item became dirty (a non-duplicate add); `depth` is the new number waiting. */
  added(item: T, depth: number): void;
  /** An item was handed to a worker. */
  handedOut(item: T, depth: number): void;
  done(item: T): void;
  retried(): void;
}

export const noQueueMetrics: QueueMetrics<unknown> = { added: () => {}, handedOut: () => {}, done: () => {}, retried: () => {} };

const durationBuckets = [1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000];

export function queueMetrics<T>(registry: MetricsRegistry, name: string, clock: Clock): QueueMetrics<T> {
  const labels = { name };
  const depth = registry.gauge('workqueue_depth', 'Current depth of the workqueue.');
  const adds = registry.counter('workqueue_adds_total', 'Total number of adds handled by the workqueue.');
  const latency = registry.histogram('workqueue_queue_duration_seconds', 'How long in seconds an item stays in the workqueue before being requested.', durationBuckets);
  const work = registry.histogram('workqueue_work_duration_seconds', 'How long in seconds processing an item from the workqueue takes.', durationBuckets);
  const retries = registry.counter('workqueue_retries_total', 'Total number of retries handled by the workqueue.');
  depth.set(0, labels);
  // Invariant: an item is in at most one of the maps (waiting, or being processed).
  const addedAt = new Map<T, number>();
  const startedAt = new Map<T, number>();
  return {
    added(item, n) {
      adds.inc(labels);
      depth.set(n, labels);
      if (!addedAt.has(item)) addedAt.set(item, clock.now());
    },
    handedOut(item, n) {
      depth.set(n, labels);
      const at = addedAt.get(item);
      if (at !== undefined) {
        latency.observe((clock.now() - at) / 1000, labels);
        addedAt.delete(item);
      }
      startedAt.set(item, clock.now());
    },
    done(item) {
      const at = startedAt.get(item);
      if (at !== undefined) {
        work.observe((clock.now() - at) / 1000, labels);
        startedAt.delete(item);
      }
    },
    retried() {
      retries.inc(labels);
    },
  };
}
