/** /healthz, /livez, /readyz (etcd reachable, caches filled), /version and /metrics. */
import type { Express } from 'express';
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

export function mountHealth(app: Express, checks: HealthChecks, metrics: MetricsRegistry): void {
  const ok = (text: string) => (_req: unknown, res: { type: (t: string) => { send: (b: string) => void } }) => res.type('text/plain').send(text);
  app.get('/healthz', ok('ok'));
  app.get('/livez', ok('ok'));
  app.get('/readyz', async (req, res) => {
    const verbose = 'verbose' in req.query;
    const results: [string, string | undefined][] = [];
    try {
      await checks.storage();
      results.push(['etcd', undefined]);
    } catch (err) {
      results.push(['etcd', (err as Error).message]);
    }
    results.push(['informer-sync', checks.cachesReady() ? undefined : 'watch caches are not filled yet']);
    results.push(['shutdown', checks.shuttingDown() ? 'the server is shutting down' : undefined]);
    const failed = results.filter(([, e]) => e !== undefined);
    res.status(failed.length ? 503 : 200).type('text/plain');
    if (!verbose && !failed.length) return res.send('ok');
    const lines = results.map(([name, e]) => (e === undefined ? `[+]${name} ok` : `[-]${name} failed: ${e}`));
    return res.send(lines.join('\n') + `\nreadyz check ${failed.length ? 'failed' : 'passed'}\n`);
  });
  app.get('/version', (_req, res) => res.json(serverVersion));
  app.get('/metrics', (_req, res) => res.type('text/plain; version=0.0.4').send(metrics.render()));
}
