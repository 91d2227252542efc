/**
 * `marina controller-manager`: runs the built-in controllers (controllers/index.ts) against the API
 * server of a kubeconfig, as kube-controller-manager: one Manager named kube-controller-manager,
 * leader election on the Lease kube-system/kube-controller-manager (so replicas can stand by),
 * /healthz, /readyz and /metrics on 127.0.0.1, JSON log lines on stderr. SIGTERM or SIGINT stops
 * it cleanly (in-flight reconciles finish, the lease is released) and it exits 0.
 *
 * The probe server's address is printed on stdout once listening (for scripts using --health-port 0).
 */
import { Command } from 'commander';
import { builtinControllers, type BuiltinController } from '../controllers/index';
import { Manager } from '../controllers/runtime/manager';
import { loadKubeconfig } from '../client/kubeconfig';
import { createLogger } from '../client/log';
import { MetricsRegistry } from '../client/metrics';
import { RestClient } from '../client/restClient';
import { leaderElectionOf, portNumber, positiveInt, stopOnSignal, withLeaderElectionFlags, type LeaderElectionFlags } from './flags';

interface ControllerManagerOptions extends LeaderElectionFlags {
  readonly kubeconfig?: string;
  readonly healthPort: number;
  readonly controllers: string;
  readonly kubeApiQps: number;
  readonly kubeApiBurst: number;
}

export const controllerManagerName = 'kube-controller-manager';

export function controllerManagerCommand(): Command {
  return withLeaderElectionFlags(new Command('controller-manager').description('Run the built-in controllers'), controllerManagerName, 'running controllers')
    .option('--kubeconfig <file>', 'kubeconfig of the API server (default: $KUBECONFIG)')
    .option('--health-port <port>', '/healthz, /readyz and /metrics on 127.0.0.1 (0: any free port)', portNumber, 10257)
    .option('--controllers <names>', "controllers to run: '*' for all, a comma-separated list, '-name' to leave one out", '*')
    .option('--kube-api-qps <qps>', 'client-side request rate limit (requests per second; a 1,000-pod rollout needs about 2,000 writes)', positiveInt, 200)
    .option('--kube-api-burst <n>', 'client-side request burst', positiveInt, 400)
    .action(async (opts: ControllerManagerOptions) => {
      const log = createLogger('controller-manager');
      const kubeconfigPath = opts.kubeconfig ?? process.env.KUBECONFIG;
      if (!kubeconfigPath) throw new Error('--kubeconfig is required (or set $KUBECONFIG)');
      const kubeconfig = await loadKubeconfig(kubeconfigPath);
      if (!kubeconfig.server.startsWith('http://')) log.warn('only plain http is supported; TLS settings of the kubeconfig are ignored', { server: kubeconfig.server });
      const selected = selectControllers(builtinControllers, opts.controllers);
      // One registry: the client's request counts are served on /metrics beside the controllers'.
      const metrics = new MetricsRegistry();
      const client = new RestClient({ server: kubeconfig.server, userAgent: `marina-${controllerManagerName}/0.1.0`, rateLimit: { qps: opts.kubeApiQps, burst: opts.kubeApiBurst }, metrics });
      const manager = new Manager({
        client,
        eventClient: client.withOwnRateLimit(),
        metrics,
        name: controllerManagerName,
        log,
        healthPort: opts.healthPort,
        leaderElection: leaderElectionOf(opts),
      });
      for (const c of selected) {
        c.register(manager);
        log.info('registered controller', { controller: c.name });
      }
      log.info('starting', { server: kubeconfig.server, controllers: selected.map((c) => c.name), leaderElect: opts.leaderElect });
      // Signals are handled from here on, so a SIGTERM during startup still stops cleanly.
      const stopped = stopOnSignal(() => manager.stop());
      try {
        await manager.start();
      } catch (err) {
        await manager.stop();
        throw err;
      }
      if (manager.healthAddress) process.stdout.write(`${manager.healthAddress}\n`);
      await stopped;
    });
}

/**
 * The controllers `spec` selects: '*' (every one), names, and '-name' to drop one (as
 * kube-controller-manager's --controllers). An unknown name is an error.
 */
export function selectControllers(all: readonly BuiltinController[], spec: string): BuiltinController[] {
  const items = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const known = new Set(all.map((c) => c.name));
  for (const item of items) {
    const name = item.replace(/^-/, '');
    if (name !== '*' && !known.has(name)) throw new Error(`--controllers: unknown controller "${name}" (known: ${[...known].join(', ') || 'none'})`);
  }
  const all_ = items.includes('*');
  const on = new Set(items.filter((i) => i !== '*' && !i.startsWith('-')));
  const off = new Set(items.filter((i) => i.startsWith('-')).map((i) => i.slice(1)));
  return all.filter((c) => !off.has(c.name) && (all_ || on.has(c.name)));
}

export { bool, duration } from './flags';
