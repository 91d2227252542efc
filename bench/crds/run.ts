/**
 * Custom resource benchmark: create throughput of a custom resource whose CRD has a structural
 * schema (with defaults) and three CEL validation rules, as a ratio to ConfigMap creates, both
 * through the same API server process on the same etcd in one run. The two kinds alternate in
 * rounds so that drift (etcd's growing database, the machine's load) touches both alike.
 * Target: a ratio of at least 0.8. Also prints how long after its creation the CRD's resource is
 * served — listed in discovery, its OpenAPI v3 document published, a create answered 201 (target
 * under one second).
 * Usage: npm run bench:crds [-- --creates N --rounds N --tmpfs]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd } from '../../cli/etcdProcess';
import type { LoadClient } from '../apiserver/httpLoad';
import { clients, percentile, post, runConcurrent, startApiServerProcess } from '../apiserver/load';
import { runBenchmark } from '../runBenchmark';

const concurrency = 32;
const targetRatio = 0.8;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = Number(process.argv[i + 1]);
  return i >= 0 && Number.isInteger(v) && v > 0 ? v : fallback;
}

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'websites.bench.marina.dev' },
  spec: {
    group: 'bench.marina.dev',
    scope: 'Namespaced',
    names: { plural: 'websites', singular: 'website', kind: 'WebSite' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['replicas', 'port'],
                'x-kubernetes-validations': [
                  { rule: 'self.replicas <= self.maxReplicas', message: 'replicas must not exceed maxReplicas' },
                  { rule: 'self.port >= 1024 || self.privileged', message: 'ports below 1024 need privileged' },
                  { rule: "self.content.size() <= 4096 && !self.content.startsWith('<script')", message: 'content too long or unsafe' },
                ],
                properties: {
                  replicas: { type: 'integer', minimum: 0 },
                  maxReplicas: { type: 'integer', default: 10 },
                  port: { type: 'integer', minimum: 1, maximum: 65535 },
                  privileged: { type: 'boolean', default: false },
                  content: { type: 'string', default: '' },
                  tags: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const website = (name: string) => ({
  apiVersion: 'bench.marina.dev/v1',
  kind: 'WebSite',
  metadata: { name, labels: { app: 'bench' } },
  spec: { replicas: 2, port: 8080, content: '<h1>hello</h1>', tags: ['a', 'b'] },
});
const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'bench' } }, data: { replicas: '2', port: '8080', content: '<h1>hello</h1>' } });

/** Creates the CRD; resolves with the ms until discovery, OpenAPI v3 and a create all serve it. */
async function timeUntilServed(url: string, client: LoadClient, crPath: string): Promise<number> {
  const t0 = performance.now();
  await post(client, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  const ok = async (path: string, test: (body: string) => boolean) => {
    const res = await fetch(`${url}${path}`);
    return res.status === 200 && test(await res.text());
  };
  let discovered = false;
  let published = false;
  for (const deadline = t0 + 10_000; ; ) {
    discovered ||= await ok('/apis/bench.marina.dev/v1', (b) => b.includes('"websites"'));
    published ||= await ok('/openapi/v3/apis/bench.marina.dev/v1', (b) => b.includes('WebSite'));
    if (discovered && published && (await client.post(crPath, JSON.stringify(website('probe')))) === 201) return performance.now() - t0;
    if (performance.now() > deadline) throw new Error(`the custom resource was not served within 10 s (discovery ${discovered}, OpenAPI ${published})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function main(): Promise<void> {
  const creates = flag('--creates', 1500);
  const rounds = flag('--rounds', 3);
  const dir = await mkdtemp(join(process.argv.includes('--tmpfs') ? '/dev/shm' : tmpdir(), 'marina-bench-crds-'));
  const etcd = await startEtcd({ dataDir: join(dir, 'etcd') });
  let apiserver: ChildProcess | undefined;
  try {
    const started = await startApiServerProcess(etcd.endpoint);
    apiserver = started.child;
    console.log(`marina CRD benchmark: ${rounds} rounds of ${creates} creates per kind, ${concurrency} concurrent clients; etcd data on ${process.argv.includes('--tmpfs') ? 'tmpfs' : 'disk'}`);
    const pool = clients(started.url, concurrency);
    const crPath = '/apis/bench.marina.dev/v1/namespaces/default/websites';
    const cmPath = '/api/v1/namespaces/default/configmaps';
    const servedMs = await timeUntilServed(started.url, pool[0]!, crPath);
    console.log(`CRD created → listed in discovery, OpenAPI v3 published, create answered 201: ${servedMs.toFixed(0)} ms   target < 1000 ms: ${servedMs < 1000 ? 'met' : 'NOT met'}`);
    await runConcurrent(concurrency, 300, (i, w) => post(pool[w]!, crPath, website(`warmup-${i}`)));
    await runConcurrent(concurrency, 300, (i, w) => post(pool[w]!, cmPath, configMap(`warmup-${i}`)));

    const totals = { cm: { n: 0, s: 0, lat: [] as number[] }, cr: { n: 0, s: 0, lat: [] as number[] } };
    for (let r = 0; r < rounds; r++) {
      const cm = await runConcurrent(concurrency, creates, (i, w) => post(pool[w]!, cmPath, configMap(`cm-${r}-${i}`)));
      const cr = await runConcurrent(concurrency, creates, (i, w) => post(pool[w]!, crPath, website(`ws-${r}-${i}`)));
      totals.cm.n += creates;
      totals.cm.s += cm.seconds;
      totals.cm.lat.push(...cm.latencies);
      totals.cr.n += creates;
      totals.cr.s += cr.seconds;
      totals.cr.lat.push(...cr.latencies);
      console.log(`  round ${r + 1}: ConfigMap ${(creates / cm.seconds).toFixed(0)}/s, WebSite ${(creates / cr.seconds).toFixed(0)}/s`);
    }
    pool.forEach((c) => c.close());
    const rate = (t: { n: number; s: number }) => t.n / t.s;
    const p99 = (xs: number[]) => percentile(xs.sort((a, b) => a - b), 99).toFixed(1);
    const ratio = rate(totals.cr) / rate(totals.cm);
    console.log('');
    console.log(`ConfigMap creates:                            ${rate(totals.cm).toFixed(0)}/s (p99 ${p99(totals.cm.lat)} ms)`);
    console.log(`WebSite creates (schema, defaults, 3 CEL rules): ${rate(totals.cr).toFixed(0)}/s (p99 ${p99(totals.cr.lat)} ms)`);
    console.log(`ratio custom resource / ConfigMap: ${ratio.toFixed(2)}   target >= ${targetRatio}: ${ratio >= targetRatio ? 'met' : 'NOT met'}`);
  } finally {
    apiserver?.kill('SIGTERM');
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
