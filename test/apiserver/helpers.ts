/**
 * Helpers shared by the API server integration tests: unique names, polls and deadlines, the
 * objects, lists and Status bodies the server answers, Status assertions, namespaces, request
 * paths and metric values.
 */
import type { RawResponse, RestClient } from '../../client/restClient';

/** Object metadata as the server returns it. */
export interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  finalizers?: string[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** An API object as read back over HTTP, with the fields the tests look at. */
export interface Obj {
  kind: string;
  apiVersion: string;
  metadata: Meta;
  spec?: Record<string, unknown> & { replicas?: number; nodeName?: string; finalizers?: string[] };
  status?: Record<string, unknown> & {
    phase?: string;
    qosClass?: string;
    replicas?: number;
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  };
  data?: Record<string, string>;
  items?: Obj[];
  [key: string]: unknown;
}

/** A list as the server returns it. */
export interface ListOf<T = Obj> {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** A metav1.Status body. */
export interface StatusBody {
  kind: 'Status';
  apiVersion: string;
  metadata: { continue?: string; resourceVersion?: string };
  status: 'Success' | 'Failure';
  code: number;
  reason?: string;
  message?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
    retryAfterSeconds?: number;
  };
}

let counter = 0;
/** A name unique within the test file (a DNS-1123 label for a short `prefix`). */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Calls `fn` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `promise`, or a failure after `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts that a response shows a client nothing of the server's insides: no stack frames, file paths or module names. */
export function expectNoInternals(res: RawResponse): void {
  expect(res.text).not.toMatch(/\n\s+at\s/);
  expect(res.text).not.toMatch(/^ {4}at /m);
  expect(res.text).not.toMatch(/\\n\s+at /);
  expect(res.text).not.toMatch(/\bat [\w.<>]+ \(/);
  expect(res.text).not.toMatch(/node_modules|\.tsx?:\d+|\.js:\d+/);
  const body = res.json as StatusBody | undefined;
  if (body) expect(Object.keys(body)).not.toContain('stack');
}

/** Asserts `res` is a failure Status with this code (and reason) and returns it. */
export function expectStatus(res: RawResponse, code: number, reason?: string): StatusBody {
  expectNoInternals(res);
  if (res.status !== code) {
    throw new Error(`expected HTTP ${code}${reason ? ` ${reason}` : ''}, got ${res.status}: ${res.text.slice(0, 500)}`);
  }
  const body = res.json as StatusBody;
  expect(body).toBeDefined();
  expect(body.kind).toBe('Status');
  expect(body.apiVersion).toBe('v1');
  expect(body.status).toBe('Failure');
  expect(body.code).toBe(code);
  if (reason !== undefined) expect(body.reason).toBe(reason);
  return body;
}

/** Creates a namespace with a unique name starting with `prefix` and returns the name. */
export async function createNamespace(c: RestClient, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await c.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/**
 * The paths of a namespaced resource: `path()` is the collection, `path(name)` one object, e.g.
 * `resourcePath('/api/v1', 'configmaps')('x')` is `/api/v1/namespaces/default/configmaps/x`.
 */
export function resourcePath(groupVersionPath: string, resource: string, namespace = 'default'): (name?: string) => string {
  return (name = '') => `${groupVersionPath}/namespaces/${namespace}/${resource}${name ? `/${name}` : ''}`;
}

/** The value of one series of a metric in Prometheus text format (undefined when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) have[l[1]!] = l[2]!;
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}
