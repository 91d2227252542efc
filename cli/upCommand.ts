/**
 * `marina up`: a local control plane in the foreground — etcd, the API server and the
 * controller-manager as child processes, a kubeconfig in the data dir — until Ctrl-C, which stops
 * them all. The scheduler and node agents join as they are built.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { portNumber, stopOnSignal } from './apiserverCommand';
import { startEtcd } from './etcdProcess';
import { serverNodeFlags } from './nodeFlags';

interface UpOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly etcdPort: number;
}

export function upCommand(): Command {
  return new Command('up')
    .description('Bring up a local cluster (etcd + API server) in the foreground')
    .option('--data-dir <dir>', 'where etcd data, logs and the kubeconfig live', join(homedir(), '.marina'))
    .option('--port <port>', 'API server port', portNumber, 6443)
    .option('--etcd-port <port>', 'etcd client port', portNumber, 2379)
    .action(async (opts: UpOptions) => {
      const dataDir = resolve(opts.dataDir);
      const logDir = join(dataDir, 'logs');
      await mkdir(logDir, { recursive: true });
      const etcd = await startEtcd({
        dataDir: join(dataDir, 'etcd'),
        clientPort: opts.etcdPort,
        logStream: createWriteStream(join(logDir, 'etcd.log'), { flags: 'a' }),
      });
      const apiLog = createWriteStream(join(logDir, 'apiserver.log'), { flags: 'a' });
      const apiserver = spawn(process.execPath, [...serverNodeFlags, require.resolve('./main'), 'apiserver', '--etcd-servers', etcd.endpoint, '--port', String(opts.port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      apiserver.stdout.pipe(apiLog);
      apiserver.stderr.pipe(apiLog);
      const server = `http://127.0.0.1:${opts.port}`;
      try {
        await waitForReady(server, 20_000, () => apiserver.exitCode !== null);
      } catch (err) {
        apiserver.kill('SIGKILL');
        await etcd.stop();
        throw new Error(`${(err as Error).message} (see ${join(logDir, 'apiserver.log')})`);
      }
      const kubeconfig = join(dataDir, 'kubeconfig');
      await writeFile(kubeconfig, kubeconfigYaml(server), { mode: 0o600 });
      const components = [
        apiserver,
        component('controller-manager', ['controller-manager', '--kubeconfig', kubeconfig, '--health-port', '0'], join(logDir, 'controller-manager.log')),
      ];
      process.stdout.write(`Marina is up: API server ${server}, etcd ${etcd.endpoint}\n`);
      process.stdout.write(`export KUBECONFIG=${kubeconfig}\n`);
      process.stdout.write('Press Ctrl-C to stop.\n');
      await stopOnSignal(async () => {
        // The API server last, so the others can finish their last writes.
        for (const child of components.slice(1).reverse().concat(apiserver)) {
          const exited = new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
          child.kill('SIGTERM');
          await exited;
        }
        await etcd.stop();
      });
    });
}

async function waitForReady(server: string, timeoutMs: number, died: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (died()) throw new Error('the API server exited during startup');
    try {
      const res = await fetch(`${server}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the API server was not ready within ${timeoutMs} ms`);
}

export function kubeconfigYaml(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: marina',
    '  cluster:',
    `    server: ${server}`,
    'contexts:',
    '- name: marina',
    '  context:',
    '    cluster: marina',
    '    user: marina',
    'current-context: marina',
    'users:',
    '- name: marina',
    '  user: {}',
    '',
  ].join('\n');
}

/** Starts a component (`marina <args>`) as a child process logging to `logFile`. */
function component(name: string, args: readonly string[], logFile: string): ChildProcess {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...serverNodeFlags, require.resolve('./main'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  child.once('exit', (code, signal) => {
    if (signal !== 'SIGTERM' && code !== 0) process.stderr.write(`marina up: ${name} exited (${signal ?? code}); see ${logFile}\n`);
  });
  return child;
}
