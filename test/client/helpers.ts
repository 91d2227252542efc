/** Small helpers of the client integration tests. */
import type { KubeObject } from '../../api/kinds/kind';
import { RestClient } from '../../client/restClient';
import { DeletedFinalStateUnknown } from '../../client/informer/tombstone';
import type { ResourceEventHandler } from '../../client/informer/handlers';

let counter = 0;
/** A name unique within the test file. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${process.pid % 10000}`;
}

/** Calls `fn` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A client with no client-side rate limit (tests send bursts). */
export const testClient = (server: string): RestClient => new RestClient({ server, rateLimit: false });

export async function createNamespace(client: RestClient, name: string): Promise<void> {
  await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export interface ConfigMap extends KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export const configMaps = { group: '', version: 'v1', resource: 'configmaps' };

export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

/** A handler that records notifications as "add NAME", "update NAME k=v", "delete NAME", "delete NAME (tombstone)". */
export function recorder(events: string[]): ResourceEventHandler<ConfigMap> {
  const data = (o: ConfigMap) => Object.entries(o.data ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return {
    onAdd: (o) => void events.push(`add ${o.metadata.name}`),
    onUpdate: (_old, o) => void events.push(`update ${o.metadata.name} ${data(o)}`),
    onDelete: (o) => void events.push(o instanceof DeletedFinalStateUnknown ? `delete ${o.obj.metadata.name} (tombstone)` : `delete ${o.metadata.name}`),
  };
}
