/**
 * How `describe` writes: kubectl's PrefixWriter over a tabwriter (padding 2): each line is
 * indented two spaces per level, its cells separated by tabs, and the cells of consecutive lines
 * aligned column by column as Go's text/tabwriter aligns them (a column block ends at a line
 * without a cell in that column).
 */
import { humanDuration } from '../../apiserver/printers/duration';

export class DescribeWriter {
  private readonly lines: string[] = [];

  /** A line of tab-separated cells at an indentation level. */
  line(level: number, ...cells: string[]): this {
    this.lines.push('  '.repeat(level) + cells.join('\t'));
    return this;
  }

  /** `Key:<tab>value`; a multi-line value (labels, annotations) continues aligned under it. */
  field(level: number, key: string, value: string | readonly string[]): this {
    const values = typeof value === 'string' ? [value] : value.length ? value : ['<none>'];
    values.forEach((v, i) => this.line(level, i === 0 ? `${key}:` : '', v));
    return this;
  }

  /** A map (labels, annotations, selectors) as `k=v` lines, or `<none>`. */
  map(level: number, key: string, map: Readonly<Record<string, string>> | undefined): this {
    const keys = Object.keys(map ?? {}).sort();
    return this.field(level, key, keys.map((k) => `${k}=${map![k]}`));
  }

  /** A table: a header, a dashes line, the rows. */
  table(level: number, header: readonly string[], rows: readonly (readonly string[])[]): this {
    this.line(level, ...header);
    this.line(level, ...header.map((h) => '-'.repeat(h.length)));
    for (const r of rows) this.line(level, ...r);
    return this;
  }

  toString(): string {
    return tabwrite(this.lines) + '\n';
  }
}

/** Go's text/tabwriter with minwidth 0 and padding 2, padding with spaces. */
export function tabwrite(lines: readonly string[], padding = 2): string {
  const rows = lines.map((l) => l.split('\t'));
  const widths: number[][] = rows.map(() => []);
  const format = (start: number, end: number, col: number) => {
    let i = start;
    while (i < end) {
      if (rows[i]!.length - 1 <= col) {
        i++;
        continue;
      }
      let j = i;
      let width = 0;
      for (; j < end && rows[j]!.length - 1 > col; j++) width = Math.max(width, [...rows[j]![col]!].length + padding);
      for (let k = i; k < j; k++) widths[k]![col] = width;
      format(i, j, col + 1);
      i = j;
    }
  };
  format(0, rows.length, 0);
  return rows.map((r, k) => r.map((c, ci) => (ci < r.length - 1 ? c + ' '.repeat(Math.max(0, widths[k]![ci]! - [...c].length)) : c)).join('')).join('\n');
}

/** How long ago a timestamp was (`5m2s`), or `<unknown>`. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  const t = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** A timestamp as kubectl's describe prints it: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function describeTime(timestamp: string | undefined): string {
  if (!timestamp) return '<unset>';
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return timestamp;
  return d.toUTCString().replace('GMT', '+0000');
}
