/**
 * A small Prometheus registry (text exposition format 0.0.4): counters and histograms updated as
 * things happen, gauges read when scraped. Dependency-free because the server needs only these three.
 */

type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines(): Promise<string[]> | string[];
}

export class Counter {
  readonly #values = new Map<string, number>();
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }
  lines(name: string): string[] {
    return [...this.#values].map(([labels, value]) => `${name}${labels} ${value}`);
  }
}

export class Histogram {
  readonly #buckets: readonly number[];
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(buckets: readonly number[]) {
    this.#buckets = buckets;
  }
  observe(labels: Labels, value: number): void {
    const key = labelText(labels);
    let series = this.#series.get(key);
    if (!series) {
      series = { labels, counts: this.#buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    this.#buckets.forEach((bound, i) => {
      if (value <= bound) series.counts[i]!++;
    });
    series.sum += value;
    series.count++;
  }
  lines(name: string): string[] {
    const out: string[] = [];
    for (const { labels, counts, sum, count } of this.#series.values()) {
      this.#buckets.forEach((bound, i) => {
        out.push(`${name}_bucket${labelText({ ...labels, le: String(bound) })} ${counts[i]}`);
      });
      out.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
      out.push(`${name}_sum${labelText(labels)} ${sum}`);
      out.push(`${name}_count${labelText(labels)} ${count}`);
    }
    return out;
  }
}

export class MetricsRegistry {
  readonly #families: Family[] = [];

  counter(name: string, help: string): Counter {
    const counter = new Counter();
    this.#families.push({ name, help, type: 'counter', lines: () => counter.lines(name) });
    return counter;
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const histogram = new Histogram(buckets);
    this.#families.push({ name, help, type: 'histogram', lines: () => histogram.lines(name) });
    return histogram;
  }

  /** A gauge read at scrape time; `read` returns one value, or values per label set. */
  gauge(
    name: string,
    help: string,
    read: () => Promise<number | [Labels, number][]> | number | [Labels, number][],
  ): void {
    this.#families.push({
      name,
      help,
      type: 'gauge',
      lines: async () => {
        const value = await read();
        if (typeof value === 'number') return [`${name} ${value}`];
        return value.map(([labels, v]) => `${name}${labelText(labels)} ${v}`);
      },
    });
  }

  async render(): Promise<string> {
    const out: string[] = [];
    for (const family of this.#families) {
      let lines: string[];
      try {
        lines = await family.lines();
      } catch {
        continue; // a gauge whose source is down (storage) is left out rather than failing the scrape
      }
      out.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`, ...lines);
    }
    return `${out.join('\n')}\n`;
  }
}
