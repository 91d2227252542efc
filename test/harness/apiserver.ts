/**
 * A private control plane for one test suite: its own etcd and an API server on a free loopback
 * port, both stopped after the suite. Tests talk to it over HTTP like any client.
 */
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../apiserver/server';
import { createLogger, silentLogger } from '../../client/log';
import { RestClient } from '../../client/restClient';
import { startTestEtcd, type TestEtcd } from './etcd';

export interface TestControlPlane {
  readonly url: string;
  readonly etcdEndpoint: string;
  readonly etcdPid: number;
  readonly server: ApiServer;
  readonly client: RestClient;
  stop(): Promise<void>;
}

export type TestApiServerOptions = Omit<Partial<ApiServerOptions>, 'etcdServers'>;

export async function startTestControlPlane(options: TestApiServerOptions = {}): Promise<TestControlPlane> {
  const etcd: TestEtcd = await startTestEtcd();
  let server: ApiServer;
  try {
    server = await startApiServer({
      port: 0,
      // Quiet unless asked: some tests provoke errors on purpose (timeouts, a paused etcd).
      log: process.env.MARINA_TEST_LOG ? createLogger('apiserver', { level: 'debug' }) : silentLogger,
      ...options,
      etcdServers: [etcd.endpoint],
    });
  } catch (err) {
    await etcd.stop();
    throw err;
  }
  return {
    url: server.url,
    etcdEndpoint: etcd.endpoint,
    etcdPid: etcd.pid,
    server,
    // Tests send bursts of requests on purpose: no client-side rate limit.
    client: new RestClient({ server: server.url, rateLimit: false }),
    stop: async () => {
      await server.stop();
      await etcd.stop();
    },
  };
}

/** Starts the control plane before the suite's tests and stops it after them. */
export function useControlPlane(options: TestApiServerOptions = {}): TestControlPlane {
  let plane: TestControlPlane | undefined;
  beforeAll(async () => {
    plane = await startTestControlPlane(options);
  }, 60_000);
  afterAll(async () => {
    await plane?.stop();
  }, 60_000);
  const get = (): TestControlPlane => {
    if (!plane) throw new Error('the control plane is not running (used outside a test?)');
    return plane;
  };
  return {
    get url() {
      return get().url;
    },
    get etcdEndpoint() {
      return get().etcdEndpoint;
    },
    get etcdPid() {
      return get().etcdPid;
    },
    get server() {
      return get().server;
    },
    get client() {
      return get().client;
    },
    stop: () => get().stop(),
  };
}
