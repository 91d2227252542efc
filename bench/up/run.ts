/**
 * `marina up` startup benchmark: the time from running the command to its "export KUBECONFIG="
 * line, which it prints once every node is Ready (measured by the process that ran it, like a user
 * with a stopwatch), on a fresh data dir and again on the same data dir (a restart keeps the
 * objects), then the time Ctrl-C takes to stop everything, and whether anything was left behind.
 * Target: a Ready node in under 5 s once installed (k3s takes tens of seconds, kind a minute).
 * Usage: npm run bench:up [-- --runs N --nodes N --hollow-nodes N]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchmark } from '../runBenchmark';

const targetSeconds = 5;
const marina = join(__dirname, '../../cli/main.js');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = Number(process.argv[i + 1]);
  return i >= 0 && Number.isInteger(v) && v >= 0 ? v : fallback;
}

interface Run {
  readonly upSeconds: number;
  readonly stopSeconds: number;
  readonly leftBehind: readonly string[];
}

/** Processes whose command line mentions `dir` (what a stopped cluster must not leave running). */
async function processesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' ');
    if (cmdline.includes(dir)) found.push(`${entry} ${cmdline.slice(0, 100)}`);
  }
  return found;
}

async function upOnce(dataDir: string, args: readonly string[]): Promise<Run> {
  const started = performance.now();
  // Its own process group, so the "Ctrl-C" below reaches it as a terminal's would.
  const child = spawn(process.execPath, [marina, 'up', '--data-dir', dataDir, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('export KUBECONFIG=')) resolve();
    });
    void exited.then((code) => reject(new Error(`marina up exited (${code}) before it was up:\n${err.trim().slice(-2000)}`)));
  });
  const upSeconds = (performance.now() - started) / 1000;
  const stopping = performance.now();
  process.kill(-child.pid!, 'SIGINT');
  const code = await exited;
  if (code !== 0) throw new Error(`marina up exited ${code} on Ctrl-C:\n${err.trim().slice(-2000)}`);
  return { upSeconds, stopSeconds: (performance.now() - stopping) / 1000, leftBehind: await processesUnder(dataDir) };
}

async function main(): Promise<void> {
  const runs = Math.max(1, flag('--runs', 3));
  const nodes = flag('--nodes', 1);
  const hollow = flag('--hollow-nodes', 0);
  const args = ['--nodes', String(nodes), '--hollow-nodes', String(hollow)];
  console.log(`marina up benchmark: ${runs} runs, ${nodes} real node(s), ${hollow} hollow node(s); each run: a fresh data dir, then a restart on it`);
  const fresh: Run[] = [];
  const again: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), 'marina-bench-up-'));
    try {
      fresh.push(await upOnce(dataDir, args));
      again.push(await upOnce(dataDir, args));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    const last = (xs: Run[]) => xs[xs.length - 1]!;
    console.log(`  run ${i + 1}: up ${last(fresh).upSeconds.toFixed(2)} s (fresh), ${last(again).upSeconds.toFixed(2)} s (same data dir); Ctrl-C stopped it in ${last(fresh).stopSeconds.toFixed(2)} s / ${last(again).stopSeconds.toFixed(2)} s`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const upFresh = median(fresh.map((r) => r.upSeconds));
  const upAgain = median(again.map((r) => r.upSeconds));
  const left = [...fresh, ...again].flatMap((r) => r.leftBehind);
  console.log('');
  console.log(`command to Ready node (median, fresh data dir): ${upFresh.toFixed(2)} s   target < ${targetSeconds} s: ${upFresh < targetSeconds ? 'met' : 'NOT met'}`);
  console.log(`command to Ready node (median, same data dir):  ${upAgain.toFixed(2)} s   target < ${targetSeconds} s: ${upAgain < targetSeconds ? 'met' : 'NOT met'}`);
  console.log(`Ctrl-C to everything stopped (median):          ${median([...fresh, ...again].map((r) => r.stopSeconds)).toFixed(2)} s`);
  console.log(`processes left behind after Ctrl-C:             ${left.length === 0 ? 'none' : left.join('; ')}`);
}

runBenchmark(main);
