/**
 * The kind-specific parts of `describe`, after kubectl's describers: Pods (containers and their
 * states, conditions), Deployments (replicas, strategy, pod template, conditions, ReplicaSets),
 * ReplicaSets, Jobs (pod statuses), Nodes (conditions, addresses, capacity), Services (ports,
 * endpoints); anything else as its fields. The header (name, labels…) and the events are
 * describe.ts's.
 */
import type { KubeObject } from '../../api/kinds/kind';
import { labelSelectorString } from '../../apiserver/printers/format';
import type { LabelSelector } from '../../api/kinds/meta';
import { DescribeWriter, describeTime } from './describeWriter';

/** A field at a dotted path of a JSON object, if there. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
const str = (obj: unknown, path: string, fallback = '<none>'): string => {
  const v = at(obj, path);
  return v === undefined || v === null || v === '' ? fallback : typeof v === 'object' ? JSON.stringify(v) : String(v);
};
const list = (obj: unknown, path: string): Record<string, unknown>[] => {
  const v = at(obj, path);
  return Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
};
const num = (obj: unknown, path: string): number => (typeof at(obj, path) === 'number' ? (at(obj, path) as number) : 0);

export interface DescribeContext {
  /** Objects the describer may need (a Deployment's ReplicaSets, a Service's endpoints, a node's pods). */
  readonly related: readonly KubeObject[];
}

export type Describer = (w: DescribeWriter, obj: KubeObject, ctx: DescribeContext) => void;

function containers(w: DescribeWriter, level: number, items: readonly Record<string, unknown>[], statuses: readonly Record<string, unknown>[] = []) {
  for (const c of items) {
    const name = String(c['name']);
    const st = statuses.find((s) => s['name'] === name);
    w.line(level, `${name}:`);
    if (st) w.field(level + 1, 'Container ID', str(st, 'containerID', ''));
    w.field(level + 1, 'Image', str(c, 'image', ''));
    const ports = list(c, 'ports').map((p) => `${String(p['containerPort'])}/${str(p, 'protocol', 'TCP')}`);
    w.field(level + 1, ports.length > 1 ? 'Ports' : 'Port', ports.join(', ') || '<none>');
    if (at(c, 'command')) w.field(level + 1, 'Command', (at(c, 'command') as string[]).map(String));
    if (at(c, 'args')) w.field(level + 1, 'Args', (at(c, 'args') as string[]).map(String));
    if (st) {
      state(w, level + 1, 'State', at(st, 'state'));
      if (at(st, 'lastState') && Object.keys(at(st, 'lastState') as object).length) state(w, level + 1, 'Last State', at(st, 'lastState'));
      w.field(level + 1, 'Ready', at(st, 'ready') ? 'True' : 'False');
      w.field(level + 1, 'Restart Count', String(num(st, 'restartCount')));
    }
    const env = list(c, 'env').map((e) => `${String(e['name'])}:\t${e['value'] !== undefined ? String(e['value']) : '(from a source)'}`);
    if (env.length) {
      w.line(level + 1, 'Environment:');
      for (const e of env) w.line(level + 2, ...e.split('\t'));
    } else w.field(level + 1, 'Environment', '<none>');
    const mounts = list(c, 'volumeMounts').map((m) => `${String(m['mountPath'])} from ${String(m['name'])} (${m['readOnly'] ? 'ro' : 'rw'})`);
    w.field(level + 1, 'Mounts', mounts);
  }
}

function state(w: DescribeWriter, level: number, key: string, s: unknown) {
  const running = at(s, 'running');
  const waiting = at(s, 'waiting');
  const terminated = at(s, 'terminated');
  if (running) {
    w.field(level, key, 'Running');
    w.field(level + 1, 'Started', describeTime(str(running, 'startedAt', '')));
  } else if (waiting) {
    w.field(level, key, 'Waiting');
    w.field(level + 1, 'Reason', str(waiting, 'reason', ''));
  } else if (terminated) {
    w.field(level, key, 'Terminated');
    w.field(level + 1, 'Reason', str(terminated, 'reason', ''));
    w.field(level + 1, 'Exit Code', str(terminated, 'exitCode', '0'));
    w.field(level + 1, 'Started', describeTime(str(terminated, 'startedAt', '')));
    w.field(level + 1, 'Finished', describeTime(str(terminated, 'finishedAt', '')));
  } else w.field(level, key, 'Waiting');
}

function conditions(w: DescribeWriter, obj: unknown, withReason: boolean) {
  const cs = list(obj, 'status.conditions');
  if (!cs.length) return;
  w.line(0, 'Conditions:');
  w.table(1, withReason ? ['Type', 'Status', 'Reason'] : ['Type', 'Status'], cs.map((c) => [str(c, 'type'), str(c, 'status'), ...(withReason ? [str(c, 'reason', '')] : [])]));
}

function podTemplate(w: DescribeWriter, template: unknown) {
  w.line(0, 'Pod Template:');
  w.map(1, 'Labels', at(template, 'metadata.labels') as Record<string, string> | undefined);
  if (at(template, 'metadata.annotations')) w.map(1, 'Annotations', at(template, 'metadata.annotations') as Record<string, string>);
  w.line(1, 'Containers:');
  containers(w, 2, list(template, 'spec.containers'));
}

const selector = (obj: unknown) => labelSelectorString(at(obj, 'spec.selector') as LabelSelector | undefined) || '<none>';

const podsStatus = (pods: readonly KubeObject[]) => {
  const count = (phase: string) => pods.filter((p) => at(p, 'status.phase') === phase).length;
  return `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`;
};

export const describers: Readonly<Record<string, Describer>> = {
  Pod(w, pod) {
    w.field(0, 'Priority', str(pod, 'spec.priority', '0'));
    w.field(0, 'Service Account', str(pod, 'spec.serviceAccountName', 'default'));
    w.field(0, 'Node', at(pod, 'spec.nodeName') ? `${str(pod, 'spec.nodeName')}/${str(pod, 'status.hostIP', '')}` : '<none>');
    w.field(0, 'Start Time', describeTime(str(pod, 'status.startTime', '')));
    w.field(0, 'Status', pod.metadata?.deletionTimestamp ? 'Terminating' : str(pod, 'status.phase', 'Pending'));
    if (at(pod, 'status.reason')) w.field(0, 'Reason', str(pod, 'status.reason'));
    w.field(0, 'IP', str(pod, 'status.podIP', ''));
    const controller = pod.metadata?.ownerReferences?.find((o) => o.controller);
    if (controller) w.field(0, 'Controlled By', `${controller.kind}/${controller.name}`);
    if (list(pod, 'spec.initContainers').length) {
      w.line(0, 'Init Containers:');
      containers(w, 1, list(pod, 'spec.initContainers'), list(pod, 'status.initContainerStatuses'));
    }
    w.line(0, 'Containers:');
    containers(w, 1, list(pod, 'spec.containers'), list(pod, 'status.containerStatuses'));
    conditions(w, pod, false);
    w.field(0, 'QoS Class', str(pod, 'status.qosClass', 'BestEffort'));
    w.map(0, 'Node-Selectors', at(pod, 'spec.nodeSelector') as Record<string, string> | undefined);
    w.field(0, 'Tolerations', list(pod, 'spec.tolerations').map((t) => `${str(t, 'key', '')}${at(t, 'value') ? `=${str(t, 'value')}` : ''}:${str(t, 'effect', '')} op=${str(t, 'operator', 'Equal')}${at(t, 'tolerationSeconds') !== undefined ? ` for ${str(t, 'tolerationSeconds')}s` : ''}`));
  },
  Deployment(w, d, ctx) {
    w.field(0, 'Selector', selector(d));
    const desired = at(d, 'spec.replicas') ?? 1;
    const unavailable = num(d, 'status.unavailableReplicas');
    w.field(0, 'Replicas', `${String(desired)} desired | ${num(d, 'status.updatedReplicas')} updated | ${num(d, 'status.replicas')} total | ${num(d, 'status.availableReplicas')} available | ${unavailable} unavailable`);
    w.field(0, 'StrategyType', str(d, 'spec.strategy.type', 'RollingUpdate'));
    w.field(0, 'MinReadySeconds', str(d, 'spec.minReadySeconds', '0'));
    if (str(d, 'spec.strategy.type', 'RollingUpdate') === 'RollingUpdate') {
      w.field(0, 'RollingUpdateStrategy', `${str(d, 'spec.strategy.rollingUpdate.maxUnavailable', '25%')} max unavailable, ${str(d, 'spec.strategy.rollingUpdate.maxSurge', '25%')} max surge`);
    }
    podTemplate(w, at(d, 'spec.template'));
    conditions(w, d, true);
    const owned = ctx.related.filter((r) => r.kind === 'ReplicaSet' && r.metadata?.ownerReferences?.some((o) => o.uid === d.metadata?.uid));
    const newest = owned.reduce<KubeObject | undefined>((best, r) => (!best || Number(r.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) > Number(best.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) ? r : best), undefined);
    const rsLine = (r: KubeObject) => `${r.metadata?.name} (${num(r, 'status.replicas')}/${String(at(r, 'spec.replicas') ?? 1)} replicas created)`;
    const old = owned.filter((r) => r !== newest && num(r, 'spec.replicas') > 0);
    w.field(0, 'OldReplicaSets', old.map(rsLine));
    w.field(0, 'NewReplicaSet', newest ? rsLine(newest) : '<none>');
  },
  ReplicaSet(w, rs, ctx) {
    w.field(0, 'Selector', selector(rs));
    const controller = rs.metadata?.ownerReferences?.find((o) => o.controller);
    if (controller) w.field(0, 'Controlled By', `${controller.kind}/${controller.name}`);
    w.field(0, 'Replicas', `${num(rs, 'status.replicas')} current / ${String(at(rs, 'spec.replicas') ?? 1)} desired`);
    w.field(0, 'Pods Status', podsStatus(ctx.related.filter((p) => p.kind === 'Pod')));
    podTemplate(w, at(rs, 'spec.template'));
    conditions(w, rs, true);
  },
  Job(w, job) {
    w.field(0, 'Selector', selector(job));
    w.field(0, 'Parallelism', str(job, 'spec.parallelism', '1'));
    w.field(0, 'Completions', str(job, 'spec.completions', '<unset>'));
    w.field(0, 'Completion Mode', str(job, 'spec.completionMode', 'NonIndexed'));
    w.field(0, 'Backoff Limit', str(job, 'spec.backoffLimit', '6'));
    w.field(0, 'Start Time', describeTime(str(job, 'status.startTime', '')));
    if (at(job, 'status.completionTime')) w.field(0, 'Completed At', describeTime(str(job, 'status.completionTime')));
    w.field(0, 'Pods Statuses', `${num(job, 'status.active')} Active (${num(job, 'status.ready')} Ready) / ${num(job, 'status.succeeded')} Succeeded / ${num(job, 'status.failed')} Failed`);
    podTemplate(w, at(job, 'spec.template'));
    conditions(w, job, true);
  },
  Node(w, node, ctx) {
    w.field(0, 'Roles', Object.keys(node.metadata?.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.slice(24)).join(',') || '<none>');
    w.field(0, 'Taints', list(node, 'spec.taints').map((t) => `${str(t, 'key', '')}${at(t, 'value') ? `=${str(t, 'value')}` : ''}:${str(t, 'effect', '')}`));
    w.field(0, 'Unschedulable', at(node, 'spec.unschedulable') ? 'true' : 'false');
    const cs = list(node, 'status.conditions');
    if (cs.length) {
      w.line(0, 'Conditions:');
      w.table(1, ['Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message'], cs.map((c) => [str(c, 'type'), str(c, 'status'), describeTime(str(c, 'lastHeartbeatTime', '')), describeTime(str(c, 'lastTransitionTime', '')), str(c, 'reason', ''), str(c, 'message', '')]));
    }
    w.line(0, 'Addresses:');
    for (const a of list(node, 'status.addresses')) w.field(1, str(a, 'type'), str(a, 'address'));
    for (const key of ['capacity', 'allocatable']) {
      const m = (at(node, `status.${key}`) ?? {}) as Record<string, string>;
      w.line(0, `${key[0]!.toUpperCase()}${key.slice(1)}:`);
      for (const k of Object.keys(m).sort()) w.field(1, k, m[k]!);
    }
    w.field(0, 'PodCIDR', str(node, 'spec.podCIDR'));
    const pods = ctx.related.filter((p) => p.kind === 'Pod' && at(p, 'spec.nodeName') === node.metadata?.name && !['Succeeded', 'Failed'].includes(str(p, 'status.phase', '')));
    w.line(0, `Non-terminated Pods:`, `(${pods.length} in total)`);
    if (pods.length) w.table(1, ['Namespace', 'Name'], pods.map((p) => [p.metadata?.namespace ?? '', p.metadata?.name ?? '']));
  },
  Service(w, svc, ctx) {
    const sel = (at(svc, 'spec.selector') ?? {}) as Record<string, string>;
    w.field(0, 'Selector', Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',') || '<none>');
    w.field(0, 'Type', str(svc, 'spec.type', 'ClusterIP'));
    w.field(0, 'IP Family Policy', str(svc, 'spec.ipFamilyPolicy', 'SingleStack'));
    w.field(0, 'IP Families', ((at(svc, 'spec.ipFamilies') as string[] | undefined) ?? ['IPv4']).join(','));
    w.field(0, 'IP', str(svc, 'spec.clusterIP'));
    const endpoints = ctx.related.find((e) => e.kind === 'Endpoints');
    const addresses = list(endpoints, 'subsets').flatMap((s) => list(s, 'addresses').map((a) => String(a['ip'])));
    for (const p of list(svc, 'spec.ports')) {
      w.field(0, 'Port', `${str(p, 'name', '<unset>')}  ${String(p['port'])}/${str(p, 'protocol', 'TCP')}`);
      w.field(0, 'TargetPort', `${str(p, 'targetPort', String(p['port']))}/${str(p, 'protocol', 'TCP')}`);
      if (p['nodePort']) w.field(0, 'NodePort', `${str(p, 'name', '<unset>')}  ${String(p['nodePort'])}/${str(p, 'protocol', 'TCP')}`);
      w.field(0, 'Endpoints', addresses.map((a) => `${a}:${str(p, 'targetPort', String(p['port']))}`).join(',') || '<none>');
    }
    w.field(0, 'Session Affinity', str(svc, 'spec.sessionAffinity', 'None'));
  },
};

/** Any other kind: its fields other than metadata, as indented `key: value` lines. */
export function describeGeneric(w: DescribeWriter, obj: KubeObject): void {
  w.field(0, 'API Version', obj.apiVersion ?? '');
  w.field(0, 'Kind', obj.kind ?? '');
  const walk = (level: number, value: unknown, key: string) => {
    if (Array.isArray(value)) {
      w.line(level, `${key}:`);
      for (const item of value) {
        if (typeof item === 'object' && item !== null) {
          for (const [k, v] of Object.entries(item as Record<string, unknown>)) walk(level + 1, v, k);
        } else w.line(level + 1, String(item));
      }
    } else if (typeof value === 'object' && value !== null) {
      w.line(level, `${key}:`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(level + 1, v, k);
    } else w.field(level, key[0]!.toUpperCase() + key.slice(1), String(value));
  };
  for (const [k, v] of Object.entries(obj)) if (!['apiVersion', 'kind', 'metadata'].includes(k)) walk(0, v, k[0]!.toUpperCase() + k.slice(1));
}
