/**
 * `marina up` and `marina down`: a whole local cluster in one command (cli/up/cluster.ts), in the
 * foreground (Ctrl-C stops everything) or with --detach (a background supervisor; `marina down`
 * stops it). The kubeconfig goes to DATA_DIR/kubeconfig and the `export KUBECONFIG=` line is
 * printed once every node is Ready.
 */
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { portNumber, stopOnSignal } from './flags';
import { startCluster } from './up/cluster';
import { processAlive, readState, removeState, writeState, type UpState } from './up/state';

export { kubeconfigYaml } from './up/kubeconfig';

interface UpOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly etcdPort: number;
  readonly nodes: number;
  readonly hollowNodes: number;
  readonly detach: boolean;
  readonly timeout: number;
}

const defaultDataDir = join(homedir(), '.marina');
/** Set in the background supervisor `marina up --detach` starts. */
const detachedChildEnv = 'MARINA_UP_DETACHED';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

export function upCommand(): Command {
  return new Command('up')
    .description('Bring up a local cluster: etcd, API server, controller-manager, scheduler and node agents')
    .option('--data-dir <dir>', 'etcd data, logs, node state and the kubeconfig', defaultDataDir)
    .option('--port <port>', 'API server port (0: any free port)', portNumber, 6443)
    .option('--etcd-port <port>', 'etcd client port (0: any free port)', portNumber, 0)
    .option('--nodes <n>', 'real node agents (containerd)', count, 1)
    .option('--hollow-nodes <n>', 'simulated node agents', count, 0)
    .option('--detach', 'run in the background (stop it with `marina down`)', false)
    .option('--timeout <seconds>', 'how long to wait for every node to be Ready', count, 120)
    .action(async (opts: UpOptions) => {
      const dataDir = resolve(opts.dataDir);
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      const running = await readState(dataDir);
      if (running && running.pid !== process.pid && processAlive(running.pid)) {
        throw new Error(`a cluster is already running from ${dataDir} (pid ${running.pid}); stop it with \`marina down --data-dir ${dataDir}\``);
      }
      if (opts.detach && !process.env[detachedChildEnv]) return detach(dataDir);
      await foreground(dataDir, opts);
    });
}

async function foreground(dataDir: string, opts: UpOptions): Promise<void> {
  const startedAt = Date.now();
  const notify = (line: string) => process.stderr.write(`marina up: ${line}\n`);
  let stopping = false;
  // Ctrl-C while starting: whatever was started is stopped before exiting.
  const startup = new AbortController();
  const interrupt = () => startup.abort();
  process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
  const cluster = await startCluster({
    dataDir,
    port: opts.port,
    etcdPort: opts.etcdPort,
    nodes: opts.nodes,
    hollowNodes: opts.hollowNodes,
    readyTimeoutMs: opts.timeout * 1000,
    notify: (line) => !stopping && notify(line),
    signal: startup.signal,
  }).finally(() => process.off('SIGINT', interrupt).off('SIGTERM', interrupt));
  const state: UpState = {
    pid: process.pid,
    server: cluster.server,
    etcd: cluster.etcd,
    kubeconfig: join(dataDir, 'kubeconfig'),
    logDir: cluster.logDir,
    nodes: cluster.nodeNames,
    startedAt: new Date(startedAt).toISOString(),
    ready: true,
  };
  await writeState(dataDir, state);
  // Listening for Ctrl-C before saying we are up: whoever reads the summary may press it at once.
  const stopped = stopOnSignal(async () => {
    stopping = true;
    process.stdout.write('Stopping...\n');
    await cluster.stop();
    await removeState(dataDir);
    process.stdout.write('Marina stopped.\n');
  });
  process.stdout.write(summary(state, (Date.now() - startedAt) / 1000));
  if (!process.env[detachedChildEnv]) process.stdout.write('Press Ctrl-C to stop.\n');
  await stopped;
}

function summary(state: UpState, seconds: number): string {
  const nodes = state.nodes.length === 0 ? 'no nodes' : `${state.nodes.length} node${state.nodes.length === 1 ? '' : 's'} Ready (${state.nodes.slice(0, 3).join(', ')}${state.nodes.length > 3 ? ', ...' : ''})`;
  return [`Marina is up in ${seconds.toFixed(1)} s: API server ${state.server}, ${nodes}`, `Logs: ${state.logDir}`, `export KUBECONFIG=${state.kubeconfig}`, ''].join('\n');
}

/** Starts the supervisor in the background and returns once the cluster is up (or failed to come up). */
async function detach(dataDir: string): Promise<void> {
  const startedAt = Date.now();
  await mkdir(join(dataDir, 'logs'), { recursive: true });
  const logFile = join(dataDir, 'logs', 'up.log');
  const out = openSync(logFile, 'a');
  const args = process.argv.slice(2).filter((a) => a !== '--detach');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, [detachedChildEnv]: '1' },
  });
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ?? `code ${code}`));
  for (;;) {
    const state = await readState(dataDir);
    if (state && state.pid === child.pid && state.ready) break;
    if (exit !== undefined) {
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n  ');
      throw new Error(`the cluster did not come up (supervisor exited, ${exit}):\n  ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.unref();
  const state = (await readState(dataDir))!;
  process.stdout.write(summary(state, (Date.now() - startedAt) / 1000));
  process.stdout.write(`Running in the background (pid ${state.pid}); stop it with: marina down${dataDir === defaultDataDir ? '' : ` --data-dir ${dataDir}`}\n`);
}

export function downCommand(): Command {
  return new Command('down')
    .description('Stop the cluster `marina up --detach` started')
    .option('--data-dir <dir>', 'the data dir it was started with', defaultDataDir)
    .option('--timeout <seconds>', 'how long to wait for it to stop before killing it', count, 90)
    .action(async (opts: { dataDir: string; timeout: number }) => {
      const dataDir = resolve(opts.dataDir);
      const state = await readState(dataDir);
      const pid = state?.pid;
      if (!state || pid === undefined || !processAlive(pid)) {
        await removeState(dataDir);
        process.stdout.write(`No cluster is running from ${dataDir}.\n`);
        return;
      }
      const startedAt = Date.now();
      process.kill(pid, 'SIGTERM');
      const deadline = startedAt + opts.timeout * 1000;
      while (processAlive(pid)) {
        if (Date.now() > deadline) {
          process.kill(pid, 'SIGKILL');
          throw new Error(`the cluster did not stop within ${opts.timeout} s and was killed; see ${state.logDir}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      await removeState(dataDir);
      process.stdout.write(`Marina stopped (${((Date.now() - startedAt) / 1000).toFixed(1)} s).\n`);
    });
}
