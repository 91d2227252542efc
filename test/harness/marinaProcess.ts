/**
 * Runs the compiled `marina` CLI (bin/marina.js → dist/) as a child process, the way scripts and
 * users start the components. `ensureCliBuilt()` rebuilds dist/ first when a source file is newer
 * than the last build (dist/.built); builds swap dist/ atomically, so test files running in
 * parallel may each build.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { kubeconfigYaml } from '../../cli/up/kubeconfig';

export const repoRoot = resolve(__dirname, '../..');

const sourceDirs = ['api', 'client', 'apiserver', 'controllers', 'scheduler', 'kubelet', 'cli', 'examples'];

/** Whether a source file is newer than the last build. */
function distIsStale(): boolean {
  let built: number;
  try {
    built = statSync(join(repoRoot, 'dist', '.built')).mtimeMs;
  } catch {
    return true;
  }
  const newer = (dir: string): boolean => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isDirectory() ? newer(join(dir, e.name)) : e.name.endsWith('.ts') && statSync(join(dir, e.name)).mtimeMs > built));
  };
  return sourceDirs.some((d) => newer(join(repoRoot, d)));
}

/** Builds dist/ when it is missing or older than the sources (call from beforeAll, ~60 s timeout). */
export function ensureCliBuilt(): void {
  if (!distIsStale()) return;
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
}

/** Writes a kubeconfig for `server` into `dir` (a fresh file each call) and returns its path. */
export async function writeKubeconfig(dir: string, server: string): Promise<string> {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, kubeconfigYaml(server));
  return file;
}

export interface MarinaProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  alive(): boolean;
  /** SIGKILL if still running, then wait for the exit. */
  kill(): Promise<void>;
}

/** Starts `marina ARGS...` from the repository root with stdout and stderr captured. */
export function startMarina(args: readonly string[]): MarinaProcess {
  return startNode(['bin/marina.js', ...args]);
}

/** Starts `node ARGS...` (a script of the repository, e.g. under dist/) from the repository root with stdout and stderr captured. */
export function startNode(args: readonly string[], env: NodeJS.ProcessEnv = process.env): MarinaProcess {
  const child = spawn(process.execPath, [...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    alive,
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The probe server address a component prints on stdout once it serves (`http://127.0.0.1:PORT`). */
export function probeAddress(proc: MarinaProcess): string | undefined {
  return proc.stdout().match(/^(http:\/\/127\.0\.0\.1:\d+)$/m)?.[1];
}
