/**
 * The container runtime `marina kubelet` runs pods on: containerd through `ctr`
 * (kubelet/runtime/ctr), in a containerd namespace of this agent, with the pod network on the
 * node's pod CIDR (without one, only hostNetwork pods can run). The fake runtime backs --simulate.
 */
import { join } from 'node:path';
import type { Logger } from '../client/log';
import { startCtrRuntime, type CtrRuntimeOptions } from './runtime/ctr/runtime';
import type { ContainerRuntime } from './runtime/interface';

export interface RuntimeConfig {
  readonly containerdAddress: string;
  readonly containerdNamespace: string;
  readonly podCIDR?: string;
  /** The runtime's state lives under <rootDir>/runtime. */
  readonly rootDir: string;
  readonly log?: Logger;
}

/** The CtrRuntime options of an agent's configuration (also used by `marina up` to clean a node's runtime). */
export function ctrRuntimeOptions(config: RuntimeConfig): CtrRuntimeOptions {
  return {
    address: config.containerdAddress,
    namespace: config.containerdNamespace,
    stateDir: join(config.rootDir, 'runtime'),
    ...(config.podCIDR ? { network: { podCidr: config.podCIDR, ...(config.log ? { log: config.log } : {}) } } : {}),
  };
}

export async function createContainerdRuntime(config: RuntimeConfig): Promise<ContainerRuntime> {
  return startCtrRuntime(ctrRuntimeOptions(config));
}

/** A runtime that holds resources of its own (a containerd event stream) until closed. */
export function closeRuntime(runtime: ContainerRuntime): Promise<void> {
  const close = (runtime as Partial<{ close(): Promise<void> }>).close;
  return typeof close === 'function' ? close.call(runtime) : Promise.resolve();
}
