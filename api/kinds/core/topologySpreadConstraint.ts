/**
 * core/v1 TopologySpreadConstraint: how a pod's group spreads across topology domains; validation
 * as Kubernetes' validateTopologySpreadConstraints (v1.32).
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import * as s from '../../schema/schema';
import { validateLabelSelector } from '../../validation/labelSelector';
import { isQualifiedName } from '../../validation/names';
import { LabelSelector } from '../meta';

export const whenUnsatisfiableActions = ['DoNotSchedule', 'ScheduleAnyway'] as const;
export const nodeInclusionPolicies = ['Honor', 'Ignore'] as const;

export const TopologySpreadConstraint = s.object(
  'io.k8s.api.core.v1.TopologySpreadConstraint',
  'TopologySpreadConstraint specifies how to spread matching pods among the given topology.',
  {
    labelSelector: LabelSelector.doc(
      'LabelSelector is used to find matching pods. Pods that match this label selector are counted to determine the number of pods in their corresponding topology domain.',
    ),
    matchLabelKeys: s.array(
      s.string(),
      'MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated; their values from the incoming pod are ANDed with labelSelector. The same key is forbidden to exist in both MatchLabelKeys and LabelSelector, and MatchLabelKeys cannot be set when LabelSelector isn\'t set.',
      { listType: 'atomic' },
    ),
    maxSkew: s.int32(
      'MaxSkew describes the degree to which pods may be unevenly distributed: with DoNotSchedule it is the maximum permitted difference between the number of matching pods in the target topology and the global minimum. It\'s a required field; default value is 1 and 0 is not allowed.',
    ),
    minDomains: s.int32(
      'MinDomains indicates a minimum number of eligible domains. When fewer eligible domains exist, the global minimum is treated as 0. When value is not nil, WhenUnsatisfiable must be DoNotSchedule.',
    ),
    nodeAffinityPolicy: s.enumOf(
      nodeInclusionPolicies,
      "NodeAffinityPolicy indicates how we will treat Pod's nodeAffinity/nodeSelector when calculating pod topology spread skew: Honor (only matching nodes are included) or Ignore (all nodes are included). If nil, Honor.",
    ),
    nodeTaintsPolicy: s.enumOf(
      nodeInclusionPolicies,
      'NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew: Honor (untainted nodes and tolerated tainted nodes are included) or Ignore (all nodes are included). If nil, Ignore.',
    ),
    topologyKey: s.string(
      'TopologyKey is the key of node labels. Nodes that have a label with this key and identical values are considered to be in the same topology. It\'s a required field.',
    ),
    whenUnsatisfiable: s.enumOf(
      whenUnsatisfiableActions,
      "WhenUnsatisfiable indicates how to deal with a pod if it doesn't satisfy the spread constraint: DoNotSchedule (default) tells the scheduler not to schedule it; ScheduleAnyway schedules it anywhere, preferring topologies that reduce the skew.",
    ),
  },
  { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
);
export type TopologySpreadConstraint = s.Static<typeof TopologySpreadConstraint>;

function validateMatchLabelKeys(keys: readonly string[], selector: TopologySpreadConstraint['labelSelector'], path: FieldPath): FieldError[] {
  if (keys.length === 0) return [];
  const errs: FieldError[] = [];
  const selectorKeys = new Set<string>();
  if (selector) {
    for (const k of Object.keys(selector.matchLabels ?? {})) selectorKeys.add(k);
    for (const req of selector.matchExpressions ?? []) selectorKeys.add(req.key);
  } else {
    errs.push(field.forbidden(path, 'must not be specified when labelSelector is not set'));
  }
  keys.forEach((key, i) => {
    for (const msg of isQualifiedName(key)) errs.push(field.invalid(index(path, i), key, msg));
    if (selectorKeys.has(key)) errs.push(field.invalid(index(path, i), key, 'exists in both matchLabelKeys and labelSelector'));
  });
  return errs;
}

export function validateTopologySpreadConstraints(constraints: TopologySpreadConstraint[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = constraints ?? [];
  list.forEach((c, i) => {
    const at = index(path, i);
    if (c.maxSkew <= 0) errs.push(field.invalid(child(at, 'maxSkew'), c.maxSkew, 'must be greater than zero'));
    if (c.topologyKey === '') errs.push(field.required(child(at, 'topologyKey'), 'can not be empty'));
    if (!(whenUnsatisfiableActions as readonly string[]).includes(c.whenUnsatisfiable)) {
      errs.push(field.notSupported(child(at, 'whenUnsatisfiable'), c.whenUnsatisfiable, whenUnsatisfiableActions));
    }
    // The tuple {topologyKey, whenUnsatisfiable} identifies a constraint.
    if (list.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(field.duplicate(child(at, '{topologyKey, whenUnsatisfiable}'), `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    }
    if (c.minDomains !== undefined) {
      if (c.minDomains <= 0) errs.push(field.invalid(child(at, 'minDomains'), c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(field.invalid(child(at, 'minDomains'), c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
      }
    }
    errs.push(...validateMatchLabelKeys(c.matchLabelKeys ?? [], c.labelSelector, child(at, 'matchLabelKeys')));
    errs.push(...validateLabelSelector(c.labelSelector, child(at, 'labelSelector')));
  });
  return errs;
}
