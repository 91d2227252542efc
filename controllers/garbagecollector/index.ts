/** The garbage collector: deletes objects whose owners are gone, and carries out foreground and orphan deletion. */
import type { Manager } from '../runtime/manager';
import { GarbageCollector, type GarbageCollectorOptions } from './garbageCollector';

export { GarbageCollector, type GarbageCollectorOptions } from './garbageCollector';

/** Tuning for tests and embedders; the defaults are Kubernetes'. */
export type GarbageCollectorTuning = Omit<GarbageCollectorOptions, 'client' | 'informers' | 'log' | 'metrics' | 'recorder'>;

export function register(manager: Manager, tuning: GarbageCollectorTuning = {}): GarbageCollector {
  const gc = new GarbageCollector({
    ...tuning,
    client: manager.client,
    informers: manager.informers,
    log: manager.log,
    metrics: manager.metrics,
    recorder: manager.eventRecorder('garbage-collector-controller'),
  });
  manager.add(gc);
  return gc;
}
