/** `marina apiserver`: serves the Kubernetes API on etcd until SIGTERM or SIGINT. */
import { Command } from 'commander';
import { startApiServer } from '../apiserver/server';
import { createLogger } from '../client/log';
import { portNumber, positiveInt, stopOnSignal } from './flags';

export function apiserverCommand(): Command {
  return new Command('apiserver')
    .description('Run the API server')
    .requiredOption('--etcd-servers <urls>', 'comma-separated etcd client URLs', (v) => v.split(',').filter(Boolean))
    .option('--bind-address <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', portNumber, 6443)
    .option('--compaction-retention <seconds>', 'etcd history to keep, in seconds', positiveInt, 300)
    .action(async (opts: { etcdServers: string[]; bindAddress: string; port: number; compactionRetention: number }) => {
      const log = createLogger('apiserver');
      const server = await startApiServer({
        etcdServers: opts.etcdServers,
        bindAddress: opts.bindAddress,
        port: opts.port,
        compactionRetentionMs: opts.compactionRetention * 1000,
        log,
      });
      // Printed for scripts that start it with --port 0.
      process.stdout.write(`${server.url}\n`);
      await stopOnSignal(() => server.stop());
    });
}

export { portNumber, positiveInt, stopOnSignal } from './flags';
