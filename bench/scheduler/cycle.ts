/**
 * The scheduling cycle alone, in process (no API server): a cache of N nodes, then `pods` pods
 * scheduled one after another through the default profile (snapshot refresh, PreFilter, Filter
 * with sampling, Score, assume). Prints the CPU time per pod; what the API round trips cost is
 * what run.ts measures on top. Usage: node dist/bench/scheduler/cycle.js [--nodes 1000,5000] [--pods 10000]
 */
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import { SchedulerCache } from '../../scheduler/cache/cache';
import { SnapshotImpl } from '../../scheduler/cache/snapshot';
import { schedulePod } from '../../scheduler/core/schedulePod';
import { CycleStateImpl } from '../../scheduler/framework/cycleState';
import { Framework } from '../../scheduler/framework/runtime/framework';
import { defaultPlugins, inTreeRegistry } from '../../scheduler/plugins/registry';

export interface CycleResult {
  readonly nodes: number;
  readonly cpuMsPerPod: number;
}

export function measureCycle(numNodes: number, numPods: number): CycleResult {
  const cache = new SchedulerCache();
  const resources = { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '200Gi' };
  for (let i = 0; i < numNodes; i++) {
    const name = `node-${i}`;
    cache.addNode({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % 3}` } },
      status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] },
    } as Node);
  }
  const snapshot = new SnapshotImpl();
  const api = { bind: async () => {}, deletePod: async () => {}, clearNominatedNodeName: async () => {} };
  const fwk = new Framework({ schedulerName: 'default-scheduler' }, { registry: inTreeRegistry, defaults: defaultPlugins, snapshot: () => snapshot, api });
  const cursor = { next: 0 };
  const start = process.cpuUsage();
  for (let i = 0; i < numPods; i++) {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app: 'bench' } },
      spec: { schedulerName: 'default-scheduler', containers: [{ name: 'app', image: 'registry.example/bench:1.0', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    } as Pod;
    cache.updateSnapshot(snapshot);
    const { suggestedHost } = schedulePod(fwk, new CycleStateImpl(), pod, snapshot, cursor, undefined);
    cache.assumePod({ ...pod, spec: { ...pod.spec!, nodeName: suggestedHost } }, suggestedHost);
  }
  const used = process.cpuUsage(start);
  return { nodes: numNodes, cpuMsPerPod: (used.user + used.system) / 1000 / numPods };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const nodes = (value('--nodes') ?? '1000,5000').split(',').map(Number);
  const pods = Number(value('--pods') ?? 10_000);
  for (const n of nodes) {
    const r = measureCycle(n, pods);
    console.log(`scheduling cycle at ${n} nodes: ${r.cpuMsPerPod.toFixed(3)} ms CPU per pod (${(1000 / r.cpuMsPerPod).toFixed(0)} pods/s on one core)`);
  }
}
