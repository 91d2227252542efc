/**
 * A supervised component of `marina up`: `marina <args>` as a child process whose stdout and
 * stderr go to a log file, restarted with backoff when it dies on its own.
 *
 * Invariants:
 *   - at most one child runs per Supervised at any time;
 *   - after stop() nothing is restarted, and stop() resolves only once the child has exited
 *     (SIGTERM, then SIGKILL after the grace period);
 *   - restarts wait 1 s, doubling to 30 s; a child that ran for a minute resets the backoff.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { serverNodeFlags } from '../nodeFlags';

export interface SupervisedOptions {
  /** A short name for messages ("apiserver"). */
  readonly name: string;
  /** The `marina` arguments, e.g. ['scheduler', '--kubeconfig', FILE]. */
  readonly args: readonly string[];
  readonly logFile: string;
  /** Told about restarts and other notable events (one line each). */
  readonly notify: (line: string) => void;
  /** Grace period between SIGTERM and SIGKILL on stop. Default 20 s. */
  readonly stopGraceMs?: number;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

const mainScript = require.resolve('../main');

/** Killed when this process exits, so a crashed `marina up` leaves no component behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class Supervised {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private backoffMs: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly log: WriteStream;
  private firstLineWaiters: ((line: string) => void)[] = [];
  /** The first line the current child printed on stdout (components print their address). */
  firstLine: string | undefined;
  restarts = 0;

  constructor(private readonly options: SupervisedOptions) {
    this.backoffMs = options.initialBackoffMs ?? 1000;
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the child; resolves with the first line it prints on stdout (rejects if it exits first). */
  start(): Promise<string> {
    const firstLine = new Promise<string>((resolve) => this.firstLineWaiters.push(resolve));
    this.spawnChild();
    const child = this.child!;
    return Promise.race([
      firstLine,
      new Promise<never>((_, reject) =>
        child.once('exit', (code, signal) => reject(new Error(`${this.options.name} exited (${signal ?? `code ${code}`}) during startup; see ${this.options.logFile}`))),
      ),
    ]);
  }

  private spawnChild(): void {
    const startedAt = Date.now();
    // Its own process group: a Ctrl-C in the terminal reaches only `marina up`, which stops the
    // components in order (the API server after its clients, etcd last).
    const child = spawn(process.execPath, [...serverNodeFlags, mainScript, ...this.options.args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    child.once('exit', () => running.delete(child));
    this.child = child;
    this.firstLine = undefined;
    child.stderr!.pipe(this.log, { end: false });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      this.log.write(`${line}\n`);
      if (this.firstLine !== undefined) return;
      this.firstLine = line;
      for (const w of this.firstLineWaiters.splice(0)) w(line);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        resolve();
        if (this.stopping) return;
        if (Date.now() - startedAt > 60_000) this.backoffMs = this.options.initialBackoffMs ?? 1000;
        this.options.notify(`${this.options.name} exited (${signal ?? `code ${code}`}); restarting in ${this.backoffMs / 1000} s (log: ${this.options.logFile})`);
        this.restartTimer = setTimeout(() => {
          this.restarts++;
          this.spawnChild();
        }, this.backoffMs);
        this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 30_000);
      }),
    );
  }

  /** Stops the child (SIGTERM, SIGKILL after the grace period) and any pending restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs ?? 20_000);
      await this.exited;
      clearTimeout(killer);
    }
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}
