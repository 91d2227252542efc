/** Where an event recorder writes core/v1 Events: the API server, or a fake in tests. */
import type { Event } from '../api/kinds/core/event';
import type { RestClient } from './restClient';

export interface EventSink {
  /** POSTs a new Event in its namespace; the stored Event comes back. */
  create(event: Event): Promise<Event>;
  /** Merge-patches an existing Event (count, lastTimestamp, message); a 404 StatusError when it is gone. */
  patch(namespace: string, name: string, patch: Partial<Event>): Promise<Event>;
}

export function restEventSink(client: RestClient): EventSink {
  const path = (namespace: string, name?: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/events${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
  return {
    create: (event) => client.create<Event>(path(event.metadata.namespace ?? 'default'), event),
    patch: (namespace, name, patch) => client.patch<Event>(path(namespace, name), patch, 'merge'),
  };
}
