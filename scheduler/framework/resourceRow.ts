/**
 * A NodeInfo's native resource numbers packed in a row of a Float64Array: its allocatable,
 * requested and non-zero requested cpu, memory, ephemeral-storage and pods.
 *
 * Why: the filter and score loops read these numbers for hundreds of nodes per pod. Read from the
 * Resources objects they cost three scattered objects per node, and a boxed number for each
 * memory value; at 5,000 nodes most of those reads missed the caches and the TLB
 * (bench/scheduler: NodeResourcesFit's filter cost 2.5 times as much per node as at 1,000). A
 * snapshot keeps all its nodes' rows in one array (RowTable), so the loops walk a few hundred
 * kilobytes of consecutive memory instead.
 *
 * Invariant: a row mirrors its NodeInfo's Resources (NodeInfoImpl writes it on every change);
 * scalar resources (extended, hugepages) live only in the Resources.
 */
import type { Resources } from './interfaces';

/** Column offsets within a row. */
export const ALLOCATABLE_MILLI_CPU = 0;
export const ALLOCATABLE_MEMORY = 1;
export const ALLOCATABLE_EPHEMERAL_STORAGE = 2;
export const ALLOCATABLE_PODS = 3;
export const REQUESTED_MILLI_CPU = 4;
export const REQUESTED_MEMORY = 5;
export const REQUESTED_EPHEMERAL_STORAGE = 6;
export const REQUESTED_PODS = 7;
export const NON_ZERO_MILLI_CPU = 8;
export const NON_ZERO_MEMORY = 9;
/** Numbers per row. */
export const ROW_LENGTH = 10;

/** Writes a NodeInfo's numbers at `table[row..row + ROW_LENGTH)`. */
export function writeRow(table: Float64Array, row: number, allocatable: Resources, requested: Resources, nonZeroRequested: Resources): void {
  table[row + ALLOCATABLE_MILLI_CPU] = allocatable.milliCPU;
  table[row + ALLOCATABLE_MEMORY] = allocatable.memory;
  table[row + ALLOCATABLE_EPHEMERAL_STORAGE] = allocatable.ephemeralStorage;
  table[row + ALLOCATABLE_PODS] = allocatable.pods;
  table[row + REQUESTED_MILLI_CPU] = requested.milliCPU;
  table[row + REQUESTED_MEMORY] = requested.memory;
  table[row + REQUESTED_EPHEMERAL_STORAGE] = requested.ephemeralStorage;
  table[row + REQUESTED_PODS] = requested.pods;
  table[row + NON_ZERO_MILLI_CPU] = nonZeroRequested.milliCPU;
  table[row + NON_ZERO_MEMORY] = nonZeroRequested.memory;
}

/** What RowTable moves between tables: where a NodeInfo's row is. */
export interface RowHolder {
  resourceTable: Float64Array;
  resourceRow: number;
}

/**
 * Rows for a set of NodeInfos in one array, handed out and taken back (a free list keeps the
 * array as long as the most rows ever held). Growing copies the array and re-points every holder.
 */
export class RowTable {
  private table = new Float64Array(64 * ROW_LENGTH);
  private readonly holders: (RowHolder | undefined)[] = [];
  private readonly free: number[] = [];

  /** Moves `holder`'s row into this table (its numbers come along). */
  attach(holder: RowHolder): void {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.holders.length;
      if ((slot + 1) * ROW_LENGTH > this.table.length) this.grow();
    }
    const row = slot * ROW_LENGTH;
    for (let i = 0; i < ROW_LENGTH; i++) this.table[row + i] = holder.resourceTable[holder.resourceRow + i]!;
    this.holders[slot] = holder;
    holder.resourceTable = this.table;
    holder.resourceRow = row;
  }

  /** Gives `holder` a row of its own again and frees its row here. */
  detach(holder: RowHolder): void {
    const slot = holder.resourceRow / ROW_LENGTH;
    if (holder.resourceTable !== this.table || this.holders[slot] !== holder) return;
    holder.resourceTable = this.table.slice(holder.resourceRow, holder.resourceRow + ROW_LENGTH);
    holder.resourceRow = 0;
    this.holders[slot] = undefined;
    this.free.push(slot);
  }

  private grow(): void {
    const bigger = new Float64Array(this.table.length * 2);
    bigger.set(this.table);
    this.table = bigger;
    for (const h of this.holders) if (h) h.resourceTable = bigger;
  }
}
