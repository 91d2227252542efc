/**
 * Reading a kubeconfig, as kubectl and client-go do: the current context names a cluster (the API
 * server's URL) and a user, and may set a default namespace. Marina speaks plain HTTP and needs
 * no credentials today; token and certificate fields are read (and relative file paths resolved
 * against the kubeconfig's directory) so configs written for real clusters load without error.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

export interface KubeconfigCluster {
  readonly server: string;
  readonly certificateAuthority?: string;
  readonly certificateAuthorityData?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
}

export interface KubeconfigUser {
  readonly token?: string;
  readonly tokenFile?: string;
  readonly clientCertificate?: string;
  readonly clientCertificateData?: string;
  readonly clientKey?: string;
  readonly clientKeyData?: string;
  readonly username?: string;
  readonly password?: string;
}

export interface Kubeconfig {
  /** The file it was read from (absent for loadKubeconfigText without a path). */
  readonly path?: string;
  readonly contextName: string;
  readonly clusterName: string;
  readonly userName?: string;
  /** The API server URL without a trailing slash, e.g. http://127.0.0.1:6443. */
  readonly server: string;
  /** The context's namespace, or 'default'. */
  readonly namespace: string;
  readonly cluster: KubeconfigCluster;
  readonly user: KubeconfigUser;
}

export interface KubeconfigOptions {
  /** Use this context instead of current-context. */
  readonly context?: string;
}

/** Reads the kubeconfig at `path`; throws an Error naming the file and what is missing. */
export async function loadKubeconfig(path: string, options: KubeconfigOptions = {}): Promise<Kubeconfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read kubeconfig ${path}: ${(err as Error).message}`);
  }
  return loadKubeconfigText(text, { ...options, path });
}

/** Parses kubeconfig text; relative file paths are resolved against `path`'s directory (else the working directory). */
export function loadKubeconfigText(text: string, options: KubeconfigOptions & { readonly path?: string } = {}): Kubeconfig {
  return kubeconfigFromDocument(parseKubeconfigText(text, options.path), options);
}

/** The YAML document of a kubeconfig file (a mapping); throws an Error naming the file. */
export function parseKubeconfigText(text: string, path?: string): Record<string, unknown> {
  const where = path ? `kubeconfig ${path}` : 'kubeconfig';
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`${where} is not valid YAML: ${(err as Error).message}`);
  }
  // An empty file is an empty config (as client-go reads it).
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc)) throw new Error(`${where} is not a kubeconfig (not a mapping)`);
  return doc;
}

/**
 * Several kubeconfig documents merged as client-go merges the files of `$KUBECONFIG` (a
 * colon-separated list): the first file to set current-context (or a preference) wins, and the
 * first file to define a cluster, context or user of a given name wins. Each named entry keeps
 * its own file's directory for relative paths (resolved here, so the merged document needs none).
 */
export function mergeKubeconfigDocuments(files: readonly { readonly path: string; readonly doc: Record<string, unknown> }[]): Record<string, unknown> {
  const merged: Record<string, unknown> = { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], contexts: [], users: [] };
  const lists = ['clusters', 'contexts', 'users'] as const;
  const seen = { clusters: new Set<string>(), contexts: new Set<string>(), users: new Set<string>() };
  for (const { path, doc } of files) {
    if (merged['current-context'] === undefined && str(doc['current-context'])) merged['current-context'] = doc['current-context'];
    const base = dirname(resolve(path));
    for (const list of lists) {
      const entries = Array.isArray(doc[list]) ? (doc[list] as unknown[]) : [];
      for (const entry of entries) {
        if (!isRecord(entry) || typeof entry['name'] !== 'string' || seen[list].has(entry['name'])) continue;
        seen[list].add(entry['name']);
        (merged[list] as unknown[]).push(absolutePaths(entry, base));
      }
    }
  }
  if (merged['current-context'] === undefined) merged['current-context'] = '';
  return merged;
}

const pathFields = ['certificate-authority', 'client-certificate', 'client-key', 'tokenFile'];

function absolutePaths(entry: Record<string, unknown>, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...entry };
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'name' || !isRecord(v)) continue;
    const inner: Record<string, unknown> = { ...v };
    for (const f of pathFields) {
      const s = str(inner[f]);
      if (s && !isAbsolute(s)) inner[f] = resolve(base, s);
    }
    out[k] = inner;
  }
  return out;
}

/**
 * The connection a kubeconfig document describes (its current context, or `options.context`).
 * Relative file paths are resolved against `options.path`'s directory (else the working directory).
 */
export function kubeconfigFromDocument(doc: Record<string, unknown>, options: KubeconfigOptions & { readonly path?: string } = {}): Kubeconfig {
  const where = options.path ? `kubeconfig ${options.path}` : 'kubeconfig';
  const contextName = options.context ?? str(doc['current-context']);
  if (!contextName) throw new Error(`${where} has no current-context`);
  const context = named(doc['contexts'], contextName, 'context');
  if (!context) throw new Error(`${where}: context "${contextName}" not found`);
  const clusterName = str(context['cluster']);
  if (!clusterName) throw new Error(`${where}: context "${contextName}" names no cluster`);
  const cluster = named(doc['clusters'], clusterName, 'cluster');
  if (!cluster) throw new Error(`${where}: cluster "${clusterName}" not found`);
  const server = str(cluster['server']);
  if (!server) throw new Error(`${where}: cluster "${clusterName}" has no server`);
  const userName = str(context['user']);
  const user = userName ? (named(doc['users'], userName, 'user') ?? {}) : {};
  const base = options.path ? dirname(resolve(options.path)) : process.cwd();
  const file = (v: unknown) => {
    const s = str(v);
    return s ? (isAbsolute(s) ? s : resolve(base, s)) : undefined;
  };
  return {
    ...(options.path ? { path: options.path } : {}),
    contextName,
    clusterName,
    ...(userName ? { userName } : {}),
    server: server.replace(/\/+$/, ''),
    namespace: str(context['namespace']) || 'default',
    cluster: compact({
      server: server.replace(/\/+$/, ''),
      certificateAuthority: file(cluster['certificate-authority']),
      certificateAuthorityData: str(cluster['certificate-authority-data']),
      insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true ? true : undefined,
      tlsServerName: str(cluster['tls-server-name']),
    }) as KubeconfigCluster,
    user: compact({
      token: str(user['token']),
      tokenFile: file(user['tokenFile']),
      clientCertificate: file(user['client-certificate']),
      clientCertificateData: str(user['client-certificate-data']),
      clientKey: file(user['client-key']),
      clientKeyData: str(user['client-key-data']),
      username: str(user['username']),
      password: str(user['password']),
    }),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The `field` mapping of the entry called `name` in a list of {name, <field>: {...}}. */
function named(list: unknown, name: string, field: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((e) => isRecord(e) && e['name'] === name);
  if (!isRecord(entry)) return undefined;
  const value = entry[field];
  return isRecord(value) ? value : {};
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
