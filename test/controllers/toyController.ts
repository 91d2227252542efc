/**
 * A toy controller for the runtime's integration tests: every ConfigMap gets an owned Secret
 * `<name>-copy` holding the same data (base64), kept in step with the ConfigMap, restored when
 * someone changes or deletes it, and deleted with the ConfigMap. A ConfigMap labelled
 * `toy/broken=true` cannot be copied: its reconcile records a Warning event and fails.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import { newControllerManagedBy, type ControllerBuilder } from '../../controllers/runtime/builder';
import type { Controller } from '../../controllers/runtime/controller';
import type { Manager } from '../../controllers/runtime/manager';
import { createOrUpdate, getControllerOf, setControllerReference } from '../../controllers/runtime/objects';
import type { Request } from '../../controllers/runtime/reconcile';

export const configMaps = { group: '', version: 'v1', resource: 'configmaps' };
export const secrets = { group: '', version: 'v1', resource: 'secrets' };

export interface ConfigMap extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export interface Secret extends KubeObject {
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string; ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[] };
  type?: string;
  data?: Record<string, string>;
}

export const b64 = (s: string) => Buffer.from(s).toString('base64');
export const copyName = (name: string) => `${name}-copy`;

export interface ToyController {
  readonly controller: Controller;
  /** Requests reconciled, as "ns/name", in order. */
  readonly reconciled: string[];
}

/** Builds the toy controller on `manager` (watching only `namespace`'s objects through a predicate). */
export function addToyController(manager: Manager, namespace: string, configure: (b: ControllerBuilder) => ControllerBuilder = (b) => b): ToyController {
  const reconciled: string[] = [];
  const cms = manager.informers.informerFor<ConfigMap>(configMaps);
  const recorder = manager.eventRecorder('toy-controller');
  const inNamespace = { create: (o: KubeObject) => o.metadata?.namespace === namespace, update: (_: KubeObject, o: KubeObject) => o.metadata?.namespace === namespace, delete: (o: KubeObject) => o.metadata?.namespace === namespace };
  const builder = newControllerManagedBy(manager).named(`toy-${namespace}`).for(configMaps).owns(secrets).withEventFilter(inNamespace);
  const controller = configure(builder).complete(async (req: Request, ctx) => {
    reconciled.push(`${req.namespace}/${req.name}`);
    const cm = cms.lister.get(req.namespace, req.name);
    const client = manager.client;
    if (!cm) {
      // Marina has no garbage collector yet: delete the copy this ConfigMap controlled.
      const copies = client.resource<Secret>(secrets, req.namespace);
      try {
        const copy = await copies.get(copyName(req.name));
        const owner = getControllerOf(copy);
        if (owner?.kind === 'ConfigMap' && owner.name === req.name) await copies.delete(copy.metadata.name);
      } catch (err) {
        if (!isStatusError(err, 404)) throw err;
      }
      return;
    }
    if (cm.metadata.labels?.['toy/broken'] === 'true') {
      recorder.event(cm, 'Warning', 'CopyFailed', 'this ConfigMap cannot be copied');
      throw new Error(`cannot copy ${req.namespace}/${req.name}`);
    }
    const data = Object.fromEntries(Object.entries(cm.data ?? {}).map(([k, v]) => [k, b64(v)]));
    const result = await createOrUpdate<Secret>(client, secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: copyName(req.name), namespace: req.namespace! } }, (s) => {
      setControllerReference(cm, s);
      s.type = 'Opaque';
      s.data = data;
    });
    if (result !== 'unchanged') recorder.event(cm, 'Normal', 'Copied', `secret ${copyName(req.name)} ${result}`);
    ctx.log.info('reconciled', { result });
  });
  return { controller, reconciled };
}
