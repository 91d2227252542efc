/**
 * API server benchmark. On one etcd, in one run:
 *   1. raw etcd create transactions per second through the etcd3 client, 64 concurrent clients;
 *   2. Pod creates per second through the API server at the same concurrency, p50/p99 latency;
 *   3. 100 watchers on pods: delay from a create's acknowledgement to each watcher receiving it;
 *   4. API server RSS with 10,000 pods stored and the 100 watchers open.
 * Prints each figure with its target. Usage: npm run bench:apiserver [-- --creates N --tmpfs]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { startEtcd } from '../../cli/etcdProcess';
import { clients, percentile, post, runConcurrent, startApiServerProcess } from './load';
import { runBenchmark } from '../runBenchmark';

const concurrency = 64;
const watcherCount = 100;
const totalPods = 10_000;

interface Args {
  readonly creates: number;
  readonly tmpfs: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const creates = Number(argv[argv.indexOf('--creates') + 1]);
  return { creates: argv.includes('--creates') && creates > 0 ? creates : 4000, tmpfs: argv.includes('--tmpfs') };
}

function pod(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', tier: 'web' } },
    spec: {
      containers: [{ name: 'app', image: 'registry.example/bench:1.0', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
    },
  };
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Opens `count` pod watches from `resourceVersion`; `onEvent` gets (watcher, pod name, arrival time). */
function openWatchers(url: string, resourceVersion: string, count: number, onEvent: (watcher: number, name: string, at: number) => void): Promise<(() => void)[]> {
  const watchAgent = new Agent({ keepAlive: false, maxSockets: count + 1 });
  return Promise.all(
    Array.from(
      { length: count },
      (_, w) =>
        new Promise<() => void>((resolve, reject) => {
          const req = request(`${url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${resourceVersion}`, { agent: watchAgent }, (res) => {
            if (res.statusCode !== 200) return reject(new Error(`watch: HTTP ${res.statusCode}`));
            let buffer = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              const at = performance.now();
              buffer += chunk;
              let nl;
              while ((nl = buffer.indexOf('\n')) >= 0) {
                const line = buffer.slice(0, nl);
                buffer = buffer.slice(nl + 1);
                // The name is all we need; avoid parsing whole objects 100 times over.
                const name = /"name":"([^"]+)"/.exec(line)?.[1];
                if (name && line.startsWith('{"type":"ADDED"')) onEvent(w, name, at);
              }
            });
            resolve(() => req.destroy());
          });
          req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
          req.end();
        }),
    ),
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(args.tmpfs ? '/dev/shm' : tmpdir(), 'marina-bench-'));
  const etcd = await startEtcd({ dataDir: join(dir, 'etcd') });
  let apiserver: ChildProcess | undefined;
  try {
    console.log(`marina API server benchmark (etcd data on ${args.tmpfs ? 'tmpfs' : 'disk'}, ${concurrency} concurrent clients, ${args.creates} creates per phase)`);

    // 1. Raw etcd create transactions.
    const client = new Etcd3({ hosts: [etcd.endpoint] });
    const value = Buffer.from(JSON.stringify({ ...pod('raw'), metadata: { name: 'raw', namespace: 'default', uid: '00000000-0000-0000-0000-000000000000', creationTimestamp: new Date().toISOString() } }));
    const raw = await runConcurrent(concurrency, args.creates, async (i) => {
      const key = Buffer.from(`/bench/raw/default/pod-${i}`);
      const res = await client.kv.txn({ compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }], success: [{ request_put: { key, value } }], failure: [] });
      if (!res.succeeded) throw new Error('raw create conflict');
    });
    client.close();
    const rawRate = args.creates / raw.seconds;
    console.log(`raw etcd creates:      ${rawRate.toFixed(0)}/s (p50 ${percentile(raw.latencies, 50).toFixed(1)} ms, p99 ${percentile(raw.latencies, 99).toFixed(1)} ms)`);

    // 2. Pod creates through the API server.
    const started = await startApiServerProcess(etcd.endpoint);
    apiserver = started.child;
    const podsUrl = `${started.url}/api/v1/namespaces/default/pods`;
    const podsPath = '/api/v1/namespaces/default/pods';
    const pool = clients(started.url, concurrency);
    await runConcurrent(concurrency, 200, (i, w) => post(pool[w]!, podsPath, pod(`warmup-${i}`)));
    const api = await runConcurrent(concurrency, args.creates, (i, w) => post(pool[w]!, podsPath, pod(`pod-${i}`)));
    const apiRate = args.creates / api.seconds;
    const p50 = percentile(api.latencies, 50);
    const p99 = percentile(api.latencies, 99);
    console.log(`API server pod creates: ${apiRate.toFixed(0)}/s (p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms)`);
    console.log(`ratio API/raw:         ${((100 * apiRate) / rawRate).toFixed(0)}%   target >= 50%: ${apiRate >= rawRate / 2 ? 'met' : 'NOT met'}`);
    console.log(`p99 create latency:    ${p99.toFixed(1)} ms   target < 100 ms: ${p99 < 100 ? 'met' : 'NOT met'}`);

    // 3. Watch delivery to 100 watchers.
    const list = await fetch(`${podsUrl}?limit=1`).then((r) => r.json() as Promise<{ metadata: { resourceVersion: string } }>);
    const acked = new Map<string, number>();
    const delays: number[] = [];
    const pendingArrivals = new Map<string, number[]>();
    const closers = await openWatchers(started.url, list.metadata.resourceVersion, watcherCount, (_w, name, at) => {
      const ack = acked.get(name);
      if (ack !== undefined) delays.push(Math.max(0, at - ack));
      else if (name.startsWith('watched-')) (pendingArrivals.get(name) ?? pendingArrivals.set(name, []).get(name)!).push(at);
    });
    // A steady stream rather than a burst: 100 creates a second, each seen by every watcher.
    const watchedCreates = 500;
    const intervalMs = 10;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: watchedCreates }, async (_, i) => {
        await new Promise((r) => setTimeout(r, Math.max(0, t0 + i * intervalMs - performance.now())));
        const name = `watched-${i}`;
        await post(pool[i % concurrency]!, podsPath, pod(name));
        acked.set(name, performance.now());
        // Events that arrived before the response count as delivered at once.
        for (const _ of pendingArrivals.get(name) ?? []) delays.push(0);
        pendingArrivals.delete(name);
      }),
    );
    const deadline = Date.now() + 10_000;
    while (delays.length < watchedCreates * watcherCount && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    delays.sort((a, b) => a - b);
    const wp99 = percentile(delays, 99);
    console.log(
      `watch delivery:        ${delays.length}/${watchedCreates * watcherCount} events, p50 ${percentile(delays, 50).toFixed(1)} ms, p99 ${wp99.toFixed(1)} ms   target p99 < 50 ms: ${wp99 < 50 && delays.length === watchedCreates * watcherCount ? 'met' : 'NOT met'}`,
    );

    // 4. RSS with 10,000 pods and the watchers open.
    const stored = 200 + args.creates + watchedCreates;
    await runConcurrent(concurrency, Math.max(0, totalPods - stored), (i, w) => post(pool[w]!, podsPath, pod(`fill-${i}`)));
    await new Promise((r) => setTimeout(r, 2_000)); // let the watchers drain
    const rss = await rssMiB(apiserver.pid!);
    console.log(`API server RSS:        ${rss.toFixed(0)} MiB with ${Math.max(totalPods, stored)} pods and ${watcherCount} watchers   target < 400 MB: ${rss < 400 ? 'met' : 'NOT met'}`);
    for (const close of closers) close();
    for (const c of pool) c.close();
  } finally {
    apiserver?.kill('SIGTERM');
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
