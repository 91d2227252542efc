/**
 * The Container Network Interface, done as libcni does it: a network configuration list
 * (conflist) whose plugins are executables (/usr/lib/cni/bridge, host-local, loopback...) run with
 * the CNI_* environment and the plugin's config on stdin. ADD runs the plugins in order, each
 * receiving the previous result; DEL runs them in reverse with the cached ADD result.
 */
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand, type CommandResult } from './command';

export const cniVersion = '1.0.0';

export interface CniConflist {
  readonly cniVersion: string;
  readonly name: string;
  readonly plugins: readonly Readonly<Record<string, unknown>>[];
}

export interface CniResult {
  readonly cniVersion?: string;
  readonly interfaces?: readonly { name: string; mac?: string; sandbox?: string }[];
  readonly ips?: readonly { address: string; gateway?: string; interface?: number }[];
  readonly routes?: readonly { dst: string; gw?: string }[];
  readonly dns?: Readonly<Record<string, unknown>>;
}

/** What a plugin is told about the container (CNI_* variables). */
export interface CniRuntimeConf {
  readonly containerId: string;
  /** The network namespace's path; may be empty on DEL when it is gone. */
  readonly netns: string;
  readonly ifName: string;
  /** CNI_ARGS pairs, e.g. K8S_POD_NAME. */
  readonly args?: readonly (readonly [string, string])[];
}

export class CniError extends Error {
  override readonly name = 'CniError';
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

export interface BridgeConflistOptions {
  /** The CNI network's name (host-local keeps its allocations under it). */
  readonly name: string;
  /** The Linux bridge (at most 15 characters). */
  readonly bridge: string;
  /** The node's pod CIDR: pods get addresses from it, the bridge its first one (the gateway). */
  readonly podCidr: string;
  /** Where host-local keeps its allocations. */
  readonly ipamDataDir: string;
  /**
   * Destinations routed through the bridge's address (e.g. the cluster's pod and service ranges).
   * No default route: pods reach nothing beyond these and their own subnet.
   */
  readonly routes?: readonly string[];
  readonly mtu?: number;
}

/**
 * The pod network of one node agent: a bridge (the gateway, addressed so the host reaches pods)
 * with host-local IPAM on the node's pod CIDR, no IP masquerading and no default route.
 */
export function bridgeConflist(options: BridgeConflistOptions): CniConflist {
  if (options.bridge.length > 15) throw new Error(`bridge name ${options.bridge} is longer than 15 characters`);
  return {
    cniVersion,
    name: options.name,
    plugins: [
      {
        type: 'bridge',
        bridge: options.bridge,
        isGateway: true,
        isDefaultGateway: false,
        ipMasq: false,
        hairpinMode: true,
        ...(options.mtu ? { mtu: options.mtu } : {}),
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: options.podCidr }]],
          dataDir: options.ipamDataDir,
          routes: (options.routes ?? []).map((dst) => ({ dst })),
        },
      },
    ],
  };
}

/** The loopback network every pod also gets (interface lo). */
export const loopbackConflist: CniConflist = { cniVersion, name: 'cni-loopback', plugins: [{ type: 'loopback' }] };

/** Checks a conflist's shape (for one read from a file). */
export function parseConflist(text: string, source: string): CniConflist {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!parsed || typeof parsed !== 'object') throw new Error(`${source}: not a CNI conflist`);
  const o = parsed as Record<string, unknown>;
  if (typeof o.name !== 'string' || !o.name) throw new Error(`${source}: conflist has no name`);
  const plugins = Array.isArray(o.plugins) ? o.plugins : typeof o.type === 'string' ? [o] : undefined;
  if (!plugins?.length || !plugins.every((p): p is Record<string, unknown> => !!p && typeof p === 'object' && typeof (p as Record<string, unknown>).type === 'string')) {
    throw new Error(`${source}: conflist needs plugins, each with a type`);
  }
  return { cniVersion: typeof o.cniVersion === 'string' ? o.cniVersion : cniVersion, name: o.name, plugins };
}

export interface CniPluginsOptions {
  /** Directories holding the plugin executables. Default ['/usr/lib/cni', '/opt/cni/bin']. */
  readonly binDirs?: readonly string[];
  /** Kill a plugin after this long. Default 60 s. */
  readonly timeoutMs?: number;
}

export class CniPlugins {
  private readonly binDirs: readonly string[];
  private readonly timeoutMs: number;

  constructor(options: CniPluginsOptions = {}) {
    this.binDirs = options.binDirs ?? ['/usr/lib/cni', '/opt/cni/bin'];
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** ADD: every plugin in order; the last one's result is the network's. */
  async add(list: CniConflist, rt: CniRuntimeConf): Promise<CniResult> {
    let prev: CniResult | undefined;
    for (const plugin of list.plugins) {
      const out = await this.invoke('ADD', pluginConfig(list, plugin, prev), rt);
      prev = parseResult(out, String(plugin.type));
    }
    return prev ?? {};
  }

  /** DEL: every plugin in reverse order, given the ADD result when there is one. Missing things are not errors. */
  async del(list: CniConflist, rt: CniRuntimeConf, prevResult?: CniResult): Promise<void> {
    for (const plugin of [...list.plugins].reverse()) {
      await this.invoke('DEL', pluginConfig(list, plugin, prevResult), rt);
    }
  }

  private async invoke(command: 'ADD' | 'DEL', config: Record<string, unknown>, rt: CniRuntimeConf): Promise<string> {
    const type = String(config.type);
    if (!/^[A-Za-z0-9_.-]+$/.test(type)) throw new CniError(`invalid CNI plugin type ${JSON.stringify(type)}`);
    const binary = await this.find(type);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      CNI_COMMAND: command,
      CNI_CONTAINERID: rt.containerId,
      CNI_NETNS: rt.netns,
      CNI_IFNAME: rt.ifName,
      CNI_ARGS: (rt.args ?? []).map(([k, v]) => `${k}=${v}`).join(';'),
      CNI_PATH: this.binDirs.join(':'),
    };
    let result: CommandResult;
    try {
      result = await runCommand(binary, [], { input: JSON.stringify(config), env, timeoutMs: this.timeoutMs });
    } catch (err) {
      throw new CniError(`CNI plugin ${type} ${command}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (result.code !== 0) {
      const error = pluginError(result.stdout);
      throw new CniError(`CNI plugin ${type} ${command} failed: ${error?.msg ?? (result.stderr.trim() || `exit code ${result.code}`)}${error?.details ? ` (${error.details})` : ''}`, error?.code);
    }
    return result.stdout;
  }

  private async find(type: string): Promise<string> {
    for (const dir of this.binDirs) {
      const path = join(dir, type);
      try {
        await access(path, constants.X_OK);
        return path;
      } catch {
        // next directory
      }
    }
    throw new CniError(`CNI plugin ${type} not found in ${this.binDirs.join(', ')}`);
  }
}

/** One plugin's stdin: its own config plus the list's name and version, and the previous result. */
export function pluginConfig(list: CniConflist, plugin: Readonly<Record<string, unknown>>, prevResult?: CniResult): Record<string, unknown> {
  return { ...plugin, cniVersion: list.cniVersion, name: list.name, ...(prevResult ? { prevResult } : {}) };
}

function parseResult(stdout: string, type: string): CniResult {
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as CniResult;
  } catch {
    // fall through
  }
  throw new CniError(`CNI plugin ${type} returned no result: ${stdout.slice(0, 200)}`);
}

function pluginError(stdout: string): { code?: number; msg?: string; details?: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(stdout);
    if (!parsed || typeof parsed !== 'object') return undefined;
    const o = parsed as Record<string, unknown>;
    return {
      ...(typeof o.code === 'number' ? { code: o.code } : {}),
      ...(typeof o.msg === 'string' ? { msg: o.msg } : {}),
      ...(typeof o.details === 'string' && o.details ? { details: o.details } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The addresses (without prefix length) a result gives the pod, IPv4 first. */
export function resultIPs(result: CniResult): string[] {
  const ips = (result.ips ?? []).map((ip) => ip.address.replace(/\/\d+$/, ''));
  return [...ips.filter((ip) => !ip.includes(':')), ...ips.filter((ip) => ip.includes(':'))];
}
