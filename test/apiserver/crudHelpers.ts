/**
 * Helpers shared by the CRUD, bad-input and manifest integration tests: loose object types,
 * Status assertions, and the "this request wrote nothing to etcd" check.
 */
import type { RawResponse } from '../../client/restClient';
import type { TestControlPlane } from '../harness/apiserver';

/** A loosely typed API object as read back over HTTP. */
export interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  [field: string]: any;
}

export interface ObjList {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: Obj[];
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: string;
  status: 'Success' | 'Failure';
  code: number;
  reason?: string;
  message?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

let counter = 0;
/** A name unique within this test process. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

/** Asserts that a response carries no Go/Node stack trace. */
export function expectNoStackTrace(res: RawResponse): void {
  expect(res.text).not.toMatch(/\n\s+at /);
  expect(res.text).not.toMatch(/^ {4}at /m);
  expect(res.text).not.toMatch(/\\n\s+at /);
}

/** Asserts `res` is a failure Status with this code (and reason) and returns it. */
export function expectStatus(res: RawResponse, code: number, reason?: string): StatusBody {
  expectNoStackTrace(res);
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

/** Asserts `res` has this (2xx) code and returns its JSON body. */
export function expectOk<T = Obj>(res: RawResponse, code: number): T {
  expectNoStackTrace(res);
  if (res.status !== code) throw new Error(`expected HTTP ${code}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res.json as T;
}

/** The fields of the causes of a Status. */
export function causeFields(status: StatusBody): string[] {
  return (status.details?.causes ?? []).map((c) => c.field ?? '');
}

/**
 * Runs `request` and asserts that etcd's revision did not move: nothing was written.
 * Returns the request's response.
 */
export async function withoutWrites<T>(plane: TestControlPlane, request: () => Promise<T>): Promise<T> {
  const before = await plane.server.storage.currentRevision();
  const result = await request();
  const after = await plane.server.storage.currentRevision();
  expect(after).toBe(before);
  return result;
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function podBody(name: string, extra: Partial<Obj> = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    ...extra,
    metadata: { name, ...extra.metadata },
    spec: extra.spec ?? { containers: [{ name: 'c', image: 'busybox' }] },
  };
}

export function configMapBody(name: string, data: Record<string, string> = { k: 'v' }, metadata: Partial<Obj['metadata']> = {}): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data };
}

export function deploymentBody(name: string, replicas = 1, image = 'nginx:1.25'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}
