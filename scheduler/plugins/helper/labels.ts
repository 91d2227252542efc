/**
 * Label matching for the plugins' hot paths: a plain loop over compiled requirements, without the
 * closures of api/labels' `matches`, with Kubernetes' semantics (labels.Requirement.Matches).
 */
import type { Requirement } from '../../../api/labels/selector';

export type Labels = Readonly<Record<string, string>> | undefined;

const hasOwn = Object.prototype.hasOwnProperty;

/** The value of `key` in `labels`, or undefined when absent (own properties only). */
export function labelValue(labels: Labels, key: string): string | undefined {
  return labels !== undefined && hasOwn.call(labels, key) ? labels[key] : undefined;
}

const integer = /^-?\d+$/;

/** labels.Requirement.Matches. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const value = labelValue(labels, r.key);
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !integer.test(value)) return false;
      const have = Number(value);
      const want = Number(r.values[0]);
      return r.operator === 'Gt' ? have > want : have < want;
    }
  }
}

/** All requirements match (the empty list matches everything). */
export function requirementsMatch(reqs: readonly Requirement[], labels: Labels): boolean {
  for (let i = 0; i < reqs.length; i++) if (!requirementMatches(reqs[i]!, labels)) return false;
  return true;
}

/** A compiled selector: null selects nothing, [] everything. */
export function compiledMatches(selector: readonly Requirement[] | null, labels: Labels): boolean {
  return selector !== null && requirementsMatch(selector, labels);
}
