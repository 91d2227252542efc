/**
 * Hollow-node benchmark: `marina kubelet --simulate --nodes N` (default 1,000) as one process
 * against a real etcd and API server (separate processes). Prints the time from the process's
 * start until every Node is Ready as the API server reports it, the process's RSS per hollow
 * node, then the same with one pod per node running (time until all pods are Ready, RSS again).
 * Targets: < 2 MB per hollow node (a kubemark hollow node takes about 220 MB), all Ready within 30 s.
 * Usage: npm run bench:hollow-nodes [-- --nodes N --qps Q] (Q: the hollow process's request rate limit, default 400)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEtcd } from '../../cli/etcdProcess';
import { serverNodeFlags } from '../../cli/nodeFlags';
import { RestClient } from '../../client/restClient';
import { writeBenchKubeconfig } from '../components';

const cli = join(__dirname, '../../cli/main.js');

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

function startProcess(args: readonly string[], flags: readonly string[] = []): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(process.execPath, [...flags, cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MARINA_LOG_LEVEL: 'warn' } });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`marina ${args[0]} exited with ${code}`)));
  });
  return { child, firstLine };
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) * 1024;
}

/** Resolves once `total` objects of the collection at `path` are Ready, as a watch reports them. */
async function allReady(client: RestClient, path: string, total: number, timeoutMs: number): Promise<void> {
  const ready = new Set<string>();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const watch = await client.watch<Conditioned>(path, {}, (e) => {
    const name = e.object.metadata?.name ?? '';
    if (e.type !== 'DELETED' && isReady(e.object)) ready.add(name);
    else ready.delete(name);
    if (ready.size >= total) done();
  });
  const timer = setTimeout(() => done(), timeoutMs);
  await finished;
  clearTimeout(timer);
  watch.close();
  if (ready.size < total) throw new Error(`timed out after ${timeoutMs} ms: ${ready.size} of ${total} Ready at ${path}`);
}

type Conditioned = { metadata?: { name?: string }; status?: { conditions?: { type: string; status: string }[] } };
const isReady = (o: Conditioned) => !!o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

async function main(): Promise<void> {
  const nodes = argValue('--nodes', 1000);
  const qps = argValue('--qps', 400);
  const dir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'marina-bench-hollow-'));
  const etcd = await startEtcd({ dataDir: join(dir, 'etcd') });
  const api = startProcess(['apiserver', '--etcd-servers', etcd.endpoint, '--port', '0'], serverNodeFlags);
  let kubelet: ChildProcess | undefined;
  try {
    const url = await api.firstLine;
    const client = new RestClient({ server: url, rateLimit: false });
    const kubeconfig = await writeBenchKubeconfig(dir, url);

    const started = performance.now();
    const hollow = startProcess(['kubelet', '--kubeconfig', kubeconfig, '--simulate', '--nodes', String(nodes), '--port', '0', '--root-dir', join(dir, 'kubelet'), '--start-delay', '100ms', '--kube-api-qps', String(qps), '--kube-api-burst', String(qps)]);
    kubelet = hollow.child;
    await allReady(client, '/api/v1/nodes', nodes, 120_000);
    const readySeconds = (performance.now() - started) / 1000;
    await hollow.firstLine;
    await new Promise((r) => setTimeout(r, 2000)); // let startup garbage be collected before measuring
    const rssNodes = await rssBytes(kubelet.pid!);

    const podsStarted = performance.now();
    const body = (i: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `bench-${i}` }, spec: { nodeName: `hollow-node-${i}`, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }] } });
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      for (let i = next++; i < nodes; i = next++) await client.create('/api/v1/namespaces/default/pods', body(i));
    }));
    const createdSeconds = (performance.now() - podsStarted) / 1000;
    await allReady(client, '/api/v1/namespaces/default/pods', nodes, 180_000);
    const podsSeconds = (performance.now() - podsStarted) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    const rssPods = await rssBytes(kubelet.pid!);

    const mb = (b: number) => (b / 1024 / 1024).toFixed(2);
    const perNode = rssNodes / nodes;
    const perNodeWithPods = rssPods / nodes;
    console.log(`hollow nodes: ${nodes} in one process (marina kubelet --simulate)`);
    console.log(`  all nodes Ready after          ${readySeconds.toFixed(1)} s   (target <= 30 s)  ${readySeconds <= 30 ? 'OK' : 'MISSED'}`);
    console.log(`  process RSS                    ${mb(rssNodes)} MiB`);
    console.log(`  RSS per hollow node            ${mb(perNode)} MiB   (target < 2 MB; kubemark: ~220 MB)  ${perNode < 2e6 ? 'OK' : 'MISSED'}`);
    console.log(`  with one pod per node:`);
    console.log(`    pods created (32 at a time)  ${createdSeconds.toFixed(1)} s`);
    console.log(`    all ${nodes} pods Ready after    ${podsSeconds.toFixed(1)} s`);
    console.log(`    process RSS                  ${mb(rssPods)} MiB`);
    console.log(`    RSS per hollow node          ${mb(perNodeWithPods)} MiB   ${perNodeWithPods < 2e6 ? 'OK' : 'MISSED'}`);
  } finally {
    // The hollow nodes first, so they do not complain of an API server gone away.
    for (const c of [kubelet, api.child]) {
      if (!c || c.exitCode !== null) continue;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    }
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
