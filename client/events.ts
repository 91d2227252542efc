/**
 * Event recording, as client-go's tools/record: controllers report what they did to an object as
 * core/v1 Events (`kubectl describe` shows them), written in the background.
 *
 * Invariants:
 *   - event() never throws and never waits: it updates an in-memory series and queues it; a
 *     single background writer sends queued series to the API server one at a time;
 *   - a series is (source component, involved object, type, reason, message). Its first
 *     occurrence creates an Event named `<object name>.<hex timestamp>` (in the object's
 *     namespace, `default` for cluster-scoped objects) with count 1; repeats within the
 *     aggregation window (10 minutes since the last one) PATCH that Event's count and
 *     lastTimestamp instead of creating new Events. Repeats that arrive while a write is queued
 *     coalesce into that one write (count += n), unless the queue is full;
 *   - if the Event was deleted meanwhile (404 on the patch), it is created again with the count;
 *   - a write the API server refuses (4xx) is dropped; one that cannot reach it (network error,
 *     5xx) is retried a bounded number of times; at most `maxQueued` series wait. While that many
 *     wait, every new event is dropped at once, before any aggregation, as client-go's
 *     broadcaster drops events when its queue is full (logged at most one line per 10 s);
 *   - events about one object with the same type and reason but new messages beyond the first
 *     ten within 10 minutes join one "(combined from similar events)" series (similarEvents.ts);
 *   - flush() resolves once nothing is queued or being written.
 */
import { hostname } from 'node:os';
import type { Event } from '../api/kinds/core/event';
import type { KubeObject } from '../api/kinds/kind';
import { isStatusError } from '../api/status';
import { realClock, sleep, type Clock } from './clock';
import { silentLogger, type Logger } from './log';
import type { EventSink } from './eventSink';
import { combinedPrefix, SimilarEvents } from './similarEvents';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  /**
   * Records that something happened to `obj` (which should carry apiVersion and kind, as objects
   * read from the API do). Never throws and never blocks: writes in the background. Repeats of
   * the same (object, type, reason, message) within 10 minutes increase count and lastTimestamp
   * of one Event instead of creating new ones.
   */
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
  /** Resolves once every event recorded so far has been written (or given up on). For tests. */
  flush(): Promise<void>;
}

export interface EventBroadcasterOptions {
  readonly sink: EventSink;
  readonly log?: Logger;
  readonly clock?: Clock;
  /** Series waiting to be written; beyond this, new ones are dropped. Default 1000. */
  readonly maxQueued?: number;
  /** Repeats within this long of the previous occurrence join its Event. Default 10 minutes. */
  readonly aggregationWindowMs?: number;
  /** Series remembered for aggregation (least recently used forgotten first). Default 4096. */
  readonly cacheSize?: number;
  /** Attempts per write while the API server cannot be reached. Default 12, as client-go. */
  readonly maxTries?: number;
  /** Wait between attempts (the first one randomised). Default 10 s, as client-go. */
  readonly retryDelayMs?: number;
  /** source.host and reportingInstance. Default: this machine's hostname. */
  readonly host?: string;
}

/** One (component, object, type, reason, message): one Event on the server. */
interface Series {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly event: Event;
  /** Occurrences the server has (as last written). */
  count: number;
  /** Whether the Event exists on the server (as far as we know). */
  created: boolean;
  /** Occurrences not yet written, and the time of the newest. */
  pending: number;
  pendingLast: string;
  lastSeenMs: number;
  queued: boolean;
}

const defaultWindowMs = 10 * 60_000;

export class EventBroadcaster {
  private readonly sink: EventSink;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly maxQueued: number;
  private readonly windowMs: number;
  private readonly cacheSize: number;
  private readonly maxTries: number;
  private readonly retryDelayMs: number;
  private readonly host: string;
  /** Series by key, least recently used first. */
  private readonly series = new Map<string, Series>();
  private readonly similar: SimilarEvents;
  private queue: Series[] = [];
  private writing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly stopController = new AbortController();
  private seq = 0;
  private lastNameMs = 0;
  /** Overflow drops not yet logged, and when the last overflow line was written. */
  private droppedSinceLog = 0;
  private lastDropLogMs = -Infinity;

  constructor(options: EventBroadcasterOptions) {
    this.sink = options.sink;
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? realClock;
    this.maxQueued = options.maxQueued ?? 1000;
    this.windowMs = options.aggregationWindowMs ?? defaultWindowMs;
    this.cacheSize = options.cacheSize ?? 4096;
    this.maxTries = options.maxTries ?? 12;
    this.retryDelayMs = options.retryDelayMs ?? 10_000;
    this.host = options.host ?? hostname();
    this.similar = new SimilarEvents({ windowMs: this.windowMs, cacheSize: this.cacheSize });
  }

  /** A recorder reporting as `component` (source.component and reportingComponent). */
  newRecorder(component: string): EventRecorder {
    return {
      event: (obj, type, reason, message) => {
        try {
          this.record(component, obj, type, reason, message);
        } catch (err) {
          this.log.error('could not record an event', { reason, error: err });
        }
      },
      flush: () => this.flush(),
    };
  }

  /** Resolves once nothing is queued or being written. */
  flush(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops: waits up to `graceMs` for queued events to be written, then abandons the rest. Later
   * events are dropped.
   */
  async shutdown(graceMs = 2000): Promise<void> {
    if (this.stopController.signal.aborted) return;
    let cancel: () => void = () => {};
    await Promise.race([this.flush(), new Promise<void>((resolve) => (cancel = this.clock.after(graceMs, resolve)))]);
    cancel();
    this.stopController.abort();
    if (this.queue.length > 0) this.log.warn('events not written at shutdown', { count: this.queue.length });
    for (const s of this.queue) s.queued = false;
    this.queue = [];
    await this.flush();
  }

  private record(component: string, obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.stopController.signal.aborted) return;
    const meta = obj.metadata ?? {};
    if (!meta.name) {
      this.log.warn('event about an object without a name dropped', { reason, message });
      return;
    }
    const nowMs = this.clock.now();
    if (this.queue.length >= this.maxQueued) {
      // Under overload this happens per event: it costs nothing more than this check, and the
      // log gets one line per 10 s (with the count) rather than a flood.
      this.droppedSinceLog++;
      if (nowMs - this.lastDropLogMs >= 10_000) {
        this.log.error('too many queued events: events dropped', { dropped: this.droppedSinceLog, reason, object: { kind: obj.kind, namespace: meta.namespace, name: meta.name } });
        this.lastDropLogMs = nowMs;
        this.droppedSinceLog = 0;
      }
      return;
    }
    // Built field by field: conditional spreads cost more than the rest of record() together.
    const involvedObject: Event['involvedObject'] = {};
    if (obj.apiVersion) involvedObject.apiVersion = obj.apiVersion;
    if (obj.kind) involvedObject.kind = obj.kind;
    if (meta.namespace) involvedObject.namespace = meta.namespace;
    involvedObject.name = meta.name;
    if (meta.uid) involvedObject.uid = meta.uid;
    if (meta.resourceVersion) involvedObject.resourceVersion = meta.resourceVersion;
    const groupKey = JSON.stringify([component, this.host, obj.kind ?? '', meta.namespace ?? '', meta.name, meta.uid ?? '', obj.apiVersion ?? '', type, reason]);
    const combined = this.similar.combine(groupKey, message, nowMs);
    // Combined events share one series whatever their message; it carries the latest message.
    // (The group key is a complete JSON array, so appending the message keeps keys distinct.)
    const key = groupKey + JSON.stringify(combined ? combinedPrefix : message);
    const text = combined ? combinedPrefix + message : message;
    const now = timestamp(nowMs);
    let s = this.series.get(key);
    if (s) this.series.delete(key); // re-inserted below as the most recently used
    if (!s || nowMs - s.lastSeenMs > this.windowMs) {
      if (s?.queued) s = undefined; // the old series is still written; this one starts anew
      const namespace = meta.namespace || 'default';
      const name = `${meta.name}.${this.nameSuffix(nowMs)}`;
      s = {
        key,
        namespace,
        name,
        event: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject,
          reason,
          message: text,
          type,
          source: { component, host: this.host },
          reportingComponent: component,
          reportingInstance: this.host,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
        count: 0,
        created: false,
        pending: 0,
        pendingLast: now,
        lastSeenMs: nowMs,
        queued: false,
      };
    }
    s.event.message = text;
    this.series.set(key, s);
    this.evict();
    s.pending++;
    s.pendingLast = now;
    s.lastSeenMs = nowMs;
    if (s.queued) return;
    s.queued = true;
    this.queue.push(s);
    if (!this.writing) void this.writeAll();
  }

  /** A hex timestamp in nanoseconds, unique per broadcaster (as client-go's `%x` of UnixNano). */
  private nameSuffix(nowMs: number): string {
    if (nowMs !== this.lastNameMs) {
      this.lastNameMs = nowMs;
      this.seq = 0;
    }
    return (BigInt(nowMs) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16);
  }

  /**
   * Forgets the least recently used series beyond `cacheSize`, queued ones too: the queue still
   * holds and writes them; only later repeats no longer join them. (Skipping queued series made
   * each event scan the whole backlog under overload, where the queued series are the oldest.)
   */
  private evict(): void {
    while (this.series.size > this.cacheSize) this.series.delete(this.series.keys().next().value!);
  }

  /** The single writer: drains the queue, one series at a time. */
  private async writeAll(): Promise<void> {
    this.writing = true;
    try {
      for (let s = this.queue.shift(); s; s = this.queue.shift()) {
        s.queued = false;
        await this.write(s);
      }
    } finally {
      this.writing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async write(s: Series): Promise<void> {
    const stop = this.stopController.signal;
    for (let attempt = 1; ; attempt++) {
      const n = s.pending;
      if (n === 0) return;
      s.pending = 0;
      const count = s.count + n;
      try {
        let written: Event;
        if (s.created) {
          try {
            written = await this.sink.patch(s.namespace, s.name, { count, lastTimestamp: s.pendingLast, message: s.event.message });
          } catch (err) {
            if (!isStatusError(err, 404)) throw err;
            written = await this.sink.create(this.eventToCreate(s, count));
          }
        } else {
          written = await this.sink.create(this.eventToCreate(s, count));
        }
        s.count = typeof written?.count === 'number' ? written.count : count;
        s.created = true;
        // Repeats that arrived meanwhile queued the series again: that write sends them.
        return;
      } catch (err) {
        s.pending += n;
        const retriable = !isStatusError(err) || err.code === 429 || err.code >= 500;
        if (!retriable || attempt >= this.maxTries || stop.aborted) {
          this.log.warn(retriable ? 'could not write an event; giving up' : 'the API server refused an event; not retrying', {
            event: `${s.namespace}/${s.name}`,
            reason: s.event.reason,
            error: err,
          });
          s.pending = 0;
          return;
        }
        const delay = attempt === 1 ? this.retryDelayMs * Math.random() : this.retryDelayMs;
        try {
          await sleep(delay, stop, this.clock);
        } catch {
          s.pending = 0;
          return;
        }
      }
    }
  }

  private eventToCreate(s: Series, count: number): Event {
    return { ...s.event, count, lastTimestamp: s.pendingLast };
  }
}

/** Kubernetes metav1.Time: RFC 3339 in seconds. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
