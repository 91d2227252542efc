/**
 * Whether an object is "ready", as kubectl's rollout status viewers and `wait` read it:
 * Deployments (observedGeneration, updated / old / available replicas, the progress deadline),
 * StatefulSets and DaemonSets (their rolling updates), ReplicaSets, Jobs (Complete, or Failed),
 * Pods (Ready; Succeeded), CRDs (Established). Other kinds are ready once they exist.
 * Also what explains an object that did not become ready: its conditions and its last events
 * (and those of the ReplicaSets and Pods it owns).
 */
import type { KubeObject } from '../../api/kinds/kind';
import type { Session } from './context';

export interface Readiness {
  readonly ready: boolean;
  /** kubectl's message: "Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...". */
  readonly message: string;
  /** A state that will not become ready by waiting (a failed Job, an exceeded deadline). */
  readonly failed?: boolean;
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' ? v : fallback;
}

export function conditionsOf(obj: KubeObject): Condition[] {
  const status = (obj as Obj).status;
  return Array.isArray(status?.['conditions']) ? (status['conditions'] as Condition[]) : [];
}

export function condition(obj: KubeObject, type: string): Condition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

const generation = (o: Obj) => num(o.metadata?.generation);
const observed = (o: Obj) => num(o.status?.['observedGeneration']);

export function deploymentStatus(d: Obj): Readiness {
  const name = d.metadata?.name ?? '';
  if (generation(d) <= observed(d)) {
    const progressing = condition(d, 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return { ready: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
    const replicas = num(d.spec?.['replicas'], 1);
    const updated = num(d.status?.['updatedReplicas']);
    const total = num(d.status?.['replicas']);
    const available = num(d.status?.['availableReplicas']);
    if (updated < replicas) return { ready: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...` };
    if (total > updated) return { ready: false, message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...` };
    if (available < updated) return { ready: false, message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
    return { ready: true, message: `deployment "${name}" successfully rolled out` };
  }
  return { ready: false, message: 'Waiting for deployment spec update to be observed...' };
}

export function daemonSetStatus(d: Obj): Readiness {
  const name = d.metadata?.name ?? '';
  const strategy = (d.spec?.['updateStrategy'] as { type?: string } | undefined)?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') return { ready: true, message: `daemon set "${name}": rollout status is only available for RollingUpdate strategy type` };
  if (generation(d) <= observed(d)) {
    const desired = num(d.status?.['desiredNumberScheduled']);
    const updated = num(d.status?.['updatedNumberScheduled']);
    const available = num(d.status?.['numberAvailable']);
    if (updated < desired) return { ready: false, message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...` };
    if (available < desired) return { ready: false, message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...` };
    return { ready: true, message: `daemon set "${name}" successfully rolled out` };
  }
  return { ready: false, message: 'Waiting for daemon set spec update to be observed...' };
}

export function statefulSetStatus(s: Obj): Readiness {
  const strategy = (s.spec?.['updateStrategy'] as { type?: string } | undefined)?.type ?? 'RollingUpdate';
  if (strategy !== 'RollingUpdate') return { ready: true, message: 'rollout status is only available for RollingUpdate strategy type' };
  if (observed(s) === 0 || generation(s) > observed(s)) return { ready: false, message: 'Waiting for statefulset spec update to be observed...' };
  const replicas = num(s.spec?.['replicas'], 1);
  const ready = num(s.status?.['readyReplicas']);
  if (ready < replicas) return { ready: false, message: `Waiting for ${replicas - ready} pods to be ready...` };
  const update = String(s.status?.['updateRevision'] ?? '');
  const current = String(s.status?.['currentRevision'] ?? '');
  if (update !== current) return { ready: false, message: `waiting for statefulset rolling update to complete ${num(s.status?.['updatedReplicas'])} pods at revision ${update}...` };
  return { ready: true, message: `statefulset rolling update complete ${num(s.status?.['currentReplicas'])} pods at revision ${current}...` };
}

export function readiness(obj: KubeObject): Readiness {
  const o = obj as Obj;
  const name = o.metadata?.name ?? '';
  switch (o.kind) {
    case 'Deployment':
      return deploymentStatus(o);
    case 'DaemonSet':
      return daemonSetStatus(o);
    case 'StatefulSet':
      return statefulSetStatus(o);
    case 'ReplicaSet': {
      const replicas = num(o.spec?.['replicas'], 1);
      const ready = num(o.status?.['readyReplicas']);
      if (generation(o) > observed(o)) return { ready: false, message: `Waiting for replica set "${name}" spec update to be observed...` };
      return ready >= replicas ? { ready: true, message: `replica set "${name}" is ready` } : { ready: false, message: `Waiting for replica set "${name}": ${ready} of ${replicas} replicas are ready...` };
    }
    case 'Job': {
      const failed = condition(o, 'Failed');
      if (failed?.status === 'True') return { ready: false, failed: true, message: `job "${name}" failed: ${failed.reason ?? ''}${failed.message ? `: ${failed.message}` : ''}` };
      if (condition(o, 'Complete')?.status === 'True') return { ready: true, message: `job "${name}" completed` };
      const succeeded = num(o.status?.['succeeded']);
      const completions = num(o.spec?.['completions'], 1);
      return { ready: false, message: `Waiting for job "${name}" to complete: ${succeeded} of ${completions} completions succeeded...` };
    }
    case 'Pod': {
      const phase = String(o.status?.['phase'] ?? 'Pending');
      if (phase === 'Succeeded') return { ready: true, message: `pod "${name}" succeeded` };
      if (phase === 'Failed') return { ready: false, failed: true, message: `pod "${name}" failed${o.status?.['reason'] ? `: ${String(o.status['reason'])}` : ''}` };
      if (condition(o, 'Ready')?.status === 'True') return { ready: true, message: `pod "${name}" is ready` };
      return { ready: false, message: `Waiting for pod "${name}" to be ready (phase ${phase})...` };
    }
    case 'CustomResourceDefinition':
      return condition(o, 'Established')?.status === 'True'
        ? { ready: true, message: `customresourcedefinition "${name}" is established` }
        : { ready: false, message: `Waiting for customresourcedefinition "${name}" to be established...` };
    default:
      return { ready: true, message: `${(o.kind ?? '').toLowerCase()} "${name}" exists` };
  }
}

/** Whether readiness means anything for this kind (apply --wait waits only for these). */
export function hasReadiness(kind: string | undefined): boolean {
  return ['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'Pod', 'CustomResourceDefinition'].includes(kind ?? '');
}

interface EventLike {
  readonly metadata?: { readonly creationTimestamp?: string };
  readonly involvedObject?: { readonly uid?: string; readonly name?: string; readonly kind?: string };
  readonly type?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTimestamp?: string;
  readonly eventTime?: string;
  readonly firstTimestamp?: string;
  readonly count?: number;
}

export function eventTime(e: EventLike): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '';
}

/**
 * Why an object is not ready, in lines: its conditions, the pods it owns that are not ready (with
 * their containers' waiting reasons), and the last events about it and what it owns.
 */
export async function explainNotReady(session: Session, obj: KubeObject, maxEvents = 5): Promise<string[]> {
  const lines: string[] = [];
  for (const c of conditionsOf(obj)) {
    lines.push(`condition ${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
  }
  const namespace = obj.metadata?.namespace;
  const uids = new Set<string>([obj.metadata?.uid ?? '']);
  try {
    if (namespace && (obj.kind === 'Deployment' || obj.kind === 'ReplicaSet' || obj.kind === 'Job' || obj.kind === 'StatefulSet' || obj.kind === 'DaemonSet')) {
      if (obj.kind === 'Deployment') {
        const rs = await session.client.listAll<KubeObject>(`/apis/apps/v1/namespaces/${namespace}/replicasets`);
        for (const r of rs.items) if (r.metadata?.ownerReferences?.some((o) => uids.has(o.uid))) uids.add(r.metadata.uid ?? '');
      }
      const pods = await session.client.listAll<KubeObject & { status?: Record<string, unknown> }>(`/api/v1/namespaces/${namespace}/pods`);
      for (const p of pods.items) {
        if (!p.metadata?.ownerReferences?.some((o) => uids.has(o.uid))) continue;
        uids.add(p.metadata.uid ?? '');
        if (condition(p, 'Ready')?.status === 'True' || p.status?.['phase'] === 'Succeeded') continue;
        lines.push(`pod ${p.metadata.name}: ${podProblem(p)}`);
      }
    }
    if (namespace) {
      const events = await session.client.listAll<EventLike>(`/api/v1/namespaces/${namespace}/events`);
      const mine = events.items.filter((e) => uids.has(e.involvedObject?.uid ?? '') || (e.involvedObject?.name === obj.metadata?.name && e.involvedObject?.kind === obj.kind));
      mine.sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
      // Repeats (a pod created again and again) are one line with a count, so they do not crowd out the rest.
      const groups = new Map<string, { e: EventLike; count: number }>();
      for (const e of mine) {
        const key = `${e.type}/${e.reason}/${e.involvedObject?.kind}/${e.involvedObject?.name}`;
        const count = (groups.get(key)?.count ?? 0) + (e.count ?? 1);
        groups.delete(key); // re-inserted last: the map stays in order of each group's latest event
        groups.set(key, { e, count });
      }
      for (const { e, count } of [...groups.values()].slice(-maxEvents)) {
        lines.push(`event ${e.type ?? 'Normal'} ${e.reason ?? ''} (${e.involvedObject?.kind?.toLowerCase()}/${e.involvedObject?.name})${count > 1 ? ` x${count}` : ''}: ${e.message ?? ''}`);
      }
    }
  } catch {
    // The explanation is best effort.
  }
  return lines;
}

function podProblem(p: KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> }): string {
  const phase = String(p.status?.['phase'] ?? 'Pending');
  const statuses = (p.status?.['containerStatuses'] ?? []) as { name: string; state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } } }[];
  const waiting = statuses.map((s) => (s.state?.waiting ? `${s.name} ${s.state.waiting.reason ?? 'Waiting'}${s.state.waiting.message ? ` (${s.state.waiting.message})` : ''}` : s.state?.terminated ? `${s.name} ${s.state.terminated.reason ?? 'Terminated'} (exit ${s.state.terminated.exitCode ?? '?'})` : '')).filter(Boolean);
  if (!p.spec?.['nodeName']) {
    const scheduled = condition(p, 'PodScheduled');
    return `${phase}, not scheduled${scheduled?.message ? `: ${scheduled.message}` : ''}`;
  }
  return `${phase}, not ready${waiting.length ? `: ${waiting.join(', ')}` : ''}`;
}
