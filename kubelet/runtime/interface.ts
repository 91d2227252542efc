/**
 * The container runtime interface between the node agent's two halves: the agent (pod workers,
 * probes, status) codes against ContainerRuntime; `ctr/` implements it on containerd through the
 * `ctr` CLI and `fake.ts` backs the simulated mode.
 */

/** What a pod's sandbox needs: one network namespace (CNI) shared by its containers, and a hostname. */
export interface SandboxSpec {
  readonly podUid: string; readonly podName: string; readonly namespace: string;
  readonly hostname: string; readonly hostNetwork: boolean;
  readonly dns?: { nameservers: string[]; searches: string[]; options: string[] };   // /etc/resolv.conf for the pod
  readonly hostAliases?: readonly { ip: string; hostnames: string[] }[];              // /etc/hosts
}
export interface Sandbox { readonly id: string; readonly podUid: string; readonly netnsPath?: string; readonly ip?: string; readonly ips: readonly string[] }

export interface Mount { readonly hostPath: string; readonly containerPath: string; readonly readOnly: boolean }
export interface ContainerSpec {
  readonly podUid: string; readonly podName: string; readonly namespace: string;
  readonly name: string; readonly restartCount: number; readonly attempt?: number;
  readonly image: string;                    // an image ref already present (pulled/imported)
  readonly command: readonly string[];       // entrypoint + args already resolved ($(VAR) expanded); empty: image default
  readonly args: readonly string[];
  readonly env: readonly { name: string; value: string }[];
  readonly workingDir?: string;
  readonly mounts: readonly Mount[];
  readonly limits?: { milliCPU?: number; memoryBytes?: number };
  readonly user?: { uid?: number; gid?: number };
  readonly tty: boolean; readonly stdin: boolean;
  readonly labels: Readonly<Record<string, string>>;   // pod uid, container name, restart count... (for adoption)
  readonly logPath: string;                  // the runtime writes stdout/stderr here (the agent rotates/serves)
  // logPath lines are in the CRI format `<RFC 3339 nano time> <stdout|stderr> <F|P> <text>` (P: partial line);
  // the agent also accepts raw text lines. It rotates by copy-and-truncate, so open the file for append.
}
export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';
export interface ContainerInfo {
  readonly id: string; readonly labels: Readonly<Record<string, string>>; readonly image: string; readonly imageID: string;
  readonly state: ContainerState; readonly exitCode?: number; readonly reason?: string;   // e.g. 'OOMKilled', 'Error', 'Completed'
  readonly createdAt?: Date; readonly startedAt?: Date; readonly finishedAt?: Date; readonly pid?: number;
}
export interface ImageInfo { readonly ref: string; readonly id: string; readonly size: number }
export interface ExecOptions { readonly tty: boolean; readonly stdin?: NodeJS.ReadableStream; readonly stdout?: NodeJS.WritableStream; readonly stderr?: NodeJS.WritableStream; readonly signal?: AbortSignal; readonly timeoutMs?: number }
export interface ExecSession { readonly exitCode: Promise<number>; resize?(width: number, height: number): void }

export interface ContainerRuntime {
  readonly name: string;                                   // 'containerd' | 'fake'
  version(): Promise<{ runtimeName: string; runtimeVersion: string }>;
  // images
  image(ref: string): Promise<ImageInfo | undefined>;
  pullImage(ref: string, signal?: AbortSignal): Promise<ImageInfo>;   // throws ImagePullError(message)
  listImages(): Promise<readonly ImageInfo[]>;
  // sandboxes
  createSandbox(spec: SandboxSpec): Promise<Sandbox>;
  removeSandbox(podUid: string): Promise<void>;            // idempotent
  listSandboxes(): Promise<readonly Sandbox[]>;
  // containers
  createContainer(sandbox: Sandbox, spec: ContainerSpec): Promise<string>;   // id
  startContainer(id: string): Promise<void>;
  /** SIGTERM (or the image's stop signal), then SIGKILL after gracePeriodSeconds. Idempotent. */
  stopContainer(id: string, gracePeriodSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;              // idempotent
  listContainers(): Promise<readonly ContainerInfo[]>;
  container(id: string): Promise<ContainerInfo | undefined>;
  exec(id: string, command: readonly string[], options: ExecOptions): Promise<ExecSession>;
  /** Releases what the runtime itself holds (e.g. an event stream) when the agent stops; containers keep running. */
  close?(): Promise<void>;
}
export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
}
