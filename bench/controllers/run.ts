/**
 * Controllers benchmark. On a fresh etcd, an API server process, a controller-manager process
 * (`marina controller-manager`, every built-in controller, its default flags), the scheduler
 * (`marina scheduler`) and 100 hollow nodes (`marina kubelet --simulate`, one process):
 *   1. create a 1,000-replica Deployment; time until it is fully available (observedGeneration
 *      current, updatedReplicas = availableReplicas = replicas = 1000);
 *   2. change its image; time until the rolling update finished (the same, and every old
 *      ReplicaSet at 0 replicas);
 *   3. API requests per pod created: the controller-manager's writes (create, update, patch,
 *      delete) from its own rest_client_requests_total, and all clients' requests from the API
 *      server's apiserver_request_total.
 * Prints each figure with its target. Usage:
 *   npm run bench:controllers [-- --nodes N --replicas N --timeout SECONDS --tmpfs --cpu-prof
 *                               --kube-api-qps N --kube-api-burst N]
 * --cpu-prof profiles every Marina process (node --cpu-prof) and prints where their time went
 * (profile.ts); the profiles are kept.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from '../../api/kinds/apps/deployment';
import type { ReplicaSet } from '../../api/kinds/apps/replicaSet';
import type { Node } from '../../api/kinds/core/node';
import { RestClient } from '../../client/restClient';
import { startEtcd } from '../../cli/etcdProcess';
import { connection, type Connection } from './connection';
import { answeredKey, apiserverRequests, parseMetrics, requestKey, RequestCounts, sum } from './metrics';
import { fmt, LogTally, report, type PhaseResult, type Snapshot } from './report';
import { formatSummary, summarizeFile } from './profile';
import { keepWatching } from './watch';
import { runBenchmark } from '../runBenchmark';
import { cpuSeconds, startComponent, stopComponent, writeBenchKubeconfig, type Component } from '../components';

const namespace = 'bench';
const deploymentName = 'web';
const image = (v: string) => `registry.example/bench-web:${v}`;

interface Args {
  readonly nodes: number;
  readonly replicas: number;
  readonly timeoutSeconds: number;
  readonly workers: number;
  readonly tmpfs: boolean;
  readonly cpuProf: boolean;
  readonly controllerManagerFlags: readonly string[];
}

function parseArgs(argv: readonly string[]): Args {
  const num = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    const v = Number(argv[i + 1]);
    return i >= 0 && Number.isInteger(v) && v > 0 ? v : fallback;
  };
  const cmFlags: string[] = [];
  for (const flag of ['--kube-api-qps', '--kube-api-burst']) {
    const i = argv.indexOf(flag);
    if (i >= 0 && argv[i + 1]) cmFlags.push(flag, argv[i + 1]!);
  }
  return {
    nodes: num('--nodes', 100),
    replicas: num('--replicas', 1000),
    timeoutSeconds: num('--timeout', 180),
    workers: num('--workers', 4),
    tmpfs: argv.includes('--tmpfs'),
    cpuProf: argv.includes('--cpu-prof'),
    controllerManagerFlags: cmFlags,
  };
}

// ---------------------------------------------------------------------------------------------
// Cluster objects

function deploymentObject(replicas: number): Deployment {
  const labels = { app: deploymentName };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deploymentName, namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'web', image: image('1.0'), ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  };
}

async function expectStatus(what: string, answer: Promise<{ status: number; body: string }>, ok: readonly number[]): Promise<void> {
  const res = await answer;
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(args.tmpfs ? '/dev/shm' : tmpdir(), 'marina-bench-controllers-'));
  const profileDir = args.cpuProf ? await mkdtemp(join(tmpdir(), 'marina-bench-controllers-profiles-')) : undefined;
  const etcd = await startEtcd({ dataDir: join(dir, 'etcd') });
  let apiserver: Component | undefined;
  let controllerManager: Component | undefined;
  let scheduler: Component | undefined;
  let hollowNodes: Component | undefined;
  const stops: (() => Promise<void>)[] = [];
  const cmLog = new LogTally();
  try {
    console.log(
      `marina controllers benchmark: ${args.nodes} nodes, a ${args.replicas}-replica Deployment, \`marina controller-manager\` with every built-in controller` +
        `${args.controllerManagerFlags.length ? ` (${args.controllerManagerFlags.join(' ')})` : ' (default flags)'}; etcd data on ${args.tmpfs ? 'tmpfs' : 'disk'}`,
    );
    console.log(
      `the pods are scheduled by \`marina scheduler\` onto ${args.nodes} hollow nodes of \`marina kubelet --simulate\` (one process), which run them`,
    );

    // The control plane.
    apiserver = await startComponent('apiserver', ['apiserver', '--etcd-servers', etcd.endpoint, '--port', '0'], { env: { MARINA_LOG_LEVEL: 'warn' }, ...(profileDir ? { profileDir } : {}) });
    const server = apiserver.firstLine;
    const { hostname, port } = new URL(server);
    const counts = new RequestCounts();
    // The benchmark's own reads and waits (watches, lists, the Deployment): a plain client.
    const client = new RestClient({ server, rateLimit: false, userAgent: 'marina-bench-controllers' });
    const conns = Array.from({ length: args.workers }, () => connection(hostname, Number(port)));
    stops.push(async () => conns.forEach((c) => c.close()));
    const send = async (conn: Connection, key: string, method: string, path: string, body?: object, contentType?: string) => {
      const res = await conn.request(method, path, body === undefined ? undefined : JSON.stringify(body), contentType);
      counts.add(answeredKey(key, res.status));
      return res;
    };

    await expectStatus('create namespace', send(conns[0]!, requestKey('create', 'namespaces'), 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }), [201]);

    // The controller-manager.
    const kubeconfig = await writeBenchKubeconfig(dir, server);
    const cmStarted = performance.now();
    controllerManager = await startComponent('controller-manager', ['controller-manager', '--kubeconfig', kubeconfig, '--health-port', '0', ...args.controllerManagerFlags], {
      onStderrLine: (line) => cmLog.add(line),
      ...(profileDir ? { profileDir } : {}),
    });
    const cmAddress = controllerManager.firstLine.trim();
    const cmMetrics = async () => parseMetrics(await (await fetch(`${cmAddress}/metrics`)).text());
    for (const deadline = Date.now() + 60_000; ; ) {
      const leading = sum(await cmMetrics(), 'leader_election_master_status') === 1;
      if (leading) break;
      if (Date.now() > deadline) throw new Error('the controller-manager did not become leader within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const cmLeadingSeconds = (performance.now() - cmStarted) / 1000;

    // The scheduler and the hollow nodes, each a process of its own.
    const nodesStarted = performance.now();
    scheduler = await startComponent('scheduler', ['scheduler', '--kubeconfig', kubeconfig, '--health-port', '0'], profileDir ? { profileDir } : {});
    hollowNodes = await startComponent('hollow-nodes', ['kubelet', '--kubeconfig', kubeconfig, '--simulate', '--nodes', String(args.nodes), '--node-name-prefix', 'node-', '--port', '0', '--root-dir', join(dir, 'hollow')], {
      env: { MARINA_LOG_LEVEL: 'warn' },
      ...(profileDir ? { profileDir } : {}),
    });
    for (const deadline = Date.now() + 60_000; ; ) {
      const list = await client.get<{ items: Node[] }>('/api/v1/nodes');
      counts.add(requestKey('list', 'nodes'));
      const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
      if (ready >= args.nodes) break;
      if (Date.now() > deadline) throw new Error(`only ${ready} of ${args.nodes} hollow nodes Ready within 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`setup: controller-manager leading after ${fmt(cmLeadingSeconds, 1)} s; ${args.nodes} hollow nodes Ready ${fmt((performance.now() - nodesStarted) / 1000, 1)} s after their process started`);

    // The Deployment, watched.
    let deployment: Deployment | undefined;
    let onDeployment: (() => void) | undefined;
    const deploymentWatch = await keepWatching<Deployment>(client.resource<Deployment>({ group: 'apps', version: 'v1', resource: 'deployments' }, namespace), counts, { fieldSelector: `metadata.name=${deploymentName}` }, (event) => {
      deployment = event.type === 'DELETED' ? undefined : event.object;
      onDeployment?.();
    });
    stops.push(() => deploymentWatch.stop());
    const replicaSets = client.resource<ReplicaSet>({ group: 'apps', version: 'v1', resource: 'replicasets' }, namespace);

    const metricsConn = connection(hostname, Number(port));
    stops.push(async () => metricsConn.close());
    const snapshot = async (): Promise<Snapshot> => {
      const res = await metricsConn.request('GET', '/metrics');
      // The scrape is counted by the API server once answered, so after its own figures.
      const bench = counts.copy();
      counts.add(requestKey('get', ''));
      const apiSamples = parseMetrics(res.body);
      const cpu: Record<string, number> = {
        'controller-manager': await cpuSeconds(controllerManager?.child.pid),
        apiserver: await cpuSeconds(apiserver?.child.pid),
        etcd: await cpuSeconds(etcd.pid),
        scheduler: await cpuSeconds(scheduler?.child.pid),
        'hollow-nodes': await cpuSeconds(hollowNodes?.child.pid),
        benchmark: await cpuSeconds(undefined),
      };
      return { at: performance.now(), api: apiserverRequests(apiSamples), apiSamples, bench, cm: await cmMetrics(), cpu };
    };

    /** Waits until `done` holds for the Deployment (checked on each of its events and every 250 ms). */
    const waitFor = async (what: string, done: (d: Deployment) => Promise<boolean> | boolean): Promise<number> => {
      const deadline = performance.now() + args.timeoutSeconds * 1000;
      for (;;) {
        if (deployment && (await done(deployment))) return performance.now();
        if (performance.now() > deadline) {
          throw new Error(`${what}: not done after ${args.timeoutSeconds} s; Deployment status: ${JSON.stringify(deployment?.status ?? {})}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 250);
          onDeployment = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        onDeployment = undefined;
      }
    };
    const n = args.replicas;
    const rolledOut = (d: Deployment) => {
      const s = d.status ?? {};
      return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && s.replicas === n && s.updatedReplicas === n && s.availableReplicas === n;
    };
    const oldReplicaSetsAtZero = async (d: Deployment): Promise<boolean> => {
      const list = await replicaSets.list({ labelSelector: `app=${deploymentName}` });
      counts.add(requestKey('list', 'replicasets'));
      const current = d.spec?.template?.spec?.containers?.[0]?.image;
      return list.items.every((rs) => rs.spec?.template?.spec?.containers?.[0]?.image === current || ((rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0));
    };

    /** Samples every 2 s while `during` runs: the Deployment's replica counts. */
    const sampled = async <T>(during: () => Promise<T>): Promise<{ value: T; progress: string }> => {
      const start = performance.now();
      const samples: string[] = [];
      const timer = setInterval(() => {
        const st = deployment?.status;
        samples.push(`${Math.round((performance.now() - start) / 1000)}s ${st?.updatedReplicas ?? 0}/${st?.availableReplicas ?? 0}/${st?.replicas ?? 0}`);
      }, 2000);
      try {
        return { value: await during(), progress: samples.join('  ') };
      } finally {
        clearInterval(timer);
      }
    };

    const phases: PhaseResult[] = [];
    // Phase 1: create, until fully available.
    {
      const before = await snapshot();
      const t0 = performance.now();
      await expectStatus('create deployment', send(conns[0]!, requestKey('create', 'deployments'), 'POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, deploymentObject(n)), [201]);
      const { value: t1, progress } = await sampled(() => waitFor('phase 1 (create)', rolledOut));
      phases.push({ name: 'create', seconds: (t1 - t0) / 1000, before, after: await snapshot(), progress });
    }
    // Phase 2: a new image, until the rolling update finished.
    {
      const before = await snapshot();
      const t0 = performance.now();
      const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image('2.0') }];
      await expectStatus('change image', send(conns[0]!, requestKey('patch', 'deployments'), 'PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/${deploymentName}`, patch, 'application/json-patch+json'), [200]);
      const { value: t1, progress } = await sampled(() =>
        waitFor('phase 2 (rolling update)', async (d) => rolledOut(d) && d.spec?.template?.spec?.containers?.[0]?.image === image('2.0') && (await oldReplicaSetsAtZero(d))),
      );
      phases.push({ name: 'rolling update', seconds: (t1 - t0) / 1000, before, after: await snapshot(), progress });
    }

    report(phases, cmLog);

    for (const stop of stops.splice(0).reverse()) await stop();
    if (profileDir) {
      await stopComponent(hollowNodes);
      await stopComponent(scheduler);
      await stopComponent(controllerManager);
      await stopComponent(apiserver);
      hollowNodes = scheduler = controllerManager = apiserver = undefined;
      for (const file of (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile')).sort()) {
        console.log('');
        console.log(formatSummary(`CPU profile ${join(profileDir, file)}`, await summarizeFile(join(profileDir, file))));
      }
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await stopComponent(hollowNodes);
    await stopComponent(scheduler);
    await stopComponent(controllerManager);
    await stopComponent(apiserver);
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
