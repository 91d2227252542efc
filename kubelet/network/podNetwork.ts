/**
 * Pod networking for one node agent: a network namespace per pod (`ip netns add marina-<uid>`)
 * wired by CNI — the loopback plugin for `lo`, then a conflist (by default one we generate: a
 * bridge of this agent with host-local IPAM on the node's pod CIDR, no masquerading, no default
 * route) for `eth0`. A record per pod in the state dir (written before the namespace exists)
 * keeps the ADD result for DEL and lets a restarted agent clean up pods that no longer exist.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../../client/log';
import { runCommand } from './command';
import { bridgeConflist, CniPlugins, loopbackConflist, parseConflist, resultIPs, type CniConflist, type CniResult } from './cni';
import { KeyedLock } from './keyedLock';
import { EgressGuard, egressChainName, type IptablesRunner } from './iptables';
import { addNetns, deleteNetns, netnsExists, netnsPath } from './netns';

export interface PodNetworkOptions {
  /** The node's pod CIDR (pods get their addresses from it). */
  readonly podCidr: string;
  /** Records, the generated conflist and host-local's allocations live here. */
  readonly stateDir: string;
  /** This agent's bridge. Default marina0. */
  readonly bridge?: string;
  /** The CNI network's name. Default marina. */
  readonly networkName?: string;
  /** The conflist to use. Default <stateDir>/marina.conflist. */
  readonly conflistPath?: string;
  /** Write the generated conflist at conflistPath on init (default true); false: use the file there as it is. */
  readonly writeConflist?: boolean;
  /** Where the CNI plugins are. Default /usr/lib/cni, /opt/cni/bin. */
  readonly cniBinDirs?: readonly string[];
  /** Network namespaces are named <prefix><pod uid>. Default marina-. */
  readonly netnsPrefix?: string;
  /** The whole cluster's pod range (routed through the bridge, so pods reach other nodes' pods). */
  readonly clusterCidr?: string;
  /** The service range (routed through the bridge). */
  readonly serviceCidr?: string;
  /** Drop forwarded pod traffic to destinations outside the pod and service ranges (iptables). */
  readonly dropEgress?: boolean;
  readonly mtu?: number;
  readonly log?: Logger;
  readonly iptables?: IptablesRunner;
}

export interface PodRef {
  readonly uid: string;
  readonly name?: string;
  readonly namespace?: string;
}

/** A pod's network as recorded. */
export interface PodAttachment {
  readonly podUid: string;
  readonly podName?: string;
  readonly namespace?: string;
  readonly netnsName: string;
  readonly netnsPath: string;
  /** The pod's addresses, IPv4 first. */
  readonly ips: readonly string[];
  readonly state: 'creating' | 'ready' | 'deleting';
  readonly result?: CniResult;
}

export class PodNetwork {
  readonly bridge: string;
  readonly podCidr: string;
  readonly conflistPath: string;
  private readonly plugins: CniPlugins;
  private readonly log: Logger;
  private readonly prefix: string;
  private readonly guard: EgressGuard | undefined;
  private conflist: CniConflist | undefined;
  private readonly locks = new KeyedLock();

  constructor(private readonly options: PodNetworkOptions) {
    this.bridge = options.bridge ?? 'marina0';
    this.podCidr = options.podCidr;
    this.conflistPath = options.conflistPath ?? join(options.stateDir, 'marina.conflist');
    this.plugins = new CniPlugins(options.cniBinDirs ? { binDirs: options.cniBinDirs } : {});
    this.log = options.log ?? silentLogger;
    this.prefix = options.netnsPrefix ?? 'marina-';
    const allowed = [options.podCidr, options.clusterCidr, options.serviceCidr].filter((c): c is string => !!c);
    this.guard = options.dropEgress
      ? new EgressGuard({ chain: egressChainName(this.bridge), source: options.podCidr, allowed, ...(options.iptables ? { iptables: options.iptables } : {}) })
      : undefined;
  }

  /** The conflist generated from the options. */
  generatedConflist(): CniConflist {
    return bridgeConflist({
      name: this.options.networkName ?? 'marina',
      bridge: this.bridge,
      podCidr: this.options.podCidr,
      ipamDataDir: join(this.options.stateDir, 'ipam'),
      routes: [this.options.clusterCidr, this.options.serviceCidr].filter((c): c is string => !!c && c !== this.options.podCidr),
      ...(this.options.mtu ? { mtu: this.options.mtu } : {}),
    });
  }

  /** Writes (or reads) the conflist and installs the egress guard. Call once before the rest. */
  async init(): Promise<void> {
    await mkdir(join(this.options.stateDir, 'pods'), { recursive: true });
    if (this.options.writeConflist === false) {
      this.conflist = parseConflist(await readFile(this.conflistPath, 'utf8'), this.conflistPath);
    } else {
      this.conflist = this.generatedConflist();
      await atomicWrite(this.conflistPath, JSON.stringify(this.conflist, null, 2) + '\n');
    }
    await this.guard?.install();
  }

  /** Removes the egress guard and, if asked, this agent's bridge. The pods' records stay. */
  async shutdown(options: { deleteBridge?: boolean } = {}): Promise<void> {
    await this.guard?.remove();
    if (options.deleteBridge) {
      const result = await runCommand('ip', ['link', 'delete', this.bridge, 'type', 'bridge']);
      if (result.code !== 0 && !/cannot find|does not exist/i.test(result.stderr)) throw new Error(`ip link delete ${this.bridge}: ${result.stderr.trim()}`);
    }
  }

  netnsName(podUid: string): string {
    return `${this.prefix}${podUid}`;
  }

  /** Creates the pod's namespace and runs CNI ADD. Idempotent: a pod already set up is returned as it is. */
  setUp(pod: PodRef): Promise<PodAttachment> {
    return this.locks.run(pod.uid, async () => {
      const existing = await this.record(pod.uid);
      if (existing?.state === 'ready' && (await netnsExists(existing.netnsName))) return existing;
      if (existing) await this.tearDownNow(pod.uid);
      const conflist = this.requireConflist();
      const name = this.netnsName(pod.uid);
      const base = {
        podUid: pod.uid,
        ...(pod.name ? { podName: pod.name } : {}),
        ...(pod.namespace ? { namespace: pod.namespace } : {}),
        netnsName: name,
        netnsPath: netnsPath(name),
      };
      await this.writeRecord({ ...base, ips: [], state: 'creating' });
      try {
        const path = await addNetns(name);
        const rt = { containerId: name, netns: path, args: this.cniArgs(pod) };
        await this.plugins.add(loopbackConflist, { ...rt, ifName: 'lo' });
        const result = await this.plugins.add(conflist, { ...rt, ifName: 'eth0' });
        const ips = resultIPs(result);
        if (ips.length === 0) throw new Error(`CNI network ${conflist.name} gave pod ${pod.uid} no address`);
        const attachment: PodAttachment = { ...base, ips, state: 'ready', result };
        await this.writeRecord(attachment);
        this.log.debug('pod network up', { pod: pod.uid, netns: name, ips });
        return attachment;
      } catch (err) {
        await this.tearDownNow(pod.uid).catch((e: unknown) => this.log.warn('cannot undo a failed pod network set-up', { pod: pod.uid, err: e }));
        throw err;
      }
    });
  }

  /** CNI DEL, then deletes the namespace and the record. Idempotent. */
  tearDown(podUid: string): Promise<void> {
    return this.locks.run(podUid, () => this.tearDownNow(podUid));
  }

  /** The recorded pods. */
  async list(): Promise<PodAttachment[]> {
    let names: string[];
    try {
      names = await readdir(join(this.options.stateDir, 'pods'));
    } catch {
      return [];
    }
    const out: PodAttachment[] = [];
    for (const file of names.filter((n) => n.endsWith('.json'))) {
      const rec = await this.record(file.slice(0, -'.json'.length));
      if (rec) out.push(rec);
    }
    return out;
  }

  async get(podUid: string): Promise<PodAttachment | undefined> {
    return this.record(podUid);
  }

  /** Tears down every recorded pod that is not in `live` (left over from pods that no longer exist). Returns their uids. */
  async cleanup(live: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    for (const rec of await this.list()) {
      if (live.has(rec.podUid)) continue;
      try {
        await this.tearDown(rec.podUid);
        removed.push(rec.podUid);
      } catch (err) {
        this.log.warn('cannot clean up a leftover pod network', { pod: rec.podUid, err });
      }
    }
    return removed;
  }

  private async tearDownNow(podUid: string): Promise<void> {
    const rec = await this.record(podUid);
    const name = rec?.netnsName ?? this.netnsName(podUid);
    if (rec && rec.state !== 'deleting') await this.writeRecord({ ...rec, state: 'deleting' });
    const exists = await netnsExists(name);
    const rt = { containerId: name, netns: exists ? netnsPath(name) : '', args: this.cniArgs({ uid: podUid, ...(rec?.podName ? { name: rec.podName } : {}), ...(rec?.namespace ? { namespace: rec.namespace } : {}) }) };
    let failure: unknown;
    try {
      await this.plugins.del(this.requireConflist(), { ...rt, ifName: 'eth0' }, rec?.result);
    } catch (err) {
      failure = err;
    }
    if (exists) {
      await this.plugins.del(loopbackConflist, { ...rt, ifName: 'lo' }).catch(() => {});
      await deleteNetns(name);
    }
    if (failure) throw failure; // the record stays ('deleting'): a later tear-down or clean-up retries DEL
    await rm(this.recordPath(podUid), { force: true });
    this.log.debug('pod network down', { pod: podUid, netns: name });
  }

  private cniArgs(pod: PodRef): [string, string][] {
    return [
      ['IgnoreUnknown', '1'],
      ...(pod.namespace ? [['K8S_POD_NAMESPACE', pod.namespace] as [string, string]] : []),
      ...(pod.name ? [['K8S_POD_NAME', pod.name] as [string, string]] : []),
      ['K8S_POD_UID', pod.uid],
    ];
  }

  private requireConflist(): CniConflist {
    if (!this.conflist) throw new Error('pod network: init() was not called');
    return this.conflist;
  }

  private recordPath(podUid: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(podUid)) throw new Error(`invalid pod uid ${JSON.stringify(podUid)}`);
    return join(this.options.stateDir, 'pods', `${podUid}.json`);
  }

  private async record(podUid: string): Promise<PodAttachment | undefined> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.recordPath(podUid), 'utf8'));
      if (!parsed || typeof parsed !== 'object') return undefined;
      const rec = parsed as PodAttachment;
      return typeof rec.podUid === 'string' && typeof rec.netnsName === 'string' ? rec : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeRecord(rec: PodAttachment): Promise<void> {
    await atomicWrite(this.recordPath(rec.podUid), JSON.stringify(rec, null, 2) + '\n');
  }

}

export async function atomicWrite(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, path);
}
