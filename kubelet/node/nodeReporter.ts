/**
 * One node's presence in the API (the kubelet's node registration, status loop and lease
 * controller): registers the Node (creating it, or adding its labels to an existing one), writes
 * its status when it changes and at least every `reportFrequencyMs` (5 min), and renews the Lease
 * kube-node-lease/<node> (owned by the Node). The periodic calls are made by the caller (a
 * TimerWheel), so a thousand hollow nodes share one timer.
 */
import type { Node } from '../../api/kinds/core/node';
import type { NodeStatus } from '../../api/kinds/core/nodeStatus';
import type { Lease } from '../../api/kinds/coordination/lease';
import { isStatusError } from '../../api/status';
import { realClock, type Clock } from '../../client/clock';
import { microTime } from '../../client/leaderElection';
import type { RestClient } from '../../client/restClient';
import { rfc3339 } from '../pod/podStatus';
import { unlimited, type RequestLimit } from '../requestLimit';
import { initialNode, nodeLabels, nodeStatus, statusChanged, type NodeFacts, type NodeHealth } from './nodeStatus';

export const nodeLeaseNamespace = 'kube-node-lease';
const nodes = { group: '', version: 'v1', resource: 'nodes' };
const leases = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

export interface NodeReporterOptions {
  /** Write the status at least this often even when nothing changed. Default 5 min. */
  readonly reportFrequencyMs?: number;
  /** The Lease's leaseDurationSeconds. Default 40. */
  readonly leaseDurationSeconds?: number;
  /** Bounds the writes in flight (shared by hollow nodes). Default: none. */
  readonly limit?: RequestLimit;
  readonly clock?: Clock;
}

export class NodeReporter {
  private lastStatus: NodeStatus | undefined;
  private lastWrite = 0;
  private lease: Lease | undefined;
  private nodeUid: string | undefined;
  private readonly clock: Clock;
  private readonly limit: RequestLimit;
  /** Status writes so far (tests, metrics). */
  statusWrites = 0;
  leaseRenewals = 0;

  constructor(
    private readonly client: RestClient,
    private readonly facts: () => NodeFacts,
    private readonly health: () => NodeHealth,
    private readonly options: NodeReporterOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.limit = options.limit ?? unlimited;
  }

  get nodeName(): string {
    return this.facts().nodeName;
  }

  /** Creates the Node with its status (one request), or makes an existing one ours (labels) and writes its status. */
  async register(): Promise<void> {
    const facts = this.facts();
    const res = this.client.resource<Node>(nodes);
    const now = this.clock.now();
    const status = nodeStatus(facts, this.health(), undefined, rfc3339(now));
    let node: Node;
    try {
      // Node status may be set on create (as in Kubernetes), which saves a write per node.
      node = await this.limit(() => res.create({ ...initialNode(facts), status }));
      this.nodeUid = node.metadata?.uid;
      this.lastStatus = status;
      this.lastWrite = now;
      this.statusWrites++;
      return;
    } catch (err) {
      if (!isStatusError(err, 409)) throw err;
    }
    const labels = nodeLabels(facts);
    node = await this.limit(() => res.patch(facts.nodeName, { metadata: { labels }, ...(facts.podCIDR ? { spec: { podCIDR: facts.podCIDR, podCIDRs: [facts.podCIDR] } } : {}) }));
    this.nodeUid = node.metadata?.uid;
    this.lastStatus = node.status;
    await this.updateStatus(true);
  }

  /** Writes the status if it changed, or if the last write is older than the report frequency. */
  async updateStatus(force = false): Promise<boolean> {
    const now = this.clock.now();
    const next = nodeStatus(this.facts(), this.health(), this.lastStatus, rfc3339(now));
    const due = now - this.lastWrite >= (this.options.reportFrequencyMs ?? 300_000);
    if (!force && !due && !statusChanged(this.lastStatus, next)) return false;
    const path = this.client.resource<Node>(nodes).path(this.nodeName, 'status');
    try {
      await this.limit(() => this.client.patch<Node>(path, { status: next }, 'merge'));
    } catch (err) {
      if (isStatusError(err, 404)) {
        // The Node was deleted under us: register again.
        this.lastStatus = undefined;
        await this.register();
        return true;
      }
      throw err;
    }
    this.lastStatus = next;
    this.lastWrite = now;
    this.statusWrites++;
    return true;
  }

  /** Renews (or creates) the node's Lease. */
  async renewLease(): Promise<void> {
    const res = this.client.resource<Lease>(leases, nodeLeaseNamespace);
    const now = microTime(this.clock.now());
    const spec = { holderIdentity: this.nodeName, leaseDurationSeconds: this.options.leaseDurationSeconds ?? 40, renewTime: now };
    if (!this.lease) {
      const owner = this.nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: this.nodeUid }] } : {};
      try {
        this.lease = await this.limit(() => res.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.nodeName, namespace: nodeLeaseNamespace, ...owner }, spec }));
        this.leaseRenewals++;
        return;
      } catch (err) {
        if (!isStatusError(err, 409)) throw err;
        this.lease = await this.limit(() => res.get(this.nodeName));
      }
    }
    try {
      const lease = this.lease;
      this.lease = await this.limit(() => res.update({ ...lease, spec: { ...lease.spec, ...spec } }));
      this.leaseRenewals++;
    } catch (err) {
      // Someone else wrote it (or it is gone): read it again next time.
      this.lease = undefined;
      throw err;
    }
  }
}

