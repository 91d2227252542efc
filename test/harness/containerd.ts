/**
 * A private containerd for one test file (kubelet/runtime/ctr/containerdProcess.ts: its own
 * config, root, state and gRPC socket, no CRI plugin, runc) in a temporary directory on tmpfs.
 * Stopping it kills every task it ran, deletes its containers, stops containerd, kills shims that
 * outlived it, unmounts whatever is mounted under the directory and removes it.
 *
 * Also builds the busybox test image (kubelet/images/busybox.ts) and imports it.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { busyboxImage, busyboxImageRef } from '../../kubelet/images/busybox';
import { importImageArchive } from '../../kubelet/images/importArchive';
import { runCommand } from '../../kubelet/network/command';
import { deleteNetns, listNetns } from '../../kubelet/network/netns';
import { removeCgroupTree } from '../../kubelet/runtime/ctr/cgroups';
import { startContainerd, type ContainerdProcess } from '../../kubelet/runtime/ctr/containerdProcess';
import { startCtrRuntime, type CtrRuntime, type CtrRuntimeOptions } from '../../kubelet/runtime/ctr/runtime';
import { tempDir } from './tmp';

export interface TestContainerd {
  /** The gRPC socket (give it to `ctr --address` and the node agent's --containerd-address). */
  readonly address: string;
  /** The temporary directory holding everything (tests may put their own state under it). */
  readonly dir: string;
  readonly pid: number;
  /** Runs `ctr --address SOCK --namespace NS ARGS...`; rejects with ctr's message unless it exits 0. */
  ctr(namespace: string, args: readonly string[], input?: string | Buffer): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestContainerd(): Promise<TestContainerd> {
  const tmp = await tempDir('containerd');
  let containerd: ContainerdProcess;
  try {
    containerd = await startContainerd({ dir: tmp.path });
  } catch (err) {
    await tmp.remove();
    throw err;
  }
  return {
    address: containerd.address,
    dir: tmp.path,
    pid: containerd.pid,
    ctr: containerd.ctr,
    stop: async () => {
      await containerd.stop();
      await tmp.remove();
    },
  };
}

/** Starts containerd before the file's tests and stops it after them. */
export function useContainerd(): TestContainerd {
  let containerd: TestContainerd | undefined;
  beforeAll(async () => {
    containerd = await startTestContainerd();
  }, 60_000);
  afterAll(async () => {
    await containerd?.stop();
  }, 60_000);
  const get = (): TestContainerd => {
    if (!containerd) throw new Error('containerd is not running (used outside a test?)');
    return containerd;
  };
  return {
    get address() {
      return get().address;
    },
    get dir() {
      return get().dir;
    },
    get pid() {
      return get().pid;
    },
    ctr: (namespace, args, input) => get().ctr(namespace, args, input),
    stop: () => get().stop(),
  };
}

/** Builds the busybox image from the host's busybox-static and imports it into `namespace`. Returns its name. */
export async function importBusyboxImage(containerd: Pick<TestContainerd, 'address' | 'dir'>, namespace: string, ref: string = busyboxImageRef): Promise<string> {
  const file = await writeBusyboxArchive(containerd.dir, ref);
  await importImageArchive({ address: containerd.address, namespace, file });
  await rm(file, { force: true });
  return ref;
}

/** Writes the busybox image archive (named `ref`) into `dir`; its path. */
export async function writeBusyboxArchive(dir: string, ref: string = busyboxImageRef): Promise<string> {
  const image = await busyboxImage({ ref });
  const file = join(dir, `busybox-${process.pid}-${Math.random().toString(36).slice(2)}.tar`);
  await writeFile(file, image.archive);
  return file;
}

/** Whatever of a test file's pod network is left (its sandboxes' namespaces, its bridge), however the file ended. */
async function sweepNetwork(bridge: string): Promise<void> {
  for (const name of await listNetns()) if (name.startsWith(`${bridge}-`)) await deleteNetns(name).catch(() => {});
  await runCommand('ip', ['link', 'delete', bridge, 'type', 'bridge']);
}

export interface TestRuntime {
  readonly containerd: TestContainerd;
  readonly runtime: CtrRuntime;
  readonly namespace: string;
  readonly stateDir: string;
  readonly image: string;
  /** The pod network's bridge and CIDR (unique to this test file). */
  readonly bridge: string;
  readonly podCidr: string;
  /** A second runtime on the same namespace and state, as an agent restarted would make (closed after the file). */
  restarted(): Promise<CtrRuntime>;
}

/**
 * A private containerd with the busybox image imported and a CtrRuntime on it (with a pod
 * network of its own: a bridge and a /24 that no other test file uses at the same time), for the
 * file's tests; afterwards every container, sandbox, the bridge and the runtime's cgroups go,
 * then containerd.
 */
export function useCtrRuntime(): TestRuntime {
  const namespace = `test-${process.pid}`;
  const bridge = `mt${process.pid % 100000}${Math.floor(Math.random() * 1000)}`.slice(0, 15);
  const podCidr = `10.${200 + (process.pid % 50)}.${Math.floor(Math.random() * 256)}.0/24`;
  let containerd: TestContainerd | undefined;
  let runtime: CtrRuntime | undefined;
  const others: CtrRuntime[] = [];
  let image = '';
  const options = (c: TestContainerd): CtrRuntimeOptions => ({
    address: c.address,
    namespace,
    stateDir: join(c.dir, 'agent'),
    network: { podCidr, bridge, netnsPrefix: `${bridge}-` },
    pullTimeoutMs: 10_000,
  });
  beforeAll(async () => {
    containerd = await startTestContainerd();
    image = await importBusyboxImage(containerd, namespace);
    runtime = await startCtrRuntime(options(containerd));
  }, 60_000);
  afterAll(async () => {
    try {
      if (runtime) {
        for (const c of await runtime.listContainers().catch(() => [])) await runtime.removeContainer(c.id).catch(() => {});
        for (const s of await runtime.listSandboxes().catch(() => [])) await runtime.removeSandbox(s.podUid).catch(() => {});
        await runtime.network?.shutdown({ deleteBridge: true });
        await runtime.close();
      }
      for (const other of others) await other.close();
    } finally {
      await containerd?.stop();
      await removeCgroupTree(`/marina/${namespace}`);
      await sweepNetwork(bridge);
    }
  }, 60_000);
  const get = (): { containerd: TestContainerd; runtime: CtrRuntime } => {
    if (!runtime || !containerd) throw new Error('the runtime is not running (used outside a test?)');
    return { containerd, runtime };
  };
  return {
    get containerd() {
      return get().containerd;
    },
    get runtime() {
      return get().runtime;
    },
    namespace,
    get stateDir() {
      return options(get().containerd).stateDir;
    },
    get image() {
      return image;
    },
    bridge,
    podCidr,
    restarted: async () => {
      const other = await startCtrRuntime(options(get().containerd));
      others.push(other);
      return other;
    },
  };
}
