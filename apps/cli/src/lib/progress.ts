/**
 * A one-line progress bar on stderr with rate and ETA. Redraws at most every 100 ms, only on a
 * TTY (in pipes and CI it prints nothing until `done`, which prints one summary line unless quiet).
 */
export interface ProgressOptions {
  label: string;
  total?: number | undefined;
  unit?: string | undefined;
  quiet?: boolean | undefined;
  stream?: NodeJS.WriteStream | undefined;
}

export class Progress {
  private readonly t0 = performance.now();
  private last = 0;
  private value = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  constructor(private readonly opts: ProgressOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = !opts.quiet && Boolean(this.stream.isTTY);
  }

  /** Set the absolute amount done (and optionally a new total or label). */
  update(value: number, total?: number, label?: string): void {
    this.value = value;
    if (total !== undefined) this.opts.total = total;
    if (label !== undefined) this.opts.label = label;
    const now = performance.now();
    if (!this.tty || now - this.last < 100) return;
    this.last = now;
    this.stream.write(`\r\x1b[K${this.line(now)}`);
  }

  add(delta: number): void {
    this.update(this.value + delta);
  }

  /** Finish the bar; prints a final line with the elapsed time and mean rate. */
  done(summary?: string): number {
    const seconds = (performance.now() - this.t0) / 1000;
    if (this.tty) this.stream.write('\r\x1b[K');
    if (!this.opts.quiet) {
      const rate = seconds > 0 ? this.value / seconds : 0;
      this.stream.write(
        `${this.opts.label}: ${summary ?? `${fmt(this.value)} ${this.opts.unit ?? ''}`.trim()} in ${seconds.toFixed(2)} s (${fmt(rate)} ${this.opts.unit ?? 'items'}/s)\n`,
      );
    }
    return seconds;
  }

  private line(now: number): string {
    const seconds = (now - this.t0) / 1000;
    const rate = seconds > 0 ? this.value / seconds : 0;
    const unit = this.opts.unit ?? '';
    const total = this.opts.total;
    if (!total) return `${this.opts.label} ${fmt(this.value)} ${unit} ${fmt(rate)} ${unit}/s`;
    const frac = Math.min(1, this.value / total);
    const width = 24;
    const filled = Math.round(frac * width);
    const eta = rate > 0 ? (total - this.value) / rate : 0;
    return `${this.opts.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ${fmt(rate)} ${unit}/s ETA ${eta.toFixed(1)} s`;
  }
}

export function fmt(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}K`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
