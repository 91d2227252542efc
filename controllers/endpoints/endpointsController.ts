/**
 * The endpoints controller (Kubernetes' pkg/controller/endpoint): for each Service with a
 * selector, an Endpoints object of the same name listing the matching pods' addresses (see
 * subsets.ts), labelled with the Service's labels (plus `service.kubernetes.io/headless` for a
 * headless Service) and annotated with `endpoints.kubernetes.io/last-change-trigger-time`
 * (and `endpoints.kubernetes.io/over-capacity: truncated` beyond 1000 addresses). Services
 * without a selector, and ExternalName ones, are left alone (their Endpoints are someone
 * else's). When the Service goes, so do its Endpoints. Writes carry the resourceVersion read; a
 * cache that has not caught up with this controller's own last write is waited for.
 */
import type { Endpoints, EndpointSubset } from '../../api/kinds/core/endpoints';
import type { Pod } from '../../api/kinds/core/pod';
import type { Service } from '../../api/kinds/core/service';
import type { KubeObject } from '../../api/kinds/kind';
import { isStatusError } from '../../api/status';
import { keyOf } from '../../client/informer/keys';
import type { SharedIndexInformer } from '../../client/informer/sharedInformer';
import type { GroupVersionResource } from '../../client/resource';
import type { RestClient } from '../../client/restClient';
import type { EventRecorder } from '../runtime/events';
import type { ReconcileContext, Request, Result } from '../runtime/reconcile';
import {
  capacityAnnotationSetCorrectly,
  computeSubsets,
  headlessServiceLabel,
  lastChangeTriggerTimeAnnotation,
  overCapacityAnnotation,
  truncateEndpoints,
} from './subsets';
import { formatTriggerTime, TriggerTimeTracker } from './triggerTime';

export const servicesResource: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
export const endpointsResource: GroupVersionResource = { group: '', version: 'v1', resource: 'endpoints' };
export const podsResource: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

/** Endpoints of leader election (an old lock kind) are never swept. */
export const leaderElectionAnnotation = 'control-plane.alpha.kubernetes.io/leader';

/** The Services in the pod's namespace whose selector matches it. */
export function servicesSelecting(services: readonly Service[], pod: KubeObject): Service[] {
  const labels = pod.metadata?.labels ?? {};
  return services.filter((s) => {
    const selector = s.spec?.selector;
    return selector !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

/** Deep equality with key order ignored. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function subsetsEqual(a: readonly EndpointSubset[] | undefined, b: readonly EndpointSubset[] | undefined): boolean {
  // The pods' resourceVersions are not part of the comparison (they are never written).
  const strip = (subsets: readonly EndpointSubset[] | undefined) =>
    (subsets ?? []).map((s) => {
      const out: Record<string, unknown> = {};
      for (const k of ['addresses', 'notReadyAddresses'] as const) {
        const list = (s[k] ?? []).map((a) => (a.targetRef ? { ...a, targetRef: { ...a.targetRef, resourceVersion: undefined } } : a));
        if (list.length) out[k] = list;
      }
      if ((s.ports ?? []).length) out.ports = s.ports;
      return out;
    });
  return canonical(strip(a)) === canonical(strip(b));
}

function labelsEqual(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  return canonical(a ?? {}) === canonical(b ?? {});
}

function numericVersion(obj: KubeObject | undefined): number {
  const n = Number(obj?.metadata?.resourceVersion);
  return Number.isFinite(n) ? n : -1;
}

export class EndpointsController {
  private readonly triggerTimes = new TriggerTimeTracker();
  /** Per Service: the resourceVersion of the Endpoints this controller last wrote. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly client: RestClient,
    private readonly services: SharedIndexInformer<Service>,
    private readonly pods: SharedIndexInformer<Pod>,
    private readonly endpoints: SharedIndexInformer<Endpoints>,
    private readonly recorder: EventRecorder,
  ) {}

  async reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void> {
    const namespace = request.namespace ?? '';
    const name = request.name;
    const key = keyOf(namespace, name);
    const service = this.services.lister.get(namespace, name);
    if (!service) {
      // The Service is gone: so are its Endpoints.
      this.triggerTimes.delete(key);
      this.written.delete(key);
      const current = this.endpoints.lister.get(namespace, name);
      if (current && !current.metadata?.annotations?.[leaderElectionAnnotation]) {
        try {
          await this.client.resource(endpointsResource, namespace).delete(name);
          ctx.log.info('deleted the Endpoints of a deleted Service', { service: key });
        } catch (err) {
          if (!isStatusError(err, 404)) throw err;
        }
      }
      return;
    }
    if (service.spec?.type === 'ExternalName' || service.spec?.selector === undefined) return;

    const pods = this.pods.lister.list(namespace).filter((p) => servicesSelecting([service], p).length > 0);
    // Computed on every sync, so the tracker follows even when nothing is written.
    const triggerTime = this.triggerTimes.compute(key, service, pods);
    const { subsets, ready, notReady } = computeSubsets(service, pods);

    const current = this.endpoints.lister.get(namespace, name);
    const lastWritten = this.written.get(key);
    if (current && lastWritten !== undefined) {
      if (numericVersion(current) < lastWritten) throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata?.resourceVersion} already processed for endpoints ${key}`);
      this.written.delete(key);
    }
    const compareLabels = { ...current?.metadata?.labels };
    delete compareLabels[headlessServiceLabel];
    if (
      current &&
      subsetsEqual(current.subsets, subsets) &&
      labelsEqual(compareLabels, service.metadata?.labels) &&
      capacityAnnotationSetCorrectly(current.metadata?.annotations, current.subsets)
    ) {
      return;
    }

    const next: Endpoints = current ? (structuredClone(current) as Endpoints) : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    const metadata = (next.metadata ??= {});
    if (subsets.length) next.subsets = subsets;
    else delete next.subsets;
    const labels: Record<string, string> = { ...service.metadata?.labels };
    const annotations: Record<string, string> = { ...metadata.annotations };
    if (triggerTime !== undefined) annotations[lastChangeTriggerTimeAnnotation] = formatTriggerTime(triggerTime);
    else delete annotations[lastChangeTriggerTimeAnnotation];
    if (truncateEndpoints(next)) annotations[overCapacityAnnotation] = 'truncated';
    else delete annotations[overCapacityAnnotation];
    const clusterIP = service.spec?.clusterIP ?? '';
    if (clusterIP === '' || clusterIP === 'None') labels[headlessServiceLabel] = '';
    else delete labels[headlessServiceLabel];
    metadata.labels = labels;
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    else delete metadata.annotations;

    ctx.log.debug('updating endpoints', { service: key, ready, notReady });
    const resource = this.client.resource<Endpoints>(endpointsResource, namespace);
    try {
      if (!current) {
        await resource.create(next);
      } else {
        const updated = await resource.update(next);
        // Until the cache shows this write, an older copy in it must not be acted on.
        if (updated.metadata?.resourceVersion !== current.metadata?.resourceVersion) this.written.set(key, numericVersion(updated));
      }
    } catch (err) {
      // A namespace being deleted refuses new Endpoints: nothing to retry.
      if (!current && isStatusError(err, 403) && /being terminated/.test((err as Error).message)) return;
      const ref: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, ...(current?.metadata?.uid ? { uid: current.metadata.uid } : {}) } };
      if (!current) this.recorder.event(ref, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${(err as Error).message}`);
      else this.recorder.event(ref, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${(err as Error).message}`);
      throw err;
    }
  }
}
