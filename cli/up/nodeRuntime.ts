/**
 * The container side of `marina up`'s real nodes: one private containerd (DATA_DIR/containerd)
 * shared by the node agents, each in its own containerd namespace. Stopping removes every pod's
 * containers, network namespace, bridge and cgroups, then stops containerd: nothing is left
 * running or mounted. (Pods run again when the cluster comes back: their objects stay in etcd.)
 */
import { createWriteStream } from 'node:fs';
import { removeCgroupTree } from '../../kubelet/runtime/ctr/cgroups';
import { startCtrRuntime } from '../../kubelet/runtime/ctr/runtime';
import { ctrRuntimeOptions, type RuntimeConfig } from '../../kubelet/runtimeFactory';
import { startContainerd } from '../../kubelet/runtime/ctr/containerdProcess';

export interface NodeRuntime {
  /** containerd's socket, for `marina kubelet --containerd-address`. */
  readonly address: string;
  /** Removes the pods of these node agents (stopped by then), then stops containerd. */
  stop(nodes: readonly Omit<RuntimeConfig, 'containerdAddress'>[]): Promise<void>;
}

export async function startNodeRuntime(options: { readonly dir: string; readonly logFile: string }): Promise<NodeRuntime> {
  const logStream = createWriteStream(options.logFile, { flags: 'a' });
  const containerd = await startContainerd({ dir: options.dir, logStream });
  return {
    address: containerd.address,
    async stop(nodes) {
      try {
        for (const node of nodes) await removeNodeAgentPods({ ...node, containerdAddress: containerd.address });
      } finally {
        await containerd.stop();
        for (const node of nodes) await removeCgroupTree(`/marina/${node.containerdNamespace}`);
        logStream.end();
      }
    },
  };
}

/**
 * Removes every container and pod sandbox (network namespace) of a stopped node agent, and its
 * bridge (also used by bench/pod-startup). Its cgroups under /marina/<namespace> are the caller's.
 */
export async function removeNodeAgentPods(config: RuntimeConfig): Promise<void> {
  const runtime = await startCtrRuntime(ctrRuntimeOptions(config));
  try {
    for (const c of await runtime.listContainers()) await runtime.removeContainer(c.id);
    for (const s of await runtime.listSandboxes()) await runtime.removeSandbox(s.podUid);
    await runtime.network?.shutdown({ deleteBridge: true });
  } finally {
    await runtime.close();
  }
}
