/**
 * Parsers for what `ctr` prints: its tab-aligned tables (`ctr tasks ls`, `ctr images ls`), the
 * lines of `ctr events`, `ctr version`, `ctr image import` and the exit-code warning of
 * `ctr tasks delete`.
 */

/**
 * Rows of a ctr table. Columns are aligned by Go's tabwriter, so a cell starts where its header
 * starts (cells may hold spaces, like images' "1.9 MiB").
 */
export function parseTable(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const head = lines[0];
  if (head === undefined) return [];
  const columns: { name: string; start: number }[] = [];
  const re = /\S+/g;
  for (let m = re.exec(head); m; m = re.exec(head)) columns.push({ name: m[0], start: m.index });
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    columns.forEach((col, i) => {
      const end = i + 1 < columns.length ? columns[i + 1]!.start : line.length;
      row[col.name] = line.slice(col.start, end).trim();
    });
    return row;
  });
}

export type TaskStatus = 'CREATED' | 'RUNNING' | 'STOPPED' | 'PAUSED' | 'PAUSING' | 'UNKNOWN';
export interface TaskRow {
  readonly id: string;
  readonly pid: number;
  readonly status: TaskStatus;
}

/** `ctr tasks ls`: TASK PID STATUS. */
export function parseTasks(text: string): TaskRow[] {
  const known = new Set<string>(['CREATED', 'RUNNING', 'STOPPED', 'PAUSED', 'PAUSING', 'UNKNOWN']);
  return parseTable(text)
    .filter((r) => r.TASK)
    .map((r) => ({
      id: r.TASK!,
      pid: Number(r.PID ?? 0) || 0,
      status: (known.has(r.STATUS ?? '') ? r.STATUS : 'UNKNOWN') as TaskStatus,
    }));
}

export interface ImageRow {
  readonly ref: string;
  readonly mediaType: string;
  readonly digest: string;
}

/** `ctr images ls`: REF TYPE DIGEST SIZE PLATFORMS LABELS. */
export function parseImages(text: string): ImageRow[] {
  return parseTable(text)
    .filter((r) => r.REF && r.DIGEST)
    .map((r) => ({ ref: r.REF!, mediaType: r.TYPE ?? '', digest: r.DIGEST! }));
}

export interface CtrEvent {
  readonly namespace: string;
  readonly topic: string;
  readonly event: Readonly<Record<string, unknown>>;
}

/** One line of `ctr events`: `2024-01-02 03:04:05.123456789 +0000 UTC NS /tasks/exit {json}`; undefined for others. */
export function parseEventLine(line: string): CtrEvent | undefined {
  const m = /^\d{4}-\d\d-\d\d \S+ [+-]\d{4} \S+ (\S+) (\/\S+)(?: (.*))?$/.exec(line.trim());
  if (!m) return undefined;
  let event: Record<string, unknown> = {};
  try {
    const parsed: unknown = m[3] ? JSON.parse(m[3]) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) event = parsed as Record<string, unknown>;
  } catch {
    // an event containerd could not print as JSON: the topic still says what happened
  }
  return { namespace: m[1]!, topic: m[2]!, event };
}

/** `ctr tasks delete` warns about a non-zero exit ("task X exit with non-zero exit code N") and exits 0. */
export function parseDeleteExitCode(stderr: string): number {
  const m = /exit with non-zero exit code (\d+)/.exec(stderr);
  return m ? Number(m[1]) : 0;
}

/** The images `ctr image import` unpacked: "unpacking REF (sha256:...)...done". */
export function parseImportOutput(stdout: string): { ref: string; digest: string }[] {
  const out: { ref: string; digest: string }[] = [];
  const re = /^unpacking (\S+) \((sha256:[0-9a-f]{64})\)/gm;
  for (let m = re.exec(stdout); m; m = re.exec(stdout)) out.push({ ref: m[1]!, digest: m[2]! });
  return out;
}

/** The server's version from `ctr version` (else the client's). */
export function parseVersion(stdout: string): string {
  const server = /Server:[\s\S]*?Version:\s*(\S+)/.exec(stdout);
  const client = /Client:[\s\S]*?Version:\s*(\S+)/.exec(stdout);
  return server?.[1] ?? client?.[1] ?? 'unknown';
}

/** Go's RFC 3339 time with nanoseconds, as a Date (milliseconds kept). */
export function parseGoTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(value);
  if (!m) return undefined;
  if (m[1]!.startsWith('0001-')) return undefined; // Go's zero time
  const d = new Date(`${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}${m[3]}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
