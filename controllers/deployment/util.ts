/**
 * The Deployment controller's arithmetic, after Kubernetes' pkg/controller/deployment/util: surge
 * and unavailability fenceposts, how far the new ReplicaSet may grow, proportional scaling, the
 * revision and replica annotations on ReplicaSets, which ReplicaSet is new, conditions, and the
 * status computed from the ReplicaSets. Pure functions; the controller does the I/O.
 */
import type { PodTemplateSpec } from '../../api/kinds/core/podSpec';
import type { Deployment, DeploymentCondition, DeploymentStatus } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { LabelSelector } from '../../api/kinds/meta';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const lastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
export const deprecatedRollbackToAnnotation = 'deprecated.deployment.rollback.to';
export const changeCauseAnnotation = 'kubernetes.io/change-cause';
export const podTemplateHashLabel = 'pod-template-hash';

/** Limit of the revision-history annotation, in characters (maxRevHistoryLengthInChars). */
export const maxRevisionHistoryLength = 2000;

/** math.MaxInt32: "no deadline" / "no limit", as Kubernetes treats it. */
export const maxInt32 = 2147483647;

// Condition types and reasons.
export const progressing = 'Progressing';
export const available = 'Available';
export const replicaFailure = 'ReplicaFailure';
export const newReplicaSetReason = 'NewReplicaSetCreated';
export const foundNewReplicaSetReason = 'FoundNewReplicaSet';
export const replicaSetUpdatedReason = 'ReplicaSetUpdated';
export const newReplicaSetAvailableReason = 'NewReplicaSetAvailable';
export const timedOutReason = 'ProgressDeadlineExceeded';
export const failedReplicaSetCreateReason = 'ReplicaSetCreateError';
export const pausedReason = 'DeploymentPaused';
export const resumedReason = 'DeploymentResumed';
export const minimumReplicasAvailable = 'MinimumReplicasAvailable';
export const minimumReplicasUnavailable = 'MinimumReplicasUnavailable';

// ---- Basic readings -------------------------------------------------------------------------

export function deploymentReplicas(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

export function rsReplicas(rs: ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== maxInt32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== maxInt32;
}

function timeOf(value: string | undefined): number {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

// ---- int-or-percent and fenceposts ---------------------------------------------------------

/**
 * intstr.GetScaledValueFromIntOrPercent: a number as is; "N%" of `total`, rounded up or down.
 * Throws for a string that is not a percentage.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+)%$/.exec(value);
  if (!m) throw new Error(`invalid value for IntOrString: invalid value "${value}": must be an integer or a percentage`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * ResolveFenceposts: maxSurge rounded up, maxUnavailable rounded down, both of `desired`; when
 * both come out 0, one pod may be unavailable (else a rollout could never proceed).
 */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** MaxUnavailable: 0 unless a rolling update with replicas; never more than the replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = deploymentReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas);
  return Math.min(unavailable, replicas);
}

/** MaxSurge: 0 unless a rolling update. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, deploymentReplicas(d)).surge;
}

// ---- Counting over ReplicaSets --------------------------------------------------------------

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export function specReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + rsReplicas(rs), 0);
}

/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export function actualReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

export function readyReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

export function availableReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/** ReplicaSets with spec.replicas > 0 (FilterActiveReplicaSets). */
export function activeReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && rsReplicas(rs) > 0);
}

/**
 * NewRSNewReplicas: the size the new ReplicaSet may have now. Rolling update: grow by what the
 * surge leaves (all ReplicaSets' spec.replicas at most replicas + maxSurge), up to the
 * Deployment's replicas. Recreate: all at once.
 */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return deploymentReplicas(d);
  const ru = d.spec?.strategy?.rollingUpdate;
  const surge = scaledValue(ru?.maxSurge ?? 0, deploymentReplicas(d), true);
  const current = specReplicaCount(allRSs);
  const maxTotal = deploymentReplicas(d) + surge;
  if (current >= maxTotal) return rsReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, deploymentReplicas(d) - rsReplicas(newRS));
  return rsReplicas(newRS) + scaleUp;
}

// ---- Ordering -------------------------------------------------------------------------------

/** Older first; same time: by name (ReplicaSetsByCreationTimestamp). */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const ta = timeOf(a.metadata?.creationTimestamp);
  const tb = timeOf(b.metadata?.creationTimestamp);
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Larger first; same size: older first (ReplicaSetsBySizeOlder). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return rsReplicas(b) - rsReplicas(a) || byCreationTimestamp(a, b);
}

/** Larger first; same size: newer first (ReplicaSetsBySizeNewer). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return rsReplicas(b) - rsReplicas(a) || byCreationTimestamp(b, a);
}

/** Lower revision first; same revision: older first (ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(a) - revisionOf(b) || byCreationTimestamp(a, b);
}

// ---- Templates and finding the new ReplicaSet ----------------------------------------------

function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).every((k) => (v as Record<string, unknown>)[k] === undefined);
}

/** Deep equality where an empty map or list equals an absent one (apiequality.Semantic). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((v, i) => semanticEqual(v, bs[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!semanticEqual(ao[k], bo[k])) return false;
  return true;
}

/** The template without its pod-template-hash label. */
export function withoutHashLabel(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[podTemplateHashLabel];
  }
  return copy;
}

/** EqualIgnoreHash: the same template, the pod-template-hash label aside. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHashLabel(a), withoutHashLabel(b));
}

/** The oldest ReplicaSet whose template is the Deployment's (FindNewReplicaSet). */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one (FindOldReplicaSets' second result). */
export function findOldReplicaSets(rsList: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ReplicaSet[] {
  return rsList.filter((rs) => !newRS || rs.metadata?.uid !== newRS.metadata?.uid);
}

/** A label selector with one more matchLabels entry (CloneSelectorAndAddLabel). */
export function selectorWithLabel(selector: LabelSelector | undefined, key: string, value: string): LabelSelector {
  const copy = structuredClone(selector ?? {});
  copy.matchLabels = { ...(copy.matchLabels ?? {}), [key]: value };
  return copy;
}

// ---- Annotations ----------------------------------------------------------------------------

/** The revision annotation as a number; 0 when absent or not a number. */
export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): number {
  const v = obj?.metadata?.annotations?.[revisionAnnotation];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  return Number(v);
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

const annotationsNotCopied = new Set([
  lastAppliedConfigAnnotation,
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  deprecatedRollbackToAnnotation,
]);

/** Whether a Deployment annotation is kept off its ReplicaSets (skipCopyAnnotation). */
export function skipCopyAnnotation(key: string): boolean {
  return annotationsNotCopied.has(key);
}

/** Copies the Deployment's annotations (all but the skipped) onto `rs`; true if any changed. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const meta = (rs.metadata ??= {});
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (skipCopyAnnotation(k) || meta.annotations?.[k] === v) continue;
    meta.annotations = { ...(meta.annotations ?? {}), [k]: v };
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas on `rs`; true if either changed (SetReplicasAnnotations). */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const meta = (rs.metadata ??= {});
  const annotations = { ...(meta.annotations ?? {}) };
  let changed = false;
  if (annotations[desiredReplicasAnnotation] !== String(desired)) {
    annotations[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (annotations[maxReplicasAnnotation] !== String(max)) {
    annotations[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  if (changed) meta.annotations = annotations;
  return changed;
}

/** Whether desired-replicas or max-replicas differ from these (ReplicasAnnotationsNeedUpdate). */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

export function desiredReplicasOf(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, desiredReplicasAnnotation);
}

export function maxReplicasOf(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, maxReplicasAnnotation);
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
 * `newRevision` (keeping the revisions it had in revision-history, within `historyLimit`
 * characters, when it is an old ReplicaSet brought back by a rollback), and on a ReplicaSet
 * about to be created sets desired-replicas and max-replicas. True if anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, historyLimit = maxRevisionHistoryLength): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const meta = (rs.metadata ??= {});
  const annotations = { ...(meta.annotations ?? {}) };
  const oldRevision = annotations[revisionAnnotation];
  let oldRevisionInt = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    if (!/^-?\d+$/.test(oldRevision)) {
      meta.annotations = annotations;
      return changed;
    }
    oldRevisionInt = Number(oldRevision);
  }
  if (oldRevisionInt < newRevision) {
    annotations[revisionAnnotation] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      const history = annotations[revisionHistoryAnnotation] ?? '';
      const old = history.split(',');
      if (old[0] === '' || old[0] === undefined) {
        annotations[revisionHistoryAnnotation] = oldRevision;
      } else {
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > historyLimit && start < old.length) {
          total -= old[start]!.length + 1;
          start++;
        }
        if (total <= historyLimit) annotations[revisionHistoryAnnotation] = [...old.slice(start), oldRevision].join(',');
      }
    }
  }
  meta.annotations = annotations;
  if (!exists && setReplicasAnnotations(rs, deploymentReplicas(d), deploymentReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

// ---- Proportional scaling -------------------------------------------------------------------

/**
 * FindActiveOrLatest: the only ReplicaSet with replicas, or (none has any) the new one or else
 * the newest old one; undefined when several have replicas.
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** IsSaturated: the new ReplicaSet has all the Deployment's replicas, all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const replicas = deploymentReplicas(d);
  return desiredReplicasOf(rs) === replicas && rsReplicas(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/** getReplicaSetFraction: this ReplicaSet's share of a resize, from max-replicas before it. */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (deploymentReplicas(d) === 0) return -rsReplicas(rs);
  const maxAfter = deploymentReplicas(d) + maxSurge(d);
  let maxBefore = maxReplicasOf(rs);
  if (maxBefore === undefined || maxBefore === 0) {
    maxBefore = d.status?.replicas ?? 0;
    if (maxBefore === 0) return 0;
  }
  const size = (rsReplicas(rs) * maxAfter) / maxBefore;
  return roundHalfAwayFromZero(size) - rsReplicas(rs);
}

function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** GetProportion: how many replicas `rs` gets (or gives) of `toAdd`, `added` having been handed out. */
export function proportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * The sizes of a proportional scale (the rolling-update branch of `scale`): replicas plus surge,
 * spread over the active ReplicaSets in proportion to their size, leftovers to the first (the
 * largest). Returns the ReplicaSets in the order to write them, with their new sizes, and
 * whether it is a scale "up" or "down" ('' when nothing is added).
 */
export function proportionalScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): { operation: 'up' | 'down' | ''; sizes: { rs: ReplicaSet; size: number }[] } {
  const all = activeReplicaSets([...oldRSs, newRS]);
  const current = specReplicaCount(all);
  const allowed = deploymentReplicas(d) > 0 ? deploymentReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - current;
  let operation: 'up' | 'down' | '' = '';
  if (toAdd > 0) {
    all.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    all.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return { rs, size: rsReplicas(rs) };
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return { rs, size: rsReplicas(rs) + p };
  });
  if (sizes.length > 0 && toAdd !== 0) {
    const first = sizes[0]!;
    first.size = Math.max(0, first.size + (toAdd - added));
  }
  return { operation, sizes };
}

// ---- Conditions -----------------------------------------------------------------------------

/** metav1.Time as Kubernetes writes it: RFC 3339, second precision. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, nowMs: number): DeploymentCondition {
  const now = rfc3339(nowMs);
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: nothing when a condition of the type with the same status and reason
 * is there; otherwise it replaces it (moving to the end), keeping lastTransitionTime when the
 * status did not change.
 */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status && current.lastTransitionTime) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

// ---- Status ---------------------------------------------------------------------------------

/**
 * calculateStatus: counts from the ReplicaSets (replicas, updated = the new one's, ready,
 * available, unavailable = desired total minus available), observedGeneration, collisionCount,
 * the old conditions, and Available true when at least replicas - maxUnavailable are available.
 */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const availableCount = availableReplicaCount(allRSs);
  const total = specReplicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: availableCount,
    unavailableReplicas: Math.max(0, total - availableCount),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (availableCount >= deploymentReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(available, 'True', minimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition(available, 'False', minimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

/** DeploymentComplete: every replica updated, no old ones left, all available, generation observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = deploymentReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than before. */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/**
 * DeploymentTimedOut: the Progressing condition was last updated more than
 * progressDeadlineSeconds ago (already timed out: true; a completed rollout: never).
 */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(status, progressing);
  if (!cond) return false;
  if (cond.reason === newReplicaSetAvailableReason) return false;
  if (cond.reason === timedOutReason) return true;
  const from = timeOf(cond.lastUpdateTime);
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/** Status equality as reflect.DeepEqual sees the typed struct (absent counts are 0). */
export function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  const counters = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'terminatingReplicas'] as const;
  for (const k of counters) if ((a?.[k] ?? 0) !== (b?.[k] ?? 0)) return false;
  if (a?.collisionCount !== b?.collisionCount) return false;
  return semanticEqual(a?.conditions ?? [], b?.conditions ?? []);
}
