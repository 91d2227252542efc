/**
 * What the API server benchmarks share: an API server process on an etcd, a pool of lean load
 * clients, and running N creates on C concurrent workers with their latencies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { serverNodeFlags } from '../../cli/nodeFlags';
import { loadClient, type LoadClient } from './httpLoad';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `total` tasks on `concurrency` workers; returns per-task latencies (ms) and the wall time. */
export async function runConcurrent(concurrency: number, total: number, task: (i: number, worker: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  let next = 0;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = next++; i < total; i = next++) {
        const t0 = performance.now();
        await task(i, worker);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - start) / 1000 };
}

/** A client per worker, each on its own keep-alive connection. */
export function clients(url: string, count: number): LoadClient[] {
  const { hostname, port } = new URL(url);
  return Array.from({ length: count }, () => loadClient(hostname, Number(port)));
}

export async function post(client: LoadClient, path: string, body: object): Promise<void> {
  const code = await client.post(path, JSON.stringify(body));
  if (code !== 201) throw new Error(`POST ${path}: HTTP ${code}`);
}

export async function startApiServerProcess(etcd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...serverNodeFlags, join(__dirname, '../../cli/main.js'), 'apiserver', '--etcd-servers', etcd, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MARINA_LOG_LEVEL: 'warn' },
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`apiserver exited with ${code}`)));
  });
  return { child, url };
}

