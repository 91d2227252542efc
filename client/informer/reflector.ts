/**
 * The reflector keeps a sink (the informer's cache) equal to the server's state of one resource:
 * it lists (in pages), then watches from the list's resourceVersion with bookmarks, applying
 * every change, and never stops until told to.
 *
 * Invariants and behaviour:
 *   - `lastSyncResourceVersion` is the resourceVersion of the last list, event or bookmark
 *     applied; every watch starts there, so no change is missed across reconnects;
 *   - a 410 (an ERROR event with code 410, or an HTTP 410 — the server no longer has history
 *     that old) makes it relist; the sink's replace() turns the difference between its cache and
 *     the list into adds, updates and deletes, so changes made while away are delivered too;
 *   - a watch that delivers no event and no bookmark within `watchDeadlineMs` (the connection
 *     died without closing, or the server hung) is abandoned and replaced; so is a watch that
 *     takes that long to open;
 *   - each watch asks the server to end it after a random time in [watchTimeoutSeconds,
 *     2·watchTimeoutSeconds), so load spreads over API servers; a watch ended by the server is
 *     replaced at once (from the last resourceVersion);
 *   - every failure is reported (onError and the log), then retried after a jittered
 *     exponential backoff (see Backoff); nothing ends the loop but stop().
 */
import { isStatusError } from '../../api/status';
import type { KubeObject } from '../../api/kinds/kind';
import { abortReason, realClock, sleep, type Cancel, type Clock } from '../clock';
import { silentLogger, type Logger } from '../log';
import { statusErrorOf, type WatchEvent } from '../restClient';
import { Backoff, type BackoffOptions } from './backoff';
import type { ListerWatcher } from './listerWatcher';

/** Where a reflector puts what it learns. */
export interface ReflectorSink<T> {
  /** The complete current state, from a list: the sink makes its contents equal to `items`. */
  replace(items: T[], resourceVersion: string): void;
  /** One change from the watch. */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void;
}

export interface ReflectorOptions {
  /** Names the reflector in logs. Default 'reflector'. */
  readonly name?: string;
  /** Items per list page. Default 500. */
  readonly pageSize?: number;
  /**
   * A watch silent (no event, no bookmark) this long is considered dead and replaced. Default
   * 120 s: twice the API server's default bookmark interval (60 s), so a healthy but idle watch
   * always gets a bookmark in time.
   */
  readonly watchDeadlineMs?: number;
  /** Each watch lasts between this and twice this (server side). Default 300 s (5 min). */
  readonly watchTimeoutSeconds?: number;
  /** A list page that takes longer is abandoned (and retried). Default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Reconnect backoff. Default 800 ms doubling to 30 s, jitter 100%, reset after 120 s. */
  readonly backoff?: BackoffOptions;
  /** Called with every failure (after it is logged); the reflector carries on regardless. */
  readonly onError?: (err: unknown) => void;
  /** Default: silent. */
  readonly log?: Logger;
  readonly clock?: Clock;
}

/** A watch that went silent for longer than the deadline. */
export class WatchSilentError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`no watch event or bookmark for ${deadlineMs} ms: reconnecting`);
    this.name = 'WatchSilentError';
  }
}

/** Counts of what a reflector did, for tests and debugging. */
export interface ReflectorStats {
  /** Complete lists (all pages) applied. */
  readonly lists: number;
  /** Watches opened. */
  readonly watches: number;
  /** Failures reported. */
  readonly errors: number;
  /** Watches abandoned as silent. */
  readonly silentWatches: number;
}

/** The time a watch must last, or deliver something, not to count as failed at once. */
const minHealthyWatchMs = 1000;

export class Reflector<T extends KubeObject> {
  private readonly name: string;
  private readonly pageSize: number;
  private readonly watchDeadlineMs: number;
  private readonly watchTimeoutSeconds: number;
  private readonly requestTimeoutMs: number;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly stopController = new AbortController();
  private running: Promise<void> | undefined;
  private needList = true;
  private synced = false;
  private rv = '';
  private counts = { lists: 0, watches: 0, errors: 0, silentWatches: 0 };

  constructor(
    private readonly lw: ListerWatcher<T>,
    private readonly sink: ReflectorSink<T>,
    private readonly options: ReflectorOptions = {},
  ) {
    this.name = options.name ?? 'reflector';
    this.pageSize = options.pageSize ?? 500;
    this.watchDeadlineMs = options.watchDeadlineMs ?? 120_000;
    this.watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? realClock;
    this.backoff = new Backoff(options.backoff, this.clock);
  }

  /** Starts the list-and-watch loop (once; later calls do nothing). */
  start(): void {
    if (this.running || this.stopController.signal.aborted) return;
    this.running = this.run();
  }

  /** Stops the loop and closes the watch; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
  }

  get isStopped(): boolean {
    return this.stopController.signal.aborted;
  }

  /** True once the first complete list has been handed to the sink. */
  hasSynced(): boolean {
    return this.synced;
  }

  get lastSyncResourceVersion(): string {
    return this.rv;
  }

  get stats(): ReflectorStats {
    return { ...this.counts };
  }

  private get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }

  private async run(): Promise<void> {
    // Two 410s in a row without a working watch between them wait a backoff; the first relists at once.
    let expiredInARow = 0;
    while (!this.stopSignal.aborted) {
      try {
        if (this.needList) await this.list();
        const delivered = await this.watch();
        if (delivered) expiredInARow = 0;
        continue;
      } catch (err) {
        if (this.stopSignal.aborted) break;
        const expired = isExpired(err);
        this.report(err, expired);
        if (expired) {
          this.needList = true;
          if (expiredInARow++ === 0) continue;
        }
      }
      try {
        await sleep(this.backoff.next(), this.stopSignal, this.clock);
      } catch {
        break;
      }
    }
  }

  /** Reads every page of a consistent list and hands the whole to the sink. */
  private async list(): Promise<void> {
    const items: T[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await this.withTimeout(this.requestTimeoutMs, (signal) => this.lw.list({ limit: this.pageSize, ...(token ? { continue: token } : {}), signal }));
      items.push(...(page.items ?? []));
      if (!resourceVersion) resourceVersion = page.metadata?.resourceVersion ?? '';
      token = page.metadata?.continue || undefined;
    } while (token);
    if (this.stopSignal.aborted) return;
    this.sink.replace(items, resourceVersion);
    this.rv = resourceVersion;
    this.needList = false;
    this.synced = true;
    this.counts.lists++;
    this.log.debug('listed', { reflector: this.name, items: items.length, resourceVersion });
  }

  /**
   * One watch from the last resourceVersion, until the server ends it (resolves: whether it
   * delivered anything) or it fails (throws). Stopping resolves.
   */
  private async watch(): Promise<boolean> {
    const abort = new AbortController();
    const onStop = () => abort.abort();
    this.stopSignal.addEventListener('abort', onStop, { once: true });
    let failure: unknown;
    const fail = (err: unknown) => {
      failure ??= err;
      abort.abort();
    };
    let cancelDeadline: Cancel | undefined;
    const arm = () => {
      cancelDeadline?.();
      cancelDeadline = this.clock.after(this.watchDeadlineMs, () => {
        this.counts.silentWatches++;
        fail(new WatchSilentError(this.watchDeadlineMs));
      });
    };
    const started = this.clock.now();
    let events = 0;
    arm();
    try {
      const timeoutSeconds = Math.floor(this.watchTimeoutSeconds * (1 + Math.random()));
      this.counts.watches++;
      const watch = await this.lw.watch({ resourceVersion: this.rv, timeoutSeconds, allowWatchBookmarks: true, signal: abort.signal }, (event) => {
        if (abort.signal.aborted) return;
        events++;
        arm();
        try {
          this.handle(event);
        } catch (err) {
          fail(err);
        }
      });
      await watch.done;
    } catch (err) {
      // The opening failed or the stream broke; an abort of ours already has its reason in `failure`.
      failure ??= err;
    } finally {
      cancelDeadline?.();
      this.stopSignal.removeEventListener('abort', onStop);
      abort.abort();
    }
    if (this.stopSignal.aborted) return events > 0;
    if (failure !== undefined) throw failure;
    if (events === 0 && this.clock.now() - started < minHealthyWatchMs) throw new Error('very short watch: the server ended it at once without any event');
    return events > 0;
  }

  private handle(event: WatchEvent<T>): void {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        this.sink.apply(event.type, event.object);
        this.advance(event.object);
        return;
      case 'BOOKMARK':
        this.advance(event.object);
        return;
      case 'ERROR':
        throw statusErrorOf(event.object) ?? new Error(`watch ERROR event: ${JSON.stringify(event.object).slice(0, 200)}`);
      default:
        throw new Error(`unknown watch event type ${JSON.stringify((event as { type: unknown }).type)}`);
    }
  }

  private advance(obj: KubeObject): void {
    const rv = obj?.metadata?.resourceVersion;
    if (rv) this.rv = rv;
  }

  private async withTimeout<R>(ms: number, fn: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const abort = new AbortController();
    const timeout = new Error(`request timed out after ${ms} ms`);
    const cancel = this.clock.after(ms, () => abort.abort(timeout));
    const onStop = () => abort.abort(abortReason(this.stopSignal));
    this.stopSignal.addEventListener('abort', onStop, { once: true });
    try {
      return await fn(abort.signal);
    } catch (err) {
      throw abort.signal.reason === timeout ? timeout : err;
    } finally {
      cancel();
      this.stopSignal.removeEventListener('abort', onStop);
    }
  }

  private report(err: unknown, expired: boolean): void {
    this.counts.errors++;
    const fields = { reflector: this.name, resourceVersion: this.rv, error: err };
    if (expired) this.log.info('resourceVersion too old: relisting', fields);
    else this.log.warn('list/watch failed; retrying', fields);
    try {
      this.options.onError?.(err);
    } catch (handlerErr) {
      this.log.error('error handler threw', { reflector: this.name, error: handlerErr });
    }
  }
}

/** 410 Gone/Expired: the server no longer has the history we asked for. */
export function isExpired(err: unknown): boolean {
  return isStatusError(err, 410);
}
