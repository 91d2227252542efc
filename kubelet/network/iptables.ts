/**
 * An optional guard on pod egress: forwarded traffic from the node's pod CIDR to anything outside
 * the allowed ranges (the cluster's pod and service ranges) is dropped, by rules in a chain of our
 * own jumped to from FORWARD. Installed when the network starts, removed when it shuts down.
 */
import { runCommand, type CommandResult } from './command';

export type IptablesRunner = (args: readonly string[]) => Promise<CommandResult>;

export const defaultIptables: IptablesRunner = (args) => runCommand('iptables', ['-w', '5', ...args]);

export interface EgressGuardOptions {
  /** The chain's name (at most 28 characters). */
  readonly chain: string;
  /** Traffic from here is guarded (the node's pod CIDR). */
  readonly source: string;
  /** Destinations that stay allowed (the pod CIDR itself, the cluster's pod range, the service range). */
  readonly allowed: readonly string[];
  readonly iptables?: IptablesRunner;
}

/** The chain's name for a bridge: MRN-EGRESS-<bridge>. */
export function egressChainName(bridge: string): string {
  return `MRN-EGRESS-${bridge}`.slice(0, 28);
}

/** The rules of the chain, in order (arguments after `-A CHAIN`). */
export function egressRules(allowed: readonly string[]): string[][] {
  return [
    ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'RETURN'],
    ...[...new Set(allowed)].map((cidr) => ['-d', cidr, '-j', 'RETURN']),
    ['-j', 'DROP'],
  ];
}

export class EgressGuard {
  private readonly iptables: IptablesRunner;

  constructor(private readonly options: EgressGuardOptions) {
    if (options.chain.length > 28) throw new Error(`iptables chain name ${options.chain} is longer than 28 characters`);
    this.iptables = options.iptables ?? defaultIptables;
  }

  private get jump(): string[] {
    return ['FORWARD', '-s', this.options.source, '-j', this.options.chain];
  }

  /** Creates (or refreshes) the chain and the jump to it. Idempotent. */
  async install(): Promise<void> {
    const { chain } = this.options;
    const created = await this.iptables(['-N', chain]);
    if (created.code !== 0 && !/exists/i.test(created.stderr)) throw new Error(`iptables -N ${chain}: ${created.stderr.trim()}`);
    await this.must(['-F', chain]);
    for (const rule of egressRules(this.options.allowed)) await this.must(['-A', chain, ...rule]);
    if ((await this.iptables(['-C', ...this.jump])).code !== 0) await this.must(['-I', ...this.jump]);
  }

  /** Removes the jump and the chain. Idempotent. */
  async remove(): Promise<void> {
    const { chain } = this.options;
    for (let i = 0; i < 10 && (await this.iptables(['-C', ...this.jump])).code === 0; i++) await this.iptables(['-D', ...this.jump]);
    await this.iptables(['-F', chain]);
    await this.iptables(['-X', chain]);
  }

  /** Whether the chain exists. */
  async installed(): Promise<boolean> {
    return (await this.iptables(['-S', this.options.chain])).code === 0;
  }

  private async must(args: readonly string[]): Promise<void> {
    const result = await this.iptables(args);
    if (result.code !== 0) throw new Error(`iptables ${args.join(' ')}: ${result.stderr.trim()}`);
  }
}
