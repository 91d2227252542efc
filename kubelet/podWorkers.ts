/**
 * Per-pod workers (the kubelet's podWorkers): each pod's syncs run one at a time, in order;
 * different pods sync concurrently. A pod asked to sync while it is syncing syncs once more
 * afterwards (requests in between collapse into one). `after` schedules a later sync (a backoff
 * ending, a probe period): only the earliest pending one is kept.
 */
import { realClock, type Cancel, type Clock } from '../client/clock';

export interface PodWorkersOptions {
  readonly clock?: Clock;
  readonly onError?: (uid: string, err: unknown) => void;
}

interface Worker {
  running: boolean;
  again: boolean;
  timer?: { at: number; cancel: Cancel };
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private readonly clock: Clock;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly sync: (uid: string) => Promise<void>,
    private readonly options: PodWorkersOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
  }

  /** Syncs the pod now (or right after its current sync). */
  update(uid: string): void {
    if (this.stopped) return;
    const w = this.worker(uid);
    if (w.running) {
      w.again = true;
      return;
    }
    void this.run(uid, w);
  }

  /** Syncs the pod in `ms` unless an earlier sync is already scheduled. */
  after(uid: string, ms: number): void {
    if (this.stopped) return;
    const w = this.worker(uid);
    const at = this.clock.now() + Math.max(0, ms);
    if (w.timer && w.timer.at <= at) return;
    w.timer?.cancel();
    w.timer = {
      at,
      cancel: this.clock.after(ms, () => {
        w.timer = undefined;
        this.update(uid);
      }),
    };
  }

  /** Forgets a pod (its pending timer too); a running sync finishes. */
  forget(uid: string): void {
    const w = this.workers.get(uid);
    if (!w) return;
    w.timer?.cancel();
    w.again = false;
    if (!w.running) this.workers.delete(uid);
  }

  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  /** Pods syncing now. */
  get busy(): number {
    let n = 0;
    for (const w of this.workers.values()) if (w.running) n++;
    return n;
  }

  /** Resolves once no pod is syncing. */
  idle(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.workers.values()) {
      w.timer?.cancel();
      w.again = false;
    }
  }

  private worker(uid: string): Worker {
    let w = this.workers.get(uid);
    if (!w) {
      w = { running: false, again: false };
      this.workers.set(uid, w);
    }
    return w;
  }

  private async run(uid: string, w: Worker): Promise<void> {
    w.running = true;
    try {
      do {
        w.again = false;
        try {
          await this.sync(uid);
        } catch (err) {
          this.options.onError?.(uid, err);
        }
      } while (w.again && !this.stopped);
    } finally {
      w.running = false;
      if (this.busy === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
