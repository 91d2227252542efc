/**
 * The controllers benchmark's report: phase times against their targets, API requests per pod
 * created (the controller-manager's, all clients', the benchmark's own), requests by verb and
 * resource, CPU seconds per process, reconciles per controller, and what the controller-manager
 * logged as warnings or errors.
 */
import { isWatch, isWrite, sum, type RequestCounts, type Sample } from './metrics';

export const phaseTargetSeconds = 30;
export const writesPerPodTarget = 4;

/** Counts the controller-manager's log lines by level and message. */
export class LogTally {
  readonly lines = new Map<string, number>();
  add(line: string): void {
    let key = line.slice(0, 120);
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string; controller?: string; error?: { message?: string } | string };
      const error = typeof entry.error === 'string' ? entry.error : entry.error?.message;
      // Names and numbers vary from line to line: left out, so like errors count together.
      const shape = error ? `: ${error.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N').slice(0, 160)}` : '';
      key = `${entry.level ?? '?'}: ${entry.msg ?? ''}${entry.controller ? ` (${entry.controller})` : ''}${shape}`;
    } catch {
      // not JSON: kept as is
    }
    this.lines.set(key, (this.lines.get(key) ?? 0) + 1);
  }
  /** Warnings and errors, most frequent first. */
  problems(): [string, number][] {
    return [...this.lines].filter(([k]) => !k.startsWith('info:') && !k.startsWith('debug:')).sort((a, b) => b[1] - a[1]);
  }
}

export interface Snapshot {
  readonly at: number;
  readonly api: RequestCounts;
  readonly apiSamples: readonly Sample[];
  readonly bench: RequestCounts;
  readonly cm: readonly Sample[];
  readonly cpu: Readonly<Record<string, number>>;
}

export interface PhaseResult {
  readonly name: string;
  readonly seconds: number;
  readonly before: Snapshot;
  readonly after: Snapshot;
  /** Every 2 s: the Deployment's updated / available / replicas. */
  readonly progress: string;
}

export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

export function report(phases: readonly PhaseResult[], cmLog: LogTally): void {
  const first = phases[0]!.before;
  const last = phases[phases.length - 1]!.after;
  const spans = [...phases.map((p) => ({ name: p.name, before: p.before, after: p.after })), { name: 'both phases', before: first, after: last }];

  const created = (before: Snapshot, after: Snapshot) =>
    sum(after.apiSamples, 'apiserver_request_total', (l) => l.verb === 'create' && l.resource === 'pods' && !l.subresource && l.code === '201') -
    sum(before.apiSamples, 'apiserver_request_total', (l) => l.verb === 'create' && l.resource === 'pods' && !l.subresource && l.code === '201');
  const cmClientMetrics = last.cm.some((s) => s.name === 'rest_client_requests_total');
  const cmClientCount = (before: Snapshot, after: Snapshot, methods: readonly string[]) => {
    const count = (s: Snapshot) => sum(s.cm, 'rest_client_requests_total', (l) => methods.includes(l.method ?? ''));
    return count(after) - count(before);
  };
  // Every component's requests (controller-manager, scheduler, node agents): all the API server counted, less the benchmark's own.
  const componentRequests = (before: Snapshot, after: Snapshot) => after.api.minus(before.api).minus(after.bench.minus(before.bench));

  console.log('');
  for (const p of phases) {
    const label = p.name === 'create' ? 'phase 1, create until fully available       ' : 'phase 2, rolling update until complete      ';
    console.log(`${label}: ${fmt(p.seconds, 1)} s   target < ${phaseTargetSeconds} s: ${p.seconds < phaseTargetSeconds ? 'met' : 'NOT met'}`);
  }
  for (const p of phases) console.log(`  progress of ${p.name} (every 2 s: updated/available/replicas): ${p.progress}`);
  console.log('');
  console.log('API requests per pod created (watches are long-running and left out of these counts):');
  let overallWrites = NaN;
  for (const s of spans) {
    const podsCreated = created(s.before, s.after);
    const components = componentRequests(s.before, s.after);
    const all = s.after.api.minus(s.before.api);
    const writes = cmClientMetrics ? cmClientCount(s.before, s.after, ['POST', 'PUT', 'PATCH', 'DELETE']) : components.total(isWrite);
    // Watches are counted by the client when opened: the controller-manager's handful is left in.
    const cmAll = cmClientMetrics ? `${fmt(cmClientCount(s.before, s.after, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) / podsCreated)}/pod` : 'unknown';
    if (s.name === 'both phases') overallWrites = writes / podsCreated;
    console.log(
      `  ${s.name.padEnd(15)} pods created ${String(podsCreated).padStart(5)}: controller-manager writes ${fmt(writes / podsCreated)}/pod` +
        `, controller-manager requests ${cmAll}, all clients' requests ${fmt(all.total((k) => !isWatch(k)) / podsCreated)}/pod` +
        ` (benchmark's own ${fmt(s.after.bench.minus(s.before.bench).total((k) => !isWatch(k)) / podsCreated)}/pod)`,
    );
  }
  console.log(
    `controller-manager API writes per pod created: ${fmt(overallWrites)}   target <= ${writesPerPodTarget}: ${overallWrites <= writesPerPodTarget ? 'met' : 'NOT met'}` +
      ` (${cmClientMetrics ? 'from its rest_client_requests_total' : "its /metrics has no client request counts: the API server's counts less the benchmark's own"})`,
  );

  console.log('');
  console.log("requests of the controller-manager, scheduler and hollow nodes by verb and resource (the API server's counts less the benchmark's), per phase:");
  const tables = phases.map((p) => componentRequests(p.before, p.after));
  const keys = [...new Set(tables.flatMap((t) => t.rows((k) => !isWatch(k)).map(([k]) => k)))].sort((a, b) => tables.reduce((x, t) => x + t.get(b), 0) - tables.reduce((x, t) => x + t.get(a), 0));
  console.log(`  ${'request'.padEnd(32)}${phases.map((p) => p.name.padStart(16)).join('')}`);
  for (const k of keys) console.log(`  ${k.padEnd(32)}${tables.map((t) => String(t.get(k)).padStart(16)).join('')}${isWrite(k) ? '   (write)' : ''}`);
  console.log('benchmark\'s own requests, per phase:');
  const own = phases.map((p) => p.after.bench.minus(p.before.bench));
  for (const k of [...new Set(own.flatMap((t) => [...t.counts.keys()]))].sort()) console.log(`  ${k.padEnd(32)}${own.map((t) => String(t.get(k)).padStart(16)).join('')}`);

  console.log('');
  console.log('CPU seconds per process, per phase:');
  console.log(`  ${'process'.padEnd(20)}${phases.map((p) => p.name.padStart(16)).join('')}`);
  for (const proc of Object.keys(first.cpu)) {
    console.log(`  ${proc.padEnd(20)}${phases.map((p) => fmt((p.after.cpu[proc] ?? NaN) - (p.before.cpu[proc] ?? NaN), 1).padStart(16)).join('')}`);
  }
  console.log('controller reconciles (count, total seconds in reconcile), per phase:');
  const controllers = [...new Set(last.cm.filter((s) => s.name === 'controller_runtime_reconcile_total').map((s) => s.labels.controller ?? ''))].sort();
  for (const c of controllers) {
    const cells = phases.map((p) => {
      const count = sum(p.after.cm, 'controller_runtime_reconcile_total', (l) => l.controller === c) - sum(p.before.cm, 'controller_runtime_reconcile_total', (l) => l.controller === c);
      const errors = sum(p.after.cm, 'controller_runtime_reconcile_errors_total', (l) => l.controller === c) - sum(p.before.cm, 'controller_runtime_reconcile_errors_total', (l) => l.controller === c);
      const secs = sum(p.after.cm, 'controller_runtime_reconcile_time_seconds_sum', (l) => l.controller === c) - sum(p.before.cm, 'controller_runtime_reconcile_time_seconds_sum', (l) => l.controller === c);
      return `${count}${errors ? ` (${errors} err)` : ''}, ${fmt(secs, 1)} s`;
    });
    console.log(`  ${c.padEnd(20)}${cells.map((x) => x.padStart(24)).join('')}`);
  }
  const problems = cmLog.problems();
  if (problems.length) {
    console.log('controller-manager warnings and errors logged:');
    for (const [k, v] of problems.slice(0, 10)) console.log(`  ${String(v).padStart(6)}  ${k}`);
  }
}

