/** The pod garbage collector: deletes orphaned, long-terminated and stuck-terminating pods. */
import type { Manager } from '../runtime/manager';
import { PodGCController, type PodGCOptions } from './podGC';

export { PodGCController, type PodGCOptions } from './podGC';

/** Tuning for tests and embedders; the defaults are Kubernetes'. */
export type PodGCTuning = Omit<PodGCOptions, 'client' | 'informers' | 'log' | 'metrics'>;

export function register(manager: Manager, tuning: PodGCTuning = {}): PodGCController {
  const gc = new PodGCController({ ...tuning, client: manager.client, informers: manager.informers, log: manager.log, metrics: manager.metrics });
  manager.add(gc);
  return gc;
}
