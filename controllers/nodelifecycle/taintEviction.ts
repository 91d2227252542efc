/**
 * Taint-based eviction (Kubernetes' taint eviction controller, formerly the NoExecute taint
 * manager), per pod bound to a node: a pod that does not tolerate every NoExecute taint of its
 * node is deleted at once; one that tolerates them all for a limited time (tolerationSeconds) is
 * deleted when the earliest of those runs out, counted from the taint's timeAdded; one that
 * tolerates them forever stays. Before deletion the pod gets the DisruptionTarget condition
 * (reason DeletionByTaintManager), and a TaintManagerEviction event says so; a scheduled
 * eviction that the taints' removal cancels is reported too.
 */
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import type { Taint } from '../../api/kinds/core/taint';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import type { Clock } from '../../client/clock';
import { keyOf } from '../../client/informer/keys';
import type { SharedIndexInformer } from '../../client/informer/sharedInformer';
import type { RestClient } from '../../client/restClient';
import type { EventRecorder } from '../runtime/events';
import { patchObject } from '../runtime/patch';
import type { ReconcileContext, Request, Result } from '../runtime/reconcile';
import { formatTime, podsResource } from './nodeLifecycleController';
import { evictionTime } from './tolerations';

export function noExecuteTaints(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

function podRef(pod: Pod): KubeObject {
  const m = pod.metadata ?? {};
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion } };
}

export class TaintEvictionController {
  /** Pods whose eviction is scheduled (for the "Cancelling deletion" event). */
  private readonly scheduled = new Set<string>();
  /** When this controller first saw a taint without timeAdded, per node/key/effect. */
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly client: RestClient,
    private readonly pods: SharedIndexInformer<Pod>,
    private readonly nodes: SharedIndexInformer<Node>,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    const key = keyOf(request.namespace, request.name);
    const pod = this.pods.lister.get(request.namespace, request.name);
    if (!pod || pod.metadata?.deletionTimestamp) {
      this.scheduled.delete(key);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? this.nodes.lister.get(undefined, nodeName) : undefined;
    const taints = noExecuteTaints(node);
    const now = this.clock.now();
    const at = evictionTime(taints, pod.spec?.tolerations ?? [], now, (t) => this.seen(nodeName ?? '', t, now));
    if (at === undefined) {
      this.cancel(key, pod);
      return;
    }
    if (at > now) {
      this.scheduled.add(key);
      return { requeueAfterMs: at - now };
    }
    await this.evict(pod, ctx);
    this.scheduled.delete(key);
  }

  private seen(node: string, taint: Taint, now: number): number {
    const k = `${node}/${taint.key}/${taint.effect}`;
    let t = this.firstSeen.get(k);
    if (t === undefined) this.firstSeen.set(k, (t = now));
    return t;
  }

  private cancel(key: string, pod: Pod): void {
    if (!this.scheduled.delete(key)) return;
    this.recorder.event(podRef(pod), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** DisruptionTarget condition first (so the pod's owners know why), then the deletion. */
  private async evict(pod: Pod, ctx: ReconcileContext): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    ctx.log.info('deleting pod for a NoExecute taint', { pod: `${namespace}/${name}`, node: pod.spec?.nodeName });
    this.recorder.event(podRef(pod), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    const marked = (pod.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'DeletionByTaintManager');
    try {
      if (!marked) {
        const condition = {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'DeletionByTaintManager',
          message: 'Taint manager: deleting due to NoExecute taint',
          lastTransitionTime: formatTime(this.clock.now()),
        };
        await patchObject(this.client, podsResource, namespace, name, { metadata: { uid: pod.metadata?.uid }, status: { conditions: [condition] } }, 'strategic', { subresource: 'status' });
      }
      await this.client.resource(podsResource, namespace).delete(name, { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: pod.metadata?.uid } });
    } catch (err) {
      // Gone (or replaced by another pod of that name): nothing to evict.
      if (isStatusError(err, 404) || (isStatusError(err, 409) && /UID/i.test((err as Error).message))) return;
      throw err;
    }
  }
}
