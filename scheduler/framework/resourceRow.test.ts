import { ALLOCATABLE_MEMORY, NON_ZERO_MILLI_CPU, REQUESTED_PODS, ROW_LENGTH, RowTable, writeRow, type RowHolder } from './resourceRow';
import { emptyResources } from './resources';

function holder(seed: number): RowHolder {
  const table = new Float64Array(ROW_LENGTH);
  for (let i = 0; i < ROW_LENGTH; i++) table[i] = seed * 100 + i;
  return { resourceTable: table, resourceRow: 0 };
}

const row = (h: RowHolder) => Array.from(h.resourceTable.subarray(h.resourceRow, h.resourceRow + ROW_LENGTH));

describe('RowTable', () => {
  it('takes rows in with their numbers, side by side in one array, and keeps them through growth', () => {
    const rows = new RowTable();
    const holders = Array.from({ length: 200 }, (_, i) => holder(i));
    const before = holders.map(row);
    for (const h of holders) rows.attach(h);
    // One array for all, with distinct rows, after growing past its first 64 rows.
    expect(new Set(holders.map((h) => h.resourceTable)).size).toBe(1);
    expect(new Set(holders.map((h) => h.resourceRow)).size).toBe(200);
    expect(holders.map(row)).toEqual(before);
  });

  it('gives a detached holder its own row back and reuses the freed row', () => {
    const rows = new RowTable();
    const a = holder(1);
    const b = holder(2);
    rows.attach(a);
    rows.attach(b);
    const shared = a.resourceTable;
    const freed = a.resourceRow;
    rows.detach(a);
    expect(a.resourceTable).not.toBe(shared);
    expect(a.resourceRow).toBe(0);
    expect(row(a)).toEqual(row(holder(1)));
    a.resourceTable[0] = -1; // its own now: b's numbers stay
    expect(row(b)).toEqual(row(holder(2)));
    const c = holder(3);
    rows.attach(c);
    expect(c.resourceRow).toBe(freed);
    expect(row(c)).toEqual(row(holder(3)));
    rows.detach(a); // no longer here: nothing happens
    expect(row(c)).toEqual(row(holder(3)));
  });

  it('writes a NodeInfo row from its Resources', () => {
    const table = new Float64Array(2 * ROW_LENGTH);
    const allocatable = { ...emptyResources(), memory: 8 * 1024 ** 3 };
    const requested = { ...emptyResources(), pods: 3 };
    const nonZero = { ...emptyResources(), milliCPU: 300 };
    writeRow(table, ROW_LENGTH, allocatable, requested, nonZero);
    expect(table[ROW_LENGTH + ALLOCATABLE_MEMORY]).toBe(8 * 1024 ** 3);
    expect(table[ROW_LENGTH + REQUESTED_PODS]).toBe(3);
    expect(table[ROW_LENGTH + NON_ZERO_MILLI_CPU]).toBe(300);
    expect(Array.from(table.subarray(0, ROW_LENGTH))).toEqual(new Array(ROW_LENGTH).fill(0));
  });
});
