/**
 * Per-key exponential backoff, as the kubelet's flowcontrol.Backoff (no jitter): the first
 * failure of a key sets its delay to the initial value (10 s), every further one doubles it up to
 * the maximum (300 s), and a key whose last update is older than twice the maximum (10 minutes
 * for containers) starts over. Used for container restarts (CrashLoopBackOff) and image pulls
 * (ImagePullBackOff).
 */
import { realClock, type Clock } from '../client/clock';

export interface BackoffOptions {
  /** Default 10 s. */
  readonly initialMs?: number;
  /** Default 300 s. */
  readonly maxMs?: number;
}

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class KeyedBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  private readonly entries = new Map<string, Entry>();

  constructor(
    options: BackoffOptions = {},
    private readonly clock: Clock = realClock,
  ) {
    this.initialMs = options.initialMs ?? 10_000;
    this.maxMs = options.maxMs ?? 300_000;
  }

  /** Records a failure (or a retry) of `key` at `eventTime`: the delay starts or doubles. */
  next(key: string, eventTime: number = this.clock.now()): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) {
      this.entries.set(key, { delayMs: this.initialMs, lastUpdate: this.clock.now() });
      return;
    }
    entry.delayMs = Math.min(entry.delayMs * 2, this.maxMs);
    entry.lastUpdate = this.clock.now();
  }

  /** The current delay of `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /**
   * Whether `key` is still backing off from an event at `eventTime` (a container's finish): the
   * delay has not passed since then. A key last updated more than 2×max before `eventTime` is not.
   */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) return false;
    return this.clock.now() - eventTime < entry.delayMs;
  }

  /** Whether the delay has not yet passed since the key's last update (image pulls). */
  isInBackOffSinceUpdate(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(this.clock.now(), entry)) return false;
    return this.clock.now() - entry.lastUpdate < entry.delayMs;
  }

  /** When the backoff since `eventTime` ends (ms since the epoch), or undefined when none. */
  endOfBackOff(key: string, eventTime: number): number | undefined {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) return undefined;
    return eventTime + entry.delayMs;
  }

  /** When the backoff since the last update ends, or undefined when none. */
  endOfBackOffSinceUpdate(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (!entry || this.expired(this.clock.now(), entry)) return undefined;
    return entry.lastUpdate + entry.delayMs;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key whose prefix is `prefix` (a pod's keys once it is gone). */
  resetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Drops entries that have expired (call now and then). */
  gc(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (this.expired(now, entry)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.maxMs;
  }
}
