/**
 * A private containerd as a child process: its own config, root, state and gRPC socket under one
 * directory (no CRI plugin; runc through the default io.containerd.runc.v2 shim), ready once
 * `ctr --address SOCK version` answers. For tests, benchmarks and machines without a system
 * containerd. Stopping it deletes every task and container it has, stops it, kills shims that
 * outlived it and unmounts whatever is still mounted under its directory (the directory stays).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../network/command';
import { unmountUnder } from './mounts';

export interface ContainerdProcessOptions {
  /** Everything lives here: config.toml, root/, state/, containerd.sock. Keep the path short (sockets: 108 bytes). */
  readonly dir: string;
  /** How long to wait for containerd to answer. Default 20 s. */
  readonly readyTimeoutMs?: number;
  /** Where containerd's own log goes. Default: the last 8 KiB kept for error messages. */
  readonly logStream?: NodeJS.WritableStream;
}

export interface ContainerdProcess {
  /** The gRPC socket (`ctr --address`, the node agent's --containerd-address). */
  readonly address: string;
  readonly pid: number;
  /** Runs `ctr --address SOCK --namespace NS ARGS...`; rejects with ctr's message unless it exits 0. */
  ctr(namespace: string, args: readonly string[], input?: string | Buffer): Promise<string>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** containerd's config: everything under `dir`, the plugins a node agent does not use disabled. */
export function containerdConfig(dir: string): string {
  const disabled = [
    'io.containerd.grpc.v1.cri',
    'io.containerd.snapshotter.v1.aufs',
    'io.containerd.snapshotter.v1.btrfs',
    'io.containerd.snapshotter.v1.zfs',
    'io.containerd.snapshotter.v1.devmapper',
    'io.containerd.internal.v1.tracing',
    'io.containerd.tracing.processor.v1.otlp',
  ];
  return [
    'version = 2',
    `root = ${JSON.stringify(join(dir, 'root'))}`,
    `state = ${JSON.stringify(join(dir, 'state'))}`,
    `disabled_plugins = ${JSON.stringify(disabled)}`,
    '[grpc]',
    `  address = ${JSON.stringify(join(dir, 'containerd.sock'))}`,
    '[ttrpc]',
    `  address = ${JSON.stringify(join(dir, 'containerd.sock.ttrpc'))}`,
    '[debug]',
    '  address = ""',
    '[metrics]',
    '  address = ""',
    '',
  ].join('\n');
}

export async function startContainerd(options: ContainerdProcessOptions): Promise<ContainerdProcess> {
  const { dir } = options;
  const address = join(dir, 'containerd.sock');
  if (Buffer.byteLength(address) > 100) throw new Error(`containerd's socket path ${address} is too long for a unix socket`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const config = join(dir, 'config.toml');
  await writeFile(config, containerdConfig(dir));
  // Its own process group: a Ctrl-C in a terminal reaches only its parent, which stops it in order.
  const child = spawn('containerd', ['--config', config, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  running.add(child);
  let log = '';
  child.stderr!.on('data', (c: Buffer) => {
    options.logStream?.write(c);
    log = (log + c.toString('utf8')).slice(-8192);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot run containerd: ${e.message}`))));
  spawnError.catch(() => {});

  const ctr = async (namespace: string, args: readonly string[], input?: string | Buffer): Promise<string> => {
    const r = await runCommand('ctr', ['--address', address, '--namespace', namespace, ...args], { ...(input !== undefined ? { input } : {}), timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`ctr ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await removeEverything(ctr).catch(() => {});
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await killShims(address);
    await unmountUnder(dir);
  };

  try {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
    for (;;) {
      const r = await Promise.race([runCommand('ctr', ['--address', address, 'version'], { timeoutMs: 5_000 }), spawnError]);
      if (r.code === 0) break;
      if (child.exitCode !== null) throw new Error(`containerd exited (${child.exitCode}): ${log.trim().split('\n').slice(-5).join(' | ')}`);
      if (Date.now() > deadline) throw new Error(`containerd did not answer within the deadline: ${r.stderr.trim()}`);
      await new Promise((r2) => setTimeout(r2, 50));
    }
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { address, pid: child.pid!, ctr, stop };
}

/** Kills every task and deletes every container, in every namespace. */
async function removeEverything(ctr: ContainerdProcess['ctr']): Promise<void> {
  const namespaces = (await ctr('default', ['namespaces', 'ls', '-q'])).split('\n').filter(Boolean);
  for (const ns of namespaces) {
    const tasks = (await ctr(ns, ['tasks', 'ls', '-q']).catch(() => '')).split('\n').filter(Boolean);
    for (const id of tasks) await ctr(ns, ['tasks', 'delete', '--force', id]).catch(() => {});
    const containers = (await ctr(ns, ['containers', 'ls', '-q']).catch(() => '')).split('\n').filter(Boolean);
    for (const id of containers) await ctr(ns, ['containers', 'delete', id]).catch(() => {});
  }
}

/** Shims of this containerd (their command line names its socket) that are still running. */
async function killShims(address: string): Promise<void> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!argv[0]?.includes('containerd-shim') || !argv.includes(address)) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
