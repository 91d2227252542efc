/**
 * NodeResourcesFit (Kubernetes' noderesources.Fit).
 *
 * Filter: the pod's effective requests (max(largest init container, sum of containers and
 * sidecars) + overhead, computed once in PreFilter) must fit in the node's allocatable minus what
 * its pods request, for cpu, memory, ephemeral-storage and scalar resources (extended such as
 * nvidia.com/gpu, hugepages); a node takes at most its allocatable `pods`. Reasons are Kubernetes'
 * ("Insufficient cpu", "Too many pods"); the status is UnschedulableAndUnresolvable when a request
 * exceeds the node's whole allocatable (no preemption can make room), else Unschedulable.
 *
 * Score: a strategy over the configured resources — LeastAllocated (default), MostAllocated or
 * RequestedToCapacityRatio (a utilisation → score shape) — with cpu/memory of requests-less
 * containers counted as 100m / 200Mi.
 */
import type { Pod } from '../../api/kinds/core/pod';
import {
  success,
  unresolvable,
  unschedulable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeInfo,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type Resources,
  type ScorePlugin,
  type Status,
} from '../framework/interfaces';
import { computePodRequests } from '../framework/resources';
import {
  ALLOCATABLE_EPHEMERAL_STORAGE,
  ALLOCATABLE_MEMORY,
  ALLOCATABLE_MILLI_CPU,
  ALLOCATABLE_PODS,
  REQUESTED_EPHEMERAL_STORAGE,
  REQUESTED_MEMORY,
  REQUESTED_MILLI_CPU,
  REQUESTED_PODS,
} from '../framework/resourceRow';
import { argsObject, isObject, optionalObjectList, optionalString, optionalStringList, resourceSpecs, type ResourceSpec } from './helper/args';
import {
  ResourceAllocationScorer,
  leastAllocatedScorer,
  mostAllocatedScorer,
  requestedToCapacityRatioScorer,
  type ResourceScorer,
  type UtilizationShapePoint,
} from './helper/resourceAllocation';

export const name = 'NodeResourcesFit';

const preFilterStateKey = 'PreFilter' + name;
const preScoreStateKey = 'PreScore' + name;
const events: readonly ClusterEvent[] = Object.freeze(['PodDelete', 'NodeAdd', 'NodeAllocatableChange'] as const);

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

/** config.NodeResourcesFitArgs, defaulted. */
export interface NodeResourcesFitArgs {
  /** Extended resources the filter ignores. */
  readonly ignoredResources: readonly string[];
  /** Extended resource groups (the part before '/') the filter ignores. */
  readonly ignoredResourceGroups: readonly string[];
  readonly scoringStrategy: {
    readonly type: ScoringStrategyType;
    readonly resources: readonly ResourceSpec[];
    readonly requestedToCapacityRatio?: { readonly shape: readonly UtilizationShapePoint[] };
  };
}

const strategies: readonly ScoringStrategyType[] = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

function parseShape(obj: Readonly<Record<string, unknown>>): UtilizationShapePoint[] {
  const points = optionalObjectList(name, obj, 'shape') ?? [];
  if (points.length === 0) throw new Error(`${name}: scoringStrategy.requestedToCapacityRatio.shape: at least one point must be specified`);
  return points.map((p, i) => {
    const utilization = p['utilization'] ?? 0;
    const score = p['score'] ?? 0;
    if (typeof utilization !== 'number' || !Number.isInteger(utilization) || utilization < 0 || utilization > 100) {
      throw new Error(`${name}: shape[${i}].utilization: must be an integer in the range [0, 100]`);
    }
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10) {
      throw new Error(`${name}: shape[${i}].score: must be an integer in the range [0, 10]`);
    }
    const prev = points[i - 1]?.['utilization'];
    if (i > 0 && typeof prev === 'number' && utilization <= prev) throw new Error(`${name}: shape[${i}].utilization: values must be sorted in increasing order`);
    return { utilization, score };
  });
}

/** Checks and defaults NodeResourcesFitArgs (SetDefaults_NodeResourcesFitArgs + validation). */
export function parseArgs(args: unknown): NodeResourcesFitArgs {
  const obj = argsObject(name, args);
  const ignoredResources = optionalStringList(name, obj, 'ignoredResources') ?? [];
  const ignoredResourceGroups = optionalStringList(name, obj, 'ignoredResourceGroups') ?? [];
  for (const g of ignoredResourceGroups) if (g.includes('/')) throw new Error(`${name}: ignoredResourceGroups: resource group name can't contain '/': ${g}`);
  const ss = obj['scoringStrategy'];
  if (ss !== undefined && ss !== null && !isObject(ss)) throw new Error(`${name}: scoringStrategy must be an object`);
  const ssObj = isObject(ss) ? ss : {};
  const type = (optionalString(name, ssObj, 'type') ?? 'LeastAllocated') as ScoringStrategyType;
  if (!strategies.includes(type)) throw new Error(`${name}: scoringStrategy.type: Unsupported value: "${type}": supported values: ${strategies.join(', ')}`);
  const resources = resourceSpecs(name, ssObj, 'resources');
  if (type !== 'RequestedToCapacityRatio') return { ignoredResources, ignoredResourceGroups, scoringStrategy: { type, resources } };
  const rtcr = ssObj['requestedToCapacityRatio'];
  if (!isObject(rtcr)) throw new Error(`${name}: scoringStrategy.requestedToCapacityRatio is required for RequestedToCapacityRatio`);
  return { ignoredResources, ignoredResourceGroups, scoringStrategy: { type, resources, requestedToCapacityRatio: { shape: parseShape(rtcr) } } };
}

/** v1helper.IsExtendedResourceName: domain-prefixed, outside kubernetes.io, not a quota "requests." name. */
export function isExtendedResourceName(resource: string): boolean {
  if (!resource.includes('/') || resource.includes('kubernetes.io/')) return false;
  return !resource.startsWith('requests.');
}

/** noderesources.InsufficientResource. */
export interface InsufficientResource {
  readonly resourceName: string;
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
  /** The pod asks for more than the node's whole allocatable: preemption cannot help. */
  readonly unresolvable: boolean;
}

function isZero(r: Resources): boolean {
  if (r.milliCPU !== 0 || r.memory !== 0 || r.ephemeralStorage !== 0) return false;
  for (const _ in r.scalar) return false;
  return true;
}

/** Appends a shortfall to `out` (created on the first one), returning it. */
function shortfall(out: InsufficientResource[] | undefined, resourceName: string, requested: number, used: number, capacity: number): InsufficientResource[] {
  const r: InsufficientResource = { resourceName, reason: `Insufficient ${resourceName}`, requested, used, capacity, unresolvable: requested > capacity };
  (out ??= []).push(r);
  return out;
}

/** `out` with a shortfall added when a requested native resource exceeds what the node's row has left. */
function nativeShortfall(
  out: InsufficientResource[] | undefined,
  table: Float64Array,
  row: number,
  resourceName: string,
  request: number,
  allocatableColumn: number,
  requestedColumn: number,
): InsufficientResource[] | undefined {
  if (request <= 0) return out;
  const have = table[row + allocatableColumn]!;
  const taken = table[row + requestedColumn]!;
  return request > have - taken ? shortfall(out, resourceName, request, taken, have) : out;
}

/**
 * fitsRequest: what the node lacks for a pod requesting `podRequest`; empty when it fits. Returns
 * the shared empty list on success so the hot path allocates nothing.
 */
export function fitsRequest(
  podRequest: Resources,
  node: NodeInfo,
  ignoredResources: ReadonlySet<string> = noStrings,
  ignoredGroups: ReadonlySet<string> = noStrings,
): readonly InsufficientResource[] {
  let out: InsufficientResource[] | undefined;
  // The native numbers from the node's row (resourceRow.ts), the scalars from its Resources.
  const t = node.resourceTable;
  const row = node.resourceRow;
  const podCount = t[row + REQUESTED_PODS]!; // = node.pods.length, without touching the array
  const maxPods = t[row + ALLOCATABLE_PODS]!;
  if (podCount + 1 > maxPods) {
    out = [{ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: podCount, capacity: maxPods, unresolvable: false }];
  }
  if (isZero(podRequest)) return out ?? none;
  out = nativeShortfall(out, t, row, 'cpu', podRequest.milliCPU, ALLOCATABLE_MILLI_CPU, REQUESTED_MILLI_CPU);
  out = nativeShortfall(out, t, row, 'memory', podRequest.memory, ALLOCATABLE_MEMORY, REQUESTED_MEMORY);
  out = nativeShortfall(out, t, row, 'ephemeral-storage', podRequest.ephemeralStorage, ALLOCATABLE_EPHEMERAL_STORAGE, REQUESTED_EPHEMERAL_STORAGE);
  const alloc = node.allocatable;
  const used = node.requested;
  for (const rName in podRequest.scalar) {
    const rQuant = podRequest.scalar[rName]!;
    if (rQuant === 0) continue;
    if (isExtendedResourceName(rName)) {
      if (ignoredResources.has(rName)) continue;
      if (ignoredGroups.size > 0 && ignoredGroups.has(rName.split('/')[0]!)) continue;
    }
    const have = alloc.scalar[rName] ?? 0;
    const taken = used.scalar[rName] ?? 0;
    if (rQuant > have - taken) out = shortfall(out, rName, rQuant, taken, have);
  }
  return out ?? none;
}

const none: readonly InsufficientResource[] = Object.freeze([]);
const noStrings: ReadonlySet<string> = new Set();

/** noderesources.Fits: what `node` lacks for `pod` (no ignored resources). */
export function fits(pod: Pod, node: NodeInfo): readonly InsufficientResource[] {
  return fitsRequest(computePodRequests(pod), node);
}

function scorerFor(args: NodeResourcesFitArgs): ResourceScorer {
  const { type, resources, requestedToCapacityRatio } = args.scoringStrategy;
  switch (type) {
    case 'LeastAllocated':
      return leastAllocatedScorer(resources);
    case 'MostAllocated':
      return mostAllocatedScorer(resources);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatioScorer(resources, requestedToCapacityRatio?.shape ?? []);
  }
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;
  private readonly ignoredResources: ReadonlySet<string>;
  private readonly ignoredResourceGroups: ReadonlySet<string>;
  private readonly scorer: ResourceAllocationScorer;

  constructor(args: NodeResourcesFitArgs = parseArgs(undefined)) {
    this.ignoredResources = new Set(args.ignoredResources);
    this.ignoredResourceGroups = new Set(args.ignoredResourceGroups);
    this.scorer = new ResourceAllocationScorer(args.scoringStrategy.resources, scorerFor(args), false);
  }

  preFilter(state: CycleState, pod: Pod): { status: Status; result?: PreFilterResult } {
    state.write(preFilterStateKey, computePodRequests(pod));
    return { status: success };
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Status {
    const podRequest = state.read<Resources>(preFilterStateKey) ?? computePodRequests(pod);
    const insufficient = fitsRequest(podRequest, node, this.ignoredResources, this.ignoredResourceGroups);
    if (insufficient.length === 0) return success;
    const reasons = insufficient.map((r) => r.reason);
    // A request larger than the whole node cannot be met by evicting pods.
    return insufficient.some((r) => r.unresolvable) ? unresolvable(...reasons) : unschedulable(...reasons);
  }

  preScore(state: CycleState, pod: Pod): Status {
    state.write(preScoreStateKey, this.scorer.podRequests(pod));
    return success;
  }

  score(state: CycleState, pod: Pod, node: NodeInfo): number {
    const podRequests = state.read<number[]>(preScoreStateKey) ?? this.scorer.podRequests(pod);
    return this.scorer.score(node, podRequests);
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

export const factory: PluginFactory = (args) => new NodeResourcesFit(parseArgs(args));
