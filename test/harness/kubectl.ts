/**
 * Runs the real kubectl (/usr/bin/kubectl) against a test control plane: a kubeconfig for its URL
 * and a fresh cache directory per runner (kubectl caches discovery and OpenAPI on disk), never
 * any compatibility flag. `run` resolves with what kubectl printed; `start` is for commands that
 * keep running (`get -w`, `logs -f`), read until a line appears and then killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const kubectlPath = '/usr/bin/kubectl';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to kubectl's stdin, then closed. */
  readonly stdin?: string;
  /** Default 60 s; the process is killed after it. */
  readonly timeoutMs?: number;
}

export interface RunningKubectl {
  readonly process: ChildProcess;
  /** Everything printed on stdout so far. */
  output(): string;
  /** Resolves once stdout contains `text` (or matches it), rejects after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code once kubectl ends by itself (e.g. `logs -f` of a container that ended), rejects after `timeoutMs`. */
  ended(timeoutMs?: number): Promise<number>;
  stop(): Promise<KubectlResult>;
}

export interface Kubectl {
  readonly kubeconfig: string;
  run(args: readonly string[], options?: RunOptions): Promise<KubectlResult>;
  start(args: readonly string[]): RunningKubectl;
  /** Removes the kubeconfig and cache dir. */
  dispose(): Promise<void>;
}

/** A kubectl runner for the API server at `server` (e.g. http://127.0.0.1:34567). */
export async function createKubectl(server: string): Promise<Kubectl> {
  const dir = await mkdtemp(join(tmpdir(), 'marina-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: test',
      '  cluster:',
      `    server: ${server}`,
      'contexts:',
      '- name: test',
      '  context: {cluster: test, user: test, namespace: default}',
      'current-context: test',
      'users:',
      '- name: test',
      '  user: {}',
      '',
    ].join('\n'),
  );
  return kubectlRunner(dir, kubeconfig);
}

/** A kubectl runner using an existing kubeconfig file (e.g. the one `marina up` writes). */
export async function createKubectlForKubeconfig(kubeconfig: string): Promise<Kubectl> {
  return kubectlRunner(await mkdtemp(join(tmpdir(), 'marina-kubectl-')), kubeconfig);
}

/** kubectl with `kubeconfig`, its cache and HOME in `dir` (removed by dispose). */
function kubectlRunner(dir: string, kubeconfig: string): Kubectl {
  const cacheDir = join(dir, 'cache');
  const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir, HOME: dir };
  const argv = (args: readonly string[]) => ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args];

  const start = (args: readonly string[]): RunningKubectl => {
    const child = spawn(kubectlPath, argv(args), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const listeners = new Set<() => void>();
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      for (const l of listeners) l();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
    return {
      process: child,
      output: () => stdout,
      waitFor: (text, timeoutMs = 30_000) =>
        new Promise<void>((resolve, reject) => {
          const found = () => (typeof text === 'string' ? stdout.includes(text) : text.test(stdout));
          if (found()) return resolve();
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`kubectl ${args.join(' ')} did not print ${String(text)} within ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`));
          }, timeoutMs);
          const check = () => {
            if (!found()) return;
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          };
          listeners.add(check);
        }),
      ended: (timeoutMs = 30_000) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`kubectl ${args.join(' ')} still running after ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`)), timeoutMs);
        });
        return Promise.race([exited, late]).finally(() => clearTimeout(timer));
      },
      stop: async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        const code = await exited;
        return { code, stdout, stderr };
      },
    };
  };

  const run = async (args: readonly string[], options: RunOptions = {}): Promise<KubectlResult> => {
    const running = start(args);
    running.process.stdin!.end(options.stdin ?? '');
    const timer = setTimeout(() => running.process.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    const exit = new Promise<number>((resolve) => running.process.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
    const code = await exit;
    clearTimeout(timer);
    const result = await running.stop();
    return { ...result, code };
  };

  return { kubeconfig, run, start, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** A kubectl runner for the suite's control plane, disposed after the suite. */
export function useKubectl(server: () => string): { get(): Kubectl } {
  let kubectl: Kubectl | undefined;
  beforeAll(async () => {
    kubectl = await createKubectl(server());
  });
  afterAll(() => kubectl?.dispose());
  return {
    get: () => {
      if (!kubectl) throw new Error('kubectl runner not ready (used outside a test?)');
      return kubectl;
    },
  };
}
