/**
 * The global flags every client verb takes, as kubectl's (`--kubeconfig`, `--context`,
 * kubeconfig (`--kubeconfig`, else the files of `$KUBECONFIG`, else ~/.kube/config, else the
 * `~/.marina/kubeconfig` that `marina up` writes), a RestClient for its server, the namespace
 * and a lazily loaded RESTMapper.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { kubeconfigFromDocument, mergeKubeconfigDocuments, parseKubeconfigText, type Kubeconfig } from '../../client/kubeconfig';
import { RestClient } from '../../client/restClient';
import { RestMapper } from './discovery';
import { CliError, type Io } from './io';

export interface GlobalOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly server?: string;
}

/** Adds the global flags to a verb (they are also accepted before the verb: `marina -n x get pods`). */
export function withGlobalFlags(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <namespace>', 'the namespace scope of the request')
    .option('-s, --server <url>', 'the address of the API server (overrides the kubeconfig)')
}

/** The global flags of a command and its ancestors, the command's own winning. */
export function globalOptions(cmd: Command): GlobalOptions {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.unshift(c);
  const out: Record<string, unknown> = {};
  for (const c of chain) {
    for (const [k, v] of Object.entries(c.opts())) if (v !== undefined) out[k] = v;
  }
  return {
    ...(typeof out['kubeconfig'] === 'string' ? { kubeconfig: out['kubeconfig'] } : {}),
    ...(typeof out['context'] === 'string' ? { context: out['context'] } : {}),
    ...(typeof out['namespace'] === 'string' ? { namespace: out['namespace'] } : {}),
    ...(typeof out['server'] === 'string' ? { server: out['server'] } : {}),
  };
}

/** The kubeconfig files in effect, in precedence order. */
export function kubeconfigPaths(io: Io, flag?: string): string[] {
  if (flag) return [resolve(io.cwd, flag)];
  const env = io.env.KUBECONFIG;
  if (env) {
    const paths = env
      .split(delimiter)
      .filter(Boolean)
      .map((p) => (isAbsolute(p) ? p : resolve(io.cwd, p)));
    return [...new Set(paths)];
  }
  const home = io.env.HOME || homedir();
  const kube = join(home, '.kube', 'config');
  const marina = join(home, '.marina', 'kubeconfig');
  if (!existsSync(kube) && existsSync(marina)) return [marina];
  return [kube];
}

/** The merged kubeconfig document of the files in effect (files that do not exist are skipped, except --kubeconfig). */
export async function loadKubeconfigDocument(io: Io, flag?: string): Promise<{ doc: Record<string, unknown>; paths: string[] }> {
  const paths = kubeconfigPaths(io, flag);
  const files: { path: string; doc: Record<string, unknown> }[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (flag || (err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
      continue;
    }
    files.push({ path, doc: parseKubeconfigText(text, path) });
  }
  return { doc: mergeKubeconfigDocuments(files), paths };
}

export interface Session {
  readonly io: Io;
  readonly client: RestClient;
  /** The namespace of the request: -n, else the context's, else `default`. */
  readonly namespace: string;
  /** Whether -n was given (apply refuses a manifest of another namespace then). */
  readonly namespaceExplicit: boolean;
  readonly kubeconfig?: Kubeconfig;
  /** Discovery, read once per session. */
  mapper(): Promise<RestMapper>;
}

export async function openSession(io: Io, options: GlobalOptions): Promise<Session> {
  let kubeconfig: Kubeconfig | undefined;
  let server = options.server;
  let namespace = 'default';
  if (!server || options.context) {
    const { doc, paths } = await loadKubeconfigDocument(io, options.kubeconfig);
    const noContext = !options.context && !doc['current-context'];
    if (noContext && !server) {
      throw new CliError(`no server to talk to: no current context in ${paths.join(', ')} (use --kubeconfig, $KUBECONFIG, --server, or start one with 'marina up')`);
    }
    if (!noContext) {
      try {
        kubeconfig = kubeconfigFromDocument(doc, { ...(options.context ? { context: options.context } : {}), ...(paths.length === 1 ? { path: paths[0]! } : {}) });
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      server ??= kubeconfig.server;
      namespace = kubeconfig.namespace;
    }
  }
  if (!server) throw new CliError('no server to talk to');
  if (!/^https?:\/\//.test(server)) server = `http://${server}`;
  const client = new RestClient({ server, userAgent: 'marina-cli/0.1.0', rateLimit: { qps: 50, burst: 100 }, maxRetries: 3 });
  let mapper: Promise<RestMapper> | undefined;
  return {
    io,
    client,
    namespace: options.namespace ?? namespace,
    namespaceExplicit: options.namespace !== undefined,
    ...(kubeconfig ? { kubeconfig } : {}),
    mapper: () => (mapper ??= RestMapper.discover(client)),
  };
}
