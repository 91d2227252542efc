/**
 * Runs an etcd server as a child process on loopback: used by `marina up`, the test harness and
 * the benchmarks. The process is killed when this one exits, so a crashed test leaves none behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
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
  // A free port can be taken by someone else before etcd binds it (tests start many at once):
  // then etcd exits, and with ports of our own choosing we simply try other ones.
  const choosesPorts = options.clientPort === undefined && options.peerPort === undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEtcdOnce(options);
    } catch (err) {
      if (!(err instanceof PortLostError) || !choosesPorts || attempt >= 5) throw err;
    }
  }
}

class PortLostError extends Error {}

async function startEtcdOnce(options: EtcdProcessOptions): Promise<EtcdProcess> {
  const clientPort = options.clientPort ?? (await freePort());
  const peerPort = options.peerPort ?? (await freePort());
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  // A name of its own, to tell this etcd from another one that may answer on the same port. It
  // is derived from the data dir, so a restart on the same data keeps the member's name.
  const name = `marina-${createHash('sha256').update(resolve(options.dataDir)).digest('hex').slice(0, 12)}`;
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const child = spawn(
    options.binary ?? 'etcd',
    [
      `--name=${name}`,
      `--data-dir=${options.dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=${name}=${peer}`,
      '--logger=zap',
      '--log-level=warn',
      // Kubernetes' own settings: large requests for big lists, history kept by the API server.
      '--max-request-bytes=10485760',
      '--quota-backend-bytes=8589934592',
    ],
    // Its own process group: a Ctrl-C in a terminal reaches only its parent, which stops it last.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
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
    if (early !== 'pending') {
      const why = logTail.trim().split('\n').slice(-3).join(' | ');
      if (/address already in use/.test(logTail)) throw new PortLostError(`etcd could not bind its ports: ${why}`);
      throw new Error(`etcd exited with code ${early} before becoming healthy: ${why}`);
    }
    if ((await healthy(client)) && (await isMember(client, name))) break;
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

/** Whether the etcd answering at `endpoint` is the member called `name` (ours). */
async function isMember(endpoint: string, name: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/v3/cluster/member/list`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1_000) });
    const body = (await res.json()) as { members?: { name?: string }[] };
    return (body.members ?? []).some((m) => m.name === name);
  } catch {
    return false;
  }
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
