/**
 * Similar-event aggregation, as client-go's EventAggregator: events about one object with the same
 * source, type and reason but different messages ("Created pod: web-1", "Created pod: web-2", ...)
 * are "similar". The first `maxDistinct` distinct messages within the window are recorded as they
 * are; later new messages are combined into one Event whose message is the latest one prefixed
 * with "(combined from similar events): ", so a controller creating 1,000 pods writes about a dozen
 * Events rather than 1,000.
 *
 * Memory is bounded: at most `maxDistinct` messages per group and `cacheSize` groups (least
 * recently used forgotten first).
 */
export const combinedPrefix = '(combined from similar events): ';

export interface SimilarEventsOptions {
  /** Distinct messages per group recorded as they are. Default 10, as client-go. */
  readonly maxDistinct?: number;
  /** A group starts anew this long after its first event. Default 10 minutes, as client-go. */
  readonly windowMs?: number;
  /** Groups remembered. Default 4096. */
  readonly cacheSize?: number;
}

interface Group {
  readonly firstMs: number;
  readonly messages: Set<string>;
}

export class SimilarEvents {
  private readonly maxDistinct: number;
  private readonly windowMs: number;
  private readonly cacheSize: number;
  private readonly groups = new Map<string, Group>();

  constructor(options: SimilarEventsOptions = {}) {
    this.maxDistinct = options.maxDistinct ?? 10;
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.cacheSize = options.cacheSize ?? 4096;
  }

  /**
   * Observes an event of group `groupKey` (source, object, type, reason) with `message`; returns
   * whether it is to be combined with the group's other events rather than recorded as it is.
   */
  combine(groupKey: string, message: string, nowMs: number): boolean {
    let group = this.groups.get(groupKey);
    if (group) this.groups.delete(groupKey); // re-inserted below as the most recently used
    if (!group || nowMs - group.firstMs > this.windowMs) group = { firstMs: nowMs, messages: new Set() };
    this.groups.set(groupKey, group);
    for (const key of this.groups.keys()) {
      if (this.groups.size <= this.cacheSize) break;
      this.groups.delete(key);
    }
    if (group.messages.has(message)) return false;
    if (group.messages.size < this.maxDistinct) {
      group.messages.add(message);
      return false;
    }
    return true;
  }
}
