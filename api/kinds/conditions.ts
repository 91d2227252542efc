/**
 * status.conditions helpers, as apimachinery's meta.SetStatusCondition and FindStatusCondition:
 * a list of metav1.Condition keyed by type, where lastTransitionTime moves only when a
 * condition's status changes (so it says since when the condition holds, not when it was last
 * written). Pure: they return new lists and never change their arguments.
 */
import type { Condition } from './meta';

/** The condition of `type`, if present. */
export function findStatusCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * `conditions` with `next` set in place of the condition of its type (appended when absent). Its
 * lastTransitionTime is `now` when the status changed (or the condition is new), else the
 * previous one.
 */
export function setStatusCondition(conditions: readonly Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime'>, now: Date): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const existing = i >= 0 ? list[i] : undefined;
  const lastTransitionTime = existing && existing.status === next.status ? existing.lastTransitionTime : rfc3339(now);
  const condition: Condition = { ...next, lastTransitionTime };
  if (i >= 0) list[i] = condition;
  else list.push(condition);
  return list;
}

/** metav1.Time's wire form: whole seconds, UTC. */
function rfc3339(at: Date): string {
  return at.toISOString().slice(0, 19) + 'Z';
}
