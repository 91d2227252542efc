/**
 * The API server: wires storage, the resource registry, admission and the HTTP handler chain,
 * and runs until stopped. `startApiServer` is what `marina apiserver` and the tests call.
 *
 * Request pipeline (as in Kubernetes): request info → metrics/logging → in-flight limit →
 * timeout → body → discovery or resource handler (decode → defaults → validation → admission →
 * storage) → errors as Status. Health, version and metrics endpoints sit beside it.
 */
import { Router } from 'express';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResourceKind } from '../api/kinds/kind';
import { namespaceFinalizer } from '../api/kinds/core/namespace';
import * as status from '../api/status';
import { createLogger, type Logger } from '../client/log';
import { MetricsRegistry } from '../client/metrics';
import { AdmissionChain } from './admission/admission';
import { namespaceLifecycle } from './admission/namespaceLifecycle';
import { defaultTolerationSeconds, type DefaultTolerationSecondsOptions } from './admission/defaultTolerationSeconds';
import { serveDiscovery } from './http/discovery';
import { mountOpenApi } from './http/openapi';
import { apiMetrics, errorFilter, handlerChain } from './http/filters';
import type { RequestInfo } from './http/requestInfo';
import type { ApiRequest } from './http/request';
import { mountHealth } from './http/health';
import { serveResource } from './http/resourceHandler';
import { acceptUpgrades } from './nodeProxy/upgrade';
import { ResourceRegistry } from './registry/resourceRegistry';
import type { Strategy } from './registry/strategy';
import { startCompactor, type Compactor } from './storage/compactor';
import { EtcdStorage } from './storage/etcd';
import type { StoredObject } from './storage/interface';
import { builtinResources } from './builtinResources';
import { startCustomResourceController } from './crd/customResourceController';

export interface ApiServerOptions {
  /** etcd client URLs. */
  readonly etcdServers: readonly string[];
  /** Default 127.0.0.1. */
  readonly bindAddress?: string;
  /** Default 6443; 0 picks a free port. */
  readonly port?: number;
  readonly log?: Logger;
  /** History older than this is compacted. Default 5 minutes. */
  readonly compactionRetentionMs?: number;
  /** How often compaction runs. Default 1 minute. */
  readonly compactionIntervalMs?: number;
  /** Request bodies larger than this are refused with 413. Default 3 MiB. */
  readonly maxRequestBodyBytes?: number;
  /** Default 400 and 200. */
  readonly maxReadOnlyInFlight?: number;
  readonly maxMutatingInFlight?: number;
  /** Non-watch requests are answered 504 after this. Default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Default 1800 s: a watch without timeoutSeconds lasts 1-2x this. */
  readonly minRequestTimeoutSeconds?: number;
  readonly watchCacheCapacity?: number;
  readonly bookmarkIntervalMs?: number;
  /** tolerationSeconds of the not-ready/unreachable tolerations pods get by default (300 s each). */
  readonly defaultTolerationSeconds?: DefaultTolerationSecondsOptions;
  /** Kinds served; default every built-in kind. */
  readonly resources?: readonly { readonly kind: ResourceKind; readonly strategy: Strategy }[];
}

export interface ApiServer {
  /** e.g. http://127.0.0.1:6443 */
  readonly url: string;
  readonly port: number;
  readonly registry: ResourceRegistry;
  readonly storage: EtcdStorage;
  readonly metrics: MetricsRegistry;
  readonly compactor: Compactor;
  stop(): Promise<void>;
}

/** Namespaces that exist from the start, as in Kubernetes. */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const log = options.log ?? createLogger('apiserver');
  const metricsRegistry = new MetricsRegistry();
  const metrics = apiMetrics(metricsRegistry);
  const etcdLatency = metricsRegistry.histogram('etcd_request_duration_seconds', 'etcd request latency in seconds by operation.');
  const storage = new EtcdStorage({ endpoints: options.etcdServers, latency: etcdLatency });

  // Admission looks namespaces up in the registry it guards (called only once requests flow).
  const admission = new AdmissionChain([namespaceLifecycle((name) => namespacePhase(registry, name)), defaultTolerationSeconds(options.defaultTolerationSeconds)]);
  const registry: ResourceRegistry = new ResourceRegistry({
    storage,
    admission,
    log,
    ...(options.watchCacheCapacity ? { watchCacheCapacity: options.watchCacheCapacity } : {}),
    ...(options.bookmarkIntervalMs ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
    onWatcherCount: (resource, count) => metrics.watchers.set(count, { resource }),
  });
  for (const { kind, strategy } of options.resources ?? builtinResources()) registry.add(kind, strategy);

  let shuttingDown = false;
  let cachesReady = false;
  // The API's handler chain sees every request first (it counts and logs them all) and serves
  // /api and /apis itself; what it passes on goes to express's Router, mounted directly on node's
  // http server (see http/request.ts for why), which serves the rest. API requests skip the
  // Router's matching: they are nearly all requests, and it cost them about 4% of the CPU.
  const handlerOptions = { registry, ...(options.minRequestTimeoutSeconds ? { minRequestTimeoutSeconds: options.minRequestTimeoutSeconds } : {}) };
  const chain = handlerChain(
    {
      metrics,
      log,
      maxReadOnlyInFlight: options.maxReadOnlyInFlight ?? 400,
      maxMutatingInFlight: options.maxMutatingInFlight ?? 200,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      maxBodyBytes: options.maxRequestBodyBytes ?? 3 * 1024 * 1024,
    },
    async (req: ApiRequest, res: ServerResponse, info: RequestInfo) => {
      if (info.kind === 'nonResource') {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw status.methodNotSupported({ group: '', resource: req.path }, req.method.toLowerCase());
        return serveDiscovery(req, res, registry, info.prefix!, info.segments);
      }
      return serveResource(handlerOptions, req, res, info);
    },
  );
  const router = Router();
  mountOpenApi(router, registry);
  mountHealth(router, { storage: () => storage.ping(), cachesReady: () => cachesReady, shuttingDown: () => shuttingDown }, metricsRegistry);
  // Unmatched paths and errors end here: a Status, 404 by default.
  const onError = errorFilter(log);

  // express's types describe its application's request and response; the Router itself needs
  // only node's, which is all the middlewares above use.
  const route = router as unknown as (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const done = (err?: unknown) => onError(err ?? status.pathNotFound(), req, res, () => {});
    chain(req, res, (err?: unknown) => (err === undefined ? route(req, res, done) : done(err)));
  };
  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer(serve);
    s.listen(options.port ?? 6443, options.bindAddress ?? '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  // Upgrade requests (pods/exec over WebSocket) go through the same handlers.
  const upgrades = acceptUpgrades(server, serve);
  let activeRequests = 0;
  server.on('request', (_req, res: ServerResponse) => {
    activeRequests++;
    res.once('close', () => activeRequests--);
  });
  // Watches stay open for up to an hour; Node's default request timeout would cut them.
  server.requestTimeout = 0;
  server.timeout = 0;
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.bindAddress ?? '127.0.0.1'}:${port}`;

  await registry.ready();
  // Existing CRDs are served before the server reports ready.
  const customResources = await startCustomResourceController(registry, log);
  cachesReady = true;
  await ensureSystemNamespaces(registry, log);
  const compactor = startCompactor(storage, {
    log,
    ...(options.compactionRetentionMs !== undefined ? { retentionMs: options.compactionRetentionMs } : {}),
    ...(options.compactionIntervalMs !== undefined ? { intervalMs: options.compactionIntervalMs } : {}),
  });
  log.info('API server listening', { url, etcd: options.etcdServers });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      shuttingDown = true;
      compactor.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await customResources.stop();
      await registry.stop(); // ends every watch, so their connections can close
      // Requests under way may finish (up to 10 s); then every connection goes, including
      // ones that never sent a request, which closeIdleConnections leaves open.
      const deadline = Date.now() + 10_000;
      while (activeRequests > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      upgrades.closeAll();
      server.closeAllConnections();
      await closed;
      await storage.close();
      log.info('API server stopped');
    })());
  return { url, port, registry, storage, metrics: metricsRegistry, compactor, stop };
}

/** A namespace's phase for admission: the watch cache first, etcd when the cache lags a new one. */
async function namespacePhase(registry: ResourceRegistry, name: string): Promise<'Active' | 'Terminating' | undefined> {
  const store = registry.lookup('', 'v1', 'namespaces')!;
  const key = store.key(undefined, name);
  const ns = (await store.cacher.get(key)) ?? (await store.storage.get(key));
  if (!ns) return undefined;
  return (ns as StoredObject & { status?: { phase?: string } }).status?.phase === 'Terminating' ? 'Terminating' : 'Active';
}

async function ensureSystemNamespaces(registry: ResourceRegistry, log: Logger): Promise<void> {
  const store = registry.lookup('', 'v1', 'namespaces')!;
  for (const name of systemNamespaces) {
    try {
      await store.create(undefined, { metadata: { name }, spec: { finalizers: [namespaceFinalizer] } }, { dryRun: false, fieldValidation: 'Strict' });
      log.info('created system namespace', { name });
    } catch (err) {
      if (!status.isStatusError(err, 409)) throw err;
    }
  }
}
