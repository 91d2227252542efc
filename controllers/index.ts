/**
 * The built-in controllers `marina controller-manager` runs. Each controller folder exports a
 * `register(manager)` that builds its controller(s) with newControllerManagedBy(manager); add it
 * here under a unique name (the name `--controllers` selects it by).
 */
import { register as deployment } from './deployment';
import { register as endpoints } from './endpoints';
import { register as garbageCollector } from './garbagecollector';
import { register as job } from './job';
import { register as namespace } from './namespace';
import { register as nodeLifecycle } from './nodelifecycle';
import { register as podGC } from './podgc';
import { register as replicaSet } from './replicaset';
import { register as ttlAfterFinished } from './ttlafterfinished';
import type { Manager } from './runtime/manager';

export interface BuiltinController {
  /** e.g. 'replicaset' (what --controllers names). */
  readonly name: string;
  register(manager: Manager): void;
}

export const builtinControllers: readonly BuiltinController[] = [
  { name: 'replicaset', register: (m) => void replicaSet(m) },
  { name: 'deployment', register: (m) => void deployment(m) },
  { name: 'garbagecollector', register: (m) => void garbageCollector(m) },
  { name: 'namespace', register: (m) => void namespace(m) },
  { name: 'podgc', register: (m) => void podGC(m) },
  { name: 'job', register: (m) => void job(m) },
  { name: 'ttl-after-finished', register: (m) => void ttlAfterFinished(m) },
  { name: 'nodelifecycle', register: (m) => void nodeLifecycle(m) },
  { name: 'endpoint', register: (m) => void endpoints(m) },
];
