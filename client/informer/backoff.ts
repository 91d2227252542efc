/**
 * Jittered exponential backoff for reconnecting, as client-go's reflector uses: 800 ms doubling
 * to 30 s, each delay stretched by up to 100% at random (so a fleet of clients does not
 * reconnect in step), and back to the start once the last failure is older than `resetAfterMs`
 * (the connection was healthy for that long).
 */
import { realClock, type Clock } from '../clock';

export interface BackoffOptions {
  /** First delay. Default 800 ms. */
  readonly initialMs?: number;
  /** Longest delay (jitter included). Default 30 s. */
  readonly maxMs?: number;
  /** Growth per failure. Default 2. */
  readonly factor?: number;
  /** Each delay d becomes d·(1 + jitter·random()). Default 1. */
  readonly jitter?: number;
  /** Start over when the previous failure is older than this. Default 120 s. */
  readonly resetAfterMs?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private current: number;
  private lastFailure: number | undefined;

  constructor(
    options: BackoffOptions = {},
    private readonly clock: Clock = realClock,
    private readonly random: () => number = Math.random,
  ) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 1;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
    this.current = this.initialMs;
  }

  /** The delay before the next attempt (call once per failure). */
  next(): number {
    const now = this.clock.now();
    if (this.lastFailure !== undefined && now - this.lastFailure > this.resetAfterMs) this.current = this.initialMs;
    this.lastFailure = now;
    const base = this.current;
    this.current = Math.min(this.maxMs, this.current * this.factor);
    return Math.min(this.maxMs, base * (1 + this.jitter * this.random()));
  }

  reset(): void {
    this.current = this.initialMs;
    this.lastFailure = undefined;
  }
}
