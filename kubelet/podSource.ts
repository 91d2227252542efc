/**
 * Where node agents hear of their pods: one pod informer whose watch is limited by a field
 * selector — `spec.nodeName=NAME` for one agent, `spec.nodeName!=` for the hollow nodes of a
 * simulated process, which share it — dispatching each pod to the agent of its node. ConfigMaps
 * and Secrets (for env and volumes) come from informers of the same factory.
 */
import type { ConfigMap } from '../api/kinds/core/configMap';
import type { Pod } from '../api/kinds/core/pod';
import type { Secret } from '../api/kinds/core/secret';
import { DeletedFinalStateUnknown } from '../client/informer/tombstone';
import type { SharedInformerFactory } from '../client/informer/factory';
import type { SharedIndexInformer } from '../client/informer/sharedInformer';
import type { ObjectSource } from './pod/env';

export interface PodHandler {
  onPod(pod: Pod): void;
  onPodDeleted(pod: Pod): void;
}

export interface PodSource {
  /** Hands the node's pods to `handler` (those already known at once); returns the unsubscribe. */
  subscribe(nodeName: string, handler: PodHandler): () => void;
  /** The pods of a node, as known now. */
  pods(nodeName: string): Pod[];
  /** A pod by namespace and name (any node). */
  get(namespace: string, name: string): Pod | undefined;
  waitForSync(signal?: AbortSignal): Promise<boolean>;
}

const podsGvr = { group: '', version: 'v1', resource: 'pods' };
const nodeIndex = 'nodeName';

export class InformerPodSource implements PodSource {
  private readonly informer: SharedIndexInformer<Pod>;
  private readonly handlers = new Map<string, PodHandler>();

  /** `nodeName`: one node's pods; undefined: every bound pod (hollow nodes). */
  constructor(factory: SharedInformerFactory, nodeName?: string) {
    this.informer = factory.informerFor<Pod>(podsGvr, { fieldSelector: nodeName ? `spec.nodeName=${nodeName}` : 'spec.nodeName!=' });
    this.informer.addIndexers({ [nodeIndex]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
    const dispatch = (pod: Pod, deleted: boolean) => {
      const h = this.handlers.get(pod.spec?.nodeName ?? '');
      if (!h) return;
      if (deleted) h.onPodDeleted(pod);
      else h.onPod(pod);
    };
    this.informer.addEventHandler({
      onAdd: (p) => dispatch(p, false),
      onUpdate: (_o, p) => dispatch(p, false),
      onDelete: (p) => dispatch(p instanceof DeletedFinalStateUnknown ? p.obj : p, true),
    });
  }

  subscribe(nodeName: string, handler: PodHandler): () => void {
    this.handlers.set(nodeName, handler);
    for (const p of this.pods(nodeName)) handler.onPod(p);
    return () => {
      if (this.handlers.get(nodeName) === handler) this.handlers.delete(nodeName);
    };
  }

  pods(nodeName: string): Pod[] {
    return this.informer.store.byIndex(nodeIndex, nodeName);
  }

  get(namespace: string, name: string): Pod | undefined {
    return this.informer.lister.get(namespace, name);
  }

  waitForSync(signal?: AbortSignal): Promise<boolean> {
    return this.informer.waitForSync(signal);
  }
}

/** ConfigMaps and Secrets from shared informers (every namespace). */
export function informerObjectSource(factory: SharedInformerFactory): ObjectSource & { waitForSync(signal?: AbortSignal): Promise<boolean> } {
  const configMaps = factory.informerFor<ConfigMap>({ group: '', version: 'v1', resource: 'configmaps' });
  const secrets = factory.informerFor<Secret>({ group: '', version: 'v1', resource: 'secrets' });
  return {
    configMap: (ns, name) => configMaps.lister.get(ns, name),
    secret: (ns, name) => secrets.lister.get(ns, name),
    waitForSync: async (signal) => (await configMaps.waitForSync(signal)) && (await secrets.waitForSync(signal)),
  };
}
