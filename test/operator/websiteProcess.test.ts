/**
 * The WebSite operator as a process (examples/website-operator/main.ts, compiled to dist/ as
 * `npm run build` does): it reads the kubeconfig, takes the Lease website-operator in its
 * namespace, serves /healthz and /metrics, reconciles WebSites, logs JSON lines on stderr, and on
 * SIGTERM stops cleanly (the lease released) with exit code 0. Also `marina get` prints the
 * WebSite's printer columns.
 */
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { Lease } from '../../api/kinds/coordination/lease';
import { startEnvironment, type TestEnvironment } from '../../controllers/runtime/envtest';
import { deploymentsGvr } from '../../examples/website-operator/controller';
import { newWebSite, webSitesGvr, type WebSite } from '../../examples/website-operator/types';
import { createNamespace, eventually } from '../client/helpers';
import { ensureCliBuilt, probeAddress, startMarina, startNode, type MarinaProcess } from '../harness/marinaProcess';
import { webSiteCrd } from './operatorHarness';

jest.setTimeout(60_000);

let env: TestEnvironment;
beforeAll(async () => {
  ensureCliBuilt();
  env = await startEnvironment({ crds: [webSiteCrd()] });
  await createNamespace(env.client, 'website-system');
}, 90_000);
afterAll(async () => {
  await env?.stop();
}, 60_000);

/** Starts the compiled operator. */
const startOperator = (args: readonly string[], environment?: NodeJS.ProcessEnv): MarinaProcess => startNode(['dist/examples/website-operator/main.js', ...args], environment);

const leasePath = '/apis/coordination.k8s.io/v1/namespaces/website-system/leases/website-operator';

describe('the WebSite operator process', () => {
  it('leads, serves probes, reconciles, and stops cleanly on SIGTERM', async () => {
    const op = startOperator(['--kubeconfig', env.kubeconfig, '--namespace', 'website-system', '--health-port', '0']);
    try {
      const address = await eventually('the probe address on stdout', async () => probeAddress(op), 20_000);
      expect((await fetch(`${address}/healthz`)).status).toBe(200);
      const lease = await eventually('the lease', async () => {
        const res = await env.client.raw('GET', leasePath);
        return res.status === 200 && (res.json as Lease).spec?.holderIdentity ? (res.json as Lease) : undefined;
      });
      expect(lease.spec?.holderIdentity).toBeTruthy();
      await eventually('leading', async () => ((await (await fetch(`${address}/metrics`)).text()).includes('leader_election_master_status{name="website-operator"} 1') ? true : undefined));

      await env.client.resource<WebSite>(webSitesGvr, 'default').create(newWebSite('proc', { content: 'hi', replicas: 2 }));
      const d = await eventually('the Deployment', async () => {
        const res = await env.client.raw('GET', env.client.resource<Deployment>(deploymentsGvr, 'default').path('proc'));
        return res.status === 200 ? (res.json as Deployment) : undefined;
      });
      expect(d.spec?.replicas).toBe(2);
      // No Deployment controller runs here: the site is not available yet, and says so.
      const site = await eventually('the status', async () => {
        const s = await env.client.resource<WebSite>(webSitesGvr, 'default').get('proc');
        return s.status?.observedGeneration === 1 ? s : undefined;
      });
      expect(site.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', message: '0 of 2 replicas available' });

      // `marina get` prints the CRD's columns, as kubectl does.
      const get = startMarina(['get', 'websites', '--kubeconfig', env.kubeconfig, '-n', 'default']);
      expect(await get.exited).toEqual({ code: 0, signal: null });
      const [header, row] = get.stdout().trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
      expect(header).toEqual(['NAME', 'REPLICAS', 'AVAILABLE', 'ADDRESS', 'AGE']);
      expect(row!.slice(0, 4)).toEqual(['proc', '2', '0', 'proc.default.svc:8080']);

      for (const line of op.stderr().split('\n').filter(Boolean)) expect(JSON.parse(line)).toMatchObject({ component: 'website-operator' });
      op.child.kill('SIGTERM');
      expect(await op.exited).toEqual({ code: 0, signal: null });
      const released = await env.client.get<Lease>(leasePath);
      expect(released.spec?.holderIdentity).toBeUndefined();
    } finally {
      await op.kill();
    }
  });

  it('refuses to start without a readable kubeconfig, with a clear message', async () => {
    const withoutKubeconfig = { ...process.env };
    delete withoutKubeconfig.KUBECONFIG;
    const op = startOperator([], withoutKubeconfig);
    expect(await op.exited).toEqual({ code: 1, signal: null });
    expect(op.stderr()).toContain('website-operator: --kubeconfig is required (or set $KUBECONFIG)');
    const missing = startOperator(['--kubeconfig', '/nonexistent/kubeconfig']);
    expect(await missing.exited).toEqual({ code: 1, signal: null });
    expect(missing.stderr()).toContain('website-operator: cannot read kubeconfig /nonexistent/kubeconfig');
  });
});
