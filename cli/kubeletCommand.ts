/**
 * `marina kubelet`: the node agent. With --node-name it runs one node's pods on containerd
 * (through `ctr`, a containerd namespace per agent); with --simulate --nodes N it runs N hollow
 * nodes in this process over fake runtimes (same registration, lease, status and pod lifecycle
 * code) for scale tests. Serves the node-agent contract (logs, exec), /healthz and /metrics;
 * JSON log lines on stderr; SIGTERM or SIGINT stops it cleanly (containers keep running).
 * The server's URL is printed on stdout once the node(s) are registered.
 */
import { InvalidArgumentError, Command } from 'commander';
import { loadKubeconfig } from '../client/kubeconfig';
import { createLogger } from '../client/log';
import { RestClient } from '../client/restClient';
import { startHollowNodes, startKubelet, type AgentTuning } from '../kubelet/kubelet';
import { defaultEvictionHardText, parseEvictionHard, type EvictionThreshold } from '../kubelet/node/pressure';
import { createContainerdRuntime } from '../kubelet/runtimeFactory';
import { duration, portNumber, positiveInt, stopOnSignal } from './flags';

interface KubeletCommandOptions {
  readonly kubeconfig?: string;
  readonly nodeName?: string;
  readonly containerdAddress: string;
  readonly containerdNamespace?: string;
  readonly podCidr?: string;
  readonly rootDir: string;
  readonly port: number;
  readonly nodeIp: string;
  readonly capacity?: Record<string, string>;
  readonly allocatable?: Record<string, string>;
  readonly maxPods?: number;
  readonly evictionHard?: EvictionThreshold[];
  readonly simulate: boolean;
  readonly nodes: number;
  readonly nodeNamePrefix: string;
  readonly startDelay: number;
  readonly backoffInitial?: number;
  readonly backoffMax?: number;
  readonly kubeApiQps: number;
  readonly kubeApiBurst: number;
}

export function kubeletCommand(): Command {
  return new Command('kubelet')
    .description('Run the node agent (or, with --simulate, many hollow nodes)')
    .option('--kubeconfig <file>', 'kubeconfig of the API server (default: $KUBECONFIG)')
    .option('--node-name <name>', 'the Node to register and run pods for')
    .option('--containerd-address <socket>', "containerd's socket", '/run/containerd/containerd.sock')
    .option('--containerd-namespace <ns>', 'the containerd namespace of this agent (default: marina-<node name>)')
    .option('--pod-cidr <cidr>', "the node's pod CIDR (pod IPs come from it)")
    .option('--root-dir <dir>', 'volumes and logs of pods', '/var/lib/marina/kubelet')
    .option('--port <port>', 'the node-agent server port (0: any free port)', portNumber, 10250)
    .option('--node-ip <ip>', 'the InternalIP the node advertises and the server listens on', '127.0.0.1')
    .option('--capacity <list>', 'capacity overrides, e.g. cpu=4,memory=8Gi,ephemeral-storage=50Gi', resourceList)
    .option('--allocatable <list>', 'allocatable (default: the capacity), same form', resourceList)
    .option('--max-pods <n>', 'capacity of pods', positiveInt)
    .option(
      '--eviction-hard <list>',
      `thresholds reporting MemoryPressure, DiskPressure, PIDPressure (e.g. pid.available<1000); a list replaces all the defaults, "" sets none; pods are not evicted; hollow nodes report no pressure (default: "${defaultEvictionHardText}")`,
      evictionHard,
    )
    .option('--simulate', 'run hollow nodes over a fake runtime', false)
    .option('--nodes <n>', 'hollow nodes to run (with --simulate)', positiveInt, 1)
    .option('--node-name-prefix <p>', 'hollow node names are <p><index>', 'hollow-node-')
    .option('--start-delay <duration>', 'how long a hollow container takes to start', duration, 0)
    .option('--backoff-initial <duration>', 'first CrashLoopBackOff/ImagePullBackOff delay (default 10s)', duration)
    .option('--backoff-max <duration>', 'longest backoff delay (default 300s)', duration)
    .option('--kube-api-qps <qps>', 'client-side request rate limit (of each hollow node with --simulate)', positiveInt, 50)
    .option('--kube-api-burst <n>', 'client-side request burst', positiveInt, 100)
    .action(async (opts: KubeletCommandOptions) => {
      const log = createLogger('kubelet');
      const kubeconfigPath = opts.kubeconfig ?? process.env.KUBECONFIG;
      if (!kubeconfigPath) throw new Error('--kubeconfig is required (or set $KUBECONFIG)');
      if (!opts.simulate && !opts.nodeName) throw new Error('--node-name is required (or --simulate --nodes N)');
      const kubeconfig = await loadKubeconfig(kubeconfigPath);
      const client = new RestClient({ server: kubeconfig.server, userAgent: 'marina-kubelet/0.1.0', rateLimit: { qps: opts.kubeApiQps, burst: opts.kubeApiBurst } });
      const backoff = { ...(opts.backoffInitial ? { initialMs: opts.backoffInitial } : {}), ...(opts.backoffMax ? { maxMs: opts.backoffMax } : {}) };
      const tuning: AgentTuning = { crashBackoff: backoff, imageBackoff: backoff };
      const capacity = { ...opts.capacity, ...(opts.maxPods ? { pods: String(opts.maxPods) } : {}) };
      const running = opts.simulate
        ? await startHollowNodes({ ...tuning, client, nodeClient: () => client.withOwnRateLimit(), count: opts.nodes, prefix: opts.nodeNamePrefix, startDelayMs: opts.startDelay, rootDir: opts.rootDir, port: opts.port, capacity, log })
        : await startKubelet({
            ...tuning,
            client,
            nodeName: opts.nodeName!,
            runtime: await createContainerdRuntime({
              containerdAddress: opts.containerdAddress,
              containerdNamespace: opts.containerdNamespace ?? `marina-${opts.nodeName!}`,
              rootDir: opts.rootDir,
              ...(opts.podCidr ? { podCIDR: opts.podCidr } : {}),
              log,
            }),
            rootDir: opts.rootDir,
            port: opts.port,
            nodeIP: opts.nodeIp,
            capacity,
            ...(opts.allocatable ? { allocatable: opts.allocatable } : {}),
            ...(opts.podCidr ? { podCIDR: opts.podCidr } : {}),
            ...(opts.evictionHard ? { evictionHard: opts.evictionHard } : {}),
            log,
          });
      log.info('node agent running', { nodes: running.agents.map((a) => a.nodeName).slice(0, 5), count: running.agents.length, url: running.server.url });
      process.stdout.write(`${running.server.url}\n`);
      await stopOnSignal(() => running.stop());
    });
}

/** `name=quantity,...` as a resource list. */
export function resourceList(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9./-]+)=([0-9.]+[A-Za-z]*)$/.exec(item);
    if (!m) throw new InvalidArgumentError(`"${item}" is not name=quantity`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** An --eviction-hard list (see parseEvictionHard). */
export function evictionHard(value: string): EvictionThreshold[] {
  try {
    return parseEvictionHard(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
