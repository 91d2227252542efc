/**
 * Node selectors compiled once per pod, as component-helpers' nodeaffinity package does: the
 * pod's required node affinity (nodeSelector AND requiredDuringScheduling terms), node selector
 * terms (matchExpressions on labels, matchFields on metadata.name) and weighted preferred terms.
 *
 * Semantics kept from Kubernetes: terms are ORed and a term's requirements ANDed; an empty term and
 * an empty term list match nothing; a term that does not parse (unknown operator, wrong number of
 * values, a non-integer for Gt/Lt, a field operator other than In/NotIn) never matches.
 */
import type { Node } from '../../../api/kinds/core/node';
import type { Pod } from '../../../api/kinds/core/pod';
import type { NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from '../../../api/kinds/core/affinity';
import type { Operator, Requirement } from '../../../api/labels/selector';
import { labelValue, requirementsMatch, type Labels } from './labels';

/** The one node field a selector term can name. */
export const OBJECT_NAME_FIELD = 'metadata.name';

interface FieldRequirement {
  readonly key: string;
  readonly value: string;
  /** In (==) when true, NotIn (!=) when false. */
  readonly equal: boolean;
}

/** A parsed NodeSelectorTerm; `error` is set when it does not parse (and then never matches). */
export interface CompiledTerm {
  /** null: the term has no matchExpressions (labels are not checked). */
  readonly labels: readonly Requirement[] | null;
  /** null: the term has no matchFields. */
  readonly fields: readonly FieldRequirement[] | null;
  readonly error?: string;
}

const labelOperators: ReadonlySet<string> = new Set<Operator>(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
const integer = /^-?\d+$/;

function isEmptyTerm(term: NodeSelectorTerm | undefined): boolean {
  return !term || ((term.matchExpressions ?? []).length === 0 && (term.matchFields ?? []).length === 0);
}

/** labels.NewRequirement's checks on operator and values. */
function labelRequirement(expr: NodeSelectorRequirement): Requirement | string {
  const values = expr.values ?? [];
  if (!labelOperators.has(expr.operator)) return `${expr.operator}: not a valid selector operator`;
  const op = expr.operator as Operator;
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return 'for \'in\', \'notin\' operators, values set can\'t be empty';
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return 'values set must be empty for exists and does not exist';
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) return 'for \'Gt\', \'Lt\' operators, exactly one value is required';
      if (!integer.test(values[0]!)) return 'for \'Gt\', \'Lt\' operators, the value must be an integer';
      break;
  }
  return { key: expr.key, operator: op, values };
}

/** Compiles one NodeSelectorTerm (nodeSelectorRequirementsAsSelector / AsFieldSelector). */
export function compileTerm(term: NodeSelectorTerm): CompiledTerm {
  const errors: string[] = [];
  let labels: Requirement[] | null = null;
  let fields: FieldRequirement[] | null = null;
  if ((term.matchExpressions ?? []).length > 0) {
    labels = [];
    for (const expr of term.matchExpressions!) {
      const r = labelRequirement(expr);
      if (typeof r === 'string') errors.push(r);
      else labels.push(r);
    }
  }
  if ((term.matchFields ?? []).length > 0) {
    fields = [];
    for (const expr of term.matchFields!) {
      const values = expr.values ?? [];
      if (expr.operator !== 'In' && expr.operator !== 'NotIn') errors.push(`${expr.operator}: not a valid node field selector operator`);
      else if (values.length !== 1) errors.push(`${expr.key}: must have one element`);
      else fields.push({ key: expr.key, value: values[0]!, equal: expr.operator === 'In' });
    }
  }
  return errors.length ? { labels: null, fields: null, error: errors.join('; ') } : { labels, fields };
}

function fieldValue(node: Node, key: string): string {
  return key === OBJECT_NAME_FIELD ? node.metadata?.name ?? '' : '';
}

/** nodeSelectorTerm.match. */
export function termMatches(term: CompiledTerm, node: Node, labels: Labels): boolean {
  if (term.error !== undefined) return false;
  if (term.labels !== null && !requirementsMatch(term.labels, labels)) return false;
  if (term.fields !== null && node.metadata?.name) {
    for (const f of term.fields) if ((fieldValue(node, f.key) === f.value) !== f.equal) return false;
  }
  return true;
}

/** A NodeSelector: the ORed terms, empty ones dropped (they select nothing). */
export function compileNodeSelector(selector: NodeSelector): CompiledTerm[] {
  const out: CompiledTerm[] = [];
  for (const term of selector.nodeSelectorTerms ?? []) if (!isEmptyTerm(term)) out.push(compileTerm(term));
  return out;
}

export function nodeSelectorMatches(terms: readonly CompiledTerm[], node: Node): boolean {
  const labels = node.metadata?.labels;
  for (let i = 0; i < terms.length; i++) if (termMatches(terms[i]!, node, labels)) return true;
  return false;
}

/**
 * nodeaffinity.RequiredNodeAffinity: the pod's spec.nodeSelector (ANDed) and its required node
 * affinity terms (ORed).
 */
export interface RequiredNodeAffinity {
  /** spec.nodeSelector as [key, value] pairs; null when it is empty. */
  readonly nodeSelector: readonly (readonly [string, string])[] | null;
  /** null when the pod has no requiredDuringSchedulingIgnoredDuringExecution. */
  readonly terms: readonly CompiledTerm[] | null;
}

export function requiredNodeAffinity(pod: Pod): RequiredNodeAffinity {
  const sel = pod.spec?.nodeSelector;
  const entries = sel ? Object.entries(sel) : [];
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return { nodeSelector: entries.length ? entries : null, terms: required ? compileNodeSelector(required) : null };
}

/** RequiredNodeAffinity.Match (parse errors count as no match). */
export function requiredNodeAffinityMatches(required: RequiredNodeAffinity, node: Node): boolean {
  if (required.nodeSelector !== null) {
    const labels = node.metadata?.labels;
    const sel = required.nodeSelector;
    // Indexed, not destructured: this runs per node on the Filter hot path.
    for (let i = 0; i < sel.length; i++) if (labelValue(labels, sel[i]![0]) !== sel[i]![1]) return false;
  }
  return required.terms === null || nodeSelectorMatches(required.terms, node);
}

export interface WeightedTerm {
  readonly term: CompiledTerm;
  readonly weight: number;
}

/**
 * nodeaffinity.NewPreferredSchedulingTerms: terms of weight 0 and empty terms are dropped. Returns
 * the parse error of the first term that does not parse, as Kubernetes does.
 */
export function compilePreferredTerms(terms: readonly PreferredSchedulingTerm[]): WeightedTerm[] | string {
  const out: WeightedTerm[] = [];
  for (const t of terms) {
    if (!t.weight || isEmptyTerm(t.preference)) continue;
    const term = compileTerm(t.preference);
    if (term.error !== undefined) return term.error;
    out.push({ term, weight: t.weight });
  }
  return out;
}

/** PreferredSchedulingTerms.Score: the sum of the weights of the terms the node matches. */
export function preferredTermsScore(terms: readonly WeightedTerm[], node: Node): number {
  const labels = node.metadata?.labels;
  let score = 0;
  for (const t of terms) if (termMatches(t.term, node, labels)) score += t.weight;
  return score;
}

/** A scheduler-enforced NodeAffinity (NodeAffinityArgs.addedAffinity), compiled. */
export interface AddedAffinity {
  readonly required: readonly CompiledTerm[] | null;
  readonly preferred: readonly WeightedTerm[] | null;
}

export function compileAddedAffinity(affinity: NodeAffinity | undefined): AddedAffinity {
  const required = affinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const preferred = affinity?.preferredDuringSchedulingIgnoredDuringExecution;
  let pref: WeightedTerm[] | null = null;
  if (preferred && preferred.length) {
    const compiled = compilePreferredTerms(preferred);
    if (typeof compiled === 'string') throw new Error(`addedAffinity: ${compiled}`);
    pref = compiled;
  }
  return { required: required ? compileNodeSelector(required) : null, preferred: pref };
}
