/**
 * /healthz and /livez (the process serves), /readyz (etcd reachable within 2 s, caches filled, not
 * shutting down), /version and /metrics.
 */
import type { Router } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendObject, sendText } from './codec';
import { apiRequest } from './request';
import type { MetricsRegistry } from '../../client/metrics';

export interface HealthChecks {
  /** Throws when etcd cannot be reached. */
  readonly storage: () => Promise<void>;
  /** True once every watch cache holds its first list. */
  readonly cachesReady: () => boolean;
  /** True while the server is shutting down (readyz fails first, as Kubernetes does). */
  readonly shuttingDown: () => boolean;
}

/** Kubernetes 1.32: kubectl's dispatcher runs the kubectl matching `minor`. */
export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: 'marina',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'marina',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

type Check = readonly [name: string, run: () => Promise<string | undefined>];

export function mountHealth(router: Router, checks: HealthChecks, metrics: MetricsRegistry): void {
  const ping: Check = ['ping', async () => undefined];
  const etcd: Check = [
    'etcd',
    async () => {
      try {
        await checks.storage();
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  ];
  const caches: Check = ['informer-sync', async () => (checks.cachesReady() ? undefined : 'watch caches are not filled yet')];
  const shutdown: Check = ['shutdown', async () => (checks.shuttingDown() ? 'the server is shutting down' : undefined)];
  router.get('/healthz', healthHandler('healthz', [ping]));
  router.get('/livez', healthHandler('livez', [ping]));
  router.get('/readyz', healthHandler('readyz', [ping, etcd, caches, shutdown]));
  router.get('/version', (_req: IncomingMessage, res: ServerResponse) => sendObject(res, 200, serverVersion));
  router.get('/metrics', (_req: IncomingMessage, res: ServerResponse) => sendText(res, 200, metrics.render(), 'text/plain; version=0.0.4'));
}

/** Kubernetes' health format: `ok`, or with ?verbose one `[+]name ok` / `[-]name failed` line per check. */
function healthHandler(endpoint: string, checks: readonly Check[]) {
  return async (message: IncomingMessage, res: ServerResponse): Promise<void> => {
    const results = await Promise.all(checks.map(async ([name, run]) => [name, await run()] as const));
    const failed = results.filter(([, e]) => e !== undefined);
    const code = failed.length ? 503 : 200;
    if (!('verbose' in apiRequest(message).query) && !failed.length) return sendText(res, code, 'ok');
    const lines = results.map(([name, e]) => (e === undefined ? `[+]${name} ok` : `[-]${name} failed: ${e}`));
    return sendText(res, code, `${lines.join('\n')}\n${endpoint} check ${failed.length ? 'failed' : 'passed'}\n`);
  };
}
