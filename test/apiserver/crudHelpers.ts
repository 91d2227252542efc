/**
 * Helpers of the tests that send objects over HTTP (CRUD, bad input, CRDs, manifests, deletion,
 * subresources, limits): loosely typed objects, request bodies, the object verbs that expect
 * success, and the "this request wrote nothing to etcd" check.
 */
import type { RawResponse, RequestOptions } from '../../client/restClient';
import type { TestControlPlane } from '../harness/apiserver';
import { expectNoInternals, type ListOf, type StatusBody } from './helpers';

/** A loosely typed API object, as sent or read back over HTTP. */
export interface LooseObj {
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

export type ObjList = ListOf<LooseObj>;

/** Asserts `res` has this (2xx) code and returns its JSON body. */
export function expectOk<T = LooseObj>(res: RawResponse, code: number): T {
  expectNoInternals(res);
  if (res.status !== code) throw new Error(`expected HTTP ${code}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res.json as T;
}

/** The fields of the causes of a Status. */
export function causeFields(status: StatusBody): string[] {
  return (status.details?.causes ?? []).map((c) => c.field ?? '');
}

/**
 * The object verbs of `plane`'s client that must succeed, each returning the object: create (201),
 * get, put, merge patch and JSON patch (200).
 */
export function objectVerbs(plane: TestControlPlane) {
  const send = async (code: number, method: string, path: string, options: RequestOptions = {}): Promise<LooseObj> =>
    expectOk(await plane.client.raw(method, path, options), code);
  const withQuery = (query?: Record<string, string>) => (query ? { query } : {});
  return {
    create: (path: string, body: unknown, query?: Record<string, string>) => send(201, 'POST', path, { body, ...withQuery(query) }),
    get: (path: string) => send(200, 'GET', path),
    put: (path: string, body: unknown, query?: Record<string, string>) => send(200, 'PUT', path, { body, ...withQuery(query) }),
    mergePatch: (path: string, patch: unknown, query?: Record<string, string>) =>
      send(200, 'PATCH', path, { body: patch, contentType: 'application/merge-patch+json', ...withQuery(query) }),
    jsonPatch: (path: string, patch: unknown, query?: Record<string, string>) =>
      send(200, 'PATCH', path, { body: patch, contentType: 'application/json-patch+json', ...withQuery(query) }),
  };
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

/**
 * A pod with one busybox container. `extra` goes into the pod (its metadata into the metadata, its
 * spec instead of the default one); `spec` is merged into the default spec.
 */
export function podBody(name: string, extra: Partial<LooseObj> = {}, spec: Record<string, unknown> = {}): LooseObj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    ...extra,
    metadata: { name, ...extra.metadata },
    spec: extra.spec ?? { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  };
}

/** The Binding that binds pod `name` to `node` (POSTed to pods/binding). */
export function bindingBody(name: string, node = 'n1'): LooseObj {
  return { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
}

export function configMapBody(name: string, data: Record<string, string> = { k: 'v' }, metadata: Partial<LooseObj['metadata']> = {}): LooseObj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data };
}

export function deploymentBody(name: string, replicas = 1, image = 'nginx:1.25'): LooseObj {
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
