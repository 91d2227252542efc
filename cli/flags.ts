/**
 * Flag parsers and signal handling shared by the component commands. A module of its own, so a
 * component's process loads only its own code (the scheduler need not load the API server to
 * parse a port number).
 */
import { InvalidArgumentError, type Command } from 'commander';

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

export function bool(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('must be true or false');
}

/** A Go duration (`15s`, `500ms`, `1m30s`, `1h`) in ms; undefined when `value` is not one. */
export function goDurationMs(value: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let matched = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * unit[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === value.length && value.length > 0 ? Math.round(total) : undefined;
}

/** A Go-style duration (`15s`, `500ms`, `1m30s`) or plain milliseconds, in ms. */
export function duration(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = goDurationMs(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('must be a duration such as 15s, 500ms or 1m');
  return ms;
}

/** The leader election flags of a component, as kube-controller-manager and kube-scheduler have them. */
export interface LeaderElectionFlags {
  readonly leaderElect: boolean;
  readonly leaderElectLeaseDuration: number;
  readonly leaderElectRenewDeadline: number;
  readonly leaderElectRetryPeriod: number;
  readonly leaderElectResourceName: string;
  readonly leaderElectResourceNamespace: string;
}

/**
 * Adds the leader election flags to `cmd`: --leader-elect (default true), lease duration 15 s,
 * renew deadline 10 s, retry period 2 s (Kubernetes' defaults), the Lease kube-system/`leaseName`.
 */
export function withLeaderElectionFlags(cmd: Command, leaseName: string, what: string): Command {
  return cmd
    .option('--leader-elect [bool]', `elect a leader on a Lease before ${what}`, bool, true)
    .option('--leader-elect-lease-duration <duration>', 'how long a lease lasts unrenewed', duration, 15_000)
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader retries renewing before it gives up', duration, 10_000)
    .option('--leader-elect-retry-period <duration>', 'time between acquire/renew attempts', duration, 2_000)
    .option('--leader-elect-resource-name <name>', 'the Lease name', leaseName)
    .option('--leader-elect-resource-namespace <ns>', 'the Lease namespace', 'kube-system');
}

/** The leader election the flags ask for (false: none). */
export function leaderElectionOf(opts: LeaderElectionFlags):
  | { namespace: string; leaseName: string; leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number }
  | false {
  if (!opts.leaderElect) return false;
  return {
    namespace: opts.leaderElectResourceNamespace,
    leaseName: opts.leaderElectResourceName,
    leaseDurationMs: opts.leaderElectLeaseDuration,
    renewDeadlineMs: opts.leaderElectRenewDeadline,
    retryPeriodMs: opts.leaderElectRetryPeriod,
  };
}
