/**
 * The resource allocation scorer NodeResourcesFit and NodeResourcesBalancedAllocation share
 * (noderesources/resource_allocation.go): per configured resource, the node's allocatable and what
 * would be requested with the pod on it, fed to a strategy's scorer.
 *
 * With `useRequested` false (NodeResourcesFit) cpu and memory count requests-less containers as
 * 100m / 200Mi, on the node (nonZeroRequested) and for the pod; BalancedAllocation uses the plain
 * requests. A scalar (extended) resource the pod does not request is left out of the score.
 */
import type { Pod } from '../../../api/kinds/core/pod';
import type { NodeInfo, Resources } from '../../framework/interfaces';
import { computePodRequests, isScalarResourceName } from '../../framework/resources';
import {
  ALLOCATABLE_EPHEMERAL_STORAGE,
  ALLOCATABLE_MEMORY,
  ALLOCATABLE_MILLI_CPU,
  NON_ZERO_MEMORY,
  NON_ZERO_MILLI_CPU,
  REQUESTED_EPHEMERAL_STORAGE,
  REQUESTED_MEMORY,
  REQUESTED_MILLI_CPU,
} from '../../framework/resourceRow';
import type { ResourceSpec } from './args';

/** A strategy: (requested, allocatable) per resource (allocatable 0: resource left out) → 0..100. */
export type ResourceScorer = (requested: Float64Array, allocatable: Float64Array) => number;

/** Where a configured resource is read from Resources (decided once per resource, not per node). */
const enum Source {
  Cpu,
  Memory,
  EphemeralStorage,
  Scalar,
  /** Neither native nor scalar: never scored. */
  None,
}

function sourceOf(resource: string): Source {
  switch (resource) {
    case 'cpu':
      return Source.Cpu;
    case 'memory':
      return Source.Memory;
    case 'ephemeral-storage':
      return Source.EphemeralStorage;
    default:
      return isScalarResourceName(resource) ? Source.Scalar : Source.None;
  }
}

function pick(r: Resources, resource: string): number {
  switch (sourceOf(resource)) {
    case Source.Cpu:
      return r.milliCPU;
    case Source.Memory:
      return r.memory;
    case Source.EphemeralStorage:
      return r.ephemeralStorage;
    case Source.Scalar:
      return r.scalar[resource] ?? 0;
    case Source.None:
      return 0;
  }
}

/** calculatePodResourceRequestList: the pod's request of each resource, in `resources` order. */
export function podRequestList(pod: Pod, resources: readonly ResourceSpec[], useRequested: boolean): number[] {
  const reqs = computePodRequests(pod, !useRequested);
  return resources.map((r) => pick(reqs, r.name));
}

/** Where a native resource's allocatable and requested are in a NodeInfo's row; undefined for the others. */
function rowColumns(source: Source, useRequested: boolean): { allocatable: number; requested: number } | undefined {
  switch (source) {
    case Source.Cpu:
      return { allocatable: ALLOCATABLE_MILLI_CPU, requested: useRequested ? REQUESTED_MILLI_CPU : NON_ZERO_MILLI_CPU };
    case Source.Memory:
      return { allocatable: ALLOCATABLE_MEMORY, requested: useRequested ? REQUESTED_MEMORY : NON_ZERO_MEMORY };
    case Source.EphemeralStorage:
      // Non-zero defaults exist for cpu and memory only.
      return { allocatable: ALLOCATABLE_EPHEMERAL_STORAGE, requested: REQUESTED_EPHEMERAL_STORAGE };
    default:
      return undefined;
  }
}

export class ResourceAllocationScorer {
  private readonly requested: Float64Array;
  private readonly allocatable: Float64Array;
  private readonly sources: readonly Source[];
  private readonly names: readonly string[];
  /** Per resource, its columns in a NodeInfo's row (resourceRow.ts); -1 for scalar resources. */
  private readonly allocatableColumns: Int32Array;
  private readonly requestedColumns: Int32Array;

  constructor(
    readonly resources: readonly ResourceSpec[],
    private readonly scorer: ResourceScorer,
    private readonly useRequested: boolean,
  ) {
    this.requested = new Float64Array(resources.length);
    this.allocatable = new Float64Array(resources.length);
    this.sources = resources.map((r) => sourceOf(r.name));
    this.names = resources.map((r) => r.name);
    const columns = this.sources.map((s) => rowColumns(s, useRequested));
    this.allocatableColumns = Int32Array.from(columns, (c) => c?.allocatable ?? -1);
    this.requestedColumns = Int32Array.from(columns, (c) => c?.requested ?? -1);
  }

  podRequests(pod: Pod): number[] {
    return podRequestList(pod, this.resources, this.useRequested);
  }

  /** resourceAllocationScorer.score, with the pod's requests from podRequests(). Runs per node: allocation-free. */
  score(node: NodeInfo, podRequests: readonly number[]): number {
    const requested = this.requested;
    const allocatable = this.allocatable;
    const t = node.resourceTable;
    const row = node.resourceRow;
    for (let i = 0; i < this.sources.length; i++) {
      const podRequest = podRequests[i] ?? 0;
      let alloc = 0;
      let req = 0;
      const column = this.allocatableColumns[i]!;
      if (column >= 0) {
        alloc = t[row + column]!;
        req = t[row + this.requestedColumns[i]!]! + podRequest;
      } else if (this.sources[i] === Source.Scalar && podRequest !== 0) {
        // An extended resource the pod does not ask for is not scored.
        const name = this.names[i]!;
        alloc = node.allocatable.scalar[name] ?? 0;
        req = (node.requested.scalar[name] ?? 0) + podRequest;
      }
      if (alloc === 0) req = 0;
      allocatable[i] = alloc;
      requested[i] = req;
    }
    return this.scorer(requested, allocatable);
  }
}

// ---- strategies ----------------------------------------------------------------------------------

const MAX_NODE_SCORE = 100;

/** leastRequestedScore: the unused fraction of capacity, 0..100 (0 when over capacity). */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** mostRequestedScore: the used fraction of capacity, 0..100 (requests above capacity count as capacity). */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return Math.trunc((requested * MAX_NODE_SCORE) / capacity);
}

function weightedScorer(resources: readonly ResourceSpec[], perResource: (requested: number, capacity: number) => number): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += perResource(requested[i]!, allocatable[i]!) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

export function leastAllocatedScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedScorer(resources, leastRequestedScore);
}

export function mostAllocatedScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedScorer(resources, mostRequestedScore);
}

/** config.UtilizationShapePoint: utilization 0..100 → score 0..10. */
export interface UtilizationShapePoint {
  readonly utilization: number;
  readonly score: number;
}

/** config.MaxCustomPriorityScore: shape scores are 0..10, scaled to 0..100. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

/** helper.BuildBrokenLinearFunction: a piecewise linear function through the points (integer arithmetic). */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const a = shape[i - 1]!;
        const b = shape[i]!;
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

/** requestedToCapacityRatioScorer: the shape's score at each resource's utilisation, weighted. */
export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): ResourceScorer {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) }));
  const raw = brokenLinearFunction(scaled);
  const resourceScore = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return raw(MAX_UTILIZATION);
    return raw(Math.trunc((requested * MAX_UTILIZATION) / capacity));
  };
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      const s = resourceScore(requested[i]!, allocatable[i]!);
      if (s > 0) {
        nodeScore += s * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/**
 * balancedResourceScorer: 100 × (1 − the standard deviation of the requested fractions), each
 * fraction capped at 1; with two resources the deviation is |f1 − f2| / 2.
 */
export const balancedResourceScorer: ResourceScorer = (requested, allocatable) => {
  let n = 0;
  let total = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    if (n === 0) f0 = f;
    else if (n === 1) f1 = f;
    total += f;
    n++;
  }
  let std = 0;
  if (n === 2) {
    std = Math.abs((f0 - f1) / 2);
  } else if (n > 2) {
    const mean = total / n;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(requested[i]! / allocatable[i]!, 1);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
};
