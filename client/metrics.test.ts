import { Counter, Gauge, Histogram, latencyBuckets, MetricsRegistry } from './metrics';

/** The sample lines of a render, without HELP and TYPE comments. */
const samples = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

// A sample line of the Prometheus text exposition format.
const sampleLine = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

describe('Counter', () => {
  it('counts by label set, by 1 or by a given amount', () => {
    const c = new Counter('requests_total', 'Requests.');
    c.inc({ verb: 'GET', code: '200' });
    c.inc({ code: '200', verb: 'GET' });
    c.inc({ verb: 'PUT', code: '409' }, 3);
    expect(c.get({ verb: 'GET', code: '200' })).toBe(2);
    expect(c.get({ code: '409', verb: 'PUT' })).toBe(3);
    expect(c.get({ verb: 'DELETE' })).toBe(0);
  });

  it('renders HELP, TYPE and one sample per label set, labels sorted by name', () => {
    const c = new Counter('requests_total', 'Requests served.');
    c.inc({ verb: 'GET', code: '200' }, 2);
    c.inc();
    expect(c.render()).toEqual([
      '# HELP requests_total Requests served.',
      '# TYPE requests_total counter',
      'requests_total{code="200",verb="GET"} 2',
      'requests_total 1',
    ]);
  });

  it('escapes backslashes, double quotes and newlines in label values', () => {
    const c = new Counter('x_total', 'x');
    c.inc({ path: 'C:\\dir', msg: 'say "hi"\nbye' });
    expect(c.render()[2]).toBe('x_total{msg="say \\"hi\\"\\nbye",path="C:\\\\dir"} 1');
    expect(c.render()[2]).toMatch(sampleLine);
  });
});

describe('Gauge', () => {
  it('sets, adds and reads values by label set', () => {
    const g = new Gauge('inflight', 'In flight.');
    g.set(5);
    g.add(-2);
    g.add(1, { kind: 'watch' });
    g.set(7, { kind: 'list' });
    expect(g.get()).toBe(3);
    expect(g.get({ kind: 'watch' })).toBe(1);
    expect(g.get({ kind: 'list' })).toBe(7);
    expect(g.get({ kind: 'none' })).toBe(0);
    expect(g.render()).toEqual(['# HELP inflight In flight.', '# TYPE inflight gauge', 'inflight 3', 'inflight{kind="watch"} 1', 'inflight{kind="list"} 7']);
  });
});

describe('Histogram', () => {
  it('counts observations into cumulative buckets, with +Inf, sum and count', () => {
    const h = new Histogram('latency_seconds', 'Latency.', [0.3, 0.5, 1]);
    for (const v of [0.25, 0.5, 0.5, 4]) h.observe(v, { verb: 'GET' });
    expect(h.count({ verb: 'GET' })).toBe(4);
    expect(h.count({ verb: 'PUT' })).toBe(0);
    expect(h.render()).toEqual([
      '# HELP latency_seconds Latency.',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{verb="GET",le="0.3"} 1',
      'latency_seconds_bucket{verb="GET",le="0.5"} 3',
      'latency_seconds_bucket{verb="GET",le="1"} 3',
      'latency_seconds_bucket{verb="GET",le="+Inf"} 4',
      'latency_seconds_sum{verb="GET"} 5.25',
      'latency_seconds_count{verb="GET"} 4',
    ]);
  });

  it('counts a value equal to a bound in that bucket (le is "less than or equal")', () => {
    const h = new Histogram('h', 'h', [1, 2]);
    h.observe(1);
    h.observe(2);
    expect(samples(h.render().join('\n'))).toEqual(['h_bucket{le="1"} 1', 'h_bucket{le="2"} 2', 'h_bucket{le="+Inf"} 2', 'h_sum 3', 'h_count 2']);
  });

  it('keeps buckets non-decreasing whatever the observations', () => {
    const h = new Histogram('h', 'h');
    for (let i = 0; i < 200; i++) h.observe((i * 7919) % 97 / 1.3);
    const counts = samples(h.render().join('\n'))
      .filter((l) => l.startsWith('h_bucket'))
      .map((l) => Number(l.split(' ')[1]));
    expect(counts).toHaveLength(latencyBuckets.length + 1);
    for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
    expect(counts[counts.length - 1]).toBe(200);
  });

  it('uses Kubernetes-style latency buckets by default', () => {
    expect(new Histogram('h', 'h').buckets).toEqual(latencyBuckets);
    expect(latencyBuckets[0]).toBe(0.005);
    expect(latencyBuckets[latencyBuckets.length - 1]).toBe(60);
    expect([...latencyBuckets].sort((a, b) => a - b)).toEqual(latencyBuckets);
  });
});

describe('MetricsRegistry', () => {
  it('renders every metric in the text format, ending with a newline', () => {
    const r = new MetricsRegistry();
    r.counter('a_total', 'A.').inc({ x: '1' });
    r.gauge('b', 'B.').set(2);
    r.histogram('c_seconds', 'C.', [1]).observe(0.5);
    const text = r.render();
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toBe(
      [
        '# HELP a_total A.',
        '# TYPE a_total counter',
        'a_total{x="1"} 1',
        '# HELP b B.',
        '# TYPE b gauge',
        'b 2',
        '# HELP c_seconds C.',
        '# TYPE c_seconds histogram',
        'c_seconds_bucket{le="1"} 1',
        'c_seconds_bucket{le="+Inf"} 1',
        'c_seconds_sum 0.5',
        'c_seconds_count 1',
      ].join('\n') + '\n',
    );
    for (const line of samples(text)) expect(line).toMatch(sampleLine);
  });

  it('returns the registered metric when the same name is registered again', () => {
    const r = new MetricsRegistry();
    const c = r.counter('a_total', 'A.');
    expect(r.counter('a_total', 'A.')).toBe(c);
    r.counter('a_total', 'A.').inc();
    expect(c.get()).toBe(1);
    expect(r.render().match(/# TYPE a_total/g)).toHaveLength(1);
  });

  it('refuses a name registered with another type', () => {
    const r = new MetricsRegistry();
    r.counter('m', 'M.');
    expect(() => r.gauge('m', 'M.')).toThrow(/registered twice/);
    expect(() => r.histogram('m', 'M.')).toThrow(/registered twice/);
  });
});
