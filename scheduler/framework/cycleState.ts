/**
 * The CycleState of one scheduling attempt: plugin-owned keys to values. Clone() copies the map
 * and deep-copies values that implement StateData (clone()), so preemption's per-node dry runs
 * can change a copy without touching the original.
 */
import type { CycleState, StateData } from './interfaces';

function isStateData(value: unknown): value is StateData {
  return typeof value === 'object' && value !== null && typeof (value as Partial<StateData>).clone === 'function';
}

export class CycleStateImpl implements CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter is not called in this cycle. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not called in this cycle. */
  readonly skipScorePlugins = new Set<string>();
  /**
   * The framework's Filter plugins not skipped in this cycle, computed once (runtime/framework.ts).
   * Kept out of the plugins' keys: read for every node between the plugins' own reads, it would
   * defeat the last-read shortcut below.
   */
  activeFilters: readonly unknown[] | undefined = undefined;

  /**
   * The last key read and its value. Filter and Score run plugin by plugin over hundreds of nodes,
   * each reading its own key per node: the same key many times in a row, answered here without a
   * map lookup. Invariant: when lastKey is set, lastValue is data.get(lastKey).
   */
  private lastKey: string | undefined;
  private lastValue: unknown;

  read<T>(key: string): T | undefined {
    if (key === this.lastKey) return this.lastValue as T | undefined;
    const value = this.data.get(key);
    this.lastKey = key;
    this.lastValue = value;
    return value as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
    if (key === this.lastKey) this.lastValue = value;
  }

  clone(): CycleStateImpl {
    const copy = new CycleStateImpl();
    for (const [k, v] of this.data) copy.data.set(k, isStateData(v) ? v.clone() : v);
    for (const p of this.skipFilterPlugins) copy.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) copy.skipScorePlugins.add(p);
    return copy;
  }
}
