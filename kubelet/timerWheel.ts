/**
 * One timer for many periodic tasks (node leases and status checks of a thousand hollow nodes):
 * tasks sit in slots of a wheel that turns every `tickMs`; each turn runs the tasks of the slot it
 * reaches and files them again one period later. A task whose previous run has not finished is
 * skipped for that turn, so slow API calls never pile up.
 */
import { realClock, type Cancel, type Clock } from '../client/clock';

export interface TimerWheelOptions {
  /** Resolution of the wheel. Default 1000 ms. */
  readonly tickMs?: number;
  readonly clock?: Clock;
  /** Where errors of tasks go. Default: ignored. */
  readonly onError?: (err: unknown) => void;
}

interface Task {
  readonly periodTicks: number;
  readonly fn: () => unknown;
  running: boolean;
  cancelled: boolean;
}

export class TimerWheel {
  readonly tickMs: number;
  private readonly clock: Clock;
  private readonly slots = new Map<number, Task[]>();
  private tick = 0;
  private tasks = 0;
  private timer: Cancel | undefined;
  private stopped = false;

  constructor(private readonly options: TimerWheelOptions = {}) {
    this.tickMs = options.tickMs ?? 1000;
    this.clock = options.clock ?? realClock;
  }

  /** Runs `fn` every `periodMs` (rounded up to whole ticks), first after `firstDelayMs` (default: one period). */
  every(periodMs: number, fn: () => unknown, firstDelayMs = periodMs): Cancel {
    const task: Task = { periodTicks: Math.max(1, Math.ceil(periodMs / this.tickMs)), fn, running: false, cancelled: false };
    this.file(task, Math.max(1, Math.ceil(firstDelayMs / this.tickMs)));
    this.tasks++;
    this.arm();
    return () => {
      if (task.cancelled) return;
      task.cancelled = true;
      this.tasks--;
    };
  }

  stop(): void {
    this.stopped = true;
    this.timer?.();
    this.timer = undefined;
    this.slots.clear();
  }

  private file(task: Task, inTicks: number): void {
    const at = this.tick + inTicks;
    const slot = this.slots.get(at);
    if (slot) slot.push(task);
    else this.slots.set(at, [task]);
  }

  private arm(): void {
    if (this.timer || this.stopped || this.tasks === 0) return;
    this.timer = this.clock.after(this.tickMs, () => {
      this.timer = undefined;
      this.turn();
      this.arm();
    });
  }

  private turn(): void {
    this.tick++;
    const due = this.slots.get(this.tick);
    if (!due) return;
    this.slots.delete(this.tick);
    for (const task of due) {
      if (task.cancelled) continue;
      this.file(task, task.periodTicks);
      if (task.running) continue;
      task.running = true;
      let result: unknown;
      try {
        result = task.fn();
      } catch (err) {
        task.running = false;
        this.options.onError?.(err);
        continue;
      }
      if (!isThenable(result)) {
        task.running = false;
        continue;
      }
      result.then(
        () => void (task.running = false),
        (err: unknown) => {
          task.running = false;
          this.options.onError?.(err);
        },
      );
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
