/**
 * A minimal Prometheus text-format registry (exposition format 0.0.4): counters, gauges and
 * histograms with labels. Small on purpose; the server has a dozen series.
 */
type Labels = Record<string, string>;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
function labelText(labels: Labels, extra?: [string, string]): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  if (extra) parts.push(`${extra[0]}="${escape(extra[1])}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}
const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort());
const num = (v: number) => (Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN');

interface Metric {
  render(): string;
}

abstract class Base implements Metric {
  constructor(readonly name: string, readonly help: string, readonly type: string) {}
  protected header(): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
  }
  abstract render(): string;
}

export class Counter extends Base {
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    const k = keyOf(labels);
    const s = this.series.get(k);
    if (s) s.value += by;
    else this.series.set(k, { labels, value: by });
  }
  render(): string {
    let out = this.header();
    if (this.series.size === 0) out += `${this.name} 0\n`;
    for (const s of this.series.values()) out += `${this.name}${labelText(s.labels)} ${num(s.value)}\n`;
    return out;
  }
}

/**
 * A series whose value is read when /metrics is scraped: a gauge, or a counter kept elsewhere
 * (the engine workers' monotonic totals).
 */
export class Sampled extends Base {
  constructor(name: string, help: string, private readonly read: () => Array<[Labels, number]> | number, type: 'gauge' | 'counter' = 'gauge') {
    super(name, help, type);
  }
  render(): string {
    const v = this.read();
    const rows = typeof v === 'number' ? [[{}, v] as [Labels, number]] : v;
    return this.header() + rows.map(([l, x]) => `${this.name}${labelText(l)} ${num(x)}\n`).join('');
  }
}

export class Histogram extends Base {
  private readonly series = new Map<string, { labels: Labels; counts: Float64Array; sum: number; count: number }>();
  constructor(name: string, help: string, private readonly buckets: number[]) {
    super(name, help, 'histogram');
  }
  observe(value: number, labels: Labels = {}): void {
    const k = keyOf(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { labels, counts: new Float64Array(this.buckets.length), sum: 0, count: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]! += 1;
    s.sum += value;
    s.count += 1;
  }
  render(): string {
    let out = this.header();
    for (const s of this.series.values()) {
      this.buckets.forEach((b, i) => {
        out += `${this.name}_bucket${labelText(s.labels, ['le', num(b)])} ${s.counts[i]}\n`;
      });
      out += `${this.name}_bucket${labelText(s.labels, ['le', '+Inf'])} ${s.count}\n`;
      out += `${this.name}_sum${labelText(s.labels)} ${num(s.sum)}\n${this.name}_count${labelText(s.labels)} ${s.count}\n`;
    }
    return out;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  add<M extends Metric>(m: M): M {
    this.metrics.push(m);
    return m;
  }
  render(): string {
    return this.metrics.map((m) => m.render()).join('');
  }
}
