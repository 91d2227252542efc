/**
 * The conditions the namespace controller keeps on a Namespace being deleted, with Kubernetes'
 * types, reasons and messages (pkg/controller/namespace/deletion/status_condition_utils.go):
 *
 *   NamespaceDeletionDiscoveryFailure  True DiscoveryFailed / False ResourcesDiscovered
 *   NamespaceDeletionGroupVersionParsingFailure  (always False ParsedGroupVersions here)
 *   NamespaceDeletionContentFailure    True ContentDeletionFailed / False ContentDeleted
 *   NamespaceContentRemaining          True SomeResourcesRemain / False ContentRemoved
 *   NamespaceFinalizersRemaining       True SomeFinalizersRemain / False ContentHasNoFinalizers
 *
 * Pure: computes the new condition list from the old one and what a deletion pass found.
 */

export interface NamespaceCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = (typeof conditionTypes)[number];

const okReasons: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
};

const okMessages: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
};

/** What one deletion pass found. */
export interface DeletionFindings {
  /** Group versions whose discovery failed, with why ("apps/v1" → message); or a whole-discovery error. */
  readonly discoveryFailures?: ReadonlyMap<string, string>;
  readonly discoveryError?: string;
  /** Errors deleting content, one message per resource. */
  readonly contentErrors?: readonly string[];
  /** Objects remaining, per group resource (`pods.`, `widgets.example.com`). */
  readonly remainingByResource?: ReadonlyMap<string, number>;
  /** Objects remaining, per finalizer they carry. */
  readonly remainingByFinalizer?: ReadonlyMap<string, number>;
}

/** The failing conditions a pass calls for (types absent here are set to their "ok" variant). */
export function failingConditions(f: DeletionFindings, now: string): NamespaceCondition[] {
  const out: NamespaceCondition[] = [];
  if (f.discoveryError !== undefined || (f.discoveryFailures && f.discoveryFailures.size > 0)) {
    const groups = [...(f.discoveryFailures ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const message =
      f.discoveryError !== undefined
        ? f.discoveryError
        : `Discovery failed for some groups, ${groups.length} failing: unable to retrieve the complete list of server APIs: ${groups.map(([gv, why]) => `${gv}: ${why}`).join(', ')}`;
    out.push({ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', reason: 'DiscoveryFailed', message, lastTransitionTime: now });
  }
  const errors = [...(f.contentErrors ?? [])].sort();
  if (errors.length > 0) {
    out.push({
      type: 'NamespaceDeletionContentFailure',
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${errors.length} remaining: ${errors.join(', ')}`,
      lastTransitionTime: now,
    });
  }
  const remaining = [...(f.remainingByResource ?? new Map<string, number>())].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`);
  if (remaining.length > 0) {
    out.push({
      type: 'NamespaceContentRemaining',
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${remaining.sort().join(', ')}`,
      lastTransitionTime: now,
    });
  }
  const byFinalizer = [...(f.remainingByFinalizer ?? new Map<string, number>())].filter(([, n]) => n > 0).map(([fin, n]) => `${fin} in ${n} resource instances`);
  if (byFinalizer.length > 0) {
    out.push({
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${byFinalizer.sort().join(', ')}`,
      lastTransitionTime: now,
    });
  }
  return out;
}

/**
 * The namespace's conditions after a pass: each controller-maintained type set to the failing
 * condition found, or else its "ok" variant; lastTransitionTime moves only when status changes;
 * other condition types are kept. Returns the list and whether anything changed.
 */
export function updateConditions(
  current: readonly NamespaceCondition[] | undefined,
  failing: readonly NamespaceCondition[],
  now: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = (current ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of conditionTypes) {
    const next = failing.find((c) => c.type === type) ?? { type, status: 'False', reason: okReasons[type], message: okMessages[type], lastTransitionTime: now };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ ...next });
      changed = true;
      continue;
    }
    if (old.status !== next.status || old.reason !== next.reason || old.message !== next.message) {
      if (old.status !== next.status) old.lastTransitionTime = now;
      old.status = next.status;
      if (next.reason !== undefined) old.reason = next.reason;
      if (next.message !== undefined) old.message = next.message;
      changed = true;
    }
  }
  return { conditions, changed };
}

/** What remains of one resource in a namespace after a deletion pass. */
export interface RemainingAssessment {
  readonly remaining: number;
  readonly byFinalizer: ReadonlyMap<string, number>;
  /** Seconds to wait before looking again (0: nothing to wait for). */
  readonly estimateSeconds: number;
  /** Objects that should be gone but carry neither finalizers nor a pending graceful deletion. */
  readonly unexpected: number;
}

/** Kubernetes' default wait for finalizers to complete. */
export const finalizerEstimateSeconds = 15;

export interface RemainingItem {
  readonly metadata?: { readonly finalizers?: readonly string[]; readonly deletionTimestamp?: string; readonly deletionGracePeriodSeconds?: number };
}

/** Sizes up what a list after deletion still returned. */
export function assessRemaining(items: readonly RemainingItem[], nowMs: number): RemainingAssessment {
  const byFinalizer = new Map<string, number>();
  let estimate = 0;
  let unexpected = 0;
  for (const item of items) {
    const meta = item.metadata ?? {};
    const finalizers = meta.finalizers ?? [];
    for (const f of finalizers) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
    if (finalizers.length > 0) {
      estimate = Math.max(estimate, finalizerEstimateSeconds);
    } else if (meta.deletionTimestamp) {
      // A graceful deletion under way (a pod on a node): it ends when its grace period does.
      const left = Math.ceil((Date.parse(meta.deletionTimestamp) - nowMs) / 1000);
      estimate = Math.max(estimate, Number.isFinite(left) && left > 0 ? left : 1);
    } else {
      unexpected++;
    }
  }
  return { remaining: items.length, byFinalizer, estimateSeconds: estimate, unexpected };
}
