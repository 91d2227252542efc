/**
 * A small Prometheus metrics registry: counters, gauges and histograms with labels, rendered in
 * the text exposition format at /metrics. Every Marina process has one.
 */

type LabelValues = Readonly<Record<string, string>>;

interface Metric {
  readonly name: string;
  readonly help: string;
  render(): string[];
}

/** The series key of a label set: names sorted, values escaped as the exposition format wants. */
function labelKey(labels: LabelValues): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  if (!isSorted(keys)) keys.sort(); // callers mostly pass the same literal order: usually sorted already
  let key = '';
  for (const k of keys) {
    const v = labels[k]!;
    key += `${key ? ',' : ''}${k}="${needsEscape(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v}"`;
  }
  return key;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

function needsEscape(v: string): boolean {
  return v.includes('\\') || v.includes('"') || v.includes('\n');
}

function series(name: string, key: string, extra = ''): string {
  const all = [key, extra].filter(Boolean).join(',');
  return all ? `${name}{${all}}` : name;
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: LabelValues = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: LabelValues = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values].map(([k, v]) => `${series(this.name, k)} ${v}`)];
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(value: number, labels: LabelValues = {}): void {
    this.values.set(labelKey(labels), value);
  }

  add(by: number, labels: LabelValues = {}): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: LabelValues = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }

  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, ...[...this.values].map(([k, v]) => `${series(this.name, k)} ${v}`)];
  }
}

/** Default buckets in seconds, from 5 ms to 60 s, as Kubernetes uses for request latency. */
export const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class Histogram implements Metric {
  private readonly values = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = latencyBuckets,
  ) {}

  observe(value: number, labels: LabelValues = {}): void {
    const key = labelKey(labels);
    let v = this.values.get(key);
    if (!v) {
      v = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.values.set(key, v);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) v.counts[i]!++;
    v.sum += value;
    v.count++;
  }

  /** Observations so far for these labels. */
  count(labels: LabelValues = {}): number {
    return this.values.get(labelKey(labels))?.count ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, v] of this.values) {
      this.buckets.forEach((b, i) => lines.push(`${series(`${this.name}_bucket`, key, `le="${b}"`)} ${v.counts[i]}`));
      lines.push(`${series(`${this.name}_bucket`, key, 'le="+Inf"')} ${v.count}`);
      lines.push(`${series(`${this.name}_sum`, key)} ${v.sum}`);
      lines.push(`${series(`${this.name}_count`, key)} ${v.count}`);
    }
    return lines;
  }
}

export class MetricsRegistry {
  private readonly metrics = new Map<string, Metric>();

  counter(name: string, help: string): Counter {
    return this.register(new Counter(name, help));
  }

  gauge(name: string, help: string): Gauge {
    return this.register(new Gauge(name, help));
  }

  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.register(new Histogram(name, help, buckets));
  }

  /** The Prometheus text format. */
  render(): string {
    return [...this.metrics.values()].flatMap((m) => m.render()).join('\n') + '\n';
  }

  private register<M extends Metric>(metric: M): M {
    const existing = this.metrics.get(metric.name);
    if (existing) {
      if (existing.constructor !== metric.constructor) throw new Error(`metric ${metric.name} registered twice with different types`);
      return existing as M;
    }
    this.metrics.set(metric.name, metric);
    return metric;
  }
}
