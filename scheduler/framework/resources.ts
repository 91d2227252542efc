/**
 * Resource arithmetic for scheduling: Kubernetes quantities parsed to canonical integer units
 * (cpu in millicores, memory and storage in bytes, everything else in units; hugepages in bytes),
 * a pod's effective requests (resourcehelper.PodRequests) and a node's allocatable.
 *
 * Invariants: every number is an integer, rounded up like resource.Quantity's Value/MilliValue;
 * a malformed quantity counts as 0 (validation keeps them out of the API).
 */
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import { quantityNanos } from '../../api/kinds/core/resources';
import type { Resources } from './interfaces';

/** schedutil.DefaultMilliCPURequest: what a container without a cpu request counts as when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** schedutil.DefaultMemoryRequest: 200 MiB. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type Quantity = string | number;
type ResourceList = Readonly<Record<string, Quantity>>;

const valueCache = new Map<string, number>();
const milliCache = new Map<string, number>();

function cached(cache: Map<string, number>, q: Quantity, divisor: bigint): number {
  const key = typeof q === 'number' ? String(q) : q;
  let v = cache.get(key);
  if (v === undefined) {
    const nanos = quantityNanos(q);
    if (nanos === undefined) v = 0;
    else v = Number(nanos >= 0n ? (nanos + divisor - 1n) / divisor : -((-nanos) / divisor));
    if (cache.size > 10_000) cache.clear();
    cache.set(key, v);
  }
  return v;
}

/** resource.Quantity.Value(): whole units, rounded up ("1.5" → 2, "1Ki" → 1024). */
export function quantityValue(q: Quantity): number {
  return cached(valueCache, q, 1_000_000_000n);
}

/** resource.Quantity.MilliValue(): thousandths, rounded up ("100m" → 100, "1" → 1000). */
export function quantityMilliValue(q: Quantity): number {
  return cached(milliCache, q, 1_000_000n);
}

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} };
}

export function cloneResources(r: Resources): Resources {
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, pods: r.pods, scalar: { ...r.scalar } };
}

function isEmpty(record: Readonly<Record<string, number>>): boolean {
  for (const _ in record) return false;
  return true;
}

/**
 * `from`'s values written into `into` (allocated when undefined), which is returned. Reusing the
 * object keeps a snapshot's hot numbers where they were first allocated, next to their NodeInfo,
 * instead of scattering a new copy over the heap at every change (the filter and score loops read
 * them for hundreds of nodes per pod, mostly from cache misses).
 */
export function copyResourcesInto(into: Resources | undefined, from: Resources): Resources {
  if (!into) return cloneResources(from);
  into.milliCPU = from.milliCPU;
  into.memory = from.memory;
  into.ephemeralStorage = from.ephemeralStorage;
  into.pods = from.pods;
  if (!isEmpty(from.scalar)) into.scalar = { ...from.scalar };
  else if (!isEmpty(into.scalar)) into.scalar = {};
  return into;
}

/** Resources the scheduler tracks as scalars: extended (example.com/gpu), hugepages-*, prefixed native, attachable volumes. */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  if (name.startsWith('requests.')) return false;
  return name.includes('/'); // extended (no kubernetes.io domain) and prefixed native (kubernetes.io/...)
}

/** Adds one named quantity to `into` (framework.Resource.Add). Unknown unprefixed names are ignored. */
export function addQuantity(into: Resources, name: string, q: Quantity): void {
  switch (name) {
    case 'cpu':
      into.milliCPU += quantityMilliValue(q);
      return;
    case 'memory':
      into.memory += quantityValue(q);
      return;
    case 'ephemeral-storage':
      into.ephemeralStorage += quantityValue(q);
      return;
    case 'pods':
      into.pods += quantityValue(q);
      return;
    default:
      if (isScalarResourceName(name)) into.scalar[name] = (into.scalar[name] ?? 0) + quantityValue(q);
  }
}

export function resourcesFromList(list: ResourceList | undefined): Resources {
  const r = emptyResources();
  if (list) for (const name of Object.keys(list)) addQuantity(r, name, list[name]!);
  return r;
}

export function addResources(into: Resources, r: Resources): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  into.pods += r.pods;
  for (const name of Object.keys(r.scalar)) into.scalar[name] = (into.scalar[name] ?? 0) + r.scalar[name]!;
}

export function subtractResources(from: Resources, r: Resources): void {
  from.milliCPU -= r.milliCPU;
  from.memory -= r.memory;
  from.ephemeralStorage -= r.ephemeralStorage;
  from.pods -= r.pods;
  for (const name of Object.keys(r.scalar)) {
    const v = (from.scalar[name] ?? 0) - r.scalar[name]!;
    if (v === 0) delete from.scalar[name];
    else from.scalar[name] = v;
  }
}

/** Per resource maximum of `into` and `r`, into `into` (pods is left alone). */
function maxResources(into: Resources, r: Resources): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const name of Object.keys(r.scalar)) into.scalar[name] = Math.max(into.scalar[name] ?? 0, r.scalar[name]!);
}

interface ContainerLike {
  readonly resources?: { readonly requests?: ResourceList };
  readonly restartPolicy?: string;
}

function containerRequests(c: ContainerLike, nonZero: boolean): Resources {
  const requests = c.resources?.requests;
  const r = resourcesFromList(requests);
  if (nonZero) {
    // NonMissingContainerRequests: only a request that is absent gets the default; an explicit 0 stays 0.
    if (requests?.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (requests?.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * resourcehelper.PodRequests: the sum of the containers' requests, and of restartable init
 * containers (sidecars), at least the largest regular init container together with the sidecars
 * started before it, plus the pod overhead. `pods` is 1. With `nonZero`, cpu and memory a
 * container does not request count as 100m and 200Mi (scoring's NonZeroRequested).
 */
export function computePodRequests(pod: Pod, nonZero = false): Resources {
  const spec = pod.spec;
  const reqs = emptyResources();
  if (!spec) {
    reqs.pods = 1;
    return reqs;
  }
  for (const c of spec.containers ?? []) addResources(reqs, containerRequests(c, nonZero));
  const sidecars = emptyResources();
  const initMax = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addResources(reqs, r);
      addResources(sidecars, r);
      maxResources(initMax, sidecars);
    } else {
      addResources(r, sidecars);
      maxResources(initMax, r);
    }
  }
  maxResources(reqs, initMax);
  if (spec.overhead) addResources(reqs, resourcesFromList(spec.overhead));
  reqs.pods = 1;
  return reqs;
}

/** The node's allocatable (status.allocatable, else status.capacity, as the kubelet defaults it). */
export function nodeAllocatable(node: Node): Resources {
  const status = node.status;
  return resourcesFromList(status?.allocatable ?? status?.capacity);
}

/**
 * Host ports a pod's containers ask for (hostPort > 0), with protocol and host IP defaulted
 * (schedutil.GetHostPorts): its containers' and its sidecars' (init containers with
 * restartPolicy Always, which run for the pod's whole life).
 */
export function podHostPorts(pod: Pod): { protocol: string; hostIP: string; port: number }[] {
  const out: { protocol: string; hostIP: string; port: number }[] = [];
  const add = (c: { readonly ports?: readonly { hostPort?: number; protocol?: string; hostIP?: string }[] }): void => {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ protocol: p.protocol ?? 'TCP', hostIP: p.hostIP || '0.0.0.0', port: p.hostPort });
    }
  };
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') add(c);
  for (const c of pod.spec?.containers ?? []) add(c);
  return out;
}
