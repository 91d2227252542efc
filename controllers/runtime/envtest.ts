/**
 * envtest: a private control plane for controller tests, as controller-runtime's pkg/envtest —
 * its own etcd (free loopback ports, a temporary data dir, on tmpfs when there is one) and an
 * API server on a free port, optionally with CustomResourceDefinitions installed and
 * Established. Nothing else runs: no controllers but yours.
 *
 *   import { startEnvironment } from 'marina/controllers/runtime/envtest';
 *
 *   let env: TestEnvironment;
 *   beforeAll(async () => { env = await startEnvironment({ crds: [widgetCrd] }); });
 *   afterAll(() => env.stop());
 *
 *   it('reconciles', async () => {
 *     const manager = new Manager({ client: env.client, name: 'test', leaderElection: false });
 *     newControllerManagedBy(manager).for(widgets, { kind: { apiVersion: 'example.com/v1', kind: 'Widget' } }).complete(reconciler);
 *     await manager.start();
 *     // ... create objects with env.client, wait for the outcome ...
 *     await manager.stop();
 *   });
 *
 * Needs the `etcd` binary (Debian: etcd-server). stop() stops both processes and removes every
 * temporary file; a crashed test process kills etcd on exit.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/kinds/kind';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../apiserver/server';
import { startEtcd, type EtcdProcess } from '../../cli/etcdProcess';
import { createLogger, silentLogger, type Logger } from '../../client/log';
import { RestClient } from '../../client/restClient';

export interface EnvironmentOptions {
  /** CustomResourceDefinitions to create; startEnvironment resolves once all are Established. */
  readonly crds?: readonly KubeObject[];
  /** How long to wait for the CRDs to be Established. Default 30 s. */
  readonly crdTimeoutMs?: number;
  /** The API server's log. Default: silent, or debug on stderr when $MARINA_TEST_LOG is set. */
  readonly log?: Logger;
  /** API server tuning (bookmark interval, timeouts…). */
  readonly apiServer?: Omit<Partial<ApiServerOptions>, 'etcdServers' | 'port' | 'log'>;
}

export interface TestEnvironment {
  /** The API server, e.g. http://127.0.0.1:34567. */
  readonly url: string;
  /** A client of it without client-side rate limit (tests send bursts). */
  readonly client: RestClient;
  /** Path of a kubeconfig for it (kubectl, `marina controller-manager --kubeconfig`). */
  readonly kubeconfig: string;
  readonly etcdEndpoint: string;
  /** Stops the API server and etcd and removes the temporary files; safe to call twice. */
  stop(): Promise<void>;
}

export async function startEnvironment(options: EnvironmentOptions = {}): Promise<TestEnvironment> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = await mkdtemp(join(base, 'marina-envtest-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const etcd: EtcdProcess = await startEtcd({ dataDir: join(dir, 'etcd') }).catch((err: unknown) => {
      throw new Error(`envtest: could not start etcd (is the etcd-server package installed?): ${(err as Error).message}`);
    });
    cleanups.push(() => etcd.stop());
    const server: ApiServer = await startApiServer({
      ...options.apiServer,
      port: 0,
      log: options.log ?? (process.env.MARINA_TEST_LOG ? createLogger('apiserver', { level: 'debug' }) : silentLogger),
      etcdServers: [etcd.endpoint],
    });
    cleanups.push(() => server.stop());
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigText(server.url), { mode: 0o600 });
    const client = new RestClient({ server: server.url, rateLimit: false });
    if (options.crds?.length) await installCrds(client, options.crds, options.crdTimeoutMs ?? 30_000);
    let stopping: Promise<void> | undefined;
    return { url: server.url, client, kubeconfig, etcdEndpoint: etcd.endpoint, stop: () => (stopping ??= cleanup()) };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface CrdLike extends KubeObject {
  spec?: { group?: string; names?: { plural?: string }; versions?: { name?: string; served?: boolean }[] };
  status?: { conditions?: { type?: string; status?: string; message?: string }[] };
}

/** Creates the CRDs and waits until each is Established and its resource answers a list. */
export async function installCrds(client: RestClient, crds: readonly KubeObject[], timeoutMs = 30_000): Promise<void> {
  for (const crd of crds) await client.create(crdPath, crd);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds as readonly CrdLike[]) {
    const name = crd.metadata?.name ?? '';
    for (;;) {
      const live = (await client.raw('GET', `${crdPath}/${encodeURIComponent(name)}`)).json as CrdLike | undefined;
      const established = live?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      const version = crd.spec?.versions?.find((v) => v.served !== false)?.name;
      const listPath = `/apis/${crd.spec?.group}/${version}/${crd.spec?.names?.plural}`;
      if (established && (await client.raw('GET', listPath, { query: { limit: 1 } })).status === 200) break;
      if (Date.now() > deadline) {
        const why = live?.status?.conditions?.map((c) => `${c.type}=${c.status}${c.message ? ` (${c.message})` : ''}`).join(', ') ?? 'no status';
        throw new Error(`envtest: CRD ${name} was not Established within ${timeoutMs} ms: ${why}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function kubeconfigText(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: envtest',
    '  cluster:',
    `    server: ${server}`,
    'contexts:',
    '- name: envtest',
    '  context: {cluster: envtest, user: envtest, namespace: default}',
    'current-context: envtest',
    'users:',
    '- name: envtest',
    '  user: {}',
    '',
  ].join('\n');
}
