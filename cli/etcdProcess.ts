/**
 * Runs an etcd server as a child process on loopback: used by `marina up`, the test harness and
 * the benchmarks. The process is killed when this one exits, so a crashed test leaves none behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { freePort } from './ports';

export interface EtcdProcessOptions {
  readonly dataDir: string;
  /** Default: a free port. */
  readonly clientPort?: number;
  /** Default: a free port. */
  readonly peerPort?: number;
  /** The etcd binary. Default: etcd on $PATH. */
  readonly binary?: string;
  /** How long to wait for /health. Default 15 s. */
  readonly startTimeoutMs?: number;
  /** Where etcd's own log goes. Default: kept in memory (last 8 KiB) for error messages. */
  readonly logStream?: NodeJS.WritableStream;
}

export interface EtcdProcess {
  /** e.g. http://127.0.0.1:23791 */
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startEtcd(options: EtcdProcessOptions): Promise<EtcdProcess> {
  const clientPort = options.clientPort ?? (await freePort());
  const peerPort = options.peerPort ?? (await freePort());
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const child = spawn(
    options.binary ?? 'etcd',
    [
      '--name=marina',
      `--data-dir=${options.dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=marina=${peer}`,
      '--logger=zap',
      '--log-level=warn',
      // Kubernetes' own settings: large requests for big lists, history kept by the API server.
      '--max-request-bytes=10485760',
      '--quota-backend-bytes=8589934592',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let logTail = '';
  const keep = (chunk: Buffer) => {
    if (options.logStream) options.logStream.write(chunk);
    else logTail = (logTail + chunk.toString()).slice(-8192);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('exit', () => running.delete(child));

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    const early = await Promise.race([exited, new Promise<'pending'>((r) => setTimeout(() => r('pending'), 50))]);
    if (early !== 'pending') throw new Error(`etcd exited with code ${early} before becoming healthy: ${logTail.trim().split('\n').slice(-3).join(' | ')}`);
    if (await healthy(client)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`etcd did not become healthy on ${client} within ${options.startTimeoutMs ?? 15_000} ms`);
    }
  }

  return {
    endpoint: client,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
    const body = (await res.json()) as { health?: string };
    return body.health === 'true';
  } catch {
    return false;
  }
}
