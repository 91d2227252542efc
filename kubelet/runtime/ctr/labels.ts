/**
 * The containerd labels this runtime keeps on each container, besides the agent's own (pod uid,
 * container name, restart count...). They make a container self-describing, so a restarted agent
 * learns everything from containerd: what ran, when it started, how it ended.
 */
export const runtimeLabels = {
  /** The image reference the container was created from, and its ID (config digest). */
  image: 'marina.runtime/image',
  imageId: 'marina.runtime/image-id',
  /** The signal that asks the process to stop (the image's StopSignal, else SIGTERM). */
  stopSignal: 'marina.runtime/stop-signal',
  /** The pod sandbox (pod uid) the container belongs to. */
  sandbox: 'marina.runtime/sandbox',
  logPath: 'marina.runtime/log-path',
  /** RFC 3339 times, set by the runtime when it starts the task and when it saw it end. */
  startedAt: 'marina.runtime/started-at',
  finishedAt: 'marina.runtime/finished-at',
  /** The task's exit code and why it ended (OOMKilled, Completed, Error). */
  exitCode: 'marina.runtime/exit-code',
  reason: 'marina.runtime/reason',
} as const;

/** Labels that are ours, not the agent's: left out of ContainerInfo.labels. */
export function isRuntimeLabel(key: string): boolean {
  return key.startsWith('marina.runtime/') || key.startsWith('io.containerd.');
}

/** `key=value` arguments for ctr's --label flags and `ctr containers label`. */
export function labelArgs(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([k, v]) => {
    if (!k || k.includes('=')) throw new Error(`invalid label key ${JSON.stringify(k)}`);
    return `${k}=${v}`;
  });
}
