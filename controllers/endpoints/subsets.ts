/**
 * The subsets of a Service's Endpoints, as Kubernetes' endpoints controller computes them: each
 * pod the selector matches that has an IP and is not finished (nor being deleted, unless the
 * Service publishes not-ready addresses) gives an address — ready or not ready — for each service
 * port its targetPort resolves to on that pod (a named port is looked up per pod, so pods with
 * different numbers for a name end up in different subsets); addresses sharing the same ports
 * are then packed into one subset (RepackSubsets).
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { CoreV1EndpointPort, EndpointAddress, EndpointSubset, Endpoints } from '../../api/kinds/core/endpoints';
import type { Service, ServicePort } from '../../api/kinds/core/service';

/** Kubernetes' maxCapacity: at most this many addresses per Endpoints object. */
export const maxEndpointsCapacity = 1000;
export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';
export const lastChangeTriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';
export const headlessServiceLabel = 'service.kubernetes.io/headless';

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Not finished, has an IP, and (unless terminating ones are wanted) not being deleted. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

const isIPv6 = (ip: string | undefined) => !!ip && ip.includes(':');

/** The service port's target on this pod: the number, or the named container port (same protocol). */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  const named = (containers: readonly { ports?: readonly { name?: string; protocol?: string; containerPort: number }[] }[]) => {
    for (const c of containers) for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    return undefined;
  };
  // Sidecars (restartable init containers) count too.
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return named(pod.spec?.containers ?? []) ?? named(sidecars);
}

/** The pod's address of the service's (first) IP family, or undefined when it has none. */
export function podAddress(service: Service, pod: Pod): EndpointAddress | undefined {
  let ipv6: boolean;
  const families = service.spec?.ipFamilies ?? [];
  const clusterIP = service.spec?.clusterIP ?? '';
  if (families.length > 0) ipv6 = families[0] === 'IPv6';
  else if (clusterIP && clusterIP !== 'None') ipv6 = isIPv6(clusterIP);
  else ipv6 = isIPv6(pod.status?.podIP);
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  const ip = ips.find((x) => isIPv6(x) === ipv6);
  if (!ip) return undefined;
  const nodeName = pod.spec?.nodeName;
  return {
    ip,
    ...(nodeName ? { nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
}

function shouldSetHostname(pod: Pod, service: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name && pod.metadata?.namespace === service.metadata?.namespace;
}

function endpointPort(sp: ServicePort, port: number): CoreV1EndpointPort {
  return { ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
}

export interface ComputedSubsets {
  readonly subsets: EndpointSubset[];
  readonly ready: number;
  readonly notReady: number;
}

export function computeSubsets(service: Service, pods: readonly Pod[]): ComputedSubsets {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const raw: EndpointSubset[] = [];
  let ready = 0;
  let notReady = 0;
  const add = (pod: Pod, address: EndpointAddress, port: CoreV1EndpointPort | undefined) => {
    const ports = port ? [port] : [];
    if (publishNotReady || isPodReady(pod)) {
      raw.push({ addresses: [address], ports });
      ready++;
    } else {
      raw.push({ notReadyAddresses: [address], ports });
      notReady++;
    }
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = podAddress(service, pod);
    if (!address) continue;
    if (shouldSetHostname(pod, service)) address.hostname = pod.spec!.hostname!;
    const ports = service.spec?.ports ?? [];
    if (ports.length === 0) {
      // A headless service may do without ports.
      if (service.spec?.clusterIP === 'None') add(pod, address, undefined);
      continue;
    }
    for (const sp of ports) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      add(pod, { ...address }, endpointPort(sp, n));
    }
  }
  return { subsets: repackSubsets(raw), ready, notReady };
}

const addressKey = (a: EndpointAddress) => `${a.ip}|${a.targetRef?.uid ?? ''}`;
const portKey = (p: CoreV1EndpointPort) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? 'TCP', p.appProtocol ?? '']);

/**
 * RepackSubsets: one subset per distinct set of addresses (with their readiness), holding every
 * port those addresses offer; an address not ready on some port is not ready there. Sorted.
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const allAddresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: CoreV1EndpointPort | undefined; addresses: Map<string, boolean> }>();
  const map = (address: EndpointAddress, port: CoreV1EndpointPort | undefined, ready: boolean) => {
    const k = addressKey(address);
    if (!allAddresses.has(k)) allAddresses.set(k, { ...address });
    const pk = port ? portKey(port) : 'none';
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, addresses: new Map() }));
    // Not ready wins over ready.
    if (!entry.addresses.has(k) || entry.addresses.get(k) === true) entry.addresses.set(k, ready);
  };
  for (const s of subsets) {
    const ports: (CoreV1EndpointPort | undefined)[] = (s.ports ?? []).length ? s.ports! : [undefined];
    for (const port of ports) {
      for (const a of s.addresses ?? []) map(a, port, true);
      for (const a of s.notReadyAddresses ?? []) map(a, port, false);
    }
  }
  const groups = new Map<string, { addresses: Map<string, boolean>; ports: CoreV1EndpointPort[] }>();
  for (const { port, addresses } of byPort.values()) {
    const setKey = [...addresses.entries()].map(([k, r]) => `${k}=${r}`).sort().join(',');
    let g = groups.get(setKey);
    if (!g) groups.set(setKey, (g = { addresses, ports: [] }));
    if (port) g.ports.push(port);
  }
  const result: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const readyAddrs: EndpointAddress[] = [];
    const notReadyAddrs: EndpointAddress[] = [];
    for (const [k, r] of g.addresses) (r ? readyAddrs : notReadyAddrs).push(allAddresses.get(k)!);
    result.push({
      ...(readyAddrs.length ? { addresses: readyAddrs.sort(compareAddresses) } : {}),
      ...(notReadyAddrs.length ? { notReadyAddresses: notReadyAddrs.sort(compareAddresses) } : {}),
      ...(g.ports.length ? { ports: g.ports.sort(comparePorts) } : {}),
    });
  }
  return result.sort(compareSubsets);
}

/** By IP (bytewise), then target uid, as LessEndpointAddress. */
export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua === ub ? 0 : ua < ub ? -1 : 1;
}

function comparePorts(a: CoreV1EndpointPort, b: CoreV1EndpointPort): number {
  return a.port - b.port || (a.name ?? '').localeCompare(b.name ?? '') || (a.protocol ?? '').localeCompare(b.protocol ?? '');
}

function compareSubsets(a: EndpointSubset, b: EndpointSubset): number {
  const first = (s: EndpointSubset) => (s.addresses ?? s.notReadyAddresses ?? [])[0];
  const fa = first(a);
  const fb = first(b);
  const byAddress = fa && fb ? compareAddresses(fa, fb) : 0;
  return byAddress || JSON.stringify(a.ports ?? []).localeCompare(JSON.stringify(b.ports ?? []));
}

/**
 * Keeps at most maxEndpointsCapacity addresses (truncateEndpoints): not-ready ones go first;
 * each subset keeps its proportional share (rounded up). True if anything was cut.
 */
export function truncateEndpoints(endpoints: Endpoints, capacity = maxEndpointsCapacity): boolean {
  const subsets = endpoints.subsets ?? [];
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += (s.addresses ?? []).length;
    totalNotReady += (s.notReadyAddresses ?? []).length;
  }
  if (totalReady + totalNotReady <= capacity) return false;
  const truncateReady = totalReady > capacity;
  const max = truncateReady ? capacity : capacity - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  endpoints.subsets = subsets.map((s) => {
    const inSubset = truncateReady ? (s.addresses ?? []).length : (s.notReadyAddresses ?? []).length;
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      const addresses = (s.addresses ?? []).slice(0, toBeAdded);
      canBeAdded -= addresses.length;
      const { notReadyAddresses: _dropped, ...rest } = s;
      return { ...rest, addresses };
    }
    const notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
    canBeAdded -= notReadyAddresses.length;
    return { ...s, notReadyAddresses };
  });
  return true;
}

/**
 * capacityAnnotationSetCorrectly: stored subsets over capacity are never right (they must be
 * truncated), and within capacity there must be no over-capacity annotation.
 */
export function capacityAnnotationSetCorrectly(annotations: Readonly<Record<string, string>> | undefined, subsets: readonly EndpointSubset[] | undefined, capacity = maxEndpointsCapacity): boolean {
  let total = 0;
  for (const s of subsets ?? []) total += (s.addresses ?? []).length + (s.notReadyAddresses ?? []).length;
  if (total > capacity) return false;
  return annotations?.[overCapacityAnnotation] === undefined;
}
