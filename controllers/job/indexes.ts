/**
 * Completion indexes of Indexed Jobs (Kubernetes' indexed_job_utils.go): the index a pod carries
 * in its `batch.kubernetes.io/job-completion-index` annotation, sets of indexes as ordered
 * intervals and their text form in `.status.completedIndexes` ("1,3-5,7"), and which indexes
 * still need a pod.
 */

export const completionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const completionIndexEnvName = 'JOB_COMPLETION_INDEX';
/** A pod without a (valid) completion index. */
export const unknownCompletionIndex = -1;
/** Kubernetes' names.MaxGeneratedNameLength: 63 minus the 5 random characters. */
const maxGeneratedNameLength = 58;

export interface Interval {
  readonly first: number;
  readonly last: number;
}

/** Disjoint, non-adjacent intervals in increasing order. */
export type OrderedIntervals = readonly Interval[];

/** The completion index in a pod's annotations, or unknownCompletionIndex. */
export function getCompletionIndex(annotations: Readonly<Record<string, string>> | undefined): number {
  const v = annotations?.[completionIndexAnnotation];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return unknownCompletionIndex;
  const i = Number(v);
  return Number.isSafeInteger(i) && i >= 0 ? i : unknownCompletionIndex;
}

/** The intervals with `newIndexes` (increasing) added, merged where they touch. */
export function withOrderedIndexes(intervals: OrderedIntervals, newIndexes: readonly number[]): Interval[] {
  const result: { first: number; last: number }[] = [];
  const append = (iv: Interval) => {
    const last = result[result.length - 1];
    if (!last || iv.first > last.last + 1) result.push({ first: iv.first, last: iv.last });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < intervals.length && j < newIndexes.length) {
    if (intervals[i]!.first < newIndexes[j]!) append(intervals[i++]!);
    else {
      append({ first: newIndexes[j]!, last: newIndexes[j]! });
      j++;
    }
  }
  while (i < intervals.length) append(intervals[i++]!);
  while (j < newIndexes.length) {
    append({ first: newIndexes[j]!, last: newIndexes[j]! });
    j++;
  }
  return result;
}

/** How many indexes the intervals hold. */
export function totalIndexes(intervals: OrderedIntervals): number {
  return intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

/** Whether `ix` is in one of the intervals. */
export function hasIndex(intervals: OrderedIntervals, ix: number): boolean {
  let lo = 0;
  let hi = intervals.length;
  while (hi > lo) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (intervals[mid]!.last >= ix) hi = mid;
    else lo = mid + 1;
  }
  return hi < intervals.length && intervals[hi]!.first <= ix;
}

/** The text form: "1,3-5,7" (two adjacent indexes are written "3,4", as Kubernetes does). */
export function formatIntervals(intervals: OrderedIntervals): string {
  const parts: string[] = [];
  for (const iv of intervals) {
    if (iv.last === iv.first) parts.push(String(iv.first));
    else if (iv.last === iv.first + 1) parts.push(`${iv.first},${iv.last}`);
    else parts.push(`${iv.first}-${iv.last}`);
  }
  return parts.join(',');
}

/**
 * Parses `.status.completedIndexes`, keeping only indexes below `completions`; corrupted parts
 * are skipped, as Kubernetes does.
 */
export function parseIntervals(text: string | undefined, completions: number): Interval[] {
  if (!text) return [];
  const result: { first: number; last: number }[] = [];
  for (const part of text.split(',')) {
    const limits = part.split('-');
    const first = parseInteger(limits[0]!);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const parsed = parseInteger(limits[1]!);
      if (parsed === undefined) continue;
      last = Math.min(parsed, completions - 1);
    }
    const prev = result[result.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else result.push({ first, last });
  }
  return result;
}

function parseInteger(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s.trim())) return undefined;
  const n = Number(s.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The first `count` indexes below `completions` that neither succeeded nor have an active pod
 * (`activeIndexes`).
 */
export function firstPendingIndexes(activeIndexes: readonly number[], succeeded: OrderedIntervals, count: number, completions: number): number[] {
  if (count <= 0) return [];
  const active = [...new Set(activeIndexes.filter((ix) => ix !== unknownCompletionIndex))].sort((a, b) => a - b);
  const nonPending = withOrderedIndexes(succeeded, active);
  const result: number[] = [];
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/** generateName of the pods of one index: `<job>-<index>-`, the job name cut to fit. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > maxGeneratedNameLength ? jobName.slice(0, maxGeneratedNameLength - suffix.length) + suffix : prefix;
}

/**
 * A success policy (Kubernetes' success_policy.go): the first rule whose succeededIndexes (and
 * succeededCount) or succeededCount alone is met; its message, or undefined.
 */
export function matchSuccessPolicy(
  rules: readonly { readonly succeededIndexes?: string; readonly succeededCount?: number }[] | undefined,
  completions: number,
  succeeded: OrderedIntervals,
): string | undefined {
  if (!rules || succeeded.length === 0) return undefined;
  for (const [index, rule] of rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseIntervals(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      if (matchSucceededIndexesRule(required, succeeded, rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

function matchSucceededIndexesRule(rule: OrderedIntervals, succeeded: OrderedIntervals, succeededCount: number | undefined): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  while (r < rule.length && s < succeeded.length) {
    const overlap = Math.min(rule[r]!.last, succeeded[s]!.last) - Math.max(rule[r]!.first, succeeded[s]!.first) + 1;
    if (overlap > 0) contains += overlap;
    if (succeeded[s]!.last < rule[r]!.last) s++;
    else if (succeeded[s]!.last > rule[r]!.last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === totalIndexes(rule) || (succeededCount !== undefined && contains >= succeededCount);
}
