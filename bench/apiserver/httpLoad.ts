/**
 * The load client of the API server benchmarks: POSTs on one lean keep-alive connection per
 * client (bench/controllers/connection.ts: requests written by hand, answers read by
 * Content-Length). Node's http client costs several times more CPU per request, and on a 2-core
 * machine that CPU would be taken from the server under test.
 */
import { connection } from '../controllers/connection';

export interface LoadClient {
  /** POSTs JSON to `path`; resolves with the HTTP status. */
  post(path: string, body: string): Promise<number>;
  close(): void;
}

export function loadClient(host: string, port: number): LoadClient {
  const conn = connection(host, port);
  return {
    post: async (path, body) => (await conn.request('POST', path, body)).status,
    close: () => conn.close(),
  };
}
