export interface BenchRow {
  figure: string;
  value: string;
  goal?: string | undefined;
  pass?: boolean | undefined;
}
export declare function machine(): string;
export declare function timeMs<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T }>;
export declare function report(pkg: string, rows: BenchRow[]): string;
