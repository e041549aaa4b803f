export interface BenchRow {
  /** Stable name of the row (lower-case words joined by -): its key in benchmarks.json and its anchor in BENCHMARKS.md. */
  id: string;
  figure: string;
  value: string;
  goal?: string | undefined;
  pass?: boolean | undefined;
}
export declare const ROW_ID: RegExp;
export declare function machine(): string;
export declare function timeMs<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T }>;
export declare function checkRowIds(suite: string, rows: BenchRow[]): void;
export declare function cacheFile(suite: string): string;
export declare function met(pass: boolean | undefined): string;
export declare function report(suite: string, rows: BenchRow[]): string;
