/**
 * Reading Prometheus text (the API server's and the controller-manager's /metrics) and counting
 * API requests by verb and resource: what the benchmark compares before and after each phase.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the text exposition format (comments skipped; label values unescaped). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    for (let l = re.exec(m[2] ?? ''); l; l = re.exec(m[2] ?? '')) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** Sum of the samples named `name` whose labels pass `filter`. */
export function sum(samples: readonly Sample[], name: string, filter: (labels: Readonly<Record<string, string>>) => boolean = () => true): number {
  let total = 0;
  for (const s of samples) if (s.name === name && filter(s.labels)) total += s.value;
  return total;
}

export const writeVerbs: ReadonlySet<string> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** A request's key in the tables: `verb resource[/subresource]` (`get (non-resource)` for /metrics and the like). */
export function requestKey(verb: string, resource: string, subresource = ''): string {
  return `${verb} ${resource ? resource + (subresource ? `/${subresource}` : '') : '(non-resource)'}`;
}

/** The key of a request answered `status`: failures (not 2xx) are told apart, as `create pods [429]`. */
export function answeredKey(key: string, status: number | string): string {
  return String(status).startsWith('2') ? key : `${key} [${status}]`;
}

/** Counts of requests by key (see requestKey). */
export class RequestCounts {
  readonly counts = new Map<string, number>();

  add(key: string, by = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  copy(): RequestCounts {
    const c = new RequestCounts();
    for (const [k, v] of this.counts) c.counts.set(k, v);
    return c;
  }

  /** this − other, per key (keys with a zero difference left out). */
  minus(other: RequestCounts): RequestCounts {
    const c = new RequestCounts();
    for (const k of new Set([...this.counts.keys(), ...other.counts.keys()])) {
      const d = this.get(k) - other.get(k);
      if (d !== 0) c.counts.set(k, d);
    }
    return c;
  }

  total(filter: (key: string) => boolean = () => true): number {
    let t = 0;
    for (const [k, v] of this.counts) if (filter(k)) t += v;
    return t;
  }

  /** Rows sorted by count, largest first. */
  rows(filter: (key: string) => boolean = () => true): [string, number][] {
    return [...this.counts].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }
}

export const isWrite = (key: string): boolean => writeVerbs.has(key.slice(0, key.indexOf(' ')));
export const isWatch = (key: string): boolean => key.startsWith('watch ');

/** apiserver_request_total as counts by key (summed over group and code). */
export function apiserverRequests(samples: readonly Sample[]): RequestCounts {
  const counts = new RequestCounts();
  for (const s of samples) {
    if (s.name !== 'apiserver_request_total') continue;
    counts.add(answeredKey(requestKey(s.labels.verb ?? '', s.labels.resource ?? '', s.labels.subresource ?? ''), s.labels.code ?? ''), s.value);
  }
  return counts;
}
