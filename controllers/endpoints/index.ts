/**
 * The endpoints controller (see endpointsController.ts). Requests come from Services, from the
 * pods their selectors match (old and new labels), and from their Endpoints being changed or
 * deleted. As Kubernetes' checkLeftoverEndpoints, every Endpoints object that existed before the
 * controller started is looked at once, so Endpoints of Services deleted while it was down go too;
 * Endpoints created while it runs are never removed for lack of a Service (they may belong to a
 * selector-less Service yet to come).
 */
import type { Endpoints } from '../../api/kinds/core/endpoints';
import type { Pod } from '../../api/kinds/core/pod';
import type { Service } from '../../api/kinds/core/service';
import type { KubeObject } from '../../api/kinds/kind';
import { realClock, type Clock } from '../../client/clock';
import { newControllerManagedBy } from '../runtime/builder';
import type { Manager } from '../runtime/manager';
import type { Request } from '../runtime/reconcile';
import { EndpointsController, endpointsResource, leaderElectionAnnotation, podsResource, servicesResource, servicesSelecting } from './endpointsController';

export { EndpointsController } from './endpointsController';

export interface EndpointsControllerOptions {
  readonly clock?: Clock;
}

/** What of a pod shows in Endpoints (Kubernetes' podEndpointsChanged, plus phase and node). */
function endpointsView(obj: KubeObject): string {
  const pod = obj as Pod;
  return JSON.stringify([
    pod.metadata?.labels ?? {},
    pod.metadata?.deletionTimestamp ?? '',
    (pod.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status === 'True',
    (pod.status?.podIPs ?? []).map((p) => p.ip),
    pod.status?.podIP ?? '',
    pod.status?.phase ?? '',
    pod.spec?.nodeName ?? '',
    pod.spec?.hostname ?? '',
    pod.spec?.subdomain ?? '',
  ]);
}

export function register(manager: Manager, options: EndpointsControllerOptions = {}): EndpointsController {
  const clock = options.clock ?? realClock;
  const services = manager.informers.informerFor<Service>(servicesResource);
  const pods = manager.informers.informerFor<Pod>(podsResource);
  const endpoints = manager.informers.informerFor<Endpoints>(endpointsResource);
  const ec = new EndpointsController(manager.client, services, pods, endpoints, manager.eventRecorder('endpoint-controller'));

  // The start of the current leader term: Endpoints older than it are leftovers to check once.
  let termStartedAt: number | undefined;
  manager.add({ start: () => void (termStartedAt = clock.now()) });
  const request = (obj: KubeObject): Request[] => (obj.metadata?.name ? [{ namespace: obj.metadata.namespace ?? '', name: obj.metadata.name }] : []);
  const existedBeforeStart = (obj: KubeObject): boolean => {
    if (termStartedAt === undefined || obj.metadata?.annotations?.[leaderElectionAnnotation] !== undefined) return false;
    const created = Date.parse(obj.metadata?.creationTimestamp ?? '');
    // Creation times have second resolution: only what surely predates the start.
    return !Number.isNaN(created) && created < termStartedAt - 1000;
  };

  newControllerManagedBy(manager)
    .named('endpoint')
    .for(servicesResource)
    .watches(podsResource, (pod) => servicesSelecting(services.lister.list(pod.metadata?.namespace ?? ''), pod).flatMap(request), {
      predicates: [{ update: (o, n) => endpointsView(o) !== endpointsView(n) }],
    })
    .watches(endpointsResource, request, {
      predicates: [{ create: existedBeforeStart, update: (o, n) => o.metadata?.resourceVersion !== n.metadata?.resourceVersion }],
    })
    .withConcurrency(5)
    .complete((req, ctx) => ec.reconcile(req, ctx));
  return ec;
}
