/**
 * The pieces of PodTopologySpread shared by its Filter and Score halves (podtopologyspread/
 * common.go): constraints compiled once per pod, the node inclusion policies, counting matching
 * pods on a node, and the "critical paths" (the two least loaded domains) the Filter reads its
 * global minimum from.
 */
import type { Pod } from '../../../api/kinds/core/pod';
import type { TopologySpreadConstraint } from '../../../api/kinds/core/topologySpreadConstraint';
import type { Requirement } from '../../../api/labels/selector';
import type { CompiledSelector, PodInfo } from '../../framework/interfaces';
import { compileSelector } from '../../framework/podInfo';
import { compiledMatches, labelValue, type Labels } from './labels';
import { requiredNodeAffinityMatches, type RequiredNodeAffinity } from './nodeAffinity';
import { findUntoleratedTaint, isDoNotScheduleTaint } from './taints';
import type { Node } from '../../../api/kinds/core/node';

/** v1.LabelHostname: constraints on it are counted per node at Score time. */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';

/** topologySpreadConstraint: a pod's constraint with defaults applied and its selector compiled. */
export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  /** labelSelector with matchLabelKeys merged in; null (no labelSelector) selects no pod. */
  readonly selector: CompiledSelector;
  /** 1 when unset. */
  readonly minDomains: number;
  /** Honor (default): only nodes matching the pod's nodeSelector/required node affinity count. */
  readonly nodeAffinityPolicy: 'Honor' | 'Ignore';
  /** Ignore (default); Honor: only nodes whose NoSchedule/NoExecute taints the pod tolerates count. */
  readonly nodeTaintsPolicy: 'Honor' | 'Ignore';
}

/**
 * filterTopologySpreadConstraints: the pod's constraints with this whenUnsatisfiable, compiled.
 * matchLabelKeys become `key In (pod's value)` requirements (keys the pod lacks are ignored), as
 * Kubernetes' scheduler does when the API server has not merged them into the selector.
 */
export function compileConstraints(pod: Pod, action: WhenUnsatisfiable): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  const podLabels = pod.metadata?.labels ?? {};
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if ((c.whenUnsatisfiable ?? 'DoNotSchedule') !== action) continue;
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: withMatchLabelKeys(compileSelector(c.labelSelector), c, podLabels),
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

function withMatchLabelKeys(selector: CompiledSelector, c: TopologySpreadConstraint, podLabels: Readonly<Record<string, string>>): CompiledSelector {
  const keys = c.matchLabelKeys ?? [];
  if (selector === null || keys.length === 0) return selector;
  const extra: Requirement[] = [];
  for (const key of keys) {
    const value = labelValue(podLabels, key);
    if (value !== undefined) extra.push({ key, operator: 'In', values: [value] });
  }
  return extra.length ? [...selector, ...extra] : selector;
}

/** nodeLabelsMatchSpreadConstraints: the node has every constraint's topology key. */
export function nodeHasAllTopologyKeys(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  for (let i = 0; i < constraints.length; i++) if (labelValue(labels, constraints[i]!.topologyKey) === undefined) return false;
  return true;
}

/** topologySpreadConstraint.matchNodeInclusionPolicies: whether `node` counts for `c` at all. */
export function nodeIncluded(c: SpreadConstraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !requiredNodeAffinityMatches(required, node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint) !== undefined) return false;
  return true;
}

/** Whether a pod counts for a constraint's selector (a selector without requirements counts none, as labels.Selector.Empty()). */
export function podCounts(selector: CompiledSelector, pod: Pod, namespace: string): boolean {
  if (selector === null || selector.length === 0) return false;
  if (pod.metadata?.deletionTimestamp || (pod.metadata?.namespace ?? 'default') !== namespace) return false;
  return compiledMatches(selector, pod.metadata?.labels);
}

/** countPodsMatchSelector: pods in `namespace`, not terminating, that the selector selects. */
export function countMatchingPods(pods: readonly PodInfo[], selector: CompiledSelector, namespace: string): number {
  if (selector === null || selector.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < pods.length; i++) if (podCounts(selector, pods[i]!.pod, namespace)) n++;
  return n;
}

/**
 * criticalPaths: the two domains with the fewest matching pods, kept up to date as counts change
 * one domain at a time (preemption's add/remove), so the minimum is read in O(1). paths[0] is
 * the minimum; a count of MAX_INT32 means "no domain yet".
 */
export class CriticalPaths {
  private static readonly NONE = 2 ** 31 - 1;
  value0 = '';
  num0 = CriticalPaths.NONE;
  value1 = '';
  num1 = CriticalPaths.NONE;

  get min(): number {
    return this.num0;
  }

  update(value: string, num: number): void {
    if (value === this.value0 || value === this.value1) {
      if (value === this.value0) this.num0 = num;
      else this.num1 = num;
      if (this.num0 > this.num1) this.swap();
    } else if (num < this.num0) {
      this.value1 = this.value0;
      this.num1 = this.num0;
      this.value0 = value;
      this.num0 = num;
    } else if (num < this.num1) {
      this.value1 = value;
      this.num1 = num;
    }
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.value0 = this.value0;
    c.num0 = this.num0;
    c.value1 = this.value1;
    c.num1 = this.num1;
    return c;
  }

  private swap(): void {
    const v = this.value0;
    const n = this.num0;
    this.value0 = this.value1;
    this.num0 = this.num1;
    this.value1 = v;
    this.num1 = n;
  }
}
