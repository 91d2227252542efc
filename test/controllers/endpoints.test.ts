/**
 * The endpoints controller on a real API server. The tests play the kubelet: they set pod IPs
 * and readiness through pods/NAME/status.
 */
import type { Endpoints } from '../../api/kinds/core/endpoints';
import type { Pod } from '../../api/kinds/core/pod';
import type { Service } from '../../api/kinds/core/service';
import { register } from '../../controllers/endpoints';
import { useControlPlane } from '../harness/apiserver';
import { createNamespace, eventsFor, eventually, podsGVR, reasons, requestsDuring, runningReady, setPodStatus, sleep, startManager, uniqueName, type RunningManager } from './lifecycleHelpers';

const plane = useControlPlane();
const servicesGVR = { group: '', version: 'v1', resource: 'services' };
const endpointsGVR = { group: '', version: 'v1', resource: 'endpoints' };
const ns = 'endpoints';
let running: RunningManager;

beforeAll(async () => {
  await createNamespace(plane.client, ns);
  running = await startManager(plane.url, (m) => register(m));
}, 30_000);

afterAll(async () => {
  await running?.stop();
});

const services = () => plane.client.resource<Service>(servicesGVR, ns);
const endpoints = () => plane.client.resource<Endpoints>(endpointsGVR, ns);
const pods = () => plane.client.resource<Pod>(podsGVR, ns);

async function getEndpoints(name: string): Promise<Endpoints | undefined> {
  return (await endpoints().list()).items.find((e) => e.metadata?.name === name);
}

async function waitForEndpoints(name: string, what: string, ok: (ep: Endpoints) => boolean, timeoutMs = 10_000): Promise<Endpoints> {
  return eventually(what, async () => {
    const ep = await getEndpoints(name);
    return ep && ok(ep) ? ep : undefined;
  }, timeoutMs);
}

/** A pod with a named port `http`; ready or not, with an IP (set as the kubelet would). */
async function makePod(name: string, labels: Record<string, string>, opts: { ip?: string; ready?: boolean; httpPort?: number; node?: string } = {}): Promise<Pod> {
  await pods().create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: {
      ...(opts.node ? { nodeName: opts.node } : {}),
      containers: [{ name: 'web', image: 'busybox', ports: [{ name: 'http', containerPort: opts.httpPort ?? 8080 }] }],
    },
  });
  if (opts.ip) {
    await setPodStatus(plane.client, ns, name, (status) => {
      runningReady(opts.ip!)(status);
      if (!opts.ready) status.conditions = status.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
    });
  }
  return pods().get(name);
}

const addressNames = (list: Endpoints['subsets'], field: 'addresses' | 'notReadyAddresses') => (list ?? []).flatMap((s) => (s[field] ?? []).map((a) => a.targetRef?.name)).sort();

describe('endpoints controller', () => {
  it('lists ready and not-ready addresses per resolved target port, labelled and annotated', async () => {
    const app = uniqueName('web');
    const labels = { app };
    const p1 = await makePod(`${app}-a`, labels, { ip: '10.2.0.1', ready: true, node: 'node-a' });
    const p2 = await makePod(`${app}-b`, labels, { ip: '10.2.0.2', ready: false, node: 'node-a' });
    const p3 = await makePod(`${app}-c`, labels, { ip: '10.2.0.3', ready: true, httpPort: 8081, node: 'node-b' });
    await makePod(`${app}-noip`, labels, {});
    await makePod(`${app}-other`, { app: 'other' }, { ip: '10.2.0.9', ready: true });
    const finished = await makePod(`${app}-done`, labels, { ip: '10.2.0.4', ready: true });
    await setPodStatus(plane.client, ns, finished.metadata!.name!, (s) => void (s.phase = 'Succeeded'));

    await services().create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, labels: { team: 'blue' } },
      spec: {
        clusterIP: '10.96.0.20',
        selector: labels,
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9090, targetPort: 9100, appProtocol: 'http' },
        ],
      },
    });
    const ep = await waitForEndpoints(app, 'three subsets', (e) => (e.subsets ?? []).length === 3);
    expect(ep.metadata?.labels).toEqual({ team: 'blue' });
    expect(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const ref = (p: Pod) => ({ kind: 'Pod', namespace: ns, name: p.metadata!.name, uid: p.metadata!.uid });
    // The named port resolves to 8080 on a and b and to 8081 on c: separate subsets.
    expect(ep.subsets).toEqual([
      {
        addresses: [{ ip: '10.2.0.1', nodeName: 'node-a', targetRef: ref(p1) }],
        notReadyAddresses: [{ ip: '10.2.0.2', nodeName: 'node-a', targetRef: ref(p2) }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      {
        addresses: [
          { ip: '10.2.0.1', nodeName: 'node-a', targetRef: ref(p1) },
          { ip: '10.2.0.3', nodeName: 'node-b', targetRef: ref(p3) },
        ],
        notReadyAddresses: [{ ip: '10.2.0.2', nodeName: 'node-a', targetRef: ref(p2) }],
        ports: [{ name: 'metrics', port: 9100, protocol: 'TCP', appProtocol: 'http' }],
      },
      {
        addresses: [{ ip: '10.2.0.3', nodeName: 'node-b', targetRef: ref(p3) }],
        ports: [{ name: 'http', port: 8081, protocol: 'TCP' }],
      },
    ]);
  });

  it('follows readiness, labels and deletion of pods', async () => {
    const app = uniqueName('follow');
    const a = await makePod(`${app}-a`, { app }, { ip: '10.3.0.1', ready: false, node: 'n1' });
    await makePod(`${app}-b`, { app }, { ip: '10.3.0.2', ready: true, node: 'n1' });
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: app }, spec: { clusterIP: '10.96.0.21', selector: { app }, ports: [{ port: 80, targetPort: 8080 }] } });
    let ep = await waitForEndpoints(app, 'b ready, a not', (e) => addressNames(e.subsets, 'addresses').length === 1 && addressNames(e.subsets, 'notReadyAddresses').length === 1);
    const firstTrigger = ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'];
    expect(firstTrigger).toBeDefined();

    await setPodStatus(plane.client, ns, a.metadata!.name!, runningReady('10.3.0.1'));
    ep = await waitForEndpoints(app, 'both ready', (e) => addressNames(e.subsets, 'addresses').length === 2);
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets![0]!.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);

    // Relabelled away: gone from the Endpoints.
    await pods().patch(`${app}-b`, { metadata: { labels: { app: 'elsewhere' } } });
    await waitForEndpoints(app, 'only a', (e) => JSON.stringify(addressNames(e.subsets, 'addresses')) === JSON.stringify([`${app}-a`]));

    // Being deleted (bound, so graceful): gone at once; no subsets left.
    await pods().delete(`${app}-a`);
    ep = await waitForEndpoints(app, 'empty', (e) => e.subsets === undefined);
    expect((await pods().get(`${app}-a`)).metadata?.deletionTimestamp).toBeDefined();
  });

  it('publishes not-ready and terminating pods as ready with publishNotReadyAddresses', async () => {
    const app = uniqueName('publish');
    await makePod(`${app}-a`, { app }, { ip: '10.4.0.1', ready: false, node: 'n1' });
    await makePod(`${app}-b`, { app }, { ip: '10.4.0.2', ready: true, node: 'n1' });
    await services().create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    let ep = await waitForEndpoints(app, 'both published', (e) => addressNames(e.subsets, 'addresses').length === 2);
    expect(addressNames(ep.subsets, 'notReadyAddresses')).toEqual([]);
    expect(ep.metadata?.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    await pods().delete(`${app}-b`);
    await sleep(500);
    ep = (await getEndpoints(app))!;
    expect(addressNames(ep.subsets, 'addresses')).toEqual([`${app}-a`, `${app}-b`]);
  });

  it('gives a headless Service without ports addresses without ports, with hostnames for its subdomain', async () => {
    const app = uniqueName('headless');
    await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${app}-0`, labels: { app } }, spec: { hostname: 'db-0', subdomain: app, containers: [{ name: 'c', image: 'busybox' }] } });
    await setPodStatus(plane.client, ns, `${app}-0`, runningReady('10.5.0.1'));
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: app }, spec: { clusterIP: 'None', selector: { app } } });
    const ep = await waitForEndpoints(app, 'an address', (e) => (e.subsets ?? []).length === 1);
    expect(ep.subsets![0]).toEqual({ addresses: [{ ip: '10.5.0.1', hostname: 'db-0', targetRef: expect.objectContaining({ kind: 'Pod', name: `${app}-0` }) }] });
  });

  it('leaves Services without a selector alone, and deletes the Endpoints of deleted Services', async () => {
    const manual = uniqueName('manual');
    await endpoints().create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: manual }, subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }] });
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: manual }, spec: { clusterIP: '10.96.0.30', ports: [{ port: 5432 }] } });
    const app = uniqueName('doomed');
    await makePod(`${app}-a`, { app }, { ip: '10.6.0.1', ready: true });
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: app }, spec: { clusterIP: '10.96.0.31', selector: { app }, ports: [{ port: 80 }] } });
    await waitForEndpoints(app, 'endpoints', (e) => (e.subsets ?? []).length === 1);
    await services().delete(app);
    await eventually('endpoints deleted', async () => ((await getEndpoints(app)) ? undefined : true));
    const kept = await getEndpoints(manual);
    expect(kept?.subsets).toEqual([{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  it('restores its Endpoints when another writer changes them, and wins conflicts', async () => {
    const app = uniqueName('contested');
    await makePod(`${app}-a`, { app }, { ip: '10.7.0.1', ready: true });
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: app }, spec: { clusterIP: '10.96.0.40', selector: { app }, ports: [{ port: 80 }] } });
    await waitForEndpoints(app, 'endpoints', (e) => addressNames(e.subsets, 'addresses').length === 1);
    let stop = false;
    const writer = (async () => {
      // Another writer keeps replacing the subsets while pods come and go.
      while (!stop) {
        const ep = await getEndpoints(app);
        if (ep) await endpoints().update({ ...ep, subsets: [{ addresses: [{ ip: '192.0.2.99' }], ports: [{ port: 1 }] }] }).catch(() => undefined);
        await sleep(15);
      }
    })();
    try {
      for (let i = 0; i < 5; i++) await makePod(`${app}-x${i}`, { app }, { ip: `10.7.1.${i}`, ready: true });
      await sleep(500);
    } finally {
      stop = true;
      await writer;
    }
    const ep = await waitForEndpoints(app, 'all six pods', (e) => addressNames(e.subsets, 'addresses').length === 6 && !JSON.stringify(e.subsets).includes('192.0.2.99'));
    expect(ep.subsets).toHaveLength(1);
  });

  it('cleans up Endpoints of Services deleted while it was down, but not other Endpoints', async () => {
    const app = uniqueName('leftover');
    await makePod(`${app}-a`, { app }, { ip: '10.8.0.1', ready: true });
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: app }, spec: { clusterIP: '10.96.0.50', selector: { app }, ports: [{ port: 80 }] } });
    await waitForEndpoints(app, 'endpoints', (e) => (e.subsets ?? []).length === 1);
    await running.stop();
    await services().delete(app);
    await sleep(1100);
    running = await startManager(plane.url, (m) => register(m));
    await eventually('leftover deleted', async () => ((await getEndpoints(app)) ? undefined : true));
    // Endpoints created while it runs, without a Service (yet), stay.
    const standalone = uniqueName('standalone');
    await endpoints().create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: standalone }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }] });
    await sleep(1000);
    expect(await getEndpoints(standalone)).toBeDefined();
  });

  it('backs off on Endpoints it cannot write instead of hot-looping', async () => {
    const app = uniqueName('loopback');
    // A loopback pod IP is not a valid endpoint address: every write is refused.
    await makePod(`${app}-a`, { app }, { ip: '127.0.0.1', ready: true });
    await services().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: app }, spec: { clusterIP: '10.96.0.60', selector: { app }, ports: [{ port: 80 }] } });
    await eventually('FailedToCreateEndpoint event', async () => (reasons(await eventsFor(plane.client, ns, app)).includes('FailedToCreateEndpoint') ? true : undefined));
    await sleep(2000);
    expect(await requestsDuring(running.client, 4000)).toBeLessThan(25);
    expect(await getEndpoints(app)).toBeUndefined();
  });
});
