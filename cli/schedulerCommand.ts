/**
 * `marina scheduler`: the scheduler (scheduler/) against the API server of a kubeconfig, as
 * kube-scheduler: profiles from --config (a KubeSchedulerConfiguration; default: one
 * default-scheduler profile), leader election on the Lease kube-system/kube-scheduler,
 * /healthz, /readyz and /metrics on 127.0.0.1, JSON log lines on stderr. SIGTERM or SIGINT
 * stops it cleanly (bindings in flight finish, the lease is released) and it exits 0.
 *
 * A configuration that cannot be read or is invalid is one line on stderr and exit status 2.
 * Losing the lease exits with status 1 (a supervisor restarts it as a candidate).
 * The probe server's address is printed on stdout once listening (for --health-port 0).
 */
import { Command } from 'commander';
import { loadKubeconfig } from '../client/kubeconfig';
import { createLogger } from '../client/log';
import { RestClient } from '../client/restClient';
import { loadSchedulerConfiguration } from '../scheduler/config/load';
import { defaultConfiguration, type SchedulerConfiguration } from '../scheduler/config/types';
import { Scheduler } from '../scheduler/scheduler';
import { restSchedulerApi } from '../scheduler/api';
import { startSchedulerServer } from '../scheduler/server';
import { leaderElectionOf, portNumber, positiveInt, stopOnSignal, withLeaderElectionFlags, type LeaderElectionFlags } from './flags';

interface SchedulerCommandOptions extends LeaderElectionFlags {
  readonly kubeconfig?: string;
  readonly config?: string;
  readonly healthPort: number;
  readonly kubeApiQps: number;
  readonly kubeApiBurst: number;
  readonly maxInFlightBindings: number;
}

export function schedulerCommand(): Command {
  return withLeaderElectionFlags(new Command('scheduler').description('Run the scheduler: bind unscheduled pods to nodes'), 'kube-scheduler', 'scheduling')
    .option('--kubeconfig <file>', 'kubeconfig of the API server (default: $KUBECONFIG)')
    .option('--config <file>', 'a KubeSchedulerConfiguration (YAML): profiles, plugins, weights')
    .option('--health-port <port>', '/healthz, /readyz and /metrics on 127.0.0.1 (0: any free port)', portNumber, 10259)
    .option('--kube-api-qps <qps>', 'client-side request rate limit', positiveInt, 50)
    .option('--kube-api-burst <n>', 'client-side request burst', positiveInt, 100)
    .option('--max-in-flight-bindings <n>', 'binding requests in flight at once', positiveInt, 64)
    .action(async (opts: SchedulerCommandOptions) => {
      const log = createLogger('scheduler');
      let config: SchedulerConfiguration = defaultConfiguration;
      try {
        if (opts.config) config = await loadSchedulerConfiguration(opts.config);
        // Build once without a server, so plugin names and args are checked before anything starts.
        new Scheduler({ api: restSchedulerApi(new RestClient({ server: 'http://127.0.0.1' })), config });
      } catch (err) {
        process.stderr.write(`marina scheduler: invalid configuration: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(2);
      }
      const kubeconfigPath = opts.kubeconfig ?? process.env.KUBECONFIG;
      if (!kubeconfigPath) throw new Error('--kubeconfig is required (or set $KUBECONFIG)');
      const kubeconfig = await loadKubeconfig(kubeconfigPath);
      const client = new RestClient({ server: kubeconfig.server, userAgent: 'marina-scheduler/0.1.0', rateLimit: { qps: opts.kubeApiQps, burst: opts.kubeApiBurst } });
      log.info('starting', { server: kubeconfig.server, profiles: config.profiles.map((p) => p.schedulerName), leaderElect: opts.leaderElect });
      let server: Awaited<ReturnType<typeof startSchedulerServer>> | undefined;
      let stopRequested = false;
      // Signals are handled from here on, so a SIGTERM during startup still stops cleanly.
      const stopped = stopOnSignal(async () => {
        stopRequested = true;
        await server?.stop();
      });
      server = await startSchedulerServer({
        client,
        eventClient: client.withOwnRateLimit(),
        config,
        log,
        healthPort: opts.healthPort,
        maxInFlightBindings: opts.maxInFlightBindings,
        onLeadershipLost: () => process.exit(1),
        leaderElection: leaderElectionOf(opts),
      });
      if (stopRequested) await server.stop();
      else if (server.healthAddress) process.stdout.write(`${server.healthAddress}\n`);
      await stopped;
      await server.stop();
    });
}
