/**
 * Test helpers for the plugins (as Kubernetes' pkg/scheduler/testing): pod and node builders,
 * NodeInfo/Snapshot/Handle/CycleState built from plain objects, and drivers that run a plugin's
 * PreFilter+Filter or PreScore+Score+NormalizeScore over nodes like the framework does.
 */
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import type { Container } from '../../api/kinds/core/container';
import type { Taint } from '../../api/kinds/core/taint';
import type { Toleration } from '../../api/kinds/core/toleration';
import type { TopologySpreadConstraint } from '../../api/kinds/core/topologySpreadConstraint';
import type { PodAffinityTerm, WeightedPodAffinityTerm, NodeSelectorRequirement, PreferredSchedulingTerm } from '../../api/kinds/core/affinity';
import type { LabelSelector } from '../../api/kinds/meta';
import {
  isFilterPlugin,
  isPreFilterPlugin,
  isPreScorePlugin,
  isScorePlugin,
  nextImagesVersion,
  type CycleState,
  type Handle,
  type NodeInfo,
  type NodeScore,
  type Plugin,
  type Snapshot,
  type Status,
} from '../framework/interfaces';
import { NodeInfoImpl } from '../framework/nodeInfo';
import { newPodInfo } from '../framework/podInfo';

type Spec = NonNullable<Pod['spec']>;
type ResourceMap = Record<string, string | number>;

// ---- pods ----------------------------------------------------------------------------------------

export class PodBuilder {
  readonly pod: Pod & { spec: Spec; metadata: NonNullable<Pod['metadata']> };

  constructor(name: string, namespace = 'default') {
    this.pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: `uid-${namespace}-${name}` }, spec: { containers: [] } };
  }
  namespace(ns: string): this {
    this.pod.metadata.namespace = ns;
    return this;
  }
  uid(uid: string): this {
    this.pod.metadata.uid = uid;
    return this;
  }
  labels(labels: Record<string, string>): this {
    this.pod.metadata.labels = { ...this.pod.metadata.labels, ...labels };
    return this;
  }
  label(key: string, value: string): this {
    return this.labels({ [key]: value });
  }
  terminating(): this {
    this.pod.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    return this;
  }
  controller(kind: string, name: string, uid: string, apiVersion = 'apps/v1'): this {
    this.pod.metadata.ownerReferences = [{ apiVersion, kind, name, uid, controller: true }];
    return this;
  }
  node(name: string): this {
    this.pod.spec.nodeName = name;
    return this;
  }
  /** A container with these requests (an empty map: a container without requests). */
  req(requests: ResourceMap, image?: string): this {
    const c: Container = { name: `c${this.pod.spec.containers.length}`, image: image ?? 'busybox' };
    if (Object.keys(requests).length) c.resources = { requests };
    this.pod.spec.containers.push(c);
    return this;
  }
  container(image: string): this {
    this.pod.spec.containers.push({ name: `c${this.pod.spec.containers.length}`, image });
    return this;
  }
  initReq(requests: ResourceMap, sidecar = false): this {
    const c: Container = { name: `i${(this.pod.spec.initContainers ?? []).length}`, image: 'busybox', resources: { requests } };
    if (sidecar) c.restartPolicy = 'Always';
    (this.pod.spec.initContainers ??= []).push(c);
    return this;
  }
  initContainer(image: string): this {
    (this.pod.spec.initContainers ??= []).push({ name: `i${(this.pod.spec.initContainers ?? []).length}`, image });
    return this;
  }
  overhead(overhead: ResourceMap): this {
    this.pod.spec.overhead = overhead;
    return this;
  }
  hostPort(port: number, protocol = 'TCP', hostIP = ''): this {
    this.pod.spec.containers.push({
      name: `p${this.pod.spec.containers.length}`,
      image: 'busybox',
      ports: [{ containerPort: port, hostPort: port, protocol: protocol as 'TCP' | 'UDP' | 'SCTP', ...(hostIP ? { hostIP } : {}) }],
    });
    return this;
  }
  toleration(t: Toleration): this {
    (this.pod.spec.tolerations ??= []).push(t);
    return this;
  }
  nodeSelector(sel: Record<string, string>): this {
    this.pod.spec.nodeSelector = sel;
    return this;
  }
  private nodeAffinity(): NonNullable<NonNullable<Spec['affinity']>['nodeAffinity']> {
    const a = (this.pod.spec.affinity ??= {});
    return (a.nodeAffinity ??= {});
  }
  /** requiredDuringScheduling node affinity with these terms (each a list of label expressions). */
  nodeAffinityIn(key: string, values: string[]): this {
    return this.requiredNodeTerms([{ matchExpressions: [{ key, operator: 'In', values }] }]);
  }
  nodeAffinityNotIn(key: string, values: string[]): this {
    return this.requiredNodeTerms([{ matchExpressions: [{ key, operator: 'NotIn', values }] }]);
  }
  requiredNodeTerms(terms: { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }[]): this {
    this.nodeAffinity().requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: terms };
    return this;
  }
  preferredNodeTerms(terms: PreferredSchedulingTerm[]): this {
    this.nodeAffinity().preferredDuringSchedulingIgnoredDuringExecution = terms;
    return this;
  }
  podAffinity(term: PodAffinityTerm): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    return this;
  }
  podAntiAffinity(term: PodAffinityTerm): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    return this;
  }
  preferredPodAffinity(term: WeightedPodAffinityTerm): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    return this;
  }
  preferredPodAntiAffinity(term: WeightedPodAffinityTerm): this {
    const pa = ((this.pod.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push(term);
    return this;
  }
  /** A topology spread constraint with this label selector (undefined: none); `extra` sets the optional fields. */
  spread(maxSkew: number, topologyKey: string, when: 'DoNotSchedule' | 'ScheduleAnyway', selector: LabelSelector | undefined, extra: Partial<TopologySpreadConstraint> = {}): this {
    const c: TopologySpreadConstraint = { maxSkew, topologyKey, whenUnsatisfiable: when, ...extra };
    if (selector) c.labelSelector = selector;
    (this.pod.spec.topologySpreadConstraints ??= []).push(c);
    return this;
  }
  obj(): Pod {
    return this.pod;
  }
}

export function makePod(name: string, namespace = 'default'): PodBuilder {
  return new PodBuilder(name, namespace);
}

/** A label selector `key Exists` for each key (st.MakeLabelSelector().Exists(k)). */
export function exists(...keys: string[]): LabelSelector {
  return { matchExpressions: keys.map((key) => ({ key, operator: 'Exists' })) };
}

// ---- nodes ---------------------------------------------------------------------------------------

export class NodeBuilder {
  readonly node: Node & { metadata: NonNullable<Node['metadata']>; spec: NonNullable<Node['spec']>; status: NonNullable<Node['status']> };

  constructor(name: string) {
    this.node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: {} }, spec: {}, status: {} };
  }
  labels(labels: Record<string, string>): this {
    this.node.metadata.labels = { ...this.node.metadata.labels, ...labels };
    return this;
  }
  label(key: string, value: string): this {
    return this.labels({ [key]: value });
  }
  capacity(allocatable: ResourceMap): this {
    this.node.status.allocatable = allocatable;
    this.node.status.capacity = allocatable;
    return this;
  }
  taints(taints: Taint[]): this {
    this.node.spec.taints = taints;
    return this;
  }
  unschedulable(): this {
    this.node.spec.unschedulable = true;
    return this;
  }
  images(images: { names: string[]; sizeBytes: number }[]): this {
    this.node.status.images = images;
    return this;
  }
  obj(): Node {
    return this.node;
  }
}

export function makeNode(name: string): NodeBuilder {
  return new NodeBuilder(name);
}

// ---- framework objects ---------------------------------------------------------------------------

/** A NodeInfo for `node` with `pods` on it (their spec.nodeName is not consulted). */
export function makeNodeInfo(node: Node, pods: readonly Pod[] = [], generation = 1): NodeInfo {
  const info = new NodeInfoImpl(node);
  for (const pod of pods) info.addPod(newPodInfo(pod));
  info.generation = generation;
  return info;
}

/** NodeInfos for `nodes`, each with the pods whose spec.nodeName names it. */
export function nodeInfos(nodes: readonly Node[], pods: readonly Pod[] = []): NodeInfo[] {
  return nodes.map((n) => makeNodeInfo(n, pods.filter((p) => p.spec?.nodeName === n.metadata?.name)));
}

export function makeSnapshot(infos: readonly NodeInfo[]): Snapshot {
  const byName = new Map(infos.map((i) => [i.name, i]));
  const withAffinity = infos.filter((i) => i.podsWithAffinity.length > 0);
  const withAnti = infos.filter((i) => i.podsWithRequiredAntiAffinity.length > 0);
  const version = nextImagesVersion();
  return {
    list: () => infos,
    get: (name) => byName.get(name),
    havePodsWithAffinity: () => withAffinity,
    havePodsWithRequiredAntiAffinity: () => withAnti,
    imagesVersion: () => version,
  };
}

export function makeHandle(infos: readonly NodeInfo[], namespaces: Record<string, Record<string, string>> = {}): Handle {
  const snap = makeSnapshot(infos);
  return { snapshot: () => snap, namespaceLabels: (ns) => namespaces[ns] };
}

export function makeCycleState(): CycleState {
  const m = new Map<string, unknown>();
  return {
    read: <T>(key: string) => m.get(key) as T | undefined,
    write: (key, value) => void m.set(key, value),
  };
}

/** What a status says, compactly, for table tests: 'Success' or 'Code: reason; reason'. */
export function statusText(status: Status): string {
  return status.code === 'Success' || status.code === 'Skip' ? status.code : `${status.code}: ${status.reasons.join('; ')}`;
}

/**
 * Runs PreFilter once and Filter on each node, as the framework does: a Skip from PreFilter means
 * every node passes; a PreFilter rejection applies to every node; nodes outside a PreFilterResult
 * are reported as 'Excluded'. Returns node name → statusText(status).
 */
export function runFilter(plugin: Plugin, pod: Pod, infos: readonly NodeInfo[], state: CycleState = makeCycleState()): Record<string, string> {
  const out: Record<string, string> = {};
  let allowed: ReadonlySet<string> | undefined;
  if (isPreFilterPlugin(plugin)) {
    const { status, result } = plugin.preFilter(state, pod, infos);
    if (status.code === 'Skip') {
      for (const ni of infos) out[ni.name] = 'Success';
      return out;
    }
    if (status.code !== 'Success') {
      for (const ni of infos) out[ni.name] = statusText(status);
      return out;
    }
    allowed = result?.nodeNames;
  }
  if (!isFilterPlugin(plugin)) throw new Error(`${plugin.name} is not a filter plugin`);
  for (const ni of infos) out[ni.name] = allowed && !allowed.has(ni.name) ? 'Excluded' : statusText(plugin.filter(state, pod, ni));
  return out;
}

/** Filter on one node after PreFilter over `all` (defaults to just that node). */
export function filterOne(plugin: Plugin, pod: Pod, info: NodeInfo, all: readonly NodeInfo[] = [info]): string {
  return runFilter(plugin, pod, all)[info.name] ?? 'Excluded';
}

/**
 * Runs PreScore on `filtered` (default: all), Score on each and NormalizeScore; a Skip from
 * PreScore scores every node 0, as the framework does. Returns the final scores in node order.
 */
export function runScore(plugin: Plugin, pod: Pod, infos: readonly NodeInfo[], filtered: readonly NodeInfo[] = infos, state: CycleState = makeCycleState()): NodeScore[] {
  if (!isScorePlugin(plugin)) throw new Error(`${plugin.name} is not a score plugin`);
  if (isPreScorePlugin(plugin)) {
    const status = plugin.preScore(state, pod, filtered);
    if (status.code === 'Skip') return filtered.map((ni) => ({ name: ni.name, score: 0 }));
    if (status.code !== 'Success') throw new Error(`PreScore: ${statusText(status)}`);
  }
  const scores: NodeScore[] = filtered.map((ni) => ({ name: ni.name, score: plugin.score(state, pod, ni) }));
  plugin.normalizeScore?.(state, pod, scores);
  return scores;
}

/** runScore as a name → score map. */
export function scoreMap(plugin: Plugin, pod: Pod, infos: readonly NodeInfo[], filtered: readonly NodeInfo[] = infos): Record<string, number> {
  return Object.fromEntries(runScore(plugin, pod, infos, filtered).map((s) => [s.name, s.score]));
}
