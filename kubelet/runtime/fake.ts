/**
 * An in-memory container runtime for the simulated mode (hollow nodes) and for tests: sandboxes
 * get an IP from the node's pod CIDR, images "pull" after a delay, containers "start" after a
 * delay and then run until stopped, or exit by themselves with a chosen code after a while.
 * What a container does is told by the runtime's `behavior` option, else by its environment:
 *
 *   MARINA_FAKE_RUN_SECONDS   exit after this many seconds (default: run until stopped)
 *   MARINA_FAKE_EXIT_CODE     the code it then exits with (default 0)
 *   MARINA_FAKE_IGNORE_SIGTERM=true   only SIGKILL (at the end of the grace period) stops it
 *   MARINA_FAKE_LOG           lines written to its log when it starts (\n separated)
 *
 * Exec runs a few commands in memory: true, false, exit N, sh -c "exit N", echo, cat (stdin to
 * stdout), env, sleep N; anything else exits 0 (or as the `exec` option says). Every change of
 * a container's state is announced to `onEvent` listeners, so the agent need not poll.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { realClock, sleep, type Clock } from '../../client/clock';
import { builtinExec } from './fakeExec';
import { IpPool } from './ipPool';
import {
  ImagePullError,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerSpec,
  type ContainerState,
  type ExecOptions,
  type ExecSession,
  type ImageInfo,
  type Sandbox,
  type SandboxSpec,
} from './interface';

export interface FakeContainerBehavior {
  /** Exit by itself this long after starting; undefined: run until stopped. */
  readonly runForMs?: number;
  /** The exit code when it exits by itself. Default 0. */
  readonly exitCode?: number;
  /** The reason reported with that exit, e.g. OOMKilled. */
  readonly reason?: string;
  /** SIGTERM does nothing: the container stops only when the grace period ends (exit 137). */
  readonly ignoreSigterm?: boolean;
  /** Lines written to the container's log when it starts. */
  readonly logLines?: readonly string[];
  /** startContainer fails with this message. */
  readonly failStart?: string;
}

export interface FakeExecResult {
  readonly exitCode: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

export interface FakeRuntimeOptions {
  /** How long startContainer takes. Default 0. */
  readonly startDelayMs?: number;
  /** How long a pull takes. Default 0. */
  readonly pullDelayMs?: number;
  /** What a container does; default: read from its environment (see above). */
  readonly behavior?: (spec: ContainerSpec) => FakeContainerBehavior;
  /** The result of an exec (probes included); undefined: the built-in commands. */
  readonly exec?: (container: FakeContainer, command: readonly string[]) => FakeExecResult | undefined;
  /** Whether an httpGet or tcpSocket probe of a container's port succeeds. Default: while it runs. */
  readonly networkProbe?: (container: FakeContainer, port: number) => boolean;
  /** Images present from the start. */
  readonly images?: readonly string[];
  /** A pull of `ref` fails with the message returned (undefined: it succeeds). */
  readonly failPull?: (ref: string) => string | undefined;
  /** Sandbox IPs come from here. Default 10.88.0.0/16. */
  readonly podCIDR?: string;
  /** Write log lines to the containers' log paths. Default true. */
  readonly writeLogs?: boolean;
  /** Record every call in `calls` (tests). Default true; hollow nodes turn it off to stay small. */
  readonly recordCalls?: boolean;
  readonly clock?: Clock;
}

export interface FakeContainer {
  readonly id: string;
  readonly spec: ContainerSpec;
  readonly sandboxId: string;
  state: ContainerState;
  exitCode?: number;
  reason?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  behavior: FakeContainerBehavior;
  cancelExit?: () => void;
}

/** The container runtime a fake is: announces container changes by pod uid. */
export interface ObservableRuntime {
  onEvent(listener: (podUid: string) => void): () => void;
}

export function isObservableRuntime(runtime: ContainerRuntime): runtime is ContainerRuntime & ObservableRuntime {
  return typeof (runtime as Partial<ObservableRuntime>).onEvent === 'function';
}

let seq = 0;

export class FakeRuntime implements ContainerRuntime, ObservableRuntime {
  readonly name = 'fake';
  private readonly clock: Clock;
  private readonly images = new Map<string, ImageInfo>();
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly listeners = new Set<(podUid: string) => void>();
  private readonly ips: IpPool;
  /** Every call made, for tests: [method, argument]. */
  readonly calls: [string, string][] = [];
  /** Pulls attempted, by ref. */
  readonly pulls = new Map<string, number>();

  constructor(private readonly options: FakeRuntimeOptions = {}) {
    this.clock = options.clock ?? realClock;
    for (const ref of options.images ?? []) this.addImage(ref);
    this.ips = new IpPool(options.podCIDR ?? '10.88.0.0/16');
  }

  addImage(ref: string): void {
    this.images.set(ref, { ref, id: `sha256:${hashHex(ref)}`, size: 1024 });
  }

  removeImage(ref: string): void {
    this.images.delete(ref);
  }

  onEvent(listener: (podUid: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async version(): Promise<{ runtimeName: string; runtimeVersion: string }> {
    return { runtimeName: 'fake', runtimeVersion: '0.1.0' };
  }

  async image(ref: string): Promise<ImageInfo | undefined> {
    return this.images.get(ref);
  }

  async pullImage(ref: string, signal?: AbortSignal): Promise<ImageInfo> {
    this.record(['pullImage', ref]);
    this.pulls.set(ref, (this.pulls.get(ref) ?? 0) + 1);
    if (this.options.pullDelayMs) await sleep(this.options.pullDelayMs, signal, this.clock);
    const failure = this.options.failPull?.(ref);
    if (failure !== undefined) throw new ImagePullError(failure);
    this.addImage(ref);
    return this.images.get(ref)!;
  }

  async listImages(): Promise<readonly ImageInfo[]> {
    return [...this.images.values()];
  }

  async createSandbox(spec: SandboxSpec): Promise<Sandbox> {
    this.record(['createSandbox', spec.podUid]);
    const existing = this.sandboxes.get(spec.podUid);
    if (existing) return existing;
    const ip = spec.hostNetwork ? undefined : this.ips.allocate();
    const sandbox: Sandbox = { id: `sandbox-${++seq}`, podUid: spec.podUid, ...(ip ? { ip } : {}), ips: ip ? [ip] : [] };
    this.sandboxes.set(spec.podUid, sandbox);
    return sandbox;
  }

  async removeSandbox(podUid: string): Promise<void> {
    this.record(['removeSandbox', podUid]);
    const sandbox = this.sandboxes.get(podUid);
    if (!sandbox) return;
    this.sandboxes.delete(podUid);
    if (sandbox.ip) this.ips.release(sandbox.ip);
    for (const c of this.containers.values()) if (c.sandboxId === sandbox.id && c.state === 'running') this.exit(c, 137, 'Error');
  }

  async listSandboxes(): Promise<readonly Sandbox[]> {
    return [...this.sandboxes.values()];
  }

  async createContainer(sandbox: Sandbox, spec: ContainerSpec): Promise<string> {
    this.record(['createContainer', spec.name]);
    if (!this.images.has(spec.image)) throw new Error(`image "${spec.image}" not found`);
    const id = `fake${(++seq).toString(16).padStart(12, '0')}`;
    const behavior = this.options.behavior?.(spec) ?? behaviorFromEnv(spec);
    this.containers.set(id, { id, spec, sandboxId: sandbox.id, state: 'created', createdAt: new Date(this.clock.now()), behavior });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.record(['startContainer', id]);
    const c = this.mustGet(id);
    if (this.options.startDelayMs) await sleep(this.options.startDelayMs, undefined, this.clock);
    if (c.behavior.failStart !== undefined) throw new Error(c.behavior.failStart);
    if (c.state !== 'created') return;
    c.state = 'running';
    c.startedAt = new Date(this.clock.now());
    if (c.behavior.logLines?.length) await this.writeLog(c, c.behavior.logLines);
    if (c.behavior.runForMs !== undefined) {
      c.cancelExit = this.clock.after(c.behavior.runForMs, () => this.exit(c, c.behavior.exitCode ?? 0, c.behavior.reason));
    }
    this.announce(c);
  }

  async stopContainer(id: string, gracePeriodSeconds: number): Promise<void> {
    this.record(['stopContainer', id]);
    const c = this.containers.get(id);
    if (!c || c.state === 'exited') return;
    if (c.state === 'created') {
      this.exit(c, 0, 'Completed');
      return;
    }
    if (!c.behavior.ignoreSigterm) {
      this.exit(c, 143, 'Error');
      return;
    }
    await new Promise<void>((resolve) => {
      const cancel = this.clock.after(Math.max(0, gracePeriodSeconds) * 1000, () => {
        if (c.state === 'running') this.exit(c, 137, 'Error');
        resolve();
      });
      const previous = c.cancelExit;
      c.cancelExit = () => {
        previous?.();
        cancel();
        resolve();
      };
    });
  }

  async removeContainer(id: string): Promise<void> {
    this.record(['removeContainer', id]);
    const c = this.containers.get(id);
    if (!c) return;
    c.cancelExit?.();
    this.containers.delete(id);
  }

  async listContainers(): Promise<readonly ContainerInfo[]> {
    return [...this.containers.values()].map((c) => this.info(c));
  }

  async container(id: string): Promise<ContainerInfo | undefined> {
    const c = this.containers.get(id);
    return c && this.info(c);
  }

  /** The fake container with this id (tests change its state by hand). */
  get(id: string): FakeContainer | undefined {
    return this.containers.get(id);
  }

  /** Every fake container (tests). */
  all(): FakeContainer[] {
    return [...this.containers.values()];
  }

  /** Makes a running container exit now, as if its process ended. */
  kill(id: string, exitCode: number, reason?: string): void {
    const c = this.mustGet(id);
    if (c.state === 'running' || c.state === 'created') this.exit(c, exitCode, reason);
  }

  /** Whether a probe of a container's port gets an answer. */
  probeNetwork(id: string, port: number): boolean {
    const c = this.containers.get(id);
    if (!c || c.state !== 'running') return false;
    return this.options.networkProbe ? this.options.networkProbe(c, port) : true;
  }

  async exec(id: string, command: readonly string[], options: ExecOptions): Promise<ExecSession> {
    const c = this.mustGet(id);
    if (c.state !== 'running') throw new Error(`container ${id} is not running`);
    const custom = this.options.exec?.(c, command);
    if (custom) {
      if (custom.stdout) options.stdout?.write(custom.stdout);
      if (custom.stderr) options.stderr?.write(custom.stderr);
      return { exitCode: Promise.resolve(custom.exitCode) };
    }
    return { exitCode: builtinExec(c, command, options, this.clock) };
  }

  private record(call: [string, string]): void {
    if (this.options.recordCalls !== false) this.calls.push(call);
  }

  private info(c: FakeContainer): ContainerInfo {
    const image = this.images.get(c.spec.image);
    return {
      id: c.id,
      labels: c.spec.labels,
      image: c.spec.image,
      imageID: image?.id ?? '',
      state: c.state,
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      createdAt: c.createdAt,
      ...(c.startedAt ? { startedAt: c.startedAt } : {}),
      ...(c.finishedAt ? { finishedAt: c.finishedAt } : {}),
    };
  }

  private exit(c: FakeContainer, exitCode: number, reason?: string): void {
    if (c.state === 'exited') return;
    c.cancelExit?.();
    c.cancelExit = undefined;
    c.state = 'exited';
    c.exitCode = exitCode;
    c.reason = reason ?? (exitCode === 0 ? 'Completed' : 'Error');
    c.finishedAt = new Date(this.clock.now());
    this.announce(c);
  }

  private announce(c: FakeContainer): void {
    const uid = c.spec.podUid;
    for (const l of this.listeners) {
      try {
        l(uid);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  private async writeLog(c: FakeContainer, lines: readonly string[]): Promise<void> {
    if (this.options.writeLogs === false || !c.spec.logPath) return;
    const ts = new Date(this.clock.now()).toISOString().replace('Z', '000000Z');
    try {
      await mkdir(dirname(c.spec.logPath), { recursive: true });
      await appendFile(c.spec.logPath, lines.map((l) => `${ts} stdout F ${l}\n`).join(''));
    } catch {
      // Logs are best effort in the fake.
    }
  }

  private mustGet(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new Error(`container "${id}" not found`);
    return c;
  }
}

/** A container's behavior from its MARINA_FAKE_* environment variables. */
export function behaviorFromEnv(spec: Pick<ContainerSpec, 'env'>): FakeContainerBehavior {
  const env = new Map(spec.env.map((e) => [e.name, e.value]));
  const run = env.get('MARINA_FAKE_RUN_SECONDS');
  const code = env.get('MARINA_FAKE_EXIT_CODE');
  const log = env.get('MARINA_FAKE_LOG');
  return {
    ...(run !== undefined && run !== '' && Number.isFinite(Number(run)) ? { runForMs: Number(run) * 1000 } : {}),
    ...(code !== undefined && /^\d+$/.test(code) ? { exitCode: Number(code) } : {}),
    ...(env.get('MARINA_FAKE_IGNORE_SIGTERM') === 'true' ? { ignoreSigterm: true } : {}),
    ...(log ? { logLines: log.split('\n') } : {}),
  };
}

function hashHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
}
