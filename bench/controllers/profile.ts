/**
 * A summary of a V8 CPU profile (`node --cpu-prof`), for when a benchmark target is missed:
 * where a process spent its time, as three tables —
 *   - self time by function (the hot spots);
 *   - by the innermost Marina source file on the stack (which of our code did, or asked for, the
 *     work: JSON parsing under the informer counts for client/informer/…);
 *   - by the outermost Marina source file (which entry point the work was for: a controller's
 *     reconcile, the informer's event delivery, the REST client…).
 * Usage: node dist/bench/controllers/profile.js FILE.cpuprofile
 */
import { readFile } from 'node:fs/promises';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** Wall time covered, ms. */
  readonly durationMs: number;
  /** Time not idle, ms. */
  readonly busyMs: number;
  readonly selfByFunction: [string, number][];
  readonly byInnermostFile: [string, number][];
  readonly byOutermostFile: [string, number][];
}

/** Our source file of a frame (`controllers/replicaset/controller`), or undefined. */
export function marinaFile(url: string): string | undefined {
  const m = /\/dist\/((?:api|client|apiserver|controllers|cli|scheduler|kubelet)\/.+)\.js$/.exec(url);
  return m?.[1];
}

function label(frame: CallFrame): string {
  const file = marinaFile(frame.url) ?? frame.url.replace(/^.*\/node_modules\//, '').replace(/^node:/, 'node:');
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
}

export function summarize(profile: CpuProfile, n = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inner = new Map<string, number>();
  const outer = new Map<string, number>();
  let busy = 0;
  let total = 0;
  // A sample's time is the delta to the next one.
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    total += ms;
    const leaf = byId.get(profile.samples[i]!);
    if (!leaf) continue;
    const fn = leaf.callFrame.functionName;
    if (fn === '(idle)') continue;
    busy += ms;
    add(self, label(leaf.callFrame), ms);
    let innermost: string | undefined;
    let outermost: string | undefined;
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const file = marinaFile(byId.get(id)!.callFrame.url);
      if (file) {
        innermost ??= file;
        outermost = file;
      }
    }
    const other = fn.startsWith('(') ? fn : '(no Marina frame: node internals, timers, I/O)';
    add(inner, innermost ?? other, ms);
    add(outer, outermost ?? other, ms);
  }
  return { durationMs: total, busyMs: busy, selfByFunction: top(self, n), byInnermostFile: top(inner, n), byOutermostFile: top(outer, n) };
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / Math.max(1, s.busyMs)).toFixed(1).padStart(5)}%`;
  const table = (heading: string, rows: [string, number][]) => [`  ${heading}:`, ...rows.map(([k, ms]) => `    ${(ms / 1000).toFixed(2).padStart(7)} s ${pct(ms)}  ${k}`)];
  return [
    `${title}: busy ${(s.busyMs / 1000).toFixed(1)} s of ${(s.durationMs / 1000).toFixed(1)} s profiled`,
    ...table('self time by function', s.selfByFunction),
    ...table('by innermost Marina file on the stack', s.byInnermostFile),
    ...table('by outermost Marina file on the stack', s.byOutermostFile),
  ].join('\n');
}

export async function summarizeFile(path: string, n?: number): Promise<ProfileSummary> {
  return summarize(JSON.parse(await readFile(path, 'utf8')) as CpuProfile, n);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/bench/controllers/profile.js FILE.cpuprofile');
    process.exit(2);
  }
  summarizeFile(file).then(
    (s) => console.log(formatSummary(file, s)),
    (err: unknown) => {
      console.error(String(err));
      process.exit(1);
    },
  );
}
