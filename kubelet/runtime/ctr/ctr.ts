/**
 * containerd's CLI as a child process: `ctr --address SOCKET --namespace NS <args>`. Every
 * containerd call of the node agent goes through here.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

export interface CtrOptions {
  /** containerd's socket. */
  readonly address: string;
  /** The containerd namespace (one per node agent). */
  readonly namespace: string;
  /** Default `ctr` on $PATH. */
  readonly binary?: string;
  /** Kill a ctr call after this long. Default 60 s. */
  readonly timeoutMs?: number;
  /** At most this many ctr processes at once. Default 8. */
  readonly concurrency?: number;
}

export interface CtrResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface CtrRunOptions {
  readonly input?: string | Buffer;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A ctr call that failed: its exit code and the message it printed (`ctr: ...`). */
export class CtrError extends Error {
  override readonly name = 'CtrError';
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`ctr ${args.join(' ')}: ${ctrMessage(stderr) || `exit code ${code}`}`);
  }
  /** containerd said the object does not exist. */
  get notFound(): boolean {
    return saysNotFound(this.stderr);
  }
}

/** Whether ctr's error output says the object does not exist. */
export function saysNotFound(stderr: string): boolean {
  return /\bnot found\b|no such (file|container|task)/i.test(ctrMessage(stderr));
}

/** The message of ctr's error line(s) (`ctr: failed to ...`), else its last stderr line. */
export function ctrMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => l.startsWith('ctr: ')).map((l) => l.slice(5));
  if (errors.length) return errors.join('; ');
  return lines.at(-1) ?? '';
}

export class Ctr {
  readonly address: string;
  readonly namespace: string;
  readonly binary: string;
  private readonly timeoutMs: number;
  private readonly limit: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: CtrOptions) {
    // containerd's own rule for namespace names; it also keeps a name from passing for a flag.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,75}$/.test(options.namespace)) throw new Error(`invalid containerd namespace ${JSON.stringify(options.namespace)}`);
    this.address = options.address;
    this.namespace = options.namespace;
    this.binary = options.binary ?? 'ctr';
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.limit = options.concurrency ?? 8;
  }

  /** The full argument list for a ctr call (global flags first). */
  argv(args: readonly string[]): string[] {
    return ['--address', this.address, '--namespace', this.namespace, ...args];
  }

  /** Runs ctr to completion; a non-zero exit is a CtrError. */
  async run(args: readonly string[], options: CtrRunOptions = {}): Promise<CtrResult> {
    const result = await this.exec(args, options);
    if (result.code !== 0) throw new CtrError(args, result.code, result.stderr);
    return result;
  }

  /** Runs ctr to completion; undefined when the object is not found, any other failure is a CtrError. */
  async runUnlessNotFound(args: readonly string[], options: CtrRunOptions = {}): Promise<CtrResult | undefined> {
    const result = await this.exec(args, options);
    if (result.code === 0) return result;
    if (saysNotFound(result.stderr)) return undefined;
    throw new CtrError(args, result.code, result.stderr);
  }

  /** Runs ctr to completion and returns whatever it did (exit code included). */
  async exec(args: readonly string[], options: CtrRunOptions = {}): Promise<CtrResult> {
    await this.acquire();
    try {
      return await this.once(args, options);
    } finally {
      this.release();
    }
  }

  /** A long-lived ctr process (events, exec) with the given stdio. */
  spawn(args: readonly string[], stdio: StdioOptions, extra: { detached?: boolean } = {}): ChildProcess {
    return spawn(this.binary, this.argv(args), { stdio, detached: extra.detached ?? false });
  }

  private once(args: readonly string[], options: CtrRunOptions): Promise<CtrResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, this.argv(args), { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.stdin.on('error', () => {}); // ctr may exit without reading its input
      child.stdin.end(options.input ?? '');
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      let why: string | undefined;
      const kill = (reason: string) => {
        why = reason;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => kill(`timed out after ${timeoutMs} ms`), timeoutMs);
      const onAbort = () => kill('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', (e) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        reject(new Error(`cannot run ${this.binary}: ${e.message}`));
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        const stderr = Buffer.concat(err).toString('utf8');
        if (why) return reject(new CtrError(args, code, `${stderr}\nctr: ${why}`));
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr, code: code ?? 1 });
      });
    });
  }

  private async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
