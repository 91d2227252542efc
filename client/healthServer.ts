/**
 * The probe and metrics endpoints of a manager, on plain HTTP at 127.0.0.1:
 *   GET /healthz, /livez  200 "ok" while every health check passes, else 500 with the failures
 *   GET /readyz           200 "ok" while every readiness check passes (caches synced), else 500
 *   GET /metrics          the registry in Prometheus' text format
 * Anything else is 404. A check that throws counts as failing with its message.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from './metrics';

/** A named probe: returns nothing when fine, throws (or returns a message) when not. */
export type Check = () => string | void;

export interface HealthServerOptions {
  /** 0: any free port. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly metrics: MetricsRegistry;
  readonly healthChecks: ReadonlyMap<string, Check>;
  readonly readyChecks: ReadonlyMap<string, Check>;
}

export interface HealthServer {
  /** e.g. http://127.0.0.1:34567 */
  readonly address: string;
  close(): Promise<void>;
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(options.metrics.render());
      return;
    }
    const checks = path === '/healthz' || path === '/livez' ? options.healthChecks : path === '/readyz' ? options.readyChecks : undefined;
    if (!checks) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    const failures = runChecks(checks);
    if (failures.length === 0) res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
    else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${failures.map((f) => `[-]${f}`).join('\n')}\n${path.slice(1)} check failed\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    address: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function runChecks(checks: ReadonlyMap<string, Check>): string[] {
  const failures: string[] = [];
  for (const [name, check] of checks) {
    try {
      const message = check();
      if (typeof message === 'string' && message) failures.push(`${name} failed: ${message}`);
    } catch (err) {
      failures.push(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return failures;
}
