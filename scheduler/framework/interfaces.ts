/**
 * The scheduling framework's extension points, modelled on kube-scheduler's framework
 * (pkg/scheduler/framework/interface.go). Plugins (scheduler/plugins/) implement these interfaces;
 * the runtime (scheduler/framework/runtime/) calls them for one pod at a time.
 *
 * Invariants plugins may rely on:
 * - A CycleState belongs to one pod's scheduling attempt; PreFilter runs once per attempt before any
 *   Filter call, so state it writes is computed once per pod, not per node.
 * - NodeInfo and Snapshot objects are read-only views; a plugin never mutates them.
 * - Filter may be called for thousands of nodes per pod; it should not allocate per call on the
 *   success path (return the shared `success` status).
 */
import type { Requirement } from '../../api/labels/selector';
import type { Pod } from '../../api/kinds/core/pod';
import type { Node } from '../../api/kinds/core/node';
import type { Taint } from '../../api/kinds/core/taint';
import type { PodDisruptionBudget } from '../../api/kinds/policy/podDisruptionBudget';

/** Per scheduling cycle scratch space shared by the plugins of one pod (keys are plugin-owned strings). */
export interface CycleState {
  read<T>(key: string): T | undefined;
  write(key: string, value: unknown): void;
}

// ---- status ------------------------------------------------------------------------------------

export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip';

/**
 * The outcome of one plugin call. `reasons` are the short texts that end up in the pod's
 * PodScheduled condition message ("Insufficient cpu"); `plugin` is set by the runtime.
 */
export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  readonly plugin?: string;
}

/** The one Success status; shared, so returning it allocates nothing. */
export const success: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as readonly string[] });

/** The node does not fit now, but preemption (removing pods) might help. */
export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

/** The node does not fit and removing pods would not help (taints, selectors, ...). */
export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

/** An internal error: the attempt fails and the pod is retried with backoff. */
export function error(message: string): Status {
  return { code: 'Error', reasons: [message] };
}

const skipStatus: Status = Object.freeze({ code: 'Skip', reasons: Object.freeze([]) as readonly string[] });

/** PreFilter/PreScore: the plugin has nothing to do for this pod; its Filter/Score calls are skipped. */
export function skip(): Status {
  return skipStatus;
}

export function isSuccess(status: Status): boolean {
  return status.code === 'Success';
}

/** Unschedulable or UnschedulableAndUnresolvable: a rejection rather than an error. */
export function isRejected(status: Status): boolean {
  return status.code === 'Unschedulable' || status.code === 'UnschedulableAndUnresolvable';
}

// ---- resources ---------------------------------------------------------------------------------

/** Quantities in canonical integer units: cpu in millicores, memory/storage in bytes, others in units. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** For a node's allocatable: pods allowed; for a node's requested: pods on it; for a pod: 1. */
  pods: number;
  /** Extended resources (example.com/gpu) in units, hugepages-* in bytes. */
  scalar: Record<string, number>;
}

// ---- pods and nodes ------------------------------------------------------------------------------

/**
 * A compiled label selector: the requirements are ANDed and `[]` selects everything; `null` selects
 * nothing (Kubernetes' labels.Nothing(), what a missing selector means in an affinity term).
 */
export type CompiledSelector = readonly Requirement[] | null;

/** framework.AffinityTerm: a PodAffinityTerm compiled once per pod. */
export interface AffinityTerm {
  /** Namespaces named by the term; the pod's own namespace when neither namespaces nor namespaceSelector is set. */
  readonly namespaces: ReadonlySet<string>;
  /** labelSelector with matchLabelKeys (In) and mismatchLabelKeys (NotIn) merged in; null: selects no pod. */
  readonly selector: CompiledSelector;
  /** The namespaceSelector; null when unset (only `namespaces` count), [] for {} (every namespace). */
  readonly namespaceSelector: CompiledSelector;
  readonly topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  readonly weight: number;
}

export interface PodInfo {
  readonly pod: Pod;
  /** The pod's effective requests: max(init containers), sum(containers), + overhead; pods: 1. */
  readonly requests: Resources;
  /** As `requests`, but cpu/memory a container does not request count as 100m / 200Mi (scoring). */
  readonly nonZeroRequests: Resources;
  readonly requiredAffinityTerms: readonly AffinityTerm[];
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[];
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[];
}

export interface HostPortInfo {
  readonly protocol: string;
  readonly hostIP: string;
  readonly port: number;
}

export interface NodeInfo {
  readonly node: Node;
  readonly name: string;
  /** Assumed and bound pods on the node. */
  readonly pods: readonly PodInfo[];
  readonly podsWithAffinity: readonly PodInfo[];
  readonly podsWithRequiredAntiAffinity: readonly PodInfo[];
  /** Sum of the pods' requests (pods: the number of pods). */
  readonly requested: Resources;
  /** As Kubernetes: cpu/memory not requested count as 100m / 200Mi. */
  readonly nonZeroRequested: Resources;
  readonly allocatable: Resources;
  /**
   * allocatable, requested and nonZeroRequested's native numbers at
   * `resourceTable[resourceRow + column]` (columns in resourceRow.ts): the filter and score loops
   * read them there, where a snapshot keeps every node's numbers side by side.
   */
  readonly resourceTable: Float64Array;
  readonly resourceRow: number;
  readonly usedPorts: readonly HostPortInfo[];
  /** Image name → size, from node.status.images (every name of an image). */
  readonly imageSizes: ReadonlyMap<string, number>;
  /**
   * The node's spec.taints and spec.unschedulable, kept beside the sums: filters read them for
   * every node of every cycle, and the Node object itself is rarely in cache.
   */
  readonly taints: readonly Taint[];
  readonly unschedulable: boolean;
  /** Increases on every change of the node or its pods. */
  readonly generation: number;
}

/** An immutable view of the cluster for one scheduling cycle. */
export interface Snapshot {
  list(): readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  havePodsWithAffinity(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  /**
   * Changes whenever the list of nodes or any node's images change, and differs between
   * snapshots (nextImagesVersion): what is derived from all nodes' images holds while it stays.
   */
  imagesVersion(): number;
}

let imagesVersions = 0;

/** A new images version, never handed out before. */
export function nextImagesVersion(): number {
  return ++imagesVersions;
}

export interface Handle {
  snapshot(): Snapshot;
  /** The labels of a namespace (for namespaceSelector in affinity terms); undefined when unknown. */
  readonly namespaceLabels?: (ns: string) => Record<string, string> | undefined;
}

// ---- plugins -----------------------------------------------------------------------------------

export interface Plugin {
  readonly name: string;
}

export interface PreFilterResult {
  /** The only nodes worth filtering; undefined: all nodes. */
  readonly nodeNames?: ReadonlySet<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { status: Status; result?: PreFilterResult };
  /**
   * Optional: how to keep this plugin's PreFilter state right when the framework evaluates "what
   * if" a pod were added to or removed from a node (nominated pods; preemption's dry runs), as
   * Kubernetes' PreFilterExtensions. Plugins whose Filter reads only the NodeInfo need none.
   */
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

/**
 * Updates a plugin's PreFilter state in a CycleState for a pod added to / removed from `node`
 * (the NodeInfo already reflects the change). The framework calls these on a clone of the
 * CycleState, so state a plugin changes here must be cloneable (see StateData).
 */
export interface PreFilterExtensions {
  addPod(state: CycleState, pod: Pod, podInfoToAdd: PodInfo, node: NodeInfo): Status;
  removePod(state: CycleState, pod: Pod, podInfoToRemove: PodInfo, node: NodeInfo): Status;
}

/**
 * A CycleState value with a clone() is deep-copied when the framework clones the state (for
 * preemption's per-node dry runs); values without one are shared, so they must not be mutated
 * after PreFilter unless they implement clone().
 */
export interface StateData {
  clone(): StateData;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, node: NodeInfo): Status;
}

/** Node name → the status that rejected the pod there (absent: the node was not rejected). */
export type NodeStatuses = ReadonlyMap<string, Status>;

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, statuses: NodeStatuses): Promise<{ status: Status; nominatedNodeName?: string }>;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  readonly name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  /** 0..100 after normalisation. */
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  /** In place, to 0..100. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface BindPlugin extends Plugin {
  /** Skip: this binder does not handle the pod, the next one is asked. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

/** Which cluster changes can make a pod rejected by this plugin schedulable (queueing hints). */
export type ClusterEvent =
  | 'NodeAdd'
  | 'NodeUpdate'
  | 'NodeLabelChange'
  | 'NodeTaintChange'
  | 'NodeAllocatableChange'
  | 'NodeDelete'
  | 'PodAdd'
  | 'PodUpdate'
  | 'PodDelete'
  | 'PodLabelChange';

export interface EnqueueExtensions {
  events(): readonly ClusterEvent[];
}

/** Plugins are built from a registry by name with their args (from the config) and the handle. */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

// ---- type guards the runtime uses to sort plugins into extension points ------------------------

export function isPreFilterPlugin(p: Plugin): p is PreFilterPlugin {
  return typeof (p as Partial<PreFilterPlugin>).preFilter === 'function';
}
export function isFilterPlugin(p: Plugin): p is FilterPlugin {
  return typeof (p as Partial<FilterPlugin>).filter === 'function';
}
export function isPostFilterPlugin(p: Plugin): p is PostFilterPlugin {
  return typeof (p as Partial<PostFilterPlugin>).postFilter === 'function';
}
export function isPreScorePlugin(p: Plugin): p is PreScorePlugin {
  return typeof (p as Partial<PreScorePlugin>).preScore === 'function';
}
export function isScorePlugin(p: Plugin): p is ScorePlugin {
  return typeof (p as Partial<ScorePlugin>).score === 'function';
}
export function isReservePlugin(p: Plugin): p is ReservePlugin {
  return typeof (p as Partial<ReservePlugin>).reserve === 'function';
}
export function isBindPlugin(p: Plugin): p is BindPlugin {
  return typeof (p as Partial<BindPlugin>).bind === 'function';
}
export function isEnqueueExtensions(p: Plugin): p is Plugin & EnqueueExtensions {
  return typeof (p as Partial<EnqueueExtensions>).events === 'function';
}

// ---- what the runtime offers plugins beyond Handle (preemption, binding) ----------------------

/** The API calls plugins may make (the scheduler's client; fakes in unit tests). */
export interface SchedulerApi {
  /** POST pods/NAME/binding to `nodeName`. */
  bind(pod: Pod, nodeName: string): Promise<void>;
  /** DELETE the pod (a preemption victim); a pod already gone is not an error. */
  deletePod(pod: Pod): Promise<void>;
  /** Clears status.nominatedNodeName of a pod that was nominated (preemption of a nominee). */
  clearNominatedNodeName(pod: Pod): Promise<void>;
}

/**
 * The Handle the runtime gives plugins (framework.Handle): besides the snapshot, running the
 * profile's Filter plugins for "what if" evaluations (preemption's dry runs), the nominator's
 * pods, PodDisruptionBudgets and the API.
 */
export interface FrameworkHandle extends Handle {
  readonly api: SchedulerApi;
  /** Runs every Filter plugin of the profile on `node` (pods nominated there counted, as Kubernetes). */
  runFilterPlugins(state: CycleState, pod: Pod, node: NodeInfo): Status;
  /** Runs the PreFilterExtensions of the profile's PreFilter plugins (see PreFilterExtensions). */
  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, podInfoToAdd: PodInfo, node: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, podInfoToRemove: PodInfo, node: NodeInfo): Status;
  /** A deep copy of a CycleState (see StateData). */
  cloneCycleState(state: CycleState): CycleState;
  /** Pods nominated to the node and not yet bound. */
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
  /** PodDisruptionBudgets of the cluster (empty when not watched). */
  podDisruptionBudgets(): readonly PodDisruptionBudget[];
}

export function isFrameworkHandle(h: Handle): h is FrameworkHandle {
  return typeof (h as Partial<FrameworkHandle>).runFilterPlugins === 'function';
}
