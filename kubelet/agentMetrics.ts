/** The node agent's /metrics: totals over the agents of the process, read when scraped. */
import { MetricsRegistry } from '../client/metrics';
import type { NodeAgent } from './agent';

export function agentMetrics(agents: () => Iterable<NodeAgent>): () => string {
  const registry = new MetricsRegistry();
  const nodes = registry.gauge('kubelet_nodes', 'Nodes run by this process (hollow nodes in simulated mode).');
  const pods = registry.gauge('kubelet_running_pods', 'Pods known to the agents of this process.');
  const syncs = registry.gauge('kubelet_pod_syncs_total', 'Pod syncs so far.');
  const statusWrites = registry.gauge('kubelet_pod_status_writes_total', 'Pod status writes (pods/NAME/status) so far.');
  const nodeStatusWrites = registry.gauge('kubelet_node_status_writes_total', 'Node status writes so far.');
  const leases = registry.gauge('kubelet_lease_renewals_total', 'Node lease renewals so far.');
  const probes = registry.gauge('kubelet_probe_workers', 'Probe workers running.');
  return () => {
    let n = 0;
    const totals = { pods: 0, syncs: 0, statusWrites: 0, nodeStatusWrites: 0, leases: 0, probes: 0 };
    for (const a of agents()) {
      n++;
      totals.pods += a.podCount;
      totals.syncs += a.syncs;
      totals.statusWrites += a.statusWriter.writes;
      totals.nodeStatusWrites += a.reporter.statusWrites;
      totals.leases += a.reporter.leaseRenewals;
      totals.probes += a.probes.size;
    }
    nodes.set(n);
    pods.set(totals.pods);
    syncs.set(totals.syncs);
    statusWrites.set(totals.statusWrites);
    nodeStatusWrites.set(totals.nodeStatusWrites);
    leases.set(totals.leases);
    probes.set(totals.probes);
    return registry.render();
  };
}
