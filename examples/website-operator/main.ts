/**
 * The WebSite operator as a process:
 *
 *   node dist/examples/website-operator/main.js [--kubeconfig FILE] [--namespace NS] [--image REF]
 *        [--health-port PORT] [--leader-elect=false]
 *
 * It reads the kubeconfig (--kubeconfig, else $KUBECONFIG), runs the WebSite controller in a
 * Manager (shared caches, leader election on the Lease NS/website-operator so a second replica
 * stands by, /healthz, /readyz and /metrics on 127.0.0.1), logs JSON lines on stderr, and stops
 * cleanly on SIGTERM or SIGINT: in-flight reconciles finish, the lease is released, exit 0.
 * Once the probe server listens, its address is printed on stdout (useful with --health-port 0).
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadKubeconfig } from '../../client/kubeconfig';
import { createLogger } from '../../client/log';
import { RestClient } from '../../client/restClient';
import { Manager } from '../../controllers/runtime';
import { addWebSiteController, defaultImage } from './controller';

interface Flags {
  readonly kubeconfig?: string;
  readonly namespace?: string;
  readonly image: string;
  readonly healthPort: number;
  readonly leaderElect: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

async function main(argv: readonly string[]): Promise<void> {
  const flags = new Command('website-operator')
    .description('Serve WebSites (examples.marina.dev/v1) with busybox httpd')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: $KUBECONFIG)')
    .option('--namespace <ns>', "the operator's namespace: its Lease and the site registry (default: the kubeconfig context's)")
    .option('--image <ref>', 'the web server image (it needs busybox httpd)', defaultImage)
    .option('--health-port <port>', '/healthz, /readyz and /metrics on 127.0.0.1 (0: any free port)', port, 8081)
    .option('--leader-elect <bool>', 'run only while holding the Lease (true|false)', (v) => v !== 'false', true)
    .parse(argv)
    .opts<Flags>();

  const log = createLogger('website-operator');
  const path = flags.kubeconfig ?? process.env.KUBECONFIG;
  if (!path) throw new Error('--kubeconfig is required (or set $KUBECONFIG)');
  const kubeconfig = await loadKubeconfig(path);
  const namespace = flags.namespace ?? kubeconfig.namespace;

  const manager = new Manager({
    client: new RestClient({ server: kubeconfig.server, userAgent: 'website-operator/0.1.0' }),
    name: 'website-operator',
    log,
    healthPort: flags.healthPort,
    leaderElection: flags.leaderElect ? { namespace } : false,
  });
  addWebSiteController(manager, { image: flags.image, registryNamespace: namespace });

  // From here on SIGTERM or SIGINT stops the manager cleanly (a second signal kills the process).
  const stopped = new Promise<void>((resolve, reject) => {
    const stop = () => manager.stop().then(resolve, reject);
    process.once('SIGTERM', () => void stop());
    process.once('SIGINT', () => void stop());
  });
  log.info('starting', { server: kubeconfig.server, namespace, image: flags.image, leaderElect: flags.leaderElect });
  try {
    await manager.start();
  } catch (err) {
    await manager.stop();
    throw err;
  }
  if (manager.healthAddress) process.stdout.write(`${manager.healthAddress}\n`);
  await stopped;
}

main(process.argv).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`website-operator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
