/**
 * The node agent's ContainerRuntime on containerd, driven only through `ctr`, in a containerd
 * namespace of its own (so several agents can share one containerd). Sandboxes are pod network
 * namespaces set up with CNI (kubelet/network), containers run from specs we write, and
 * everything the runtime knows lives in containerd labels and under its state directory, so a
 * restarted agent finds it all again.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PodNetwork, type PodNetworkOptions } from '../../network/podNetwork';
import type { ContainerInfo, ContainerRuntime, ContainerSpec, ExecOptions, ExecSession, ImageInfo, Sandbox, SandboxSpec } from '../interface';
import { ImagePullError } from '../interface';
import { checkContainerId, ContainerLifecycle } from './containers';
import { Ctr } from './ctr';
import { startExec } from './exec';
import { ExitWatcher } from './exitWatcher';
import { ImageStore } from './images';
import { runtimeLabels } from './labels';
import { parseVersion } from './parse';
import { pullImage } from './pull';
import { ContainerRecords } from './records';
import { Sandboxes } from './sandboxes';
import { ContainerStates } from './status';

export interface CtrRuntimeOptions {
  /** containerd's socket. */
  readonly address: string;
  /** The containerd namespace of this agent. */
  readonly namespace: string;
  /** Bundles, sandboxes, exec FIFOs and the pod network's state. Must survive agent restarts. */
  readonly stateDir: string;
  /**
   * The pod network; without it only hostNetwork pods run. Its stateDir defaults to
   * <stateDir>/network, its bridge to one named after the namespace (agents sharing a host differ).
   */
  readonly network?: Omit<PodNetworkOptions, 'stateDir'> & { readonly stateDir?: string };
  /** Containers' cgroups are <cgroupParent>/<id>. Default /marina/<namespace>. */
  readonly cgroupParent?: string;
  /** Give up a pull after this long. Default 60 s. */
  readonly pullTimeoutMs?: number;
  /** The ctr binary. Default `ctr` on $PATH. */
  readonly ctrBinary?: string;
  /** At most this many ctr processes at once. Default 8. */
  readonly concurrency?: number;
}

export class CtrRuntime implements ContainerRuntime {
  readonly name = 'containerd';
  readonly ctr: Ctr;
  readonly network: PodNetwork | undefined;
  private readonly images: ImageStore;
  private readonly records: ContainerRecords;
  private readonly states: ContainerStates;
  private readonly exits: ExitWatcher;
  private readonly listeners = new Set<(podUid: string) => void>();
  private readonly sandboxes: Sandboxes;
  private readonly containers: ContainerLifecycle;

  constructor(private readonly options: CtrRuntimeOptions) {
    this.ctr = new Ctr({ address: options.address, namespace: options.namespace, ...(options.ctrBinary ? { binary: options.ctrBinary } : {}), ...(options.concurrency ? { concurrency: options.concurrency } : {}) });
    this.images = new ImageStore(this.ctr);
    this.records = new ContainerRecords(this.ctr);
    this.exits = new ExitWatcher(this.ctr, {
      onExit: (id) => void this.announceContainer(id),
      onResync: () => void this.announceAll(),
    });
    this.states = new ContainerStates(this.ctr, this.records, this.exits);
    this.network = options.network
      ? new PodNetwork({ bridge: defaultBridgeName(options.namespace), ...options.network, stateDir: options.network.stateDir ?? join(options.stateDir, 'network') })
      : undefined;
    this.sandboxes = new Sandboxes(options.stateDir, this.network);
    this.containers = new ContainerLifecycle({
      ctr: this.ctr,
      images: this.images,
      records: this.records,
      states: this.states,
      stateDir: options.stateDir,
      cgroupParent: options.cgroupParent ?? `/marina/${options.namespace}`,
    });
  }

  /** Checks containerd answers, prepares the state directory and the pod network. Call once first. */
  async init(): Promise<void> {
    await this.version();
    this.exits.start();
    // Exec FIFOs left by ctr processes of an earlier agent (killed with it) go.
    await rm(join(this.options.stateDir, 'fifo'), { recursive: true, force: true });
    await mkdir(join(this.options.stateDir, 'fifo'), { recursive: true });
    await this.network?.init();
  }

  /**
   * Calls `listener` with a pod's uid when one of its containers changed by itself (exited, was
   * OOM-killed), and with every pod's uid when events may have been missed. Returns the cancel.
   */
  onEvent(listener: (podUid: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops following containerd's events. Containers keep running. */
  async close(): Promise<void> {
    this.exits.close();
  }

  async version(): Promise<{ runtimeName: string; runtimeVersion: string }> {
    const { stdout } = await this.ctr.run(['version'], { timeoutMs: 10_000 });
    return { runtimeName: 'containerd', runtimeVersion: parseVersion(stdout) };
  }

  async image(ref: string): Promise<ImageInfo | undefined> {
    const found = await this.images.find(ref);
    return found ? this.imageInfo(found) : undefined;
  }

  async pullImage(ref: string, signal?: AbortSignal): Promise<ImageInfo> {
    const name = await pullImage(this.ctr, ref, { timeoutMs: this.options.pullTimeoutMs ?? 60_000, ...(signal ? { signal } : {}) });
    const info = (await this.image(ref)) ?? (await this.image(name));
    if (!info) throw new ImagePullError(`image ${JSON.stringify(ref)} was pulled but containerd does not list it`);
    return info;
  }

  async listImages(): Promise<readonly ImageInfo[]> {
    const out: ImageInfo[] = [];
    for (const image of await this.images.list()) out.push(await this.imageInfo(image));
    return out;
  }

  createSandbox(spec: SandboxSpec): Promise<Sandbox> {
    return this.sandboxes.create(spec);
  }

  removeSandbox(podUid: string): Promise<void> {
    return this.sandboxes.remove(podUid);
  }

  listSandboxes(): Promise<readonly Sandbox[]> {
    return this.sandboxes.list();
  }

  async createContainer(sandbox: Sandbox, spec: ContainerSpec): Promise<string> {
    const record = await this.sandboxes.get(sandbox.podUid);
    if (!record) throw new Error(`pod ${sandbox.podUid} has no sandbox`);
    return this.containers.create(record, spec);
  }

  startContainer(id: string): Promise<void> {
    return this.containers.start(id);
  }

  stopContainer(id: string, gracePeriodSeconds: number): Promise<void> {
    return this.containers.stop(id, gracePeriodSeconds);
  }

  removeContainer(id: string): Promise<void> {
    return this.containers.remove(id);
  }

  listContainers(): Promise<readonly ContainerInfo[]> {
    return this.states.list();
  }

  async container(id: string): Promise<ContainerInfo | undefined> {
    try {
      checkContainerId(id);
    } catch {
      return undefined; // no container has such an id
    }
    return this.states.get(id);
  }

  async exec(id: string, command: readonly string[], options: ExecOptions): Promise<ExecSession> {
    checkContainerId(id);
    return startExec({ ctr: this.ctr, fifoDir: join(this.options.stateDir, 'fifo') }, id, command, options);
  }

  private async announceContainer(id: string): Promise<void> {
    if (this.listeners.size === 0) return;
    const podUid = (await this.records.get(id).catch(() => undefined))?.labels[runtimeLabels.sandbox];
    if (podUid) this.announce(podUid);
  }

  private async announceAll(): Promise<void> {
    if (this.listeners.size === 0) return;
    for (const s of await this.sandboxes.list().catch(() => [])) this.announce(s.podUid);
  }

  private announce(podUid: string): void {
    for (const listener of this.listeners) {
      try {
        listener(podUid);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  private async imageInfo(image: { ref: string; digest: string }): Promise<ImageInfo> {
    try {
      const resolved = await this.images.resolve(image);
      return { ref: image.ref, id: resolved.id, size: resolved.size };
    } catch {
      return { ref: image.ref, id: image.digest, size: 0 }; // not for this platform, or incomplete
    }
  }
}

/** The bridge of an agent's pod network: `mrn` and a hash of its containerd namespace (15 characters at most). */
export function defaultBridgeName(namespace: string): string {
  return `mrn${createHash('sha256').update(namespace).digest('hex').slice(0, 10)}`;
}

/** A CtrRuntime, initialised. */
export async function startCtrRuntime(options: CtrRuntimeOptions): Promise<CtrRuntime> {
  const runtime = new CtrRuntime(options);
  await runtime.init();
  return runtime;
}
