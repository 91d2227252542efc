/**
 * When tasks exited, exactly: a `ctr events` child follows containerd's event stream and keeps
 * the exit time and status of each container's main process (`/tasks/exit` whose process id is
 * the container id; execs have ids of their own) until the container's exit is settled. Without
 * it (events missed while the agent was down) a settled exit is stamped with the time it was
 * noticed. Exits and OOM kills are also announced (the agent then need not poll), and so is each
 * (re)start of the stream, after which a listener should look at everything again. The child is
 * restarted if it dies, and never keeps the agent's process alive.
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Ctr } from './ctr';
import { parseEventLine, parseGoTime } from './parse';

export interface TaskExit {
  readonly exitCode: number;
  readonly exitedAt: Date;
}

/** Exits kept at most (oldest dropped first): settled ones are taken out long before. */
const maxKept = 10_000;

/** Event streams of this process, ended with it. */
const streams = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of streams) child.kill('SIGKILL');
});

export class ExitWatcher {
  private child: ChildProcess | undefined;
  private closed = false;
  private readonly exits = new Map<string, TaskExit>();
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctr: Ctr,
    private readonly listeners: {
      /** A container's main process exited (or was OOM-killed). */
      readonly onExit?: (containerId: string) => void;
      /** The stream (re)started: events may have been missed before. */
      readonly onResync?: () => void;
    } = {},
  ) {}

  start(): void {
    if (this.child || this.closed) return;
    // Only this namespace's exits and OOM kills (containerd filters: a list is an OR of ANDs).
    const ns = JSON.stringify(this.ctr.namespace);
    const filters = ['/tasks/exit', '/tasks/oom'].map((topic) => `namespace==${ns},topic==${JSON.stringify(topic)}`);
    const child = this.ctr.spawn(['events', ...filters], ['ignore', 'pipe', 'ignore']);
    this.child = child;
    streams.add(child);
    child.on('error', () => {}); // reported through 'exit' below, and then restarted
    (child.stdout as Socket).unref();
    child.unref();
    createInterface({ input: child.stdout! }).on('line', (line) => this.onLine(line));
    child.once('spawn', () => this.listeners.onResync?.());
    child.once('exit', () => {
      streams.delete(child);
      this.child = undefined;
      if (this.closed) return;
      this.restartTimer = setTimeout(() => this.start(), 1_000);
      this.restartTimer.unref();
    });
  }

  /** The exit seen for the container's main process, forgotten once taken. */
  take(containerId: string): TaskExit | undefined {
    const exit = this.exits.get(containerId);
    this.exits.delete(containerId);
    return exit;
  }

  close(): void {
    this.closed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.child?.kill('SIGKILL');
  }

  private onLine(line: string): void {
    const e = parseEventLine(line);
    if (!e || e.namespace !== this.ctr.namespace) return;
    const { container_id: containerId, id, exit_status: status, exited_at: exitedAt } = e.event;
    if (typeof containerId !== 'string') return;
    if (e.topic === '/tasks/oom') {
      this.listeners.onExit?.(containerId);
      return;
    }
    if (e.topic !== '/tasks/exit' || id !== containerId) return;
    this.exits.set(containerId, { exitCode: typeof status === 'number' ? status : 0, exitedAt: parseGoTime(exitedAt) ?? new Date() });
    if (this.exits.size > maxKept) this.exits.delete(this.exits.keys().next().value!);
    this.listeners.onExit?.(containerId);
  }
}
