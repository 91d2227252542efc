/**
 * A whole local cluster for `marina up`: etcd, the API server, the controller-manager, the
 * scheduler, a private containerd with N real node agents, and optionally hollow nodes — each
 * component a supervised child process logging to DATA_DIR/logs/<name>.log.
 *
 * The node agents start alongside etcd and the API server (they wait for it by themselves), the
 * controller-manager and scheduler once the API server is ready; stop order is
 * the reverse, with the node agents' containers and pod networks removed before containerd stops,
 * so a stopped cluster leaves no process, mount, network namespace or iptables rule behind. The
 * objects stay in etcd's data dir: the next `marina up` on it finds them (and runs their pods again).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Node } from '../../api/kinds/core/node';
import { RestClient } from '../../client/restClient';
import { startEtcd, type EtcdProcess } from '../etcdProcess';
import { freePort } from '../ports';
import { kubeconfigYaml } from './kubeconfig';
import { startNodeRuntime, type NodeRuntime } from './nodeRuntime';
import { Supervised } from './supervisor';

export interface ClusterOptions {
  readonly dataDir: string;
  /** API server port; 0: any free port (fixed for the cluster's lifetime, so restarts keep it). */
  readonly port: number;
  /** etcd client port; 0: any free port. */
  readonly etcdPort: number;
  /** Real node agents on the private containerd. */
  readonly nodes: number;
  /** Simulated nodes (one `marina kubelet --simulate` process). */
  readonly hollowNodes: number;
  /** How long to wait for every node to be Ready. */
  readonly readyTimeoutMs: number;
  /** One line per notable event (restarts, progress). */
  readonly notify: (line: string) => void;
  /** Aborting it (Ctrl-C during startup) stops what was started and rejects. */
  readonly signal?: AbortSignal;
}

export interface Cluster {
  readonly server: string;
  readonly etcd: string;
  readonly kubeconfig: string;
  readonly logDir: string;
  readonly nodeNames: readonly string[];
  stop(): Promise<void>;
}

/** Node names: one real node is `marina-node`; several are `marina-node-1`, `marina-node-2`, ... */
export function realNodeNames(count: number): string[] {
  return count === 1 ? ['marina-node'] : Array.from({ length: count }, (_, i) => `marina-node-${i + 1}`);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const logDir = join(options.dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  // Stopped by layer, highest first (node agents before the containerd their pods run on, every
  // client before the API server, etcd last); a layer's members stop concurrently.
  const layers: Stop[][] = [[], [], [], [], []];
  const [etcdLayer, apiLayer, controlLayer, runtimeLayer, agentLayer] = layers as [Stop[], Stop[], Stop[], Stop[], Stop[]];
  const stopAll = async () => {
    for (const layer of layers.reverse()) {
      await Promise.all(layer.splice(0).map((stop) => stop().catch((err: unknown) => options.notify(`error while stopping: ${String(err)}`))));
    }
  };
  const interrupted = () => {
    if (options.signal?.aborted) throw new Error('interrupted before the cluster was up');
  };
  const supervise = async (layer: Stop[], name: string, args: readonly string[]): Promise<Supervised> => {
    interrupted();
    const component = new Supervised({ name, args, logFile: join(logDir, `${name}.log`), notify: options.notify });
    layer.push(() => component.stop());
    await component.start();
    interrupted();
    return component;
  };

  try {
    // The API server's address is fixed before it starts, so the kubeconfig can be written and
    // the node agents (slow to start: containerd, the pod network) can start alongside etcd and
    // the API server; they wait for it by themselves. The controller-manager and scheduler start
    // once it is ready.
    const port = options.port || (await freePort());
    const server = `http://127.0.0.1:${port}`;
    const kubeconfig = join(options.dataDir, 'kubeconfig');
    await writeFile(kubeconfig, kubeconfigYaml(server), { mode: 0o600 });

    const nodes = realNodeNames(options.nodes).map((name, i) => ({
      name,
      containerdNamespace: containerdNamespace(name),
      rootDir: join(options.dataDir, 'nodes', name),
      podCIDR: `10.244.${i}.0/24`,
    }));
    const hollowNames = Array.from({ length: options.hollowNodes }, (_, i) => `hollow-node-${i}`);
    const startNodes = async () => {
      if (nodes.length === 0) return;
      const runtime: NodeRuntime = await startNodeRuntime({ dir: join(options.dataDir, 'containerd'), logFile: join(logDir, 'containerd.log') });
      runtimeLayer.push(() => runtime.stop(nodes));
      await Promise.all(
        nodes.map(async (node) =>
          supervise(agentLayer, `kubelet-${node.name}`, [
            'kubelet',
            '--kubeconfig',
            kubeconfig,
            '--node-name',
            node.name,
            '--containerd-address',
            runtime.address,
            '--containerd-namespace',
            node.containerdNamespace,
            '--pod-cidr',
            node.podCIDR,
            '--root-dir',
            node.rootDir,
            '--port',
            String(await freePort()),
          ]),
        ),
      );
    };
    const startHollowNodes = async () => {
      if (hollowNames.length === 0) return;
      const args = ['kubelet', '--kubeconfig', kubeconfig, '--simulate', '--nodes', String(hollowNames.length), '--node-name-prefix', 'hollow-node-'];
      await supervise(agentLayer, 'hollow-nodes', [...args, '--root-dir', join(options.dataDir, 'hollow-nodes'), '--port', String(await freePort())]);
    };
    /** Resolves with etcd's endpoint once the API server, controller-manager and scheduler run. */
    const startControlPlane = async (): Promise<string> => {
      const etcd: EtcdProcess = await startEtcd({
        dataDir: join(options.dataDir, 'etcd'),
        ...(options.etcdPort ? { clientPort: options.etcdPort } : {}),
        logStream: createWriteStream(join(logDir, 'etcd.log'), { flags: 'a' }),
      });
      etcdLayer.push(() => etcd.stop());
      await supervise(apiLayer, 'apiserver', ['apiserver', '--etcd-servers', etcd.endpoint, '--port', String(port)]);
      await Promise.all([
        supervise(controlLayer, 'controller-manager', ['controller-manager', '--kubeconfig', kubeconfig, '--health-port', '0']),
        supervise(controlLayer, 'scheduler', ['scheduler', '--kubeconfig', kubeconfig, '--health-port', '0']),
      ]);
      return etcd.endpoint;
    };
    const [etcdEndpoint] = await Promise.all([startControlPlane(), startNodes(), startHollowNodes()]);
    const all = [...nodes.map((n) => n.name), ...hollowNames];
    await waitForReadyNodes(new RestClient({ server, rateLimit: false }), all, options.readyTimeoutMs, interrupted);
    return { server, etcd: etcdEndpoint, kubeconfig, logDir, nodeNames: all, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

type Stop = () => Promise<void>;

/** Each node agent's containerd namespace. */
export const containerdNamespace = (nodeName: string): string => `marina-${nodeName}`;

/** Resolves once every named Node reports Ready=True (checked with a list every 100 ms). */
async function waitForReadyNodes(client: RestClient, names: readonly string[], timeoutMs: number, interrupted: () => void): Promise<void> {
  if (names.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  let notReady: string[] = [...names];
  while (Date.now() < deadline) {
    interrupted();
    const list = await client.get<{ items: Node[] }>('/api/v1/nodes').catch(() => undefined);
    if (list) {
      const ready = new Set(list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).map((n) => n.metadata?.name));
      notReady = names.filter((n) => !ready.has(n));
      if (notReady.length === 0) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not Ready within ${timeoutMs / 1000} s: ${notReady.slice(0, 5).join(', ')}${notReady.length > 5 ? ` and ${notReady.length - 5} more` : ''}`);
}
