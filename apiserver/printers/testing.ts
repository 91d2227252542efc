/** Test helpers for printers: a fixed "now", timestamps relative to it, and a row keyed by column name. */
import type { KubeObject, Stored } from '../../api/kinds/kind';
import type { Cell, Printer } from './printer';

/** The "now" printer tests measure ages from. */
export const now = Date.parse('2024-05-01T12:00:00Z');

/** The RFC 3339 timestamp `seconds` before `now`. */
export function ago(seconds: number): string {
  return new Date(now - seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** The row `printer` prints for `obj` at `now`, by column name; asserts one cell per column. */
export function printRow<T extends KubeObject>(printer: Printer<T>, obj: T & { metadata: NonNullable<KubeObject['metadata']> }): Record<string, Cell> {
  const cells = printer.cells(obj as Stored<T>, now);
  if (cells.length !== printer.columns.length) throw new Error(`${cells.length} cells for ${printer.columns.length} columns`);
  return Object.fromEntries(printer.columns.map((c, i) => [c.name, cells[i]!]));
}

/** The names of the columns shown without `-o wide` (priority 0) and with it. */
export function columnNames(printer: Printer): { normal: string[]; wide: string[] } {
  return {
    normal: printer.columns.filter((c) => c.priority === 0).map((c) => c.name.toUpperCase()),
    wide: printer.columns.map((c) => c.name.toUpperCase()),
  };
}
