/** `marina apiserver`: serves the Kubernetes API on etcd until SIGTERM or SIGINT. */
import { Command, InvalidArgumentError } from 'commander';
import { startApiServer } from '../apiserver/server';
import { createLogger } from '../client/log';

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

/** Resolves after the first SIGTERM/SIGINT has stopped the component; a second signal exits at once. */
export function stopOnSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) process.exit(1);
      stopping = true;
      stop().then(resolve, (err: unknown) => {
        process.stderr.write(`marina: error while stopping: ${String(err)}\n`);
        process.exit(1);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

export function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
