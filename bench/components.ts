/**
 * Marina components (`node dist/cli/main.js <command>`) as child processes of a benchmark:
 * started with the server V8 flags, optionally under --cpu-prof; ready once they print their
 * first line (their URL or address); stopped with SIGTERM, then SIGKILL after 15 s; killed if
 * the benchmark itself is interrupted. Also what a process used so far (CPU, memory), and a
 * kubeconfig for the components to reach the benchmark's API server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { serverNodeFlags } from '../cli/nodeFlags';

export interface Component {
  readonly child: ChildProcess;
  /** The first line it printed on stdout (its URL or address). */
  readonly firstLine: string;
  readonly exited: Promise<void>;
}

export interface ComponentOptions {
  /** Profile it (node --cpu-prof) into `<profileDir>/<name>.cpuprofile`. */
  readonly profileDir?: string;
  /** Added to the benchmark's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives its stderr lines; default: its stderr is the benchmark's. */
  readonly onStderrLine?: (line: string) => void;
}

/** Children still running: killed if the benchmark is interrupted. */
const children = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

export async function startComponent(name: string, args: readonly string[], options: ComponentOptions = {}): Promise<Component> {
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...serverNodeFlags, ...profile, join(__dirname, '../cli/main.js'), ...args], {
    stdio: ['ignore', 'pipe', options.onStderrLine ? 'pipe' : 'inherit'],
    env: { ...process.env, ...options.env },
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  if (options.onStderrLine) createInterface({ input: child.stderr! }).on('line', options.onStderrLine);
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
  return { child, firstLine, exited };
}

export async function stopComponent(c: Component | undefined): Promise<void> {
  if (!c || c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  const timer = setTimeout(() => c.child.kill('SIGKILL'), 15_000);
  await c.exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system) a process used so far; undefined: this process. NaN once it is gone. */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The machine's CPU time so far by state, in clock ticks summed over every CPU (/proc/stat). */
export interface MachineCpu {
  readonly busy: number;
  readonly idle: number;
  /** Time the hypervisor gave this VM's CPUs to others while they had work: a busy host. */
  readonly steal: number;
}

export async function machineCpu(): Promise<MachineCpu> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
  // cpu  user nice system idle iowait irq softirq steal ...
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  return { busy: user! + nice! + system! + irq! + softirq!, idle: idle! + iowait!, steal: steal! };
}

/** Shares of the machine's CPU time over an interval, in percent. */
export interface MachineCpuShares {
  readonly idle: number;
  /** Given by the hypervisor to other guests while this machine's CPUs had work. */
  readonly steal: number;
}

/** The shares of idle and host-stolen time between two readings. */
export function machineCpuShares(before: MachineCpu, after: MachineCpu): MachineCpuShares {
  const busy = after.busy - before.busy;
  const idle = after.idle - before.idle;
  const steal = after.steal - before.steal;
  const total = Math.max(1, busy + idle + steal);
  return { idle: (100 * idle) / total, steal: (100 * steal) / total };
}

/** The shares as words: "idle 11%, stolen by the host 2%". */
export function describeMachineCpu(shares: MachineCpuShares): string {
  return `idle ${shares.idle.toFixed(0)}%, stolen by the host ${shares.steal.toFixed(0)}%`;
}

/** A process's resident memory now and at its peak, in MiB. */
export async function memoryMiB(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const mib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: mib('VmRSS'), peak: mib('VmHWM') };
}

/** Writes `<dir>/kubeconfig` for an API server at `server` (no credentials); returns its path. */
export async function writeBenchKubeconfig(dir: string, server: string): Promise<string> {
  const path = join(dir, 'kubeconfig');
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: bench', `  cluster: {server: ${JSON.stringify(server)}}`, 'contexts:', '- name: bench', '  context: {cluster: bench, user: bench}', 'current-context: bench', 'users:', '- name: bench', '  user: {}', ''];
  await writeFile(path, lines.join('\n'));
  return path;
}
